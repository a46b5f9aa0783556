package main

import (
	"time"

	"fmt"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/compute/alert"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
)

// The stages every reading command shares: open the data branch and its
// configuration (load), gather the facts (gather), prepare them for
// computing periods (history). collect, compute, report, site and alerts
// are different selections of the same stages.

// load opens the data branch and reads the configuration.
func (g *Globals) load() (*data.Store, *config.Settings, error) {
	store, err := data.Open(g.Repo, g.Data)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := store.Config(g.Config)
	if err != nil {
		return nil, nil, err
	}
	return store, cfg, nil
}

// gather runs load and collect. Skipped input is reported once on stderr;
// with --strict it is an error.
func (g *Globals) gather() (*fact.Facts, *config.Settings, error) {
	loc, err := g.Location()
	if err != nil {
		return nil, nil, err
	}
	store, cfg, err := g.load()
	if err != nil {
		return nil, nil, err
	}
	f, err := collect.Gather(collect.Options{
		RepoPath: g.Repo,
		Loc:      loc,
		Store:    store,
		Config:   cfg,
		Progress: progressWriter(g.Stderr),
		Log:      g.Log,
	})
	if err != nil {
		return nil, nil, err
	}
	for _, n := range f.Notes {
		g.Log.Info(n)
	}
	for _, w := range f.Warnings {
		g.Log.Warn(w)
	}
	for _, p := range f.Problems {
		g.Log.Warn("skipped " + p.String())
	}
	if g.Strict && len(f.Problems) > 0 {
		return nil, nil, fmt.Errorf("%d input problem(s) and --strict given; first: %s", len(f.Problems), f.Problems[0])
	}
	return f, cfg, nil
}

// history runs gather and prepares the facts for computing periods in --tz.
func (g *Globals) history() (*compute.History, error) {
	loc, err := g.Location()
	if err != nil {
		return nil, err
	}
	f, cfg, err := g.gather()
	if err != nil {
		return nil, err
	}
	return compute.NewHistory(f, cfg, loc), nil
}

// months computes periods, then fills each month's alerts[] as of the
// end of its period, or now if that is earlier (docs/metrics.md, docs/alerts.md).
func (g *Globals) months(h *compute.History, ps []compute.Period, now time.Time) ([]compute.Month, error) {
	out, windows, err := alert.Months(h, ps, now)
	if err != nil {
		return nil, err
	}
	if windows > 0 {
		g.Log.Debug("alerts filled", "months", len(out), "rules", len(h.Config.Alerts), "windows_computed", windows)
	}
	return out, nil
}
