package main

// ServeCmd is `gitdora serve`.
type ServeCmd struct {
	Dir  string `arg:"" default:"public" help:"The built site."`
	Addr string `default:"127.0.0.1:8080" help:"Address to listen on."`
}

// Help shows an example.
func (c *ServeCmd) Help() string {
	return "Example:\n  gitdora serve public --addr 127.0.0.1:8080"
}

// Run serves the site until interrupted.
func (c *ServeCmd) Run(g *Globals) error { return errNotImplemented }
