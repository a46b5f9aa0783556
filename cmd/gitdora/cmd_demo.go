package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/gitdora/gitdora/cmd/gitdora/internal/demo"
	"github.com/gitdora/gitdora/internal/esc"
	"github.com/gitdora/gitdora/internal/outdir"
)

// DemoCmd is `gitdora demo`.
type DemoCmd struct {
	Out       string `default:"public" placeholder:"DIR" help:"Folder to build the demo site into (replaced atomically)."`
	Months    int    `default:"12" help:"Months of history to generate (1 to ${demo_max_months}); the last is always December 2025."`
	Seed      int64  `default:"1" help:"Seed of the generator (same seed, same site)."`
	RepoDir   string `name:"repo-dir" placeholder:"DIR" help:"Build the example repository in DIR (new or empty) and keep it, to try other commands on it (default: a temporary folder, removed at the end)."`
	EchartsJS string `name:"echarts-js" env:"GITDORA_ECHARTS_JS" placeholder:"FILE" help:"A local echarts.min.js to copy into the site instead of loading ECharts from its public host (cdn.jsdelivr.net, with an integrity hash); the site is then self-contained."`
	Monorepo  bool   `xor:"variant" help:"A monorepo instead: three services (api, web, billing) by path, and teams from a CODEOWNERS file that changes half way (docs/services.md)."`
	Org       bool   `xor:"variant" help:"A small organisation instead: three repositories (one a monorepo), each with its site in --out/NAME/, and the organisation's site in --out (docs/services.md)."`
}

// Help shows an example.
func (c *DemoCmd) Help() string {
	return "Generates a year of a team's work: a repository with about 1,800 commits (no git binary needed) and its\n" +
		"dora-data branch, written as gitdora record and gitdora ingest write it: deployments (some blocked by\n" +
		"the security gate, some failed), incidents (security and reliability, attributed by commit, by\n" +
		"deployment id, by time, and one unattributed), CI run records, and nightly Semgrep, CodeQL and gitleaks\n" +
		"scans whose findings appear, move, get fixed, come back or are suppressed. Then it builds the site\n" +
		"from them, as gitdora site does.\n\n" +
		"The dates are fixed: the demo covers the --months calendar months up to December 2025 (UTC), so the\n" +
		"same --seed gives the same site, byte for byte, whatever day it runs.\n\n" +
		"Examples:\n  gitdora demo && gitdora serve public\n  gitdora demo --months 24 --seed 7 --repo-dir /tmp/example --out /tmp/example-site"
}

// Run builds the demo repository, then its site.
func (c *DemoCmd) Run(g *Globals) error {
	if c.Org {
		return c.runOrg(g)
	}
	plan, err := demo.New(demo.Options{Months: c.Months, Seed: uint64(c.Seed), Monorepo: c.Monorepo})
	if err != nil {
		return err
	}
	// Both folders are checked before anything is built. The site is
	// built from the new repository: --out must not be it nor hold it.
	guard := g.outGuard(outdir.Path{Path: c.EchartsJS, What: "the ECharts copy (--echarts-js)"})
	if c.RepoDir != "" {
		if err := guard.Check("repo-dir", c.RepoDir, outdir.Fill); err != nil {
			return err
		}
		if err := emptyOrAbsent(c.RepoDir); err != nil {
			return err
		}
		guard.Keep = append(guard.Keep, outdir.Path{Path: c.RepoDir, What: "the example repository (--repo-dir)"})
	}
	if err := guard.Check("out", c.Out, outdir.Replace); err != nil {
		return err
	}
	if time.Now().Before(demo.End) {
		g.Log.Warn("this computer's clock is before the demo's end (" + demo.End.Format(time.RFC3339) + "): its last month is reported as partial, and the site depends on the time it runs")
	}
	dir := c.RepoDir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "gitdora-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	if err := plan.Write(dir); err != nil {
		return err
	}
	sg := *g
	sg.Repo, sg.Data, sg.Config = dir, "", ""
	site := SiteCmd{Out: c.Out, EchartsJS: c.EchartsJS}
	// The demo's guard, not one of the example repository alone: --out
	// may replace neither what --repo names nor the example repository.
	guard.Keep = append(guard.Keep, outdir.Path{Path: dir, What: "the example repository"})
	if err := site.build(&sg, guard); err != nil {
		return err
	}
	if g.Quiet {
		return nil
	}
	s := plan.Summary()
	out, repoDir := esc.Line(c.Out), esc.Line(c.RepoDir)
	fmt.Fprintf(g.Stdout, "Built the demo site in %s: %d months (%s to %s) of a generated repository with %d commits,\n"+
		"%d deployments, %d incidents and %d scans.\n\n", out, c.Months, s.First, s.Last, s.Commits, s.Deployments, s.Incidents, s.Scans)
	fmt.Fprintf(g.Stdout, "Open it:  gitdora serve %s   (then http://127.0.0.1:8080/), or open %s in a browser.\n", out, esc.Line(filepath.Join(c.Out, "index.html")))
	fmt.Fprintf(g.Stdout, "From this checkout, without gitdora installed:  go run ./cmd/gitdora serve %s\n", out)
	if c.RepoDir != "" {
		fmt.Fprintf(g.Stdout, "\nThe example repository (code on main, data on dora-data) is in %s; try:\n"+
			"  gitdora --repo %s compute --month %s --format text\n", repoDir, repoDir, s.Last)
	}
	return nil
}

// emptyOrAbsent checks that --repo-dir may be built in.
func emptyOrAbsent(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("--repo-dir %s: %w", dir, err)
	case len(entries) > 0:
		return fmt.Errorf("--repo-dir %s: not empty; name a new or empty folder", dir)
	}
	return nil
}
