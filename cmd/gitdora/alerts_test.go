package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gitdora/gitdora/compute/alert"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/internal/gittest"
	"github.com/gitdora/gitdora/notify"
)

// firingResult is an evaluation with a critical and a warning alert
// firing, built by hand (the metrics come from other packages' work).
func alertsFiringResult(t *testing.T) alert.Result {
	t.Helper()
	rules, err := alert.CompileFile([]byte(`- name: CFR
  condition: change_failure_rate > 0.15
  for: 7d
  severity: critical
  message: Change failure rate above 15 %
- name: Deploys
  condition: deployments_per_day < 1
  for: 7d
  message: Fewer than one deployment a day
`), "rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)
	cfr, dpd := 0.25, 0.5
	return alert.Result{At: day.AddDate(0, 0, 1), Day: day, End: day.AddDate(0, 0, 1), Rules: 2, Firing: []alert.Firing{
		{Rule: &rules[0], Since: day.AddDate(0, 0, -9), Days: 10, Values: []alert.Value{{Operand: config.Operand{Metric: "change_failure_rate"}, Value: &cfr}}},
		{Rule: &rules[1], Since: day.AddDate(0, 0, -6), Days: 7, Values: []alert.Value{{Operand: config.Operand{Metric: "deployments_per_day"}, Value: &dpd}}},
	}}
}

func alertsGlobals() (*Globals, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	g := &Globals{Stdout: &out, Stderr: &errb, Verbose: true, LogFormat: "text", TZ: "UTC"}
	g.Log = newLogger(g)
	return g, &out, &errb
}

const alertsSecret = "/services/T0001/B0001/s3cr3tT0k3n"

// webhookServer answers status to every post and keeps the bodies.
func alertsWebhookServer(t *testing.T, status int) (*httptest.Server, *atomic.Int32, chan []byte) {
	var n atomic.Int32
	bodies := make(chan []byte, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		b, _ := io.ReadAll(r.Body)
		bodies <- b
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv, &n, bodies
}

func TestAlertsDeliver(t *testing.T) {
	summary := filepath.Join(t.TempDir(), "summary.md")
	t.Setenv("GITHUB_ACTIONS", "true")
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	srv, n, bodies := alertsWebhookServer(t, 200)
	url := srv.URL + alertsSecret

	g, out, errb := alertsGlobals()
	c := &AlertsCmd{FailOn: "critical", Webhook: url}
	err := c.deliver(g, alertsFiringResult(t), &notify.Webhook{URL: url, RetryDelay: time.Millisecond})
	if exitCode(err) != 3 {
		t.Errorf("--fail-on critical with a critical alert: exit %d (%v), want 3", exitCode(err), err)
	}
	if n.Load() != 1 {
		t.Fatalf("%d posts, want 1", n.Load())
	}
	var p struct {
		Text   string
		Blocks []struct{ Type string }
	}
	if err := json.Unmarshal(<-bodies, &p); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.Text, "gitdora: 2 alerts firing (1 critical, 1 warning)") || len(p.Blocks) != 4 ||
		p.Blocks[0].Type != "header" || p.Blocks[1].Type != "section" || p.Blocks[3].Type != "context" {
		t.Errorf("payload %+v", p)
	}
	for _, w := range []string{
		"CRITICAL  CFR  since 2026-03-06 (10 days)",
		"::error title=gitdora alert CFR::Change failure rate above 15 %25 (since 2026-03-06; change_failure_rate = 0.25)\n",
		"::warning title=gitdora alert Deploys::Fewer than one deployment a day (since 2026-03-09; deployments_per_day = 0.5)\n",
	} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("stdout lacks %q:\n%s", w, out)
		}
	}
	if !strings.Contains(errb.String(), "posted 2 alert(s) to the webhook") {
		t.Errorf("stderr: %s", errb)
	}
	b, _ := os.ReadFile(summary)
	if !strings.Contains(string(b), "### gitdora alerts: 2 firing") || !strings.Contains(string(b), "| 🔴 critical | CFR | 2026-03-06 |") {
		t.Errorf("step summary:\n%s", b)
	}
	alertsNoSecret(t, url, out.String(), errb.String())

	// --json keeps stdout JSON: the annotations go to stderr.
	g, out, errb = alertsGlobals()
	c = &AlertsCmd{JSON: true, FailOn: "warning"}
	err = c.deliver(g, alertsFiringResult(t), nil)
	if exitCode(err) != 3 {
		t.Errorf("--fail-on warning: exit %d, want 3", exitCode(err))
	}
	var doc map[string]any
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Errorf("--json stdout is not JSON: %v\n%s", err, out)
	}
	if !strings.Contains(errb.String(), "::error title=gitdora alert CFR::") {
		t.Errorf("stderr lacks the annotations: %s", errb)
	}
}

