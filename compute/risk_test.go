package compute

import (
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/policy"
)

// exemptionOf says, for every day, what policy.Exempt says.
func TestExemptionOfAgreesWithPolicy(t *testing.T) {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(`
exemptions:
  paths: ["vendor/**"]
  findings:
    - {rule_id: r1, justification: j, expires: 2026-03-10}
    - {rule_id: r1, file: "src/**", justification: j, expires: 2026-03-20}
    - {rule_id: r2, fingerprint: "fp", justification: j, expires: 2026-03-05}
    - {rule_id: r2, tool: Other, justification: j, expires: 2026-04-01}
`), &n); err != nil {
		t.Fatal(err)
	}
	p, err := policy.Parse(&n)
	if err != nil {
		t.Fatal(err)
	}
	findings := []policy.Finding{
		{Tool: "T", RuleID: "r1", File: "src/a.go"}, {Tool: "T", RuleID: "r1", File: "lib/a.go"}, {Tool: "T", RuleID: "r1"},
		{Tool: "T", RuleID: "r2", File: "a.go", Fingerprint: "fp"}, {Tool: "T", RuleID: "r2", File: "a.go", Fingerprint: "other"},
		{Tool: "T", RuleID: "r3", File: "vendor/x/y.go"}, {Tool: "T", RuleID: "r3", File: "a.go"},
	}
	for _, f := range findings {
		s := exemptionOf(p, f)
		for d := time.Date(2026, 2, 25, 0, 0, 0, 0, time.UTC); d.Before(time.Date(2026, 4, 5, 0, 0, 0, 0, time.UTC)); d = d.AddDate(0, 0, 1) {
			day := policy.DateOf(d)
			v := p.Exempt(f, day)
			if s.on(day) != v.Exempt() {
				t.Errorf("%+v on %s: exemptionOf says %v, policy.Exempt %v", f, day, s.on(day), v.Exempt())
			}
			if named := v.Exempt() || v.Expired != nil; named != s.named() {
				t.Errorf("%+v on %s: named %v, policy.Exempt %+v", f, day, s.named(), v)
			}
		}
	}
}

// A commit is found by its full sha (any case) or an unambiguous
// abbreviation of at least 7 hex digits.
func TestShippingOf(t *testing.T) {
	d1 := fact.Deployment{ID: "D1", Production: true, Status: fact.StatusSuccess, Time: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	d2 := fact.Deployment{ID: "D2", Production: true, Status: fact.StatusSuccess, Time: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}
	staging := fact.Deployment{ID: "S", Production: false, Status: fact.StatusSuccess}
	a, b, c := strings.Repeat("a", 40), "abcdef1"+strings.Repeat("0", 33), "abcdef2"+strings.Repeat("0", 33)
	s := newShipping(&fact.Facts{
		Deployments: []fact.Deployment{d2, d1, staging},
		Changes:     []fact.Change{{SHA: a, DeploymentID: "D1"}, {SHA: b, DeploymentID: "D2"}, {SHA: c, DeploymentID: "D2"}, {SHA: strings.Repeat("f", 40), DeploymentID: "S"}},
	})
	for _, tc := range []struct{ commit, want string }{
		{a, "D1"}, {strings.ToUpper(a), "D1"}, {"aaaaaaa", "D1"}, {"abcdef1", "D2"}, {"abcdef", ""}, {"abcdef", ""},
		{"abcdef" + "0", ""}, {strings.Repeat("f", 40), ""}, {strings.Repeat("b", 40), ""}, {"", ""},
	} {
		got := ""
		if d := s.of(tc.commit); d >= 0 {
			got = s.prod[d].ID
		}
		if got != tc.want {
			t.Errorf("of(%q) = %q, want %q", tc.commit, got, tc.want)
		}
	}
	if len(s.prod) != 2 || s.prod[0].ID != "D1" {
		t.Errorf("production deployments %v: want D1, D2 by time", s.prod)
	}
}
