package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gitdora/gitdora/collect"
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

// Run writes the facts.
func (c *CollectCmd) Run(g *Globals) error {
	h, err := g.history()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.Out, 0o755); err != nil {
		return err
	}
	f := h.Facts
	for name, write := range map[string]func(io.Writer) error{
		"deployments.csv": func(w io.Writer) error { return collect.WriteDeploymentsCSV(w, f.Deployments) },
		"changes.csv":     func(w io.Writer) error { return collect.WriteChangesCSV(w, f.Changes) },
		"incidents.csv":   func(w io.Writer) error { return collect.WriteIncidentsCSV(w, f.Incidents) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(c.Out, name), b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return writeSecurityFacts(c.Out, h)
}
