package main

// SiteCmd is `gitdora site`.
type SiteCmd struct {
	Out       string `default:"public" placeholder:"DIR" help:"Folder to build the site into (replaced atomically)."`
	Templates string `placeholder:"DIR" help:"Folder of templates overriding the built-in ones."`
	EchartsJS string `name:"echarts-js" placeholder:"FILE" help:"A local echarts.min.js to copy into the site instead of loading it from the go-echarts assets host."`
}

// Help shows an example.
func (c *SiteCmd) Help() string {
	return "Example:\n  gitdora site --out public --echarts-js node_modules/echarts/dist/echarts.min.js"
}

// Run builds the site.
func (c *SiteCmd) Run(g *Globals) error { return errNotImplemented }
