package compute

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/gitdora/gitdora/config"
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

// A period skips the blocks of episodes that ended before it without
// changing a figure or a row: 300 findings that come and go over two
// years (more blocks than one, some ended before each month, some not)
// give every month the same JSON and rows with the blocks skipped (by the
// policy's figures and by the findings open at the end) as with every
// episode looked at.
func TestBlocksSkipNothingThatCounts(t *testing.T) {
	start := time.Date(2024, 1, 3, 10, 0, 0, 0, time.UTC)
	f := comingAndGoing(t, start, false)
	cfg := config.Default()
	cfg.Trunk = "main"
	months := func(h *History) []string {
		var out []string
		for m := range 26 {
			p := monthPeriod(t, start.AddDate(0, m, 0).Format("2006-01"), time.UTC)
			month, x := h.Explained(p)
			b, err := json.Marshal(month)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := json.Marshal(x.lists)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(b)+"\n"+string(rows))
		}
		return out
	}
	h := NewHistory(f, cfg, time.UTC)
	pi := h.security.policy()
	if len(pi.untilMax) < 4 {
		t.Fatalf("%d blocks of episodes, want several", len(pi.untilMax))
	}
	// The last month skips a block, and not all of them.
	last := monthPeriod(t, start.AddDate(0, 25, 0).Format("2006-01"), time.UTC).Start.UnixNano()
	ended := 0
	for _, u := range pi.untilMax {
		if u < last {
			ended++
		}
	}
	if ended == 0 || ended == len(pi.untilMax) {
		t.Fatalf("%d of %d blocks ended before the last month, want some", ended, len(pi.untilMax))
	}
	closed := 0
	for _, end := range h.security.endMax {
		if end < math.MaxInt32 {
			closed++
		}
	}
	if closed == 0 || closed == len(h.security.endMax) {
		t.Fatalf("%d of %d blocks all closed, want some", closed, len(h.security.endMax))
	}
	skipped := months(h)
	for i := range pi.untilMax {
		pi.untilMax[i] = never
	}
	for i := range h.security.endMax {
		h.security.endMax[i] = math.MaxInt32
	}
	if all := months(h); !slices.Equal(skipped, all) {
		for i := range all {
			if skipped[i] != all[i] {
				t.Errorf("month %d differs with blocks skipped:\n%s\nwant\n%s", i, skipped[i], all[i])
				break
			}
		}
	}
}

// comingAndGoing is the facts of 40 scans, 18 days apart from start, of
// up to 300 findings that come and go: finding k is seen from scan k%37
// for 3+k%11 scans, and again from scan 30 on when k is a multiple of 7.
// With suppressed, every ninth finding is suppressed in every fourth scan.
func comingAndGoing(t *testing.T, start time.Time, suppressed bool) *fact.Facts {
	t.Helper()
	var scans []scanOf
	for s := range 40 {
		var results []string
		for k := range 300 {
			from := k % 37
			if s >= from && s < from+3+k%11 || k%7 == 0 && s >= 30 {
				var extra []string
				if suppressed && k%9 == 0 && s%4 == 0 {
					extra = append(extra, `"suppressions":[{"kind":"inSource"}]`)
				}
				results = append(results, result(fmt.Sprintf("f%d.go", k%13), k+1, fmt.Sprintf("bug %d", k), extra...))
			}
		}
		scans = append(scans, scanOf{at: start.Add(time.Duration(s) * 18 * 24 * time.Hour).Format(time.RFC3339), log: sarifLog("t", results...)})
	}
	return factsOf(t, scans...)
}

// `gitdora compute` prints the figures of Metrics, which makes no Detail:
// over two years of findings that come and go (comingAndGoing: many past
// their SLA, some suppressed) and deployments, every month's JSON is that
// of Period, whose Detail the reports show.
func TestMetricsArePeriodFigures(t *testing.T) {
	start := time.Date(2024, 1, 3, 10, 0, 0, 0, time.UTC)
	f := comingAndGoing(t, start, true)
	for d := range 40 {
		f.Deployments = append(f.Deployments, fact.Deployment{ID: fmt.Sprint(d), Time: start.Add(time.Duration(d) * 17 * 24 * time.Hour),
			Environment: "production", Production: true, Status: fact.StatusSuccess})
	}
	cfg := config.Default()
	cfg.Trunk = "main"
	h := NewHistory(f, cfg, time.UTC)
	breaches := 0
	for m := range 24 {
		p := monthPeriod(t, start.AddDate(0, m, 0).Format("2006-01"), time.UTC)
		full, bare := h.Period(p), h.Metrics(p)
		if full.Detail.Policy != nil {
			breaches += len(full.Detail.Policy.Breaches)
		}
		a, err1 := json.Marshal(full)
		b, err2 := json.Marshal(bare)
		if err := errors.Join(err1, err2); err != nil {
			t.Fatal(err)
		}
		if string(a) != string(b) {
			t.Errorf("%s: Metrics\n%s\nwant Period's\n%s", p.Name, b, a)
		}
	}
	if breaches == 0 {
		t.Error("no finding past its SLA: the months test nothing of the policy's detail")
	}
}
