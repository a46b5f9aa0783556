package app

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/compute/alert"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/par"
	"github.com/gitdora/gitdora/render"
	"github.com/gitdora/gitdora/templates"
)

// TrendMonths is how many months the trend charts of a report show.
const TrendMonths = 12

// run is one command's way through the stages, in their order: load,
// gather, history, periods, alerts, views, write. Each stage fills what
// the next reads; a command runs the stages it needs.
type run struct {
	req Request
	env Env

	store  *data.Store      // load
	cfg    *config.Settings // load
	facts  *fact.Facts      // gather: of the scope (a service's or team's, scope.go)
	repo   *fact.Facts      // gather: of the repository
	since  time.Time        // gather: read what changes touch from then on (zero: always)
	slices bool             // gather: every service and team too (scope.go)
	// allFindings gathers the findings of every scan, not only of the
	// trunk's, which are all the figures take: for the facts collect writes.
	allFindings bool
	hist        *compute.History // history
	periods     []compute.Period // periods
	months      []compute.Month  // periods, then alerts
	detailFrom  int              // periods: the first month computed with its Detail (figures, report)

	explain []func() *compute.Explained // monthsExplained: the rows behind each month's figures, computed when asked
}

// stage is one step of a run.
type stage func(ctx context.Context) error

// through runs the stages in order and stops at the first error, or
// when ctx is done.
func through(ctx context.Context, stages ...stage) error {
	for _, s := range stages {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s(ctx); err != nil {
			return err
		}
	}
	return nil
}

// open finds the data of the request's scope.
func (q *Request) open() (*data.Store, error) {
	switch q.Scope.Kind {
	case Repository, Service, Team:
		store, err := data.Open(q.Scope.repo(), q.Data)
		if err == nil && q.AsOf != "" {
			if err = store.At(q.AsOf); err != nil {
				err = &InputError{Input: "as-of", Err: err}
			}
		}
		return store, err
	}
	return nil, fmt.Errorf("scope %q of kind %q: only a repository can be read", q.Scope.Name, q.Scope.Kind)
}

// load opens the data of the scope and reads the configuration.
func (r *run) load(context.Context) error {
	store, err := r.req.open()
	if err != nil {
		return err
	}
	cfg, err := store.Config(r.req.Config)
	if err != nil {
		return err
	}
	r.store, r.cfg = store, cfg
	return nil
}

// gather collects the facts. Skipped input is reported once on the log;
// in a strict request it is a *ProblemsError.
func (r *run) gather(ctx context.Context) error {
	f, err := collect.Gather(r.sliced(collect.Options{
		RepoPath: r.req.Scope.repo(),
		Loc:      r.req.Loc,
		Store:    r.store,
		Config:   r.cfg,
		Progress: r.env.Progress,
		Log:      r.env.Log,
		Ctx:      ctx,

		TrunkFindingsOnly: !r.allFindings,
		StreamTrunk:       true,
	}))
	if err != nil {
		return r.sliceError(err)
	}
	for _, n := range f.Notes {
		r.env.Log.Info(n)
	}
	for _, w := range f.Warnings {
		r.env.Log.Warn(w)
	}
	for _, p := range f.Problems {
		r.env.Log.Warn("skipped " + p.String())
	}
	if r.req.Strict && len(f.Problems) > 0 {
		return &ProblemsError{Problems: f.Problems}
	}
	r.facts, r.repo = f, f
	return r.scoped()
}

// history prepares the facts for computing periods in the request's zone.
func (r *run) history(context.Context) error {
	r.hist = compute.NewHistory(r.facts, r.cfg, r.req.Loc)
	r.hist.Scope = r.req.Scope.figures()
	// The trunk's findings were read as the history was made (collect
	// Options.StreamTrunk): what that reading skipped is reported now.
	notes, probs := pendingReport(r.facts)
	for _, n := range notes {
		r.env.Log.Info(n)
	}
	for _, p := range probs {
		r.env.Log.Warn("skipped " + p.String())
	}
	if r.req.Strict && len(probs) > 0 {
		return &ProblemsError{Problems: probs}
	}
	return nil
}

