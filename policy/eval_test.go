package policy

import (
	"reflect"
	"testing"
	"time"
)

const exemptionsYAML = `policy:
  exemptions:
    paths: ["tests/**", "**/vendor/**"]
    findings:
      - rule_id: R1
        file: src/cli/*.py
        justification: catch-all for CLI errors
        expires: 2026-06-01
      - rule_id: R2
        tool: semgrep
        fingerprint: fp1
        justification: false positive
        approved_by: security-team
        expires: 2026-01-31
      - rule_id: R2
        justification: whole rule accepted for the year
        expires: 2026-12-31
      - rule_id: R3
        justification: old
        expires: 2025-12-31
      - rule_id: R3
        justification: older
        expires: 2025-06-30
`

func day0(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestExempt(t *testing.T) {
	p, err := Parse(policyNode(t, exemptionsYAML))
	if err != nil {
		t.Fatal(err)
	}
	findings := p.Exemptions.Findings
	// lines of the exemptions, to name them in the table
	byLine := map[int]*FindingExemption{}
	for i := range findings {
		byLine[findings[i].Line] = &findings[i]
	}
	if len(byLine) != 5 || byLine[5] == nil || byLine[9] == nil || byLine[15] == nil || byLine[18] == nil || byLine[21] == nil {
		t.Fatalf("exemption lines: %v", byLine)
	}
	for _, c := range []struct {
		name    string
		f       Finding
		today   string
		path    string // glob of the path exemption, "" for none
		finding int    // line of the finding exemption, 0 for none
		expired int    // line of the expired exemption reported, 0 for none
	}{
		{"path exemption", Finding{RuleID: "R9", File: "tests/unit/a_test.py"}, "2026-01-01", "tests/**", 0, 0},
		{"path exemption at any depth", Finding{RuleID: "R1", File: "src/vendor/lib/x.py"}, "2026-01-01", "**/vendor/**", 0, 0},
		{"path exemption anchored", Finding{RuleID: "R9", File: "src/tests/a.py"}, "2026-01-01", "", 0, 0},
		{"a path exemption wins over an expired one", Finding{RuleID: "R3", File: "tests/x.py"}, "2026-07-01", "tests/**", 0, 0},
		{"rule and file glob", Finding{RuleID: "R1", File: "src/cli/error_handler.py"}, "2026-03-01", "", 5, 0},
		{"last day of validity", Finding{RuleID: "R1", File: "src/cli/error_handler.py"}, "2026-06-01", "", 5, 0},
		{"the day after expiry", Finding{RuleID: "R1", File: "src/cli/error_handler.py"}, "2026-06-02", "", 0, 5},
		{"file glob does not match", Finding{RuleID: "R1", File: "src/cli/sub/x.py"}, "2026-03-01", "", 0, 0},
		{"no file, exemption with file", Finding{RuleID: "R1"}, "2026-03-01", "", 0, 0},
		{"another rule", Finding{RuleID: "R1x", File: "src/cli/error_handler.py"}, "2026-03-01", "", 0, 0},
		{"tool and fingerprint", Finding{Tool: "semgrep", RuleID: "R2", Fingerprint: "fp1"}, "2026-01-31", "", 9, 0},
		{"tool in another case", Finding{Tool: "Semgrep", RuleID: "R2", Fingerprint: "fp1"}, "2026-01-15", "", 9, 0},
		{"first exemption expired, a later one applies", Finding{Tool: "semgrep", RuleID: "R2", Fingerprint: "fp1"}, "2026-02-01", "", 15, 0},
		{"other fingerprint: the broad one", Finding{Tool: "semgrep", RuleID: "R2", Fingerprint: "fp2"}, "2026-01-15", "", 15, 0},
		{"other tool: the broad one", Finding{Tool: "codeql", RuleID: "R2", Fingerprint: "fp1"}, "2026-01-15", "", 15, 0},
		{"all expired: the first is reported", Finding{RuleID: "R2"}, "2027-01-01", "", 0, 15},
		{"two expired: the first in the file", Finding{RuleID: "R3", File: "a.go"}, "2026-01-01", "", 0, 18},
		{"valid on its last day while another expired", Finding{RuleID: "R3"}, "2025-12-31", "", 18, 0},
		{"nothing", Finding{RuleID: "R4", File: "a.go"}, "2026-01-01", "", 0, 0},
	} {
		v := p.Exempt(c.f, day0(c.today))
		gotPath := ""
		if v.Path != nil {
			gotPath = v.Path.Glob.String()
		}
		line := func(e *FindingExemption) int {
			if e == nil {
				return 0
			}
			return e.Line
		}
		if gotPath != c.path || line(v.Finding) != c.finding || line(v.Expired) != c.expired {
			t.Errorf("%s: path %q finding line %d expired line %d, want %q %d %d", c.name, gotPath, line(v.Finding), line(v.Expired), c.path, c.finding, c.expired)
		}
		if v.Exempt() != (c.path != "" || c.finding != 0) {
			t.Errorf("%s: Exempt() = %v", c.name, v.Exempt())
		}
	}
	var nilPolicy *Policy
	if v := nilPolicy.Exempt(Finding{RuleID: "R1"}, day0("2026-01-01")); v.Exempt() || v.Expired != nil {
		t.Errorf("nil policy exempts: %+v", v)
	}
}

func TestExpiry(t *testing.T) {
	p, err := Parse(policyNode(t, exemptionsYAML))
	if err != nil {
		t.Fatal(err)
	}
	e := &p.Exemptions.Findings[0] // expires 2026-06-01
	for _, c := range []struct {
		today   string
		left    int
		expired bool
	}{
		{"2026-05-01", 31, false},
		{"2026-05-02", 30, false}, // expiring soon from here (ExpiringWindow)
		{"2026-05-31", 1, false},
		{"2026-06-01", 0, false}, // its last day
		{"2026-06-02", -1, true},
		{"2027-06-01", -365, true},
	} {
		d := day0(c.today)
		if got := e.DaysLeft(d); got != c.left {
			t.Errorf("%s: DaysLeft %d, want %d", c.today, got, c.left)
		}
		if got := e.Expired(d); got != c.expired {
			t.Errorf("%s: Expired %v, want %v", c.today, got, c.expired)
		}
	}
	lines := func(es []*FindingExemption) []int {
		var out []int
		for _, e := range es {
			out = append(out, e.Line)
		}
		return out
	}
	for today, want := range map[string][]int{
		"2025-06-30": nil,
		"2025-07-01": {21},
		"2026-01-01": {18, 21},
		"2026-02-01": {9, 18, 21},
		"2026-06-02": {5, 9, 18, 21},
		"2027-01-01": {5, 9, 15, 18, 21},
	} {
		if got := lines(p.Expired(day0(today))); !reflect.DeepEqual(got, want) {
			t.Errorf("Expired(%s) = %v, want %v", today, got, want)
		}
	}
	if got := DateOf(time.Date(2026, 6, 1, 23, 30, 0, 0, time.FixedZone("UTC-2", -2*3600))); got != day0("2026-06-02") {
		t.Errorf("DateOf takes the UTC day: %v", got)
	}
}

func TestEvaluate(t *testing.T) {
	p, err := Parse(policyNode(t, exemptionsYAML))
	if err != nil {
		t.Fatal(err)
	}
	var (
		crit      = Finding{Tool: "t", RuleID: "C", File: "src/a.go", Severity: "critical"}
		high      = Finding{Tool: "t", RuleID: "H", File: "src/b.go", Severity: "HIGH"}
		med       = Finding{Tool: "t", RuleID: "M", File: "src/c.go", Severity: "medium"}
		low       = Finding{Tool: "t", RuleID: "L", File: "src/d.go", Severity: "low"}
		info      = Finding{Tool: "t", RuleID: "I", File: "src/e.go", Severity: "info"}
		supp      = Finding{Tool: "t", RuleID: "S", File: "src/f.go", Severity: "critical", Suppressed: true}
		inTests   = Finding{Tool: "t", RuleID: "C", File: "tests/a.go", Severity: "critical"}
		exempt    = Finding{Tool: "t", RuleID: "R1", File: "src/cli/x.py", Severity: "high"}
		expiredEx = Finding{Tool: "t", RuleID: "R3", File: "src/g.go", Severity: "medium"}
		all       = []Finding{crit, high, med, low, info, supp, inTests, exempt, expiredEx}
	)
	today := day0("2026-03-01") // R1's exemption valid, R3's expired
	gate := func(c string) Gate {
		g, err := p.Gate(c)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	for _, c := range []struct {
		name        string
		gate        Gate
		findings    []Finding
		outcome     Outcome
		block, warn []Finding
	}{
		{"pull_request", gate(PullRequest), all, Block, []Finding{crit, high}, []Finding{med, expiredEx}},
		{"main", gate(Main), all, Block, []Finding{crit}, []Finding{high, med, expiredEx}},
		{"pre_commit", gate(PreCommit), all, Warn, nil, []Finding{crit}},
		{"pre_commit without critical", gate(PreCommit), []Finding{high, med, low, info}, Pass, nil, nil},
		{"pull_request, only low and info", gate(PullRequest), []Finding{low, info}, Pass, nil, nil},
		{"pull_request, only exempt and suppressed", gate(PullRequest), []Finding{supp, inTests, exempt}, Pass, nil, nil},
		{"--fail-on low overrides block_on", Gate{BlockOn: []string{"low"}, WarnOn: gate(PullRequest).WarnOn}, all, Block, []Finding{low}, []Finding{med, expiredEx}},
		{"no findings", gate(Main), nil, Pass, nil, nil},
	} {
		r := p.Evaluate(c.gate, c.findings, today)
		if r.Outcome != c.outcome || !reflect.DeepEqual(r.Block, c.block) || !reflect.DeepEqual(r.Warn, c.warn) {
			t.Errorf("%s: %s block %v warn %v, want %s %v %v", c.name, r.Outcome, r.Block, r.Warn, c.outcome, c.block, c.warn)
		}
	}
	r := p.Evaluate(gate(PullRequest), all, today)
	if !reflect.DeepEqual(r.Suppressed, []Finding{supp}) {
		t.Errorf("suppressed %v", r.Suppressed)
	}
	if len(r.Exempt) != 2 || r.Exempt[0].Finding != inTests || r.Exempt[0].Verdict.Path == nil ||
		r.Exempt[1].Finding != exempt || r.Exempt[1].Verdict.Finding == nil || r.Exempt[1].Verdict.Finding.Line != 5 {
		t.Errorf("exempt %+v", r.Exempt)
	}
	if len(r.ExpiredMatches) != 1 || r.ExpiredMatches[0].Finding != expiredEx || r.ExpiredMatches[0].Verdict.Expired.Line != 18 {
		t.Errorf("expired matches %+v", r.ExpiredMatches)
	}
	if len(r.Expired) != 3 || r.Expired[0].Line != 9 {
		t.Errorf("expired exemptions %+v, want lines 9, 18, 21", r.Expired)
	}
}

func TestSLA(t *testing.T) {
	at := func(s string) time.Time {
		x, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	def := Default().SLA
	custom := SLA{"critical": 12 * time.Hour} // others fall back on the defaults
	for _, c := range []struct {
		name  string
		sla   SLA
		sev   string
		first string
		due   string // "" for none
	}{
		{"critical 7d", def, "critical", "2026-01-01T10:00:00Z", "2026-01-08T10:00:00Z"},
		{"high 30d over February", def, "high", "2026-01-31T00:00:00Z", "2026-03-02T00:00:00Z"},
		{"medium 90d", def, "Medium", "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z"},
		{"low 180d", def, "low", "2026-01-01T00:00:00Z", "2026-06-30T00:00:00Z"},
		{"info has none", def, "info", "2026-01-01T00:00:00Z", ""},
		{"unknown has none", def, "severe", "2026-01-01T00:00:00Z", ""},
		{"custom 12h", custom, "critical", "2026-01-01T20:00:00Z", "2026-01-02T08:00:00Z"},
		{"custom falls back", custom, "high", "2026-01-01T00:00:00Z", "2026-01-31T00:00:00Z"},
		{"nil SLA is the default", nil, "critical", "2026-01-01T00:00:00Z", "2026-01-08T00:00:00Z"},
	} {
		due, ok := c.sla.Due(c.sev, at(c.first))
		if c.due == "" {
			if ok {
				t.Errorf("%s: due %v, want none", c.name, due)
			}
			continue
		}
		if !ok || !due.Equal(at(c.due)) {
			t.Errorf("%s: due %v %v, want %s", c.name, due, ok, c.due)
		}
	}
	first := at("2026-01-01T10:00:00Z") // critical: due 2026-01-08T10:00:00Z
	var open time.Time
	for _, c := range []struct {
		name      string
		sev       string
		fixed, at string
		breached  bool
	}{
		{"open before due", "critical", "", "2026-01-08T09:59:59Z", false},
		{"open at the due time", "critical", "", "2026-01-08T10:00:00Z", false},
		{"open past due", "critical", "", "2026-01-08T10:00:01Z", true},
		{"fixed at the due time", "critical", "2026-01-08T10:00:00Z", "2026-02-01T00:00:00Z", false},
		{"fixed a second late", "critical", "2026-01-08T10:00:01Z", "2026-02-01T00:00:00Z", true},
		{"fixed after at: open at at, not yet due", "critical", "2026-02-01T00:00:00Z", "2026-01-05T00:00:00Z", false},
		{"fixed after at: open at at, past due", "critical", "2026-02-01T00:00:00Z", "2026-01-20T00:00:00Z", true},
		{"info never breaches", "info", "", "2030-01-01T00:00:00Z", false},
	} {
		fixed := open
		if c.fixed != "" {
			fixed = at(c.fixed)
		}
		if got := def.Breached(c.sev, first, fixed, at(c.at)); got != c.breached {
			t.Errorf("%s: Breached %v, want %v", c.name, got, c.breached)
		}
	}
}
