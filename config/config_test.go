package config

import (
	"strings"
	"testing"
	"time"
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