// pendingReport is what reading the pending findings of f found.
func pendingReport(f *fact.Facts) ([]string, []fact.Problem) {
	if f.Pending == nil {
		return nil, nil
	}
	return f.Pending.Report()
}

// span returns the stage that computes the metrics of every month of s.
func (r *run) span(s compute.Span) stage {
	return func(ctx context.Context) error {
		r.periods = s.Periods()
		return r.computeMonths(ctx)
	}
}

// figures is span for what prints the figures alone (compute): the
// months without the detail reports show (compute.Month.Detail), which
// the figures do not depend on and whose lists (findings past their SLA,
// the deployments of each month …) grow with the findings still open.
func (r *run) figures(s compute.Span) stage {
	return func(ctx context.Context) error {
		r.periods = s.Periods()
		r.detailFrom = len(r.periods)
		return r.computeMonths(ctx)
	}
}

// report is span for the report of its last month: the months before it
// are its trend and the month before, whose figures alone it shows.
func (r *run) report(s compute.Span) stage {
	return func(ctx context.Context) error {
		r.periods = s.Periods()
		r.detailFrom = len(r.periods) - 1
		return r.computeMonths(ctx)
	}
}

// computeMonths computes the month of each of r.periods, on every CPU (a
// History computes any number of periods at once).
func (r *run) computeMonths(ctx context.Context) error {
	r.months = make([]compute.Month, len(r.periods))
	par.Each(len(r.periods), func(i int) {
		if ctx.Err() != nil {
			return
		}
		if i < r.detailFrom {
			r.months[i] = r.hist.Metrics(r.periods[i])
		} else {
			r.months[i] = r.hist.Period(r.periods[i])
		}
	})
	return ctx.Err()
}

// alerts fills each month's alerts[] as of the end of its period, or as
// of the request's time if that is earlier (docs/metrics.md, docs/alerts.md).
func (r *run) alerts(context.Context) error {
	windows, err := alert.FillMonths(r.hist, r.months, r.req.Now)
	if err != nil {
		return err
	}
	if windows > 0 {
		r.env.Log.Debug("alerts filled", "months", len(r.months), "rules", len(r.hist.Config.Alerts), "windows_computed", windows)
	}
	return nil
}

// partial reports whether the last month computed has not ended yet.
func (r *run) partial() bool {
	n := len(r.periods)
	return n > 0 && r.periods[n-1].End.After(r.req.Now)
}

// reports are the views of the months computed: each month with the one
// before it and a trend of up to TrendMonths months ending with it; the
// last is partial when its month has not ended. Open findings show
// their details only with report.findings: full.
func (r *run) reports() []render.Report {
	details := r.cfg != nil && r.cfg.FindingDetails() // no configuration read: counts
	out := make([]render.Report, len(r.months))
	for i := range r.months {
		out[i] = render.Report{Month: r.months[i], Trend: r.months[max(0, i+1-TrendMonths) : i+1], FindingDetails: details}
		if i < len(r.explain) {
			out[i].Explain = r.explain[i]
		}
		if i > 0 {
			out[i].Prev = &r.months[i-1]
		}
	}
	if n := len(out); n > 0 {
		out[n-1].Partial = r.partial()
	}
	return out
}

// assets are what rendering needs before any data is read: the templates
// (built in, overridden from a folder) and a local copy of ECharts.
type assets struct {
	templates templates.Files
	echarts   []byte // nil: pages load ECharts from its public host
}

// loadAssets reads the templates of dir ("" for the built-in ones) and
// the ECharts file echartsJS ("" for none).
func loadAssets(dir, echartsJS string) (assets, error) {
	files, err := templates.Load(dir)
	if err != nil {
		return assets{}, &InputError{Input: "templates", Value: dir, Err: err}
	}
	a := assets{templates: files}
	if echartsJS != "" {
		if a.echarts, err = os.ReadFile(echartsJS); err != nil {
			return assets{}, &InputError{Input: "echarts-js", Err: err}
		}
	}
	return a, nil
}
