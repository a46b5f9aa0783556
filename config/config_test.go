package config

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/policy"
)

func TestDefaultConfig(t *testing.T) {
	c := Default()
	if c.Production != "production" || c.Trunk != "" || c.Deploy.TagPattern != "v*" || c.LeadTime.Start != "author" ||
		c.LeadTime.FirstDeployment != "exclude" || c.Incidents.MaxAttributionGap.D() != 7*24*time.Hour ||
		c.Classification.Benchmark != "dora-2023" || len(c.Targets) != 8 || len(c.Alerts) != 6 {
		t.Fatalf("Default() = %+v", c)
	}
	if c.Alerts[0].Line == 0 || c.Alerts[0].CondAt.Line == 0 {
		t.Errorf("alert positions not recorded: %+v", c.Alerts[0])
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"lead_time:\n  start: merge\n", "lead_time.start"},
		{"targets:\n  lead_time_p50_hours: soon\n", "targets.lead_time_p50_hours"},
		{"incidents:\n  max_attribution_gap: 7x\n", "7x"},
		{"trunk: [\n", "x.yml"},
		{"unknown_key: 1\n", "unknown_key"},
		{"lead_time:\n  exclude_authors: \"(\"\n", "exclude_authors"},
		{"deploy:\n  tag_pattern: \"v[\"\n", `x.yml: deploy.tag_pattern "v[" is not a valid pattern: syntax error in pattern`},
		{"classification:\n  benchmark: dora-2019\n", `x.yml: classification.benchmark is "dora-2019", want one of dora-2023, dora-2021`},
		{"severity:\n  overrides:\n    r1: urgent\n", `x.yml: severity.overrides.r1 is "urgent", want one of`},
		{"timezone: Mars/Olympus\n", `x.yml: timezone "Mars/Olympus" is not a known time zone`},
		{"incidents:\n  since: 2024-5\n", `x.yml: incidents.since is "2024-5", want a month as YYYY-MM`},
		{"deploy:\n  source: git\n", `x.yml: deploy.source is "git", want one of auto, events, ci, tags`},
	} {
		_, err := Parse([]byte(tc.yaml), "x.yml")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want an error naming %q", tc.yaml, err, tc.want)
		}
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"7d": 7 * 24 * time.Hour, "24h": 24 * time.Hour, "2w": 14 * 24 * time.Hour, "90m": 90 * time.Minute, "1.5d": 36 * time.Hour} {
		got, err := ParseDuration(in)
		if err != nil || got.D() != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got.D(), err, want)
		}
	}
	for _, in := range []string{"7x", "", "d", "-1d"} {
		if _, err := ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q) did not fail", in)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{7 * day, "7d"}, {day, "1d"}, {36 * time.Hour, "36h"}, {90 * time.Minute, "1h30m"},
		{1500 * time.Millisecond, "1s500ms"}, {time.Microsecond, "1ms"}, {0, "0s"},
	} {
		if got := FormatDuration(tc.d); got != tc.want {
			t.Errorf("FormatDuration(%v) = %s, want %s", tc.d, got, tc.want)
		}
	}
}

