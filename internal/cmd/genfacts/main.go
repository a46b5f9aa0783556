// Command genfacts writes the facts of many generated repositories, as
// gitdora collect --out DIR/NAME writes them, for benchmarks of gitdora
// org --facts: go run ./internal/cmd/genfacts -repos 1000 -out /tmp/facts
//
// Each repository has -deployments successful production deployments over
// -months months ending with -last, each shipping -changes changes with
// lead times from minutes to weeks, and a few incidents (one repository in
// ten records none, so its change failure rate is unknown).
package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/fact"
)

func main() {
	repos := flag.Int("repos", 1000, "repositories")
	months := flag.Int("months", 24, "months of history")
	deployments := flag.Int("deployments", 100, "deployments of each repository")
	changes := flag.Int("changes", 20, "changes of each deployment")
	last := flag.String("last", "2025-12", "the last month (YYYY-MM)")
	seed := flag.Uint64("seed", 1, "seed (same seed, same facts)")
	out := flag.String("out", "", "folder to write DIR/NAME/*.csv into")
	flag.Parse()
	end, err := time.Parse("2006-01", *last)
	if *out == "" || err != nil || *repos < 1 || *months < 1 || *deployments < 1 {
		fmt.Fprintln(os.Stderr, "genfacts: -out DIR, -last YYYY-MM and positive counts are required")
		os.Exit(2)
	}
	end = end.AddDate(0, 1, 0)
	start := end.AddDate(0, -*months, 0)
	for r := 0; r < *repos; r++ {
		if err := writeRepo(filepath.Join(*out, fmt.Sprintf("repo%04d", r)), r, *seed, start, end, *deployments, *changes); err != nil {
			fmt.Fprintln(os.Stderr, "genfacts:", err)
			os.Exit(1)
		}
	}
	fmt.Fprintf(os.Stderr, "genfacts: %d repositories, %d deployments and %d changes in all, %s to %s, in %s\n",
		*repos, *repos**deployments, *repos**deployments**changes, start.Format("2006-01"), end.AddDate(0, 0, -1).Format("2006-01"), *out)
}

func writeRepo(dir string, n int, seed uint64, start, end time.Time, deps, changes int) error {
	rnd := rand.New(rand.NewPCG(seed, uint64(n)))
	span := end.Sub(start)
	var ds []fact.Deployment
	var cs []fact.Change
	var is []fact.Incident
	for k := 0; k < deps; k++ {
		at := start.Add(span * time.Duration(k) / time.Duration(deps)).Add(time.Duration(rnd.IntN(3600)) * time.Second).Truncate(time.Second)
		scan := float64(60 + rnd.IntN(600))
		d := fact.Deployment{ID: fmt.Sprintf("r%d-d%d", n, k), Time: at, SHA: fmt.Sprintf("%040x", uint64(n)<<32|uint64(k)), Environment: "production",
			Status: fact.StatusSuccess, Source: fact.SourceTags, Production: true, Changes: changes, Baseline: k > 0, ScanSeconds: &scan, ScanSecondsFrom: "ci"}
		ds = append(ds, d)
		for c := 0; c < changes; c++ {
			lead := time.Duration(rnd.ExpFloat64()*float64(30*time.Hour)) + time.Minute
			lead = lead.Truncate(time.Second)
			ch := fact.Change{SHA: fmt.Sprintf("%040x", uint64(n)<<40|uint64(k)<<16|uint64(c)), DeploymentID: d.ID, Author: "Ada Lovelace <ada@example.com>",
				Subject: "Fix retry in HTTP client", Authored: at.Add(-lead), Committed: at.Add(-lead / 2), LeadTime: lead, Counted: fact.CountedYes}
			if k == 0 {
				ch.Counted = fact.CountedFirstDeployment
			}
			cs = append(cs, ch)
		}
		if n%10 != 0 && rnd.IntN(8) == 0 {
			resolved := at.Add(time.Duration(1+rnd.IntN(48)) * time.Hour)
			is = append(is, fact.Incident{ID: fmt.Sprintf("r%d-i%d", n, k), Opened: at.Add(time.Hour), Resolved: &resolved, Severity: fact.SeverityHigh,
				Category: fact.CategoryReliability, Environment: "production", Production: true, DeploymentID: d.ID, Attribution: fact.AttrTime})
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, w := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{"deployments.csv", func(w io.Writer) error { return collect.WriteDeploymentsCSV(w, ds) }},
		{"changes.csv", func(w io.Writer) error { return collect.WriteChangesCSV(w, cs) }},
		{"incidents.csv", func(w io.Writer) error { return collect.WriteIncidentsCSV(w, is) }},
	} {
		f, err := os.Create(filepath.Join(dir, w.name))
		if err != nil {
			return err
		}
		if err := w.write(f); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}
