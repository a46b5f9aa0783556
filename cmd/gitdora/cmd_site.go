package main

import (
	"github.com/gitdora/gitdora/app"
)

// SiteCmd is `gitdora site`.
type SiteCmd struct {
	Out       string `default:"public" placeholder:"DIR" help:"Folder to build the site into (replaced atomically)."`
	Templates string `placeholder:"DIR" help:"Folder of templates overriding the built-in ones."`
	EchartsJS string `name:"echarts-js" env:"GITDORA_ECHARTS_JS" placeholder:"FILE" help:"A local echarts.min.js to copy into the site instead of loading it from the go-echarts assets host."`
	BaseURL   string `name:"base-url" placeholder:"URL" help:"The address the site is published at, e.g. https://example.github.io/repo/ (for the Atom feed's links)."`
}

// Help shows an example.
func (c *SiteCmd) Help() string {
	return "Example:\n  gitdora site --out public --echarts-js node_modules/echarts/dist/echarts.min.js"
}

// Run builds the site.
func (c *SiteCmd) Run(g *Globals) error {
	req, err := g.request()
	if err != nil {
		return err
	}
	return app.Site(g.context(), app.SiteRequest{Request: req, Out: c.Out, Templates: c.Templates, EchartsJS: c.EchartsJS, BaseURL: c.BaseURL}, g.env())
}
