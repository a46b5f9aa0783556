package main

import (
	"io"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/internal/outdir"
	"github.com/gitdora/gitdora/render"
)

// CollectCmd is `gitdora collect`.
type CollectCmd struct {
	Out string `default:"facts" placeholder:"DIR" help:"Folder to write the CSV files into."`
}

// Help shows an example.
func (c *CollectCmd) Help() string {
	return "Example:\n  gitdora collect --out facts && column -s, -t < facts/changes.csv | less\n\n" +
		"Writes deployments.csv, changes.csv, incidents.csv, scans.csv, findings.csv and\n" +
		"episodes.csv: every fact the metrics are computed from, to check them by hand."
}

// Run writes the facts into --out: a new or empty folder, or one gitdora
// wrote (outdir.Guard.Check), checked before anything is read.
func (c *CollectCmd) Run(g *Globals) error {
	if err := g.outGuard().Check("--out", c.Out, outdir.Fill); err != nil {
		return err
	}
	h, err := g.history()
	if err != nil {
		return err
	}
	if err := outdir.MkdirAll(c.Out); err != nil {
		return err
	}
	if err := outdir.Mark(c.Out); err != nil {
		return err
	}
	f := h.Facts
	outs := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"deployments.csv", func(w io.Writer) error { return collect.WriteDeploymentsCSV(w, f.Deployments) }},
		{"changes.csv", func(w io.Writer) error { return collect.WriteChangesCSV(w, f.Changes) }},
		{"incidents.csv", func(w io.Writer) error { return collect.WriteIncidentsCSV(w, f.Incidents) }},
		{"scans.csv", func(w io.Writer) error { return collect.WriteScansCSV(w, f.Scans) }},
		{"findings.csv", func(w io.Writer) error { return collect.WriteFindingsCSV(w, f.Findings) }},
		{"episodes.csv", func(w io.Writer) error { return render.WriteEpisodesCSV(w, h) }},
	}
	// One after another: writing them at once raises the peak memory of a
	// large history (each row's strings are garbage) for little time saved.
	// Each is streamed through a buffer into a new file renamed into place:
	// a file of that name that is a symbolic link is refused, never
	// written through.
	for _, out := range outs {
		if err := outdir.WriteFile(c.Out, out.name, out.write); err != nil {
			return err
		}
	}
	return nil
}
