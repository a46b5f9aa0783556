package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gitdora/gitdora/collect/imports"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/ingest"
	"github.com/gitdora/gitdora/internal/esc"
)

// ImportCmd is `gitdora import`.
type ImportCmd struct {
	Source string   `arg:"" name:"SOURCE" enum:"github-deployments,github-releases,github-pulls,gitlab-pipelines,gitlab-deployments,gitlab-merge-requests,gitlab-incidents,pagerduty,opsgenie" help:"What the files are: github-deployments, github-releases, github-pulls, gitlab-pipelines, gitlab-deployments, gitlab-merge-requests, gitlab-incidents, pagerduty or opsgenie."`
	Files  []string `arg:"" name:"FILE" help:"API responses or webhook payloads, as gh api, glab api, curl or a webhook relay saved them (docs/import.md)."`
	Pull   int64    `placeholder:"N" help:"The pull request number (GitLab: merge request iid) that files of pull commits or timeline events belong to: they do not say."`
	pushFlags
}

// Help shows examples.
func (c *ImportCmd) Help() string {
	return "Maps recorded API responses and webhook payloads into events on the data branch, in one commit:\n" +
		"deployments, incidents, pull requests (events/pulls) and GitLab pipelines (CI records).\n" +
		"An object keeps its upstream id behind its source's prefix (gh-deploy-42, pd-Q1W2E3, …);\n" +
		"importing it again writes nothing. docs/import.md gives the command that saves each file.\n\n" +
		"Examples:\n  gh api --paginate 'repos/OWNER/REPO/deployments?per_page=100' > deployments.json\n" +
		"  gitdora import github-deployments deployments.json statuses-*.json --push\n" +
		"  gitdora import github-pulls --pull 42 commits-42.json\n" +
		"  gitdora import github-deployments \"$GITHUB_EVENT_PATH\" --push"
}

// Run reads every file, then stores what they hold in one commit. A file
// that is no response or payload of SOURCE is named with the reason;
// the others are imported unless --strict is given.
func (c *ImportCmd) Run(g *Globals) error {
	if err := imports.CheckPull(c.Pull); err != nil {
		return fmt.Errorf("--pull: %w", err)
	}
	store, err := data.Open(g.Repo, g.Data)
	if err != nil {
		return err
	}
	cfg, err := store.Config(g.Config)
	if err != nil {
		return err
	}
	files := ingest.ReadImports(c.Source, c.Files, imports.Options{Now: time.Now(), Pull: c.Pull})
	var refused []error
	for _, f := range files {
		if f.Err != nil {
			refused = append(refused, f.Err)
			continue
		}
		for _, n := range f.Batch.Skipped {
			g.Log.Info(fmt.Sprintf("%s: %s: skipped: %s", f.Name, n.Path, n.Text))
		}
		for _, n := range f.Batch.Notes {
			g.Log.Warn(fmt.Sprintf("%s: %s: %s", f.Name, n.Path, n.Text))
		}
	}
	if len(refused) > 0 && g.Strict {
		return fmt.Errorf("%w\nnothing imported: --strict given", errors.Join(refused...))
	}
	imp := ingest.NewImport(c.Source, files)
	imp.Production, imp.Now = cfg.Production, time.Now()
	imp.Repo, _ = g.codeRepo(store) // nil when not a repository: commits are then unknown
	var rep *ingest.ImportReport
	if !empty(imp.Set) {
		msg := fmt.Sprintf("import %s: %d file(s)", c.Source, len(files)-len(refused))
		var res data.Result
		res, err = g.write(store, msg, c.pushFlags, func(tx *data.Tx) error {
			var err error
			if rep, err = ingest.StageImport(tx, imp); err == nil && len(rep.Written)+len(rep.Changed) == 0 {
				return errNothingNew // not even a new data branch
			}
			return err
		})
		if err != nil && !errors.Is(err, errNothingNew) {
			return errors.Join(append(refused, err)...)
		}
		if res.Changed {
			attrs := []any{}
			if res.Commit != "" {
				attrs = append(attrs, "commit", short(res.Commit))
			}
			if c.Push {
				attrs = append(attrs, "pushed_to", c.Remote)
			}
			g.Log.Info("imported into the data "+store.String(), attrs...)
		}
	} else {
		rep = &ingest.ImportReport{}
	}
	c.report(g, rep)
	if len(rep.Rejected) > 0 {
		refused = append(refused, fmt.Errorf("%d record(s) rejected, the others imported", len(rep.Rejected)))
	}
	return errors.Join(refused...)
}

// errNothingNew stops a write that would store nothing the data branch
// lacks.
var errNothingNew = errors.New("nothing new to import")

// empty reports whether a set holds nothing to store.
func empty(s *imports.Set) bool {
	return len(s.Deployments)+len(s.Pulls)+len(s.Pipelines)+len(s.Incidents)+
		len(s.Statuses)+len(s.Reviews)+len(s.Commits)+len(s.Readies) == 0
}

// report says what the import did: each event written and each object
// changed upstream on stdout, then a summary; what was skipped,
// rejected or worth knowing on stderr.
func (c *ImportCmd) report(g *Globals, rep *ingest.ImportReport) {
	for _, s := range rep.Skipped {
		g.Log.Info("skipped: " + s)
	}
	for _, w := range rep.Warnings {
		g.Log.Warn(w)
	}
	for _, r := range rep.Rejected {
		g.Log.Error("rejected: " + r)
	}
	if g.Quiet {
		return
	}
	for _, o := range rep.Written {
		fmt.Fprintf(g.Stdout, "%s: %s (%s)\n", esc.Line(o.Name), esc.Line(o.What), esc.Line(o.Path))
	}
	for _, line := range rep.Changed {
		fmt.Fprintln(g.Stdout, esc.Line(line))
	}
	parts := []string{fmt.Sprintf("%d written", len(rep.Written)), fmt.Sprintf("%d already imported", rep.Unchanged)}
	if n := len(rep.Changed); n > 0 {
		parts = append(parts, fmt.Sprintf("%d changed upstream", n))
	}
	if n := len(rep.Skipped); n > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped", n))
	}
	if n := len(rep.Rejected); n > 0 {
		parts = append(parts, fmt.Sprintf("%d rejected", n))
	}
	fmt.Fprintf(g.Stdout, "%s: %s\n", c.Source, strings.Join(parts, ", "))
}
