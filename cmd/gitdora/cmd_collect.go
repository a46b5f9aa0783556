package main

// CollectCmd is `gitdora collect`.
type CollectCmd struct {
	Out string `default:"facts" placeholder:"DIR" help:"Folder to write the CSV files into."`
}

// Help shows an example.
func (c *CollectCmd) Help() string {
	return "Example:\n  gitdora collect --out facts && column -s, -t < facts/changes.csv | less"
}

// Run writes the facts.
func (c *CollectCmd) Run(g *Globals) error { return errNotImplemented }
