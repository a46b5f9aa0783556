package demo

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/gitdora/gitdora/collect/ci"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/ingest"
)

// identity commits the demo's data branch, whatever GIT_COMMITTER_NAME or
// the user's git configuration say, so the data commits, and the site that
// names them, are the same on every machine. It is also set in the example
// repository's configuration, for commands a user tries on it.
var identity = [2]string{"gitdora demo", "demo@gitdora.invalid"}

// Write creates the demo in dir, a folder that does not exist or is
// empty: a git repository with the code history on main and, on the
// dora-data branch, what the team recorded, one commit a month (the
// deployments and incidents recorded, SARIF files and CI runs ingested
// that month), each made with the calls `gitdora record` and
// `gitdora ingest` make. It needs no git binary.
func (p *Plan) Write(dir string) error {
	if err := writeRepo(dir, p.Model); err != nil {
		return err
	}
	r, err := git.PlainOpen(dir)
	if err != nil {
		return err
	}
	cfg, err := r.Config()
	if err != nil {
		return err
	}
	cfg.User.Name, cfg.User.Email = identity[0], identity[1]
	if err := r.SetConfig(cfg); err != nil {
		return err
	}
	store, err := data.Open(dir, "")
	if err != nil {
		return err
	}
	// gitdora init, then the team's own severity overrides.
	if err := update(store, "gitdora init: create the data branch with the default "+data.ConfigFile, p.Start, func(tx *data.Tx) error {
		_, err := tx.WriteDefaultConfig()
		return err
	}); err != nil {
		return err
	}
	if err := update(store, "Configure gitdora: leaked secrets are critical or high; the code base has 85K lines", p.Start.Add(time.Hour), configure); err != nil {
		return err
	}
	if p.Monorepo {
		if err := update(store, "Configure gitdora: the services of the monorepo, and teams from CODEOWNERS", p.Start.Add(2*time.Hour), configureServices); err != nil {
			return err
		}
	}
	items, err := p.items()
	if err != nil {
		return err
	}
	for len(items) > 0 {
		month := monthOf(items[0].at)
		n := 1
		for n < len(items) && monthOf(items[n].at).Equal(month) {
			n++
		}
		batch := items[:n]
		items = items[n:]
		count := map[string]int{}
		for _, it := range batch {
			count[it.what] += max(it.n, 1)
		}
		var parts []string
		for _, w := range []string{"deployment", "incident", "SARIF file", "CI run"} {
			if c := count[w]; c > 0 {
				parts = append(parts, fmt.Sprintf("%d %s%s", c, w, plural(c)))
			}
		}
		msg := fmt.Sprintf("%s: %s", month.Format("January 2006"), strings.Join(parts, ", "))
		if err := update(store, msg, batch[len(batch)-1].at, func(tx *data.Tx) error {
			for _, it := range batch {
				if err := it.stage(tx); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return fmt.Errorf("demo: %s: %w", msg, err)
		}
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// update commits what fn stages on the data branch at time when.
func update(store *data.Store, msg string, when time.Time, fn func(tx *data.Tx) error) error {
	_, err := store.Update(context.Background(), msg, data.WriteOptions{When: when, Name: identity[0], Email: identity[1]}, fn)
	return err
}

// linesOfCode is the size of the code base the demo's team states in
// gitdora.yml (the generated files are stubs): the scan-time budget
// follows from it.
const linesOfCode = 85000

// configure edits gitdora.yml as a team would: the severity overrides of
// the demo's secrets scanner, and the size of the code base.
func configure(tx *data.Tx) error {
	b, err := tx.ReadFile(data.ConfigFile)
	if err != nil {
		return err
	}
	var lines strings.Builder
	lines.WriteString("  overrides:\n")
	for _, o := range severityOverrides {
		fmt.Fprintf(&lines, "    %s: %s\n", o.rule, o.sev)
	}
	for _, e := range [][2]string{{"  overrides: {}\n", lines.String()}, {"  loc: 0\n", fmt.Sprintf("  loc: %d\n", linesOfCode)}} {
		if !bytes.Contains(b, []byte(e[0])) {
			return fmt.Errorf("demo: the default %s has no %q line to change", data.ConfigFile, strings.TrimSpace(e[0]))
		}
		b = bytes.Replace(b, []byte(e[0]), []byte(e[1]), 1)
	}
	return tx.WriteFile(data.ConfigFile, b)
}

// monthOf is the first day of t's month (UTC).
func monthOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// item is one write of a writer: recording an event or ingesting a file.
type item struct {
	at    time.Time
	what  string
	stage func(tx *data.Tx) error
	n     int // how many of what (0: one)
}

// items are every write of the plan, in the order they happen. Inputs
// are checked here, as the commands check them before writing.
func (p *Plan) items() ([]item, error) {
	var out []item
	deployment := func(d data.Deployment) item {
		return item{d.Time.Time, "deployment", func(tx *data.Tx) error {
			_, err := tx.AppendDeployment(d)
			return err
		}, 1}
	}
	run := func(r *Run) error {
		b, err := r.JSON()
		if err != nil {
			return err
		}
		doc, err := ingest.CheckCI(fmt.Sprintf("run-%d.json", r.ID), b)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		runs := ci.Attach(doc.Runs, doc.Jobs)
		out = append(out, item{r.End, "CI run", func(tx *data.Tx) error {
			_, err := ingest.StageCI(tx, runs)
			return err
		}, 1})
		return nil
	}
	for _, pl := range p.Pipelines {
		if pl.Staging != nil {
			out = append(out, deployment(*pl.Staging))
		}
		out = append(out, deployment(pl.Production))
		if err := run(&pl.Run); err != nil {
			return nil, err
		}
	}
	for _, in := range p.Incidents {
		rec := in.Incident
		out = append(out, item{in.Recorded, "incident", func(tx *data.Tx) error {
			_, err := tx.AppendIncident(rec)
			return err
		}, 1})
	}
	for n, night := range p.Nights {
		// The workflow ingests the three files when the scans are done, in
		// one call: the scan time of a file without invocation times is
		// the --at it gives.
		var files []*ingest.SARIF
		for t := range tools {
			b, err := p.SARIF(t, n)
			if err != nil {
				return nil, err
			}
			f, err := ingest.CheckSARIF(fileName(t), b, ciRoot)
			if err != nil {
				return nil, fmt.Errorf("demo: %w", err)
			}
			files = append(files, f)
		}
		at := night.IngestAt()
		sc := ingest.Scan{SHA: night.SHA, CommitTime: p.Model.Commits[p.line[night.Line]].Committer.When, Ref: trunk, At: at.Format(time.RFC3339),
			ScanType: "full", Root: ciRoot, Now: at}
		out = append(out, item{at, "SARIF file", func(tx *data.Tx) error {
			_, err := ingest.StageSARIF(tx, files, sc)
			return err
		}, len(files)})
		if err := run(&night.Run); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].at.Before(out[j].at) })
	return out, nil
}

// fileName is what the workflow calls tool t's SARIF file.
func fileName(t int) string {
	return [...]string{semgrep: "semgrep.sarif", codeql: "codeql.sarif", gitleaks: "gitleaks.sarif"}[t]
}
