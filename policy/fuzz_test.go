package policy

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/gitdora/gitdora/internal/yamledit"
	"go.yaml.in/yaml/v3"
)

// FuzzParse checks that no YAML makes Parse panic, that an error names a
// line, and that an accepted policy holds only what Parse promises and
// evaluates without panicking.
func FuzzParse(f *testing.F) {
	f.Add(specExample, "src/cli/error_handler.py", "python.lang.security.audit.generic-exception-handler")
	f.Add(exemptionsYAML, "tests/a.py", "R2")
	f.Add("policy: &p {gates: *p}\n", "a", "r")
	f.Add("policy:\n  gates: {main: {block_on: &l [high], warn_on: *l}}\n", "a", "r")
	f.Add("policy: {sla: {low: 1.5w}, exemptions: {paths: ['**/x/**'], findings: [{rule_id: r, justification: j, expires: 2026-02-28}]}}\n", "x/y", "r")
	f.Fuzz(func(t *testing.T, text, file, rule string) {
		var doc yaml.Node
		if yaml.Unmarshal([]byte(text), &doc) != nil {
			return
		}
		var n *yaml.Node
		if m := yamledit.Deref(&doc); m != nil && m.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(m.Content); i += 2 {
				if m.Content[i].Value == "policy" {
					n = m.Content[i+1]
				}
			}
		}
		p, err := Parse(n)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Line < 1 || e.Key == "" {
				t.Fatalf("error %v: want an *Error with a line and a key", err)
			}
			return
		}
		for _, c := range Contexts() {
			g, err := p.Gate(c)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range append(slices.Clone(g.BlockOn), g.WarnOn...) {
				if !slices.Contains(Severities(), s) {
					t.Fatalf("gate %s: severity %q", c, s)
				}
			}
			for _, s := range g.WarnOn {
				if slices.Contains(g.BlockOn, s) {
					t.Fatalf("gate %s: %s both blocks and warns", c, s)
				}
			}
		}
		for _, s := range Severities() {
			if d, ok := p.SLA.Allowed(s); !ok || d <= 0 || d > MaxSLA {
				t.Fatalf("sla %s: %v", s, d)
			}
		}
		for _, e := range p.Exemptions.Findings {
			if e.RuleID == "" || e.Justification == "" || e.Expires.IsZero() || e.Line < 1 {
				t.Fatalf("exemption %+v", e)
			}
		}
		today := Date{2026, time.March, 1}
		fs := []Finding{{RuleID: rule, File: file, Severity: "high"}, {RuleID: rule, Severity: "critical", Fingerprint: file}}
		r := p.Evaluate(p.Gates[Main], fs, today)
		if n := len(r.Block) + len(r.Warn) + len(r.Exempt) + len(r.Suppressed); n > len(fs) {
			t.Fatalf("%d findings listed of %d", n, len(fs))
		}
		p.SLA.Breached("high", time.Unix(0, 0), time.Time{}, time.Now())
	})
}