func TestAlertsFailOn(t *testing.T) {
	t.Setenv("GITHUB_ACTIONS", "")
	onlyWarning := alertsFiringResult(t)
	onlyWarning.Firing = onlyWarning.Firing[1:]
	none := alertsFiringResult(t)
	none.Firing = nil
	for _, tc := range []struct {
		name   string
		res    alert.Result
		failOn string
		want   int
	}{
		{"critical fires, --fail-on critical", alertsFiringResult(t), "critical", 3},
		{"critical fires, --fail-on warning", alertsFiringResult(t), "warning", 3},
		{"warning fires, --fail-on warning", onlyWarning, "warning", 3},
		{"warning fires, --fail-on critical", onlyWarning, "critical", 0},
		{"warning fires, no --fail-on", onlyWarning, "", 0},
		{"nothing fires, --fail-on warning", none, "warning", 0},
	} {
		g, _, _ := alertsGlobals()
		err := (&AlertsCmd{FailOn: tc.failOn}).deliver(g, tc.res, nil)
		if got := exitCode(err); got != tc.want {
			t.Errorf("%s: exit %d (%v), want %d", tc.name, got, err, tc.want)
		}
	}
}

// A webhook that keeps failing makes gitdora alerts fail (exit 1) after
// one retry, and neither the error nor any log line shows the URL.
func TestAlertsWebhookFailureHidesTheURL(t *testing.T) {
	t.Setenv("GITHUB_ACTIONS", "")
	srv, n, _ := alertsWebhookServer(t, 503)
	url := srv.URL + alertsSecret
	g, out, errb := alertsGlobals()
	err := (&AlertsCmd{Webhook: url, FailOn: "warning"}).deliver(g, alertsFiringResult(t), &notify.Webhook{URL: url, RetryDelay: time.Millisecond})
	if exitCode(err) != 1 || n.Load() != 2 {
		t.Fatalf("exit %d after %d posts (%v), want 1 after 2", exitCode(err), n.Load(), err)
	}
	if !strings.Contains(err.Error(), "webhook "+srv.URL+": the server answered 503 Service Unavailable (tried twice)") {
		t.Errorf("error %q", err)
	}
	alertsNoSecret(t, url, out.String(), errb.String(), err.Error())
}

func alertsNoSecret(t *testing.T, url string, outputs ...string) {
	t.Helper()
	for _, o := range outputs {
		for _, s := range []string{url, alertsSecret, "s3cr3tT0k3n"} {
			if strings.Contains(o, s) {
				t.Errorf("output shows %q:\n%s", s, o)
			}
		}
	}
}

// Malformed rules: exit 1 exactly, nothing on stdout, one line on stderr.
func TestAlertsMalformedRulesExit1(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"unknown-metric": "- name: A\n  condition: nope > 1\n  for: 1d\n",
		"bad-operator":   "- name: A\n  condition: open_high => 1\n  for: 1d\n",
		"missing-for":    "- name: A\n  condition: open_high > 1\n",
		"bad-duration":   "- name: A\n  condition: open_high > 1\n  for: 7x\n",
		"yaml-syntax":    "- name: A\n  condition: \"open_high > 1\n  for: 1d\n",
	} {
		p := filepath.Join(dir, name+".yml")
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		var out, errb bytes.Buffer
		code := Run([]string{"--repo", dir, "alerts", "--rules", p}, &out, &errb)
		lines := strings.Split(strings.TrimSuffix(errb.String(), "\n"), "\n")
		if code != 1 || out.Len() != 0 || len(lines) != 1 || !strings.Contains(lines[0], p+": line ") || !strings.Contains(lines[0], "alert A") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", name, code, out.String(), errb.String())
		}
	}
}

