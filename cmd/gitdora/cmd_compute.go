package main

// ComputeCmd is `gitdora compute`.
type ComputeCmd struct {
	Month  string `xor:"range" placeholder:"YYYY-MM" help:"The month to compute."`
	From   string `xor:"range" placeholder:"YYYY-MM" help:"First month of a range."`
	To     string `placeholder:"YYYY-MM" help:"Last month of a range (with --from)."`
	Format string `default:"json" enum:"json,csv,text" help:"json, csv or text."`
}

// Help shows an example.
func (c *ComputeCmd) Help() string {
	return "Examples:\n  gitdora compute --month 2026-03 --format text\n  gitdora compute --from 2025-04 --to 2026-03 --format json > metrics.json"
}

// Run prints the metrics.
func (c *ComputeCmd) Run(g *Globals) error { return errNotImplemented }
