package config

import (
	"strings"
	"testing"
)

// report.findings is counts unless a file says full; anything else is an
// error that names the file, the key and the values it takes.
func TestReportFindingsSetting(t *testing.T) {
	if d := Default(); d.Report.Findings != "counts" || d.FindingDetails() {
		t.Errorf("default report.findings = %q (details %v), want counts", d.Report.Findings, d.FindingDetails())
	}
	for _, tc := range []struct {
		yaml    string
		details bool
	}{
		{"", false},
		{"report:\n  findings: counts\n", false},
		{"report:\n  findings: full\n", true},
		{"report: {}\n", false},
	} {
		c, err := Parse([]byte(tc.yaml), "x.yml")
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.yaml, err)
		}
		if c.FindingDetails() != tc.details {
			t.Errorf("Parse(%q).FindingDetails() = %v, want %v", tc.yaml, c.FindingDetails(), tc.details)
		}
	}
	for _, in := range []string{"all", "", "Full"} {
		_, err := Parse([]byte("report:\n  findings: \""+in+"\"\n"), "x.yml")
		want := `x.yml: report.findings is "` + in + `", want one of counts, full`
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("report.findings: %q: err = %v, want %q", in, err, want)
		}
	}
}
