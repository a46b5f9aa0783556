package app

import (
	"context"
	"io"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/internal/outdir"
	"github.com/gitdora/gitdora/render"
)

// CollectRequest asks for the normalised facts as CSV files.
type CollectRequest struct {
	Request
	// Out is the folder to write the CSV files into.
	Out string
	// Guard names what Out must not be or hold (outdir.Guard.Check).
	Guard outdir.Guard
}

// Collect writes deployments.csv, changes.csv, incidents.csv, scans.csv,
// findings.csv, episodes.csv and corrections.csv into req.Out: the
// events as corrected, and the corrections with what each did.
func Collect(ctx context.Context, req CollectRequest, env Env) error {
	// Out is checked before anything is read: a refused folder costs nothing.
	if err := req.Guard.Check("--out", req.Out, outdir.Fill); err != nil {
		return err
	}
	r := &run{req: req.Request, env: env}
	if err := through(ctx, r.load, r.gather, r.history); err != nil {
		return err
	}
	if err := outdir.MkdirAll(req.Out); err != nil {
		return err
	}
	if err := outdir.Mark(req.Out); err != nil {
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
		{"findings.csv", func(w io.Writer) error { return collect.WriteFindingsCSV(w, f.Scans) }},
		{"episodes.csv", func(w io.Writer) error { return render.WriteEpisodesCSV(w, h) }},
		{"corrections.csv", func(w io.Writer) error { return collect.WriteCorrectionsCSV(w, f.Corrections) }},
	}
	// One after another: writing them at once raises the peak memory of a
	// large history (each row's strings are garbage) for little time saved.
	// Each is streamed through a buffer into a new file renamed into place:
	// a file of that name that is a symbolic link is refused, never
	// written through.
	for _, out := range outs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := outdir.WriteFile(req.Out, out.name, out.write); err != nil {
			return err
		}
	}
	return nil
}
