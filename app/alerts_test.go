package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
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

func alertsEnv() (Env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	log := slog.New(slog.NewTextHandler(&errb, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return Env{Stdout: &out, Stderr: &errb, Log: log}, &out, &errb
}

// firing reports whether err is an *AlertsFiring: the exit code 3 of the command.
func firing(err error) bool {
	var f *AlertsFiring
	return errors.As(err, &f)
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

	env, out, errb := alertsEnv()
	req := AlertsRequest{FailOn: "critical", Webhook: &notify.Webhook{URL: url, RetryDelay: time.Millisecond}}
	err := deliver(context.Background(), req, env, alertsFiringResult(t))
	if !firing(err) {
		t.Errorf("FailOn critical with a critical alert: %v, want alerts firing", err)
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
	env, out, errb = alertsEnv()
	err = deliver(context.Background(), AlertsRequest{JSON: true, FailOn: "warning"}, env, alertsFiringResult(t))
	if !firing(err) {
		t.Errorf("FailOn warning: %v, want alerts firing", err)
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
		want   bool
	}{
		{"critical fires, FailOn critical", alertsFiringResult(t), "critical", true},
		{"critical fires, FailOn warning", alertsFiringResult(t), "warning", true},
		{"warning fires, FailOn warning", onlyWarning, "warning", true},
		{"warning fires, FailOn critical", onlyWarning, "critical", false},
		{"warning fires, no FailOn", onlyWarning, "", false},
		{"nothing fires, FailOn warning", none, "warning", false},
	} {
		env, _, _ := alertsEnv()
		err := deliver(context.Background(), AlertsRequest{FailOn: tc.failOn}, env, tc.res)
		if got := firing(err); got != tc.want || (err != nil && !got) {
			t.Errorf("%s: %v, want firing %v", tc.name, err, tc.want)
		}
	}
}

// A webhook that keeps failing is an error (exit 1) after one retry, and
// neither the error nor any log line shows the URL.
func TestAlertsWebhookFailureHidesTheURL(t *testing.T) {
	t.Setenv("GITHUB_ACTIONS", "")
	srv, n, _ := alertsWebhookServer(t, 503)
	url := srv.URL + alertsSecret
	env, out, errb := alertsEnv()
	req := AlertsRequest{FailOn: "warning", Webhook: &notify.Webhook{URL: url, RetryDelay: time.Millisecond}}
	err := deliver(context.Background(), req, env, alertsFiringResult(t))
	if err == nil || firing(err) || n.Load() != 2 {
		t.Fatalf("%v after %d posts, want an error after 2", err, n.Load())
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
	env, out, _ := alertsEnv()
	if err := deliver(context.Background(), AlertsRequest{JSON: true}, env, res); err != nil {
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
