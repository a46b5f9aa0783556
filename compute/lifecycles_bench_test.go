package compute

import (
	"fmt"
	"testing"
	"time"

	"github.com/gitdora/gitdora/fact"
)

// BenchmarkLifecyclesWithPullScans builds the lifecycles of a year of
// nightly trunk scans beside ten pull-request scans a day: what the
// trunk's observations cost should not grow with the pull requests'.
func BenchmarkLifecyclesWithPullScans(b *testing.B) {
	f := &fact.Facts{}
	at := time.Date(2025, 1, 1, 2, 0, 0, 0, time.UTC)
	class := &fact.Class{Tool: "semgrep", RuleID: "r", Severity: fact.SeverityHigh}
	set := &fact.FindingSet{List: []fact.Finding{fact.NewFinding(class, "fp", "a.go", 1, "m")}}
	for d := 0; d < 365; d++ {
		t := at.AddDate(0, 0, d)
		f.Scans = append(f.Scans, fact.Scan{ID: fmt.Sprint("t", d), Tool: "semgrep", Ref: "main", Time: t, Type: fact.ScanFull, File: fmt.Sprint("t", d), Results: 1, Set: set})
		for p := 0; p < 10; p++ {
			f.Scans = append(f.Scans, fact.Scan{ID: fmt.Sprint("p", d, p), Tool: "semgrep", Ref: "refs/pull/1/merge", Time: t.Add(time.Hour), Type: fact.ScanFull, File: fmt.Sprint("p", d, p), Results: 1, Set: set})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		lifecycles(f, "main")
	}
}
