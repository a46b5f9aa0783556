package main

// ReportCmd is `gitdora report`.
type ReportCmd struct {
	Month     string   `placeholder:"YYYY-MM" help:"The month (default: the last complete month)."`
	Format    []string `default:"markdown" enum:"markdown,html" help:"markdown, html or both (comma-separated)."`
	Out       string   `default:"reports" placeholder:"DIR" help:"Folder to write the report into."`
	Templates string   `placeholder:"DIR" help:"Folder of templates overriding the built-in ones."`
}

// Help shows an example.
func (c *ReportCmd) Help() string {
	return "Example:\n  gitdora report --month 2026-03 --format markdown,html --out reports"
}

// Run writes the report.
func (c *ReportCmd) Run(g *Globals) error { return errNotImplemented }
