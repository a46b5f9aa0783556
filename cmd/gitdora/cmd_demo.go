package main

// DemoCmd is `gitdora demo`.
type DemoCmd struct {
	Out    string `default:"public" placeholder:"DIR" help:"Folder to build the demo site into."`
	Months int    `default:"12" help:"Months of history to generate."`
	Seed   int64  `default:"1" help:"Seed of the generator (same seed, same site)."`
}

// Help shows an example.
func (c *DemoCmd) Help() string {
	return "Example:\n  gitdora demo --out public && gitdora serve public"
}

// Run builds the demo.
func (c *DemoCmd) Run(g *Globals) error { return errNotImplemented }
