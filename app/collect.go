package app

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/outdir"
	"github.com/gitdora/gitdora/render"
	"github.com/gitdora/gitdora/site"
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
// findings.csv, episodes.csv, corrections.csv and pulls.csv into
// req.Out: the events as corrected, and the corrections with what each
// did; then what an organisation reads besides (writeExport).
func Collect(ctx context.Context, req CollectRequest, env Env) error {
	// Out is checked before anything is read: a refused folder costs nothing.
	if err := req.Guard.Check("out", req.Out, outdir.Fill); err != nil {
		return err
	}
	r := &run{req: req.Request, env: env, slices: req.Scope.Kind == Repository, allFindings: true}
	if err := through(ctx, r.load, r.gather, r.history); err != nil {
		return err
	}
	if err := outdir.MkdirAll(req.Out); err != nil {
		return err
	}
	if err := outdir.Mark(req.Out); err != nil {
		return err
	}
	f := r.facts
	outs := append(sliceFiles(f, r.hist),
		csvFile{"scans.csv", func(w io.Writer) error { return collect.WriteScansCSV(w, f.Scans, f.Trunk) }},
		csvFile{"corrections.csv", func(w io.Writer) error { return collect.WriteCorrectionsCSV(w, f.Corrections) }},
		csvFile{"pulls.csv", func(w io.Writer) error { return collect.WritePullsCSV(w, f.Pulls) }},
	)
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
	return r.writeExport(ctx, req.Out)
}

// csvFile is a file collect writes, and how.
type csvFile struct {
	name  string
	write func(io.Writer) error
}

// sliceFiles are the files of facts f, with its history h, that an
// organisation reads of a service or team (and of a repository, which
// has more).
func sliceFiles(f *fact.Facts, h *compute.History) []csvFile {
	return []csvFile{
		{"deployments.csv", func(w io.Writer) error { return collect.WriteDeploymentsCSV(w, f.Deployments) }},
		{"changes.csv", func(w io.Writer) error { return collect.WriteChangesCSV(w, f.Changes) }},
		{"incidents.csv", func(w io.Writer) error { return collect.WriteIncidentsCSV(w, f.Incidents) }},
		{"findings.csv", func(w io.Writer) error { return collect.WriteFindingsCSV(w, f.Scans) }},
		{"episodes.csv", func(w io.Writer) error { return render.WriteEpisodesCSV(w, h) }},
	}
}

// writeExport writes what an organisation needs besides the facts to
// compute a repository as it would (docs/services.md): its gitdora.yml,
// and the facts of each service and team in a folder of its own, listed
// in slices.csv.
func (r *run) writeExport(ctx context.Context, out string) error {
	var cfg []byte
	var err error
	if r.req.Config != "" {
		cfg, err = os.ReadFile(r.req.Config)
	} else if cfg, err = r.store.ReadFile(data.ConfigFile); errors.Is(err, fs.ErrNotExist) {
		cfg, err = nil, nil
	}
	if err != nil {
		return err
	}
	if cfg != nil {
		if err := outdir.WriteFile(out, data.ConfigFile, func(w io.Writer) error { _, err := w.Write(cfg); return err }); err != nil {
			return err
		}
	}
	if len(r.repo.Slices) == 0 {
		return nil
	}
	if err := outdir.WriteFile(out, "slices.csv", func(w io.Writer) error {
		return collect.WriteSlicesCSV(w, r.repo.Slices, site.SlicePath)
	}); err != nil {
		return err
	}
	for _, sl := range r.repo.Slices {
		if err := ctx.Err(); err != nil {
			return err
		}
		path := site.SlicePath(string(sl.Kind), sl.Name)
		dir := out
		for _, part := range strings.Split(strings.TrimSuffix(path, "/"), "/") {
			dir = filepath.Join(dir, part)
			if err := outdir.MkdirAll(dir); err != nil {
				return err
			}
		}
		for _, o := range sliceFiles(sl.Facts, compute.NewHistory(sl.Facts, r.cfg, r.req.Loc)) {
			if err := outdir.WriteFile(dir, o.name, o.write); err != nil {
				return err
			}
		}
	}
	return nil
}
