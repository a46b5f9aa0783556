package owasp_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/collect/sarif"
	"github.com/gitdora/gitdora/internal/owasp"
)

// TestSARIFForms reads CWEs in the forms scanners write them through
// collect/sarif, then maps what it gives.
func TestSARIFForms(t *testing.T) {
	doc := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T","rules":[
		{"id":"r1","properties":{"tags":["security","CWE-79"]}},
		{"id":"r2","properties":{"tags":["external/cwe/cwe-079"]}},
		{"id":"r3","properties":{"tags":["CWE-284: Improper Access Control"]}},
		{"id":"r4","properties":{"tags":["cwe-259"]}},
		{"id":"r5","relationships":[{"target":{"id":"918","toolComponent":{"name":"CWE"}}}]},
		{"id":"r6","properties":{"tags":["security"]}}]}},
		"results":[{"ruleId":"r1"},{"ruleId":"r2"},{"ruleId":"r3"},{"ruleId":"r4"},{"ruleId":"r5"},{"ruleId":"r6"}]}]}`
	want := []struct {
		cwe        string
		a2021, a25 []string
	}{
		{"CWE-79", []string{"A03"}, []string{"A05"}},
		{"CWE-79", []string{"A03"}, []string{"A05"}},
		{"CWE-284", []string{"A01"}, []string{"A01"}},
		{"CWE-259", []string{"A02", "A07"}, []string{"A07"}},
		{"CWE-918", []string{"A10"}, []string{"A01"}},
		{"", nil, nil},
	}
	var results []sarif.Result
	_, err := sarif.Read(strings.NewReader(doc), sarif.Options{}, func(r *sarif.Run) error {
		results = append(results, r.Results...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != len(want) {
		t.Fatalf("%d results", len(results))
	}
	ids := func(cs []owasp.Category) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	for i, w := range want {
		r := results[i]
		if r.CWE != w.cwe {
			t.Errorf("%s: CWE %q, want %q", r.RuleID, r.CWE, w.cwe)
		}
		n, ok := owasp.ParseCWE(r.CWE)
		if ok != (w.cwe != "") {
			t.Errorf("%s: ParseCWE(%q) = %d, %v", r.RuleID, r.CWE, n, ok)
		}
		if got := ids(owasp.Categories(owasp.Edition2021, n)); !slices.Equal(got, w.a2021) {
			t.Errorf("%s: 2021 %q, want %q", r.RuleID, got, w.a2021)
		}
		if got := ids(owasp.Categories(owasp.Edition2025, n)); !slices.Equal(got, w.a25) {
			t.Errorf("%s: 2025 %q, want %q", r.RuleID, got, w.a25)
		}
	}
}
