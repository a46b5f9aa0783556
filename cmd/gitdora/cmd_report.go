package main

import (
	"fmt"

	"github.com/gitdora/gitdora/app"
	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/internal/outdir"
)

// ReportCmd is `gitdora report`.
type ReportCmd struct {
	Month     string   `placeholder:"YYYY-MM" help:"The month (default: the last complete month)."`
	Format    []string `default:"markdown" enum:"markdown,html" help:"markdown, html or both (comma-separated)."`
	Out       string   `default:"reports" placeholder:"DIR" help:"Folder to write YYYY-MM.md and YYYY-MM.html into."`
	Templates string   `placeholder:"DIR" help:"Folder of templates overriding the built-in ones."`
	EchartsJS string   `name:"echarts-js" env:"GITDORA_ECHARTS_JS" placeholder:"FILE" help:"A local echarts.min.js to copy beside the HTML report instead of loading ECharts from its public host (cdn.jsdelivr.net, with an integrity hash)."`
	Commit    bool     `help:"Also commit the report to the data branch as reports/YYYY-MM.md (and .html)."`
	Push      bool     `help:"Push the data branch after committing (implies --commit)."`
	Remote    string   `default:"origin" help:"Remote to push to."`
	asOfFlag
	scopeFlags
}

// Help shows an example.
func (c *ReportCmd) Help() string {
	return "Examples:\n  gitdora report --month 2026-03 --format markdown,html --out reports\n  gitdora report --format markdown,html --commit --push"
}

// Run writes the report.
func (c *ReportCmd) Run(g *Globals) error {
	req, err := g.request(c.AsOf)
	if err != nil {
		return err
	}
	c.scope(&req)
	var month compute.YearMonth
	if c.Month != "" {
		if month, err = compute.ParseYearMonth("month", c.Month); err != nil {
			return fmt.Errorf("--month: %w", err)
		}
	}
	return app.Report(g.context(), app.ReportRequest{
		Request: req, Month: month, Formats: c.Format, Out: c.Out, Templates: c.Templates, EchartsJS: c.EchartsJS,
		Guard:  g.outGuard(outdir.Path{Path: c.Templates, What: "the templates (--templates)"}, outdir.Path{Path: c.EchartsJS, What: "the ECharts copy (--echarts-js)"}),
		Commit: c.Commit, Push: c.Push, Remote: c.Remote,
	}, g.env())
}
