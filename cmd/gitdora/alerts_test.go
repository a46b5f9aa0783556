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

	"github.com/gitdora/gitdora/internal/gittest"
)

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
