package main

import (
	"github.com/gitdora/gitdora/app"
)

// CollectCmd is `gitdora collect`.
type CollectCmd struct {
	Out string `default:"facts" placeholder:"DIR" help:"Folder to write the CSV files into."`
}

// Help shows an example.
func (c *CollectCmd) Help() string {
	return "Example:\n  gitdora collect --out facts && column -s, -t < facts/changes.csv | less\n\n" +
		"Writes deployments.csv, changes.csv, incidents.csv, scans.csv, findings.csv and\n" +
		"episodes.csv: every fact the metrics are computed from, to check them by hand,\n" +
		"with recorded events as corrected; corrections.csv lists every correction and\n" +
		"whether it applied (docs/corrections.md)."
}

// Run writes the facts.
func (c *CollectCmd) Run(g *Globals) error {
	req, err := g.request("")
	if err != nil {
		return err
	}
	return app.Collect(g.context(), app.CollectRequest{Request: req, Out: c.Out, Guard: g.outGuard()}, g.env())
}
