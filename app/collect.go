package app

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/render"
)

// CollectRequest asks for the normalised facts as CSV files.
type CollectRequest struct {
	Request
	// Out is the folder to write the CSV files into.
	Out string
}

// Collect writes deployments.csv, changes.csv, incidents.csv, scans.csv,
// findings.csv and episodes.csv into req.Out.
func Collect(ctx context.Context, req CollectRequest, env Env) error {
	r := &run{req: req.Request, env: env}
	if err := through(ctx, r.load, r.gather, r.history); err != nil {
		return err
	}
	if err := os.MkdirAll(req.Out, 0o755); err != nil {
		return err
	}
	h, f := r.hist, r.facts
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
	for _, out := range outs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := writeFile(filepath.Join(req.Out, out.name), out.write); err != nil {
			return err
		}
	}
	return nil
}

// writeFile writes a file through a buffer (findings.csv of a large scan
// is not held in memory whole).
func writeFile(path string, write func(io.Writer) error) error {
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(fh, 256<<10)
	err = write(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
