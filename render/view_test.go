package render

import (
	"strings"
	"testing"

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
	v := newMonthView(Report{Month: m}, false)
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
