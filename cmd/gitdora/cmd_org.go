package main

import (
	"errors"
	"time"

	"github.com/gitdora/gitdora/app"
	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/internal/outdir"
)

// OrgCmd is `gitdora org`.
type OrgCmd struct {
	Repos     string `placeholder:"FILE" help:"A file of the organisation's repositories, one a line: NAME PATH[#DATA] (a clone or a bare mirror, PATH relative to the file; DATA its data branch, default dora-data)."`
	Facts     string `placeholder:"DIR" help:"Instead of --repos: a folder of DIR/NAME folders, each what gitdora collect --out DIR/NAME wrote for repository NAME (how a CI matrix fans out)."`
	Name      string `help:"The organisation's name (scope.name, the site's title)."`
	From      string `placeholder:"YYYY-MM" help:"First month (default: the first month any repository has data)."`
	To        string `placeholder:"YYYY-MM" help:"Last month (with --from; default: the last month with data)."`
	Format    string `default:"json" enum:"json,csv,text" help:"json, csv or text (without --out)."`
	Out       string `placeholder:"DIR" help:"Build the organisation's site into DIR (replaced atomically) instead of printing its months."`
	SiteURL   string `name:"site-url" placeholder:"URL" help:"The address of each repository's own site, {name} standing for its name, e.g. 'https://pages.example/{name}/' (the site's table links them)."`
	Templates string `placeholder:"DIR" help:"Folder of templates overriding the built-in ones (with --out)."`
	EchartsJS string `name:"echarts-js" env:"GITDORA_ECHARTS_JS" placeholder:"FILE" help:"A local echarts.min.js to copy into the site (with --out)."`
}

// Help shows an example.
func (c *OrgCmd) Help() string {
	return "Rolls many repositories up into an organisation's figures, exactly: percentiles over all their\n" +
		"changes, rates over summed counts (never averages of the repositories' figures); a repository-month\n" +
		"without incident data is left out of the change-failure sums. Each repository is computed as for\n" +
		"itself, with its own gitdora.yml; --config gives the organisation's benchmark and targets, --tz its\n" +
		"months (default UTC). A repository that is missing or has no data branch is named and left out\n" +
		"(exit 1 with --strict).\n\n" +
		"Examples:\n  gitdora org --repos repos.txt --from 2025-01 --to 2025-12 --format json\n" +
		"  gitdora org --facts facts --out public --site-url 'https://pages.example/{name}/'"
}

// Run prints the organisation's months, or builds its site.
func (c *OrgCmd) Run(g *Globals) error {
	loc := time.UTC
	if g.Config != "" {
		cfg, err := data.ReadConfigFile(g.Config)
		if err != nil {
			return err
		}
		if loc, err = cfg.Location(); err != nil {
			return err
		}
	}
	if g.TZ != "" {
		l, err := tzFlag(g.TZ)
		if err != nil {
			return err
		}
		loc = l
	}
	var span compute.Span
	switch {
	case c.From == "" && c.To == "":
	case c.From == "" || c.To == "":
		return errors.New("--from and --to go together (or leave both out for every month with data)")
	default:
		var err error
		if span, err = (&ComputeCmd{From: c.From, To: c.To}).periods(loc); err != nil {
			return err
		}
	}
	guard := g.outGuard(outdir.Path{Path: c.Templates, What: "the templates (--templates)"}, outdir.Path{Path: c.EchartsJS, What: "the ECharts copy (--echarts-js)"},
		outdir.Path{Path: c.Repos, What: "the list of repositories (--repos)"}, outdir.Path{Path: c.Facts, What: "the facts (--facts)"})
	return app.Org(g.context(), app.OrgRequest{Repos: c.Repos, Facts: c.Facts, Config: g.Config, Name: c.Name, Loc: loc, Now: time.Now(), Strict: g.Strict,
		Span: span, Format: c.Format, Out: c.Out, SiteURL: c.SiteURL, Templates: c.Templates, EchartsJS: c.EchartsJS, Guard: guard}, g.env())
}