// The built-in gitdora.yml holds the policy's defaults, and a policy
// given merges over them as docs/policy.md says.
func TestPolicy(t *testing.T) {
	c := Default()
	want := policy.Default()
	for _, ctx := range policy.Contexts() {
		g, err := c.Policy.Gate(ctx)
		w, _ := want.Gate(ctx)
		if err != nil || !slices.Equal(g.BlockOn, w.BlockOn) || !slices.Equal(g.WarnOn, w.WarnOn) {
			t.Errorf("default gate %s = %+v, %v; want %+v", ctx, g, err, w)
		}
	}
	for _, sev := range policy.Severities() {
		if got, _ := c.Policy.SLA.Allowed(sev); got != want.SLA[sev] {
			t.Errorf("default SLA %s = %v, want %v", sev, got, want.SLA[sev])
		}
	}
	if len(c.Policy.Exemptions.Paths)+len(c.Policy.Exemptions.Findings) != 0 {
		t.Errorf("default exemptions %+v, want none", c.Policy.Exemptions)
	}

	c, err := Parse([]byte("policy:\n  gates:\n    main: {block_on: [high, critical]}\n  sla: {high: 2w}\n  exemptions:\n    paths: [\"tests/**\"]\n"), "x.yml")
	if err != nil {
		t.Fatal(err)
	}
	main, _ := c.Policy.Gate(policy.Main)
	pr, _ := c.Policy.Gate(policy.PullRequest)
	if !slices.Equal(main.BlockOn, []string{"high", "critical"}) || len(main.WarnOn) != 0 || !slices.Equal(pr.BlockOn, []string{"critical", "high"}) {
		t.Errorf("gates main %+v, pull_request %+v: want main replaced as a whole, pull_request kept", main, pr)
	}
	if h, _ := c.Policy.SLA.Allowed("high"); h != 14*day {
		t.Errorf("SLA high %v, want 2w", h)
	}
	if m, _ := c.Policy.SLA.Allowed("medium"); m != 90*day {
		t.Errorf("SLA medium %v, want the default 90d", m)
	}
	if len(c.Policy.Exemptions.Paths) != 1 || !c.Policy.Exemptions.Paths[0].Glob.Match("tests/a.py") {
		t.Errorf("exemptions %+v", c.Policy.Exemptions)
	}
	// Parsing a second file from the defaults is not changed by the first.
	if d, _ := Default().Policy.Gate(policy.Main); !slices.Equal(d.BlockOn, []string{"critical"}) {
		t.Errorf("the defaults changed: main %+v", d)
	}
}

// A bad policy is refused with the file, line and column of the problem,
// before anything is evaluated.
func TestPolicyErrors(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"policy:\n  gates:\n    release: {block_on: [high]}\n", `x.yml: line 3, column 5: policy.gates: unknown key "release" (want pull_request, main or pre_commit)`},
		{"policy:\n  gates:\n    main: {block_on: [severe]}\n", `x.yml: line 3, column 23: policy.gates.main.block_on[0]: "severe" is not a severity`},
		{"policy:\n  sla: {urgent: 1d}\n", `x.yml: line 2, column 9: policy.sla: unknown key "urgent"`},
		{"policy:\n  sla:\n    high: soon\n", `x.yml: line 3, column 11: policy.sla.high: "soon" is not a duration`},
		{"policy:\n  exemptions:\n    findings:\n      - rule_id: r1\n        expires: 2026-06-01\n", `x.yml: line 4, column 9: policy.exemptions.findings[0]: a finding exemption needs justification`},
		{"policy:\n  exemptions:\n    findings:\n      - rule_id: r1\n        justification: ok\n", `x.yml: line 4, column 9: policy.exemptions.findings[0]: a finding exemption needs expires`},
		{"policy:\n  exemptions:\n    findings:\n      - rule_id: r1\n        justification: ok\n        expires: 2026-13-01\n", `x.yml: line 6, column 18: policy.exemptions.findings[0].expires: "2026-13-01" is not a date (want YYYY-MM-DD`},
		{"policy:\n  exemptions:\n    paths: [\"**.py\"]\n", `x.yml: line 3, column 13: policy.exemptions.paths[0]:`},
	} {
		_, err := Parse([]byte(tc.yaml), "x.yml")
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v\nwant an error starting %q", tc.yaml, err, tc.want)
		}
	}
}

func TestReportFindings(t *testing.T) {
	if Default().FindingDetails() {
		t.Error("the default shows finding details, want counts")
	}
	c, err := Parse([]byte("report:\n  findings: full\n"), "x.yml")
	if err != nil || !c.FindingDetails() {
		t.Errorf("report.findings: full: %v, %v", c, err)
	}
	if _, err := Parse([]byte("report:\n  findings: all\n"), "x.yml"); err == nil || !strings.Contains(err.Error(), `x.yml: report.findings is "all", want one of counts, full`) {
		t.Errorf("report.findings: all: %v", err)
	}
}