func TestParseAlertsAt(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no zoneinfo")
	}
	now := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"", now},
		{"2026-03-15", time.Date(2026, 3, 16, 0, 0, 0, 0, berlin)},
		{"2026-03-28", time.Date(2026, 3, 29, 0, 0, 0, 0, berlin)},
		{"2026-03-15T12:00:00Z", time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)},
		{"2026-03-15T12:00", time.Date(2026, 3, 15, 12, 0, 0, 0, berlin)},
	} {
		got, err := parseAlertsAt(tc.in, berlin, now)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("parseAlertsAt(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	if _, err := parseAlertsAt("15.03.2026", berlin, now); err == nil {
		t.Error("parseAlertsAt(15.03.2026): no error")
	}
}

// The whole command, run as a user runs it, -v included: ten daily
// releases then none make the default DORA_DeploymentFrequencyLow fire;
// the payload reaches the webhook, and when the webhook refuses it, the
// command fails (exit 1) without printing the URL anywhere.
func TestAlertsWebhookEndToEnd(t *testing.T) {
	r := gittest.New(t)
	parent := []string{}
	for d := 1; d <= 10; d++ {
		sha := r.Commit(gittest.C{Msg: fmt.Sprintf("change %d", d), Authored: fmt.Sprintf("2026-03-%02dT09:30:00Z", d), Parents: parent})
		r.Tag(fmt.Sprintf("v1.0.%d", d), sha, fmt.Sprintf("2026-03-%02dT10:00:00Z", d))
		parent = []string{sha}
	}
	r.Branch("main", parent[0])
	t.Setenv("GITHUB_ACTIONS", "")

	srv, n, bodies := alertsWebhookServer(t, 200)
	url := srv.URL + alertsSecret
	var out, errb bytes.Buffer
	code := Run([]string{"-v", "--repo", r.Dir, "alerts", "--at", "2026-03-20", "--webhook", url, "--fail-on", "warning"}, &out, &errb)
	if code != 3 || n.Load() != 1 {
		t.Fatalf("exit %d after %d posts, want 3 after 1\nstdout:\n%s\nstderr:\n%s", code, n.Load(), out.String(), errb.String())
	}
	var p struct {
		Text   string
		Blocks []struct {
			Type string
			Text *struct{ Text string }
		}
	}
	if err := json.Unmarshal(<-bodies, &p); err != nil {
		t.Fatal(err)
	}
	if p.Text != "gitdora: 1 alert firing (1 warning) as of the end of 2026-03-20 (UTC)" || len(p.Blocks) != 3 ||
		!strings.Contains(p.Blocks[1].Text.Text, "`DORA_DeploymentFrequencyLow` · since 2026-03-11") {
		t.Errorf("payload %+v", p)
	}
	alertsNoSecret(t, url, out.String(), errb.String())

	srv, n, _ = alertsWebhookServer(t, 404)
	url = srv.URL + alertsSecret
	out.Reset()
	errb.Reset()
	code = Run([]string{"-v", "--repo", r.Dir, "alerts", "--at", "2026-03-20", "--webhook", url}, &out, &errb)
	if code != 1 || n.Load() != 1 || !strings.Contains(errb.String(), "gitdora: webhook "+srv.URL+": the server answered 404 Not Found") {
		t.Errorf("refused webhook: exit %d after %d posts\nstderr:\n%s", code, n.Load(), errb.String())
	}
	alertsNoSecret(t, url, out.String(), errb.String())
}

// --json keeps the names of the rules as they are, encoded so that a
// terminal or a CI runner showing stdout acts on nothing in them.
func TestAlertsJSONEscapesRuleText(t *testing.T) {
	t.Setenv("GITHUB_ACTIONS", "")
	const name = "CFR\u009b2J ##[error]x \u202e"
	rules, err := alert.CompileFile([]byte("- name: CFR\n  condition: change_failure_rate > 0.15\n  for: 1d\n"), "rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	rules[0].Name = name // as a rule decoded from JSON or TOML could hold it
	day := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)
	res := alert.Result{At: day.AddDate(0, 0, 1), Day: day, End: day.AddDate(0, 0, 1), Rules: 1, Firing: []alert.Firing{{Rule: &rules[0], Since: day, Days: 1}}}
	g, out, _ := alertsGlobals()
	if err := (&AlertsCmd{JSON: true}).deliver(g, res, nil); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out.String(), "\u009b\u202e") || strings.Contains(out.String(), "##[") {
		t.Errorf("stdout shows the raw text:\n%s", out)
	}
	var doc struct{ Alerts []struct{ Name string } }
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil || len(doc.Alerts) != 1 || doc.Alerts[0].Name != name {
		t.Errorf("stdout %s (%v): want the name %q as given", out, err, name)
	}
}
