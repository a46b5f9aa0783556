package main

// InitCmd is `gitdora init`.
type InitCmd struct {
	Push   bool   `help:"Push the data branch to the remote."`
	Remote string `default:"origin" help:"Remote to push to."`
}

// Help shows an example.
func (c *InitCmd) Help() string {
	return "Example:\n  gitdora init --push"
}

// Run creates the data branch.
func (c *InitCmd) Run(g *Globals) error { return errNotImplemented }
