package alert

import (
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/config"
)

func TestDefaultRulesCompile(t *testing.T) {
	rules, err := Compile(config.Default().Alerts)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		cond     string
		for_     time.Duration
		severity string
	}{
		"DORA_DeploymentFrequencyLow": {"deployments_per_day < 1", 7 * Day, Warning},
		"DORA_LeadTimeDegraded":       {"lead_time_p50_hours > 1", 3 * Day, Warning},
		"DORA_SecurityScanOverhead":   {"scan_overhead_pct > 20", 7 * Day, Warning},
		"DORA_ChangeFailureRateHigh":  {"change_failure_rate > 0.15", 7 * Day, Critical},
		"DORA_MTTR_Critical_High":     {"mttr_critical_hours > 4", Day, Critical},
		"DORA_ScanTimeRegression":     {"change_pct(scan_duration_p95_seconds, 7d) > 20", Day, Warning},
	}
	if len(rules) != len(want) {
		t.Fatalf("%d default rules, want %d", len(rules), len(want))
	}
	for _, r := range rules {
		w, ok := want[r.Name]
		if !ok || r.Cond.String() != w.cond || r.For != w.for_ || r.Window != w.for_ || r.Severity != w.severity {
			t.Errorf("default rule %s: %s for %v window %v %s", r.Name, r.Cond, r.For, r.Window, r.Severity)
		}
	}
}

func TestCompileDefaultsAndErrors(t *testing.T) {
	rule := func(name, cond, window, for_, sev string) config.AlertRule {
		r := config.AlertRule{Name: name, Condition: cond, Severity: sev, File: "rules.yml", Line: 10, CondAt: config.Pos{Line: 11, Column: 16}}
		if window != "" {
			d, _ := config.ParseDuration(window)
			r.Window = d
		}
		if for_ != "" {
			d, _ := config.ParseDuration(for_)
			r.For = d
		}
		return r
	}
	rules, err := Compile([]config.AlertRule{rule("A", "open_critical > 0", "", "36h", "")})
	if err != nil {
		t.Fatal(err)
	}
	r := rules[0]
	if r.Window != 36*time.Hour || r.Severity != Warning || r.Message != "open_critical > 0 for 36h" || r.Points() != 2 {
		t.Errorf("defaults: window %v severity %s message %q points %d", r.Window, r.Severity, r.Message, r.Points())
	}

	for _, tc := range []struct {
		name  string
		rules []config.AlertRule
		want  []string // one line each
	}{
		{"unknown metric", []config.AlertRule{rule("A", "open_crit > 0", "", "1d", "")},
			[]string{`rules.yml: line 11: alert A: condition "open_crit > 0", column 1: unknown metric "open_crit"`}},
		{"bad operator", []config.AlertRule{rule("A", "open_critical >> 0", "", "1d", "")},
			[]string{`rules.yml: line 11: alert A: condition "open_critical >> 0", column 15: bad operator ">>"`}},
		{"missing for", []config.AlertRule{rule("A", "open_critical > 0", "", "", "")},
			[]string{"rules.yml: line 10: alert A: for is missing"}},
		{"missing condition", []config.AlertRule{rule("A", " ", "", "1d", "")},
			[]string{"rules.yml: line 10: alert A: condition is missing"}},
		{"bad severity", []config.AlertRule{rule("A", "open_critical > 0", "", "1d", "high")},
			[]string{`rules.yml: line 10: alert A: severity "high" is not one of info, warning, critical`}},
		{"no name", []config.AlertRule{rule("", "open_critical > 0", "", "1d", "")},
			[]string{"rules.yml: line 10: alert rule: name is missing"}},
		{"duplicate", []config.AlertRule{rule("A", "open_critical > 0", "", "1d", ""), rule("A", "open_high > 0", "", "1d", "")},
			[]string{"rules.yml: line 10: alert A: another rule of this name is at line 10"}},
		{"one line for a rule with two mistakes", []config.AlertRule{rule("A", "x > 0", "", "", "")},
			[]string{"alert A: condition"}},
		{"one line per bad rule", []config.AlertRule{rule("A", "x > 0", "", "1d", ""), rule("B", "open_high > 0", "", "1d", ""), rule("C", "open_high > 0", "", "", "")},
			[]string{"alert A: condition", "alert C: for is missing"}},
	} {
		_, err := Compile(tc.rules)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		lines := strings.Split(err.Error(), "\n")
		if len(lines) != len(tc.want) {
			t.Errorf("%s: %d lines, want %d: %v", tc.name, len(lines), len(tc.want), err)
			continue
		}
		for i, w := range tc.want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("%s: line %q does not contain %q", tc.name, lines[i], w)
			}
		}
	}
}
