package render

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/render/rendertest"
)

// TestOldestFindingsFollowCompute checks that the table of oldest open
// findings and the advice on open critical findings take compute's order
// (oldest first) as it is, so both name the same finding when ages tie.
func TestOldestFindingsFollowCompute(t *testing.T) {
	m := rendertest.Empty("2026-03")
	m.Vulnerabilities.OpenAtEnd = compute.SeverityCounts{Critical: 2, Low: 1}
	// compute's order: oldest first, equal ages in the order found.
	m.Detail = &compute.Detail{OpenFindings: []compute.OpenFinding{
		{Tool: "b", RuleID: "rule-b", Severity: "critical", URI: "b.go", AgeHours: 100},
		{Tool: "a", RuleID: "rule-a", Severity: "critical", URI: "a.go", AgeHours: 100},
		{Tool: "c", RuleID: "rule-c", Severity: "low", URI: "c.go", AgeHours: 50},
	}}
	v := newMonthView(Report{Month: m, FindingDetails: true})
	var tools []string
	for _, f := range v.Vulns.Oldest {
		tools = append(tools, string(f.Tool))
	}
	if got, want := strings.Join(tools, ","), "b,a,c"; got != want {
		t.Errorf("oldest findings by tool = %s, want %s", got, want)
	}
	var text string
	for _, a := range v.Advice {
		if strings.Contains(string(a.Figure), "open_critical") {
			text = string(a.Text)
		}
	}
	if !strings.Contains(text, "rule-b in b.go") {
		t.Errorf("open critical advice = %q, want it to name rule-b in b.go (the first critical of the table)", text)
	}
}

// Without finding details (report.findings: counts) the view holds no
// rule, file or message of an open finding, whatever template renders
// it: open findings are counted by tool and CWE, the row with the oldest
// finding first, capped at listLimit rows.
func TestOpenFindingsByCategory(t *testing.T) {
	m := rendertest.Empty("2026-03")
	open := []compute.OpenFinding{
		{Tool: "semgrep", RuleID: "r1", Severity: "high", URI: "a.go", Message: "m1", CWE: "CWE-79", AgeHours: 300},
		{Tool: "codeql", RuleID: "r2", Severity: "critical", URI: "b.go", Message: "m2", CWE: "CWE-89", AgeHours: 200},
		{Tool: "semgrep", RuleID: "r3", Severity: "medium", URI: "c.go", Message: "m3", CWE: "CWE-79", AgeHours: 100},
		{Tool: "codeql", RuleID: "r4", Severity: "low", URI: "d.go", Message: "m4", AgeHours: 100},
		{Tool: "semgrep", RuleID: "r5", Severity: "critical", URI: "e.go", Message: "m5", CWE: "CWE-79", AgeHours: 20},
	}
	m.Vulnerabilities.OpenAtEnd = compute.SeverityCounts{Critical: 2, High: 1, Medium: 1, Low: 1}
	m.Detail = &compute.Detail{OpenFindings: open}
	v := newMonthView(Report{Month: m})
	if len(v.Vulns.Oldest) != 0 || v.Vulns.OpenMore != 0 {
		t.Errorf("counts: the view lists %d open findings one by one, want none", len(v.Vulns.Oldest))
	}
	want := []categoryRow{
		{Tool: "semgrep", CWE: "CWE-79", OWASP: "A05:2025 Injection", Critical: 1, High: 1, Medium: 1, Oldest: "12.5\u00a0d", oldest: 300},
		{Tool: "codeql", CWE: "CWE-89", OWASP: "A05:2025 Injection", Critical: 1, Oldest: "8.3\u00a0d", oldest: 200},
		{Tool: "codeql", CWE: na, OWASP: na, Low: 1, Oldest: "4.2\u00a0d", oldest: 100},
	}
	for i := range want {
		want[i].Oldest = strings.ReplaceAll(want[i].Oldest, "\\u00a0", nbsp)
	}
	if got := v.Vulns.Categories; !slices.Equal(got, want) {
		t.Errorf("categories:\n got %+v\nwant %+v", got, want)
	}
	if v.Vulns.OWASP == "" {
		t.Error("OWASP categories shown without their credit line")
	}
	var text string
	for _, a := range v.Advice {
		if strings.Contains(string(a.Figure), "open_critical") {
			text = string(a.Text)
		}
	}
	if !strings.Contains(text, "the oldest for 8.3\u00a0d.") {
		t.Errorf("open critical advice = %q, want the oldest critical's age alone", text)
	}
	for _, f := range open {
		for _, s := range []string{f.RuleID, f.URI, f.Message} {
			if strings.Contains(fmt.Sprintf("%+v", *v), s) {
				t.Errorf("counts: the view holds %q of an open finding", s)
			}
		}
	}
	// Past listLimit rows, the rest is counted.
	many := make([]compute.OpenFinding, listLimit+3)
	for i := range many {
		many[i] = compute.OpenFinding{Tool: fmt.Sprintf("t%02d", i), Severity: "low", AgeHours: float64(100 - i)}
	}
	rows, more := openCategories(many)
	if len(rows) != listLimit || more != 3 || rows[0].Tool != "t00" {
		t.Errorf("%d categories: %d rows (first %s), %d more; want %d, t00, 3", len(many), len(rows), rows[0].Tool, more, listLimit)
	}
}

