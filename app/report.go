package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/outdir"
	"github.com/gitdora/gitdora/site"
)

// ReportRequest asks for the monthly report of one month.
type ReportRequest struct {
	Request
	// Month is the month to report; zero is the last complete month.
	Month compute.YearMonth
	// Formats are site.FormatMarkdown, site.FormatHTML or both, in order.
	Formats []string
	// Out is the folder to write YYYY-MM.md and YYYY-MM.html into.
	Out string
	// Templates is a folder of templates overriding the built-in ones; "" for none.
	Templates string
	// EchartsJS is a local echarts.min.js to copy beside the HTML report;
	// "" loads ECharts from its public host.
	EchartsJS string
	// Guard names what Out must not be or hold (outdir.Guard.Check).
	Guard outdir.Guard
	// Commit also commits the report to the data branch under reports/;
	// Push pushes it to Remote (and implies Commit).
	Commit, Push bool
	Remote       string
}

// Report writes the report of req.Month, with a trend of up to
// TrendMonths months that starts with the first month with data.
func Report(ctx context.Context, req ReportRequest, env Env) error {
	a, err := loadAssets(req.Templates, req.EchartsJS)
	if err != nil {
		return err
	}
	// Out is checked before anything is read: a refused folder costs nothing.
	if err := req.Guard.Check("out", req.Out, outdir.Fill); err != nil {
		return err
	}
	if req.AsOf != "" && (req.Commit || req.Push) {
		return &InputError{Input: "as-of", Err: errors.New("a report rebuilt as of an earlier data commit is not committed to the data branch again"),
			Hint: func(n fact.Naming) string { return "leave out " + n.Of("commit") + " and " + n.Of("push") }}
	}
	month := req.Month
	if month.IsZero() {
		month = compute.LastCompleteMonth(req.Now, req.Loc)
	}
	r := &run{req: req.Request, env: env}
	trend := compute.Trailing(month, TrendMonths, req.Loc)
	if err := through(ctx, r.load, r.readFrom(trend), r.gather, r.history); err != nil {
		return err
	}
	// The trend starts with the first month that has data (without any
	// data, the report covers its month alone).
	if have, ok := r.hist.Span(); !ok {
		trend.First = trend.Last
	} else if trend.First.Before(have.First) {
		trend.First = have.First
		if trend.Last.Before(trend.First) {
			trend.First = trend.Last
		}
	}
	if err := through(ctx, r.report(trend), r.alerts); err != nil {
		return err
	}
	reports := r.reports()
	opts := site.ReportOptions{Out: req.Out, Formats: req.Formats, Templates: a.templates, EchartsJS: a.echarts, Report: reports[len(reports)-1], Guard: req.Guard}
	written, err := site.WriteReport(opts)
	for _, p := range written {
		env.Log.Info("wrote " + p)
	}
	if err != nil || !(req.Commit || req.Push) {
		return err
	}
	return r.commitReport(ctx, opts, req.Push, req.Remote)
}

// commitReport stores the report's Markdown and HTML on the data branch
// the report was computed from, under reports/.
func (r *run) commitReport(ctx context.Context, opts site.ReportOptions, push bool, remote string) error {
	opts.EchartsJS = nil // the data branch keeps the report, not a copy of ECharts
	files, err := site.ReportFiles(opts)
	if err != nil {
		return err
	}
	month := opts.Report.Month.Month
	res, err := r.store.Update(ctx, "gitdora report "+month, data.WriteOptions{Push: push, Remote: remote, Log: r.env.Log}, func(tx *data.Tx) error {
		for _, f := range files {
			if err := tx.WriteFile(filepath.ToSlash(filepath.Join("reports", f.Name)), f.Data); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("commit the report to the data branch: %w", err)
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = "reports/" + f.Name
	}
	switch {
	case !res.Changed:
		r.env.Log.Info("the data branch already holds this report", "files", strings.Join(names, ", "))
	case res.Commit != "":
		r.env.Log.Info("committed the report to the data branch", "commit", res.Commit, "files", strings.Join(names, ", "))
	default:
		r.env.Log.Info("wrote the report into the data folder", "files", strings.Join(names, ", "))
	}
	return nil
}
