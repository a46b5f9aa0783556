package app

import (
	"context"
	"strings"
	"time"

	"github.com/gitdora/gitdora/internal/outdir"
	"github.com/gitdora/gitdora/site"
)

// SiteRequest asks for the static site of every month that holds data.
type SiteRequest struct {
	Request
	// Out is the folder to build the site into (replaced atomically).
	Out string
	// Templates is a folder of templates overriding the built-in ones; "" for none.
	Templates string
	// EchartsJS is a local echarts.min.js to copy into the site; "" loads
	// ECharts from its public host.
	EchartsJS string
	// BaseURL is the address the site is published at; "" for relative links.
	BaseURL string
	// Guard names what Out must not be or hold (outdir.Guard.Check).
	Guard outdir.Guard
}

// Site builds the site: a page for every month that holds data.
func Site(ctx context.Context, req SiteRequest, env Env) error {
	a, err := loadAssets(req.Templates, req.EchartsJS)
	if err != nil {
		return err
	}
	// Out is checked before anything is read: a refused folder costs nothing.
	if err := req.Guard.Check("out", req.Out, outdir.Replace); err != nil {
		return err
	}
	r := &run{req: req.Request, env: env, slices: req.Scope.Kind == Repository}
	start := time.Now()
	if err := through(ctx, r.load, r.gather, r.history); err != nil {
		return err
	}
	collected := time.Now()
	// Pages for the months that hold data only (none without data): one
	// deployment dated 1970 made 684 empty months.
	active := r.hist.ActiveMonths()
	if err := through(ctx, r.monthsExplained(active, r.hist.Loc), r.alerts); err != nil {
		return err
	}
	slices, rows, err := r.slicePages(ctx, active) // services and teams, with pages of their own
	if err != nil {
		return err
	}
	computed := time.Now()
	baseURL := req.BaseURL
	if baseURL != "" && !strings.HasSuffix(baseURL, "/") {
		baseURL += "/"
	}
	err = site.Build(site.Options{Out: req.Out, Templates: a.templates, EchartsJS: a.echarts, BaseURL: baseURL, Reports: r.reports(), Updated: r.hist.LastActivity(), Guard: req.Guard,
		Slices: slices, SliceRows: rows})
	if err != nil {
		return err
	}
	env.Log.Debug("timing", "collect", collected.Sub(start).String(), "compute", computed.Sub(collected).String(), "render", time.Since(computed).String())
	env.Log.Info("built the site", "dir", req.Out, "months", len(r.months))
	return nil
}
