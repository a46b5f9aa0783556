package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gitdora/gitdora/app"
	"github.com/gitdora/gitdora/cmd/gitdora/internal/demo"
	"github.com/gitdora/gitdora/internal/esc"
	"github.com/gitdora/gitdora/internal/outdir"
)

// demoOrg are the repositories of `gitdora demo --org`: their names, the
// seed each adds to --seed, and whether it is a monorepo.
var demoOrg = []struct {
	name     string
	seed     int64
	monorepo bool
}{{"shop", 0, true}, {"payments", 1, false}, {"mobile", 2, false}}

// runOrg builds the demo organisation: its repositories (in --repo-dir,
// else a temporary folder), the organisation's site in --out, and each
// repository's site in --out/NAME/, which the organisation's links.
func (c *DemoCmd) runOrg(g *Globals) error {
	guard := g.outGuard(outdir.Path{Path: c.EchartsJS, What: "the ECharts copy (--echarts-js)"})
	if c.RepoDir != "" {
		if err := guard.Check("repo-dir", c.RepoDir, outdir.Fill); err != nil {
			return err
		}
		if err := emptyOrAbsent(c.RepoDir); err != nil {
			return err
		}
		guard.Keep = append(guard.Keep, outdir.Path{Path: c.RepoDir, What: "the example repositories (--repo-dir)"})
	}
	if err := guard.Check("out", c.Out, outdir.Replace); err != nil {
		return err
	}
	dir := c.RepoDir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "gitdora-demo-org-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	guard.Keep = append(guard.Keep, outdir.Path{Path: dir, What: "the example repositories"})
	var list strings.Builder
	for _, r := range demoOrg {
		plan, err := demo.New(demo.Options{Months: c.Months, Seed: uint64(c.Seed + r.seed), Monorepo: r.monorepo})
		if err != nil {
			return err
		}
		if err := plan.Write(filepath.Join(dir, r.name)); err != nil {
			return err
		}
		fmt.Fprintf(&list, "%s %s\n", r.name, r.name)
	}
	repos := filepath.Join(dir, "repos.txt")
	if err := os.WriteFile(repos, []byte(list.String()), 0o644); err != nil {
		return err
	}
	err := app.Org(g.context(), app.OrgRequest{Repos: repos, Name: "Example organisation", Loc: time.UTC, Now: time.Now(), Format: app.FormatJSON,
		Out: c.Out, SiteURL: "{name}/", EchartsJS: c.EchartsJS, Guard: guard}, g.env())
	if err != nil {
		return err
	}
	// Each repository's own site, in the organisation's.
	for _, r := range demoOrg {
		sg := *g
		sg.Repo, sg.Data, sg.Config = filepath.Join(dir, r.name), "", ""
		site := SiteCmd{Out: filepath.Join(c.Out, r.name), EchartsJS: c.EchartsJS}
		if err := site.build(&sg, guard); err != nil {
			return err
		}
	}
	if !g.Quiet {
		out := esc.Line(c.Out)
		fmt.Fprintf(g.Stdout, "Built the demo organisation in %s: %d repositories (%s), each with its site in %s/NAME/.\n\n", out, len(demoOrg), orgNames(), out)
		fmt.Fprintf(g.Stdout, "Open it:  gitdora serve %s   (then http://127.0.0.1:8080/), or open %s in a browser.\n", out, esc.Line(filepath.Join(c.Out, "index.html")))
		if c.RepoDir != "" {
			fmt.Fprintf(g.Stdout, "\nThe repositories and their list are in %s; try:\n  gitdora org --repos %s --format text\n", esc.Line(c.RepoDir), esc.Line(repos))
		}
	}
	return nil
}

func orgNames() string {
	var names []string
	for _, r := range demoOrg {
		names = append(names, r.name)
	}
	return strings.Join(names, ", ")
}
