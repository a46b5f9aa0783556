package config

import (
	"strings"
	"testing"
	"time"
)

func TestParseRulesShapesAndPositions(t *testing.T) {
	const withKey = `# rules
alerts:
  - name: Slow
    condition: lead_time_p50_hours > 1
    for: 3d
    severity: warning
  - name: "Quoted"
    condition: "change_pct(scan_duration_p95_seconds, 7d) > 20"
    window: 12h
    for: 24h
`
	const bare = `- name: Slow
  condition: lead_time_p50_hours > 1
  for: 1w
`
	rules, err := ParseRules([]byte(withKey), "r.yml")
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 2 {
		t.Fatalf("got %d rules, want 2", len(rules))
	}
	r := rules[0]
	if r.Name != "Slow" || r.File != "r.yml" || r.Line != 3 || r.CondAt != (Pos{4, 16}) || r.For.D() != 72*time.Hour || r.Window != 0 {
		t.Errorf("rule 0 = %+v", r)
	}
	r = rules[1]
	// A quoted condition starts one column after its quote.
	if r.Line != 7 || r.CondAt != (Pos{8, 17}) || r.Window.D() != 12*time.Hour || r.For.D() != 24*time.Hour {
		t.Errorf("rule 1 = %+v", r)
	}

	rules, err = ParseRules([]byte(bare), "bare.yml")
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 1 || rules[0].Line != 1 || rules[0].CondAt != (Pos{2, 14}) || rules[0].For.D() != 7*24*time.Hour {
		t.Errorf("bare list: %+v", rules)
	}

	// A whole gitdora.yml is a rules file too.
	rules, err = ParseRules(DefaultYAML, "gitdora.yml")
	if err != nil || len(rules) != 6 {
		t.Fatalf("gitdora.yml as rules: %d rules, %v", len(rules), err)
	}
	// An empty alerts list is no rules, not an error.
	if rules, err := ParseRules([]byte("alerts: []\n"), "e.yml"); err != nil || len(rules) != 0 {
		t.Errorf("alerts: []: %v, %v", rules, err)
	}
}

func TestParseRulesErrorsNameRuleAndLine(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"bad duration", "alerts:\n  - name: A\n    condition: x < 1\n    for: 7x\n",
			[]string{"r.yml: line 4: alert A: for: \"7x\" is not a duration"}},
		{"bad window", "alerts:\n  - condition: x < 1\n    window: soon\n    name: B\n",
			[]string{"r.yml: line 3: alert B: window:"}},
		{"unknown key", "alerts:\n  - name: A\n    condtion: x < 1\n",
			[]string{"r.yml: line 3: alert A: unknown key \"condtion\""}},
		{"list as value", "- name: A\n  for: [7d]\n",
			[]string{"r.yml: line 2: alert A: for: want a single value"}},
		{"rule not a mapping", "alerts:\n  - just text\n",
			[]string{"r.yml: line 2: an alert rule is a mapping"}},
		{"syntax error names the rule", "alerts:\n  - name: A\n    condition: x < 1\n    for: 1d\n  - name: B\n    condition: \"y > 2\n    for: 7d\n",
			[]string{"r.yml: line 6:", "in alert B, which starts at line 5"}},
		{"syntax error, mapping in value", "alerts:\n  - name: A\n    condition: x: 1\n",
			[]string{"r.yml: line 3:", "in alert A, which starts at line 2"}},
		{"no alerts key", "targets: {}\n", []string{"r.yml: line 1: no alerts: key"}},
		{"alerts not a list", "alerts: 3\n", []string{"r.yml: line 1: want a list of alert rules"}},
		{"empty", "", []string{"r.yml: the file is empty"}},
	} {
		_, err := ParseRules([]byte(tc.src), "r.yml")
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not contain %q", tc.name, err, w)
			}
		}
		if strings.Count(err.Error(), "\n") != 0 {
			t.Errorf("%s: error is not one line: %q", tc.name, err)
		}
	}
}

func TestConfigAlertsKeepTheirFile(t *testing.T) {
	def := Default()
	if len(def.Alerts) != 6 || def.Alerts[0].File != "gitdora.yml (built in)" || def.Alerts[0].Line == 0 {
		t.Fatalf("default alerts: %+v", def.Alerts)
	}
	// A gitdora.yml without alerts: keeps the built-in rules, and their file.
	c, err := Parse([]byte("trunk: develop\n"), "dora-data:gitdora.yml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Alerts[0].File != "gitdora.yml (built in)" {
		t.Errorf("default rule attributed to %q", c.Alerts[0].File)
	}
	// One with alerts: replaces them, and its rules carry its name.
	c, err = Parse([]byte("alerts:\n  - name: Only\n    condition: open_critical > 0\n    for: 1d\n"), "dora-data:gitdora.yml")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Alerts) != 1 || c.Alerts[0].File != "dora-data:gitdora.yml" || c.Alerts[0].Line != 2 {
		t.Errorf("alerts: %+v", c.Alerts)
	}
	// A bad rule in gitdora.yml is reported with the rule's name.
	_, err = Parse([]byte("alerts:\n  - name: Bad\n    condition: open_critical > 0\n    for: 7x\n"), "dora-data:gitdora.yml")
	if err == nil || !strings.Contains(err.Error(), "dora-data:gitdora.yml: line 4: alert Bad: for:") {
		t.Errorf("bad for in gitdora.yml: %v", err)
	}
	// A syntax error too.
	_, err = Parse([]byte("alerts:\n  - name: Bad\n    condition: \"open_critical > 0\n"), "g.yml")
	if err == nil || !strings.Contains(err.Error(), "in alert Bad") {
		t.Errorf("syntax error in gitdora.yml: %v", err)
	}
}

// FuzzParseRules: a rules file is untrusted input; whatever it holds,
// ParseRules returns rules or an error, and never panics.
func FuzzParseRules(f *testing.F) {
	f.Add(DefaultYAML)
	f.Add([]byte("- name: A\n  condition: x < 1\n  for: 7d\n"))
	f.Add([]byte("alerts:\n  - name: A\n    condition: \"y > 2\n"))
	f.Add([]byte("alerts: &a\n  - *a\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rules, err := ParseRules(b, "f.yml")
		if err == nil {
			for _, r := range rules {
				if r.File != "f.yml" || r.Line < 1 {
					t.Fatalf("rule without position: %+v", r)
				}
			}
		}
	})
}
