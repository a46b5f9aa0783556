package main

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gitdora/gitdora/collect/ci"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/ingest"
	"github.com/gitdora/gitdora/internal/esc"
)

// IngestSarifCmd is `gitdora ingest sarif`.
type IngestSarifCmd struct {
	Files    []string `arg:"" name:"FILE" help:"SARIF 2.1.0 files, optionally gzipped."`
	SHA      string   `default:"HEAD" help:"Commit the scan ran on."`
	Ref      string   `help:"Branch or ref scanned (default: the branch checked out in --repo; with a detached HEAD, $GITHUB_REF_NAME)."`
	At       string   `placeholder:"RFC3339" help:"Scan time when the SARIF has no invocation end time."`
	ScanType string   `default:"full" enum:"full,incremental" help:"full or incremental."`
	pushFlags
}

// Help shows an example.
func (c *IngestSarifCmd) Help() string {
	return "Example:\n  gitdora ingest sarif semgrep.sarif codeql.sarif.gz --sha $GITHUB_SHA --ref main --push"
}

// Run checks every file, then stores them all in one commit.
func (c *IngestSarifCmd) Run(g *Globals) error {
	store, err := data.Open(g.Repo, g.Data)
	if err != nil {
		return err
	}
	sc := ingest.Scan{At: c.At, ScanType: fact.ScanType(c.ScanType), Ref: c.Ref, Now: data.Now()}
	repo, repoErr := g.codeRepo(store) // nil when not a repository: Commit says what that allows
	var known bool
	if sc.SHA, sc.CommitTime, known, err = ingest.Commit(repo, g.Repo, c.SHA); err != nil {
		return err
	}
	if !known {
		g.Log.Warn(fmt.Sprintf("--sha %s is not a commit of %s; the scan is stored for it anyway", sc.SHA, g.Repo))
	}
	if sc.Ref == "" {
		if repo == nil {
			return repoErr
		}
		if sc.Ref, err = ingest.Branch(repo, os.Getenv); err != nil {
			return err
		}
	}
	if err := sc.Check(); err != nil { // before any file is read
		return err
	}
	// SARIF paths are relative to the top of the work tree, also when
	// --repo names a subdirectory of it.
	if sc.Root = data.WorkTree(cmp.Or(g.Repo, ".")); sc.Root == "" {
		if abs, err := filepath.Abs(g.Repo); err == nil {
			sc.Root = abs
		}
	}
	cfg, err := store.Config(g.Config)
	if err != nil {
		return err
	}
	sc.NoRaw = !cfg.Scans.KeepRaw
	files, err := ingest.ReadSARIFFiles(c.Files, cfg.Limits, sc.Root)
	if err != nil {
		return err
	}
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	for _, f := range files {
		for _, n := range f.Notes {
			g.Log.Warn(fmt.Sprintf("%s: %s", f.Name, n))
		}
	}
	var outcomes []ingest.Outcome
	msg := fmt.Sprintf("ingest sarif: %d file(s) of %s (%s)", len(files), short(sc.SHA), sc.Ref)
	_, err = g.write(store, msg, c.pushFlags, func(tx *data.Tx) error {
		var err error
		outcomes, err = ingest.StageSARIF(tx, files, sc)
		return err
	})
	if err != nil {
		return err
	}
	report(g, outcomes)
	return nil
}

// report prints what became of each input.
func report(g *Globals, outcomes []ingest.Outcome) {
	for _, o := range outcomes {
		for _, n := range o.Notes {
			g.Log.Warn(fmt.Sprintf("%s: %s", o.Name, n))
		}
		if !g.Quiet {
			fmt.Fprintf(g.Stdout, "%s: %s (%s)\n", esc.Line(data.OneLine(o.Name, 1000)), esc.Line(o.What), esc.Line(o.Path))
		}
	}
}

// IngestCICmd is `gitdora ingest ci`.
type IngestCICmd struct {
	Files []string `arg:"" name:"FILE" help:"GitHub Actions run JSON with its jobs (gh api output)."`
	pushFlags
}

// Help shows an example.
func (c *IngestCICmd) Help() string {
	return "Example:\n  gh api repos/OWNER/REPO/actions/runs/$RUN_ID > run.json\n  gh api repos/OWNER/REPO/actions/runs/$RUN_ID/jobs > jobs.json\n  gitdora ingest ci run.json jobs.json --push"
}

// Run checks every file, then stores the runs (with their jobs) in one commit.
func (c *IngestCICmd) Run(g *Globals) error {
	store, err := data.Open(g.Repo, g.Data)
	if err != nil {
		return err
	}
	cfg, err := store.Config(g.Config)
	if err != nil {
		return err
	}
	var runs []ci.Run
	var jobs []ci.Job
	for _, name := range c.Files {
		d, err := ingest.ReadCI(name, cfg.Limits)
		if err != nil {
			return err
		}
		runs = append(runs, d.Runs...)
		jobs = append(jobs, d.Jobs...)
	}
	runs = ci.Attach(runs, jobs)
	ids := make([]string, 0, len(runs))
	for _, r := range runs {
		ids = append(ids, fmt.Sprint(r.ID))
	}
	msg := fmt.Sprintf("ingest ci: run %s", strings.Join(ids, ", "))
	var outcomes []ingest.Outcome
	_, err = g.write(store, msg, c.pushFlags, func(tx *data.Tx) error {
		var err error
		outcomes, err = ingest.StageCI(tx, runs)
		return err
	})
	if err != nil {
		return err
	}
	report(g, outcomes)
	return nil
}
