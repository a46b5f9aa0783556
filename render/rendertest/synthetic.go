package rendertest

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/fact"
)

// Synthetic returns n computed months ending with 2026-03, with Details of
// the size a large repository gives (hundreds of changes and thousands of
// open findings a month), from a fixed seed.
func Synthetic(n, changesPerMonth, openPerMonth int) []compute.Month {
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]compute.Month, 0, n)
	end := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		start := end.AddDate(0, i-n+1, 0)
		m := month(start.Format("2006-01"), i%12, "")
		d := m.Detail
		d.LeadTimeHours = make([]float64, changesPerMonth)
		for j := range d.LeadTimeHours {
			d.LeadTimeHours[j] = rng.ExpFloat64() * 20
		}
		d.Weeks = nil
		for w := 0; w < 5; w++ {
			d.Weeks = append(d.Weeks, compute.WeekCFR{Start: start.AddDate(0, 0, 7*w), Deployments: 30 + rng.IntN(10), Failed: rng.IntN(3)})
		}
		d.OpenFindings = make([]compute.OpenFinding, openPerMonth)
		// As compute lists them: oldest first, without info findings.
		sev := []fact.Severity{"critical", "high", "medium", "low"}
		for j := range d.OpenFindings {
			age := rng.ExpFloat64() * 400
			d.OpenFindings[j] = compute.OpenFinding{
				Tool: []string{"codeql", "semgrep", "trivy"}[j%3], RuleID: fmt.Sprintf("rule-%d", j%97), Severity: sev[j%4],
				URI: fmt.Sprintf("src/pkg%d/file%d.go", j%41, j%13), Message: "Synthetic finding message for the benchmark",
				FirstSeen: start.Add(-time.Duration(age) * time.Hour), AgeHours: age,
			}
		}
		slices.SortStableFunc(d.OpenFindings, func(a, b compute.OpenFinding) int { return cmp.Compare(b.AgeHours, a.AgeHours) })
		d.Incidents = nil
		for j := 0; j < 5; j++ {
			r := start.AddDate(0, 0, 3*j+1)
			d.Incidents = append(d.Incidents, compute.IncidentRow{ID: fmt.Sprintf("INC-%d-%d", i, j), Severity: "high", Category: "reliability", Title: "Synthetic incident", Opened: start.AddDate(0, 0, 3*j), Resolved: &r, DeploymentID: "d", Attribution: "time"})
		}
		out = append(out, m)
	}
	return out
}

// SyntheticFacts returns facts over n months ending with March 2026:
// deployments production deployments (each shipping three changes), an
// incident for every 30th, and scans of three tools whose results add up
// to findings rows, most of them the same findings seen scan after scan.
func SyntheticFacts(n, deployments, findings int) *fact.Facts {
	rng := rand.New(rand.NewPCG(3, 4))
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1-n, 0)
	span := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC).Sub(start)
	f := &fact.Facts{CodeLOC: 120_000, DataCommit: "0123456789abcdef0123456789abcdef01234567"}
	for i := 0; i < deployments; i++ {
		at := start.Add(time.Duration(float64(span) * float64(i) / float64(deployments)))
		id := fmt.Sprintf("d%05d", i)
		scan := 60 + rng.Float64()*240
		status := fact.StatusSuccess
		if i%25 == 0 {
			status = fact.StatusBlocked
		}
		f.Deployments = append(f.Deployments, fact.Deployment{
			ID: id, Time: at, SHA: fmt.Sprintf("%040x", i), Environment: "production", Status: status,
			ScanSeconds: &scan, ScanSecondsFrom: "event", Source: fact.SourceEvents, Production: true, Changes: 3, Baseline: i > 0,
		})
		if status != "success" {
			continue
		}
		for c := 0; c < 3; c++ {
			lt := time.Duration(rng.ExpFloat64()*6*float64(time.Hour)) + time.Minute
			f.Changes = append(f.Changes, fact.Change{
				SHA: fmt.Sprintf("%038x%02d", i, c), DeploymentID: id, Author: "Dev <dev@example.com>", Subject: "Change",
				Authored: at.Add(-lt), Committed: at.Add(-lt), LeadTime: lt, Counted: fact.CountedYes,
			})
		}
		if i%30 == 7 {
			r := at.Add(time.Duration(1+rng.IntN(20)) * time.Hour)
			f.Incidents = append(f.Incidents, fact.Incident{ID: "inc-" + id, Opened: at.Add(time.Hour), Resolved: &r, Severity: "high",
				Category: "reliability", Environment: "production", Production: true, DeploymentID: id, Attribution: fact.AttrDeployment})
		}
	}
	tools := []string{"codeql", "semgrep", "trivy"}
	perScan := 35
	scans := findings / perScan
	for s := 0; s < scans; s++ {
		at := start.Add(time.Duration(float64(span) * float64(s) / float64(scans)))
		tool := tools[s%3]
		dur := 100 + rng.Float64()*300
		id := fmt.Sprintf("scans/%s/%d.sarif#0", tool, s)
		set := &fact.FindingSet{}
		base := s / 3 / 4 // the set of findings drifts slowly: a few new, a few fixed per scan
		for k := 0; k < perScan; k++ {
			n := base + k
			c := &fact.Class{Tool: tool, RuleID: fmt.Sprintf("rule-%d", n%97), Severity: []fact.Severity{"critical", "high", "medium", "low"}[n%4]}
			x := fact.NewFinding(c, fmt.Sprintf("fp-%d", n), fmt.Sprintf("src/f%d.go", n%300), int32(n%500), "Synthetic finding")
			x.Suppressed = n%17 == 0
			if x.Suppressed {
				set.Suppressed++
			}
			set.List = append(set.List, x)
		}
		f.Scans = append(f.Scans, fact.Scan{ID: id, Tool: tool, Commit: fmt.Sprintf("%040x", s), Ref: "main", Time: at, Duration: &dur, Type: fact.ScanFull,
			Results: perScan, File: id, Set: set})
	}
	return f
}
