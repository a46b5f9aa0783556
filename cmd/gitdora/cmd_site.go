package main

import (
	"github.com/gitdora/gitdora/app"
	"github.com/gitdora/gitdora/internal/outdir"
)

// SiteCmd is `gitdora site`.
type SiteCmd struct {
	Out       string `default:"public" placeholder:"DIR" help:"Folder to build the site into (replaced atomically)."`
	Templates string `placeholder:"DIR" help:"Folder of templates overriding the built-in ones."`
	EchartsJS string `name:"echarts-js" env:"GITDORA_ECHARTS_JS" placeholder:"FILE" help:"A local echarts.min.js to copy into the site instead of loading ECharts from its public host (cdn.jsdelivr.net, with an integrity hash); the site is then self-contained."`
	BaseURL   string `name:"base-url" placeholder:"URL" help:"The address the site is published at, e.g. https://example.github.io/repo/ (for the Atom feed's links)."`
	asOfFlag
	scopeFlags
}

// Help shows an example.
func (c *SiteCmd) Help() string {
	return "Example:\n  gitdora site --out public --echarts-js node_modules/echarts/dist/echarts.min.js"
}

// guard is what --out must leave alone.
func (c *SiteCmd) guard(g *Globals) outdir.Guard {
	return g.outGuard(outdir.Path{Path: c.Templates, What: "the templates (--templates)"}, outdir.Path{Path: c.EchartsJS, What: "the ECharts copy (--echarts-js)"})
}

// Run builds the site.
func (c *SiteCmd) Run(g *Globals) error {
	return c.build(g, c.guard(g))
}

// build builds the site into --out, which guard must allow.
func (c *SiteCmd) build(g *Globals, guard outdir.Guard) error {
	req, err := g.request(c.AsOf)
	if err != nil {
		return err
	}
	c.scope(&req)
	return app.Site(g.context(), app.SiteRequest{Request: req, Out: c.Out, Templates: c.Templates, EchartsJS: c.EchartsJS, BaseURL: c.BaseURL, Guard: guard}, g.env())
}
