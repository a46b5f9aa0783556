package render_test

import (
	"bytes"
	"strings"
	"testing"
)

// policySection is the report's security policy section.
func policySection(t *testing.T, md string) string {
	t.Helper()
	i, j := strings.Index(md, "## Security policy"), strings.Index(md, "## Firing alerts")
	if i < 0 || j < i {
		t.Fatalf("no security policy section before the alerts:\n%s", md)
	}
	return md[i:j]
}

// With report.findings: counts (the default) the policy section names
// no rule or file of a finding or an exemption; with full it does.
func TestPolicySectionFollowsReportFindings(t *testing.T) {
	details := []string{"generic.secrets.gitleaks", "config/dev.env", "go/sql-injection", "go/weak-crypto", "legacy/"}
	for _, full := range []bool{false, true} {
		rep := fixtureReport("")
		rep.FindingDetails = full
		var b bytes.Buffer
		if err := newRenderer(t).Markdown(&b, rep); err != nil {
			t.Fatal(err)
		}
		sec := policySection(t, b.String())
		for _, d := range details {
			if strings.Contains(sec, d) != full {
				t.Errorf("report.findings full=%v: the policy section shows %q: %v", full, d, !full)
			}
		}
		hint := strings.Contains(sec, "The rules and files of the findings past their SLA are not shown: `report.findings: full` in gitdora.yml lists them.")
		if hint == full {
			t.Errorf("report.findings full=%v: the hint to list the findings is shown: %v", full, hint)
		}
		// Counts, exemptions' lines and deployments show either way.
		for _, want := range []string{"| high | 30\u00a0d | 1 | 66.7\u00a0% |", "| gitdora.yml line 52 |", "expired 11 days ago", "| gitdora.yml line 58 |", "ends in 15 days",
			"| deploy-0320 | 2026-03-20 15:00 | 1 | 2 |", "| A03 | Injection | 2 | Software Supply Chain Failures | 0 |", "© OWASP Foundation, CC BY-SA 4.0"} {
			if !strings.Contains(sec, want) {
				t.Errorf("report.findings full=%v: the policy section lacks %q:\n%s", full, want, sec)
			}
		}
		if strings.Contains(sec, "line 64") {
			t.Errorf("an exemption ending in 275 days is listed:\n%s", sec)
		}
	}
}