// TestThresholds checks the benchmark table against docs/metrics.md ("Classification").
func TestThresholds(t *testing.T) {
	for _, tc := range []struct {
		benchmark string
		want      []thresholdRow // lead time, change failure rate, restore
	}{
		{"dora-2023", []thresholdRow{
			{"Lead time for changes (p50)", "< 24 h", "< 168 h", "< 720 h", "≥ 720 h"},
			{"Change failure rate", "≤ 5 %", "≤ 10 %", "≤ 15 %", "> 15 %"},
			{"Time to restore service (p50)", "< 1 h", "< 24 h", "< 168 h", "≥ 168 h"},
		}},
		{"dora-2021", []thresholdRow{
			{"Lead time for changes (p50)", "< 1 h", "< 168 h", "< 4320 h", "≥ 4320 h"},
			{"Change failure rate", "≤ 15 %", "≤ 20 %", "≤ 30 %", "> 30 %"},
			{"Time to restore service (p50)", "< 1 h", "< 24 h", "< 168 h", "≥ 168 h"},
		}},
		{"dora-1999", nil},
	} {
		got := thresholds(tc.benchmark)
		if tc.want == nil {
			if got != nil {
				t.Errorf("%s: thresholds = %v, want none", tc.benchmark, got)
			}
			continue
		}
		if len(got) != 4 {
			t.Fatalf("%s: %d rows, want 4", tc.benchmark, len(got))
		}
		for i, w := range tc.want {
			if got[i+1] != w {
				t.Errorf("%s: row %d = %v, want %v", tc.benchmark, i+1, got[i+1], w)
			}
		}
	}
}

// TestZoneName checks that the period and the method section name the
// time zone alike: by name, or by offset where the name is "Local".
func TestZoneName(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	for _, tc := range []struct {
		loc  *time.Location
		want string
	}{
		{time.UTC, "UTC"},
		{berlin, "Europe/Berlin"},
		{time.FixedZone("Local", 2*3600), "+02:00"},
		{time.FixedZone("", -5*3600), "-05:00"},
	} {
		m := rendertest.Empty("2026-03")
		m.Period.Start = time.Date(2026, 3, 1, 0, 0, 0, 0, tc.loc)
		m.Period.End = m.Period.Start.AddDate(0, 1, 0)
		v := newMonthView(Report{Month: m})
		if v.Method.TZ != tc.want {
			t.Errorf("%v: method TZ = %q, want %q", tc.loc, v.Method.TZ, tc.want)
		}
		if !strings.HasSuffix(v.Period, "times in "+tc.want+")") {
			t.Errorf("%v: period = %q, want it in %s", tc.loc, v.Period, tc.want)
		}
	}
}
