package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/render"
	"github.com/gitdora/gitdora/site"
)

// ReportCmd is `gitdora report`.
type ReportCmd struct {
	Month     string   `placeholder:"YYYY-MM" help:"The month (default: the last complete month)."`
	Format    []string `default:"markdown" enum:"markdown,html" help:"markdown, html or both (comma-separated)."`
	Out       string   `default:"reports" placeholder:"DIR" help:"Folder to write YYYY-MM.md and YYYY-MM.html into."`
	Templates string   `placeholder:"DIR" help:"Folder of templates overriding the built-in ones."`
	EchartsJS string   `name:"echarts-js" env:"GITDORA_ECHARTS_JS" placeholder:"FILE" help:"A local echarts.min.js to copy beside the HTML report instead of loading it from the go-echarts assets host."`
	Commit    bool     `help:"Also commit the report to the data branch as reports/YYYY-MM.md (and .html)."`
	Push      bool     `help:"Push the data branch after committing (implies --commit)."`
	Remote    string   `default:"origin" help:"Remote to push to."`
}

// Help shows an example.
func (c *ReportCmd) Help() string {
	return "Examples:\n  gitdora report --month 2026-03 --format markdown,html --out reports\n  gitdora report --format markdown,html --commit --push"
}

// Run writes the report.
func (c *ReportCmd) Run(g *Globals) error {
	files, loc, err := renderSetup(g, c.Templates)
	if err != nil {
		return err
	}
	now := time.Now()
	month := compute.LastCompleteMonth(now, loc)
	if c.Month != "" {
		if month, err = compute.ParseYearMonth("month", c.Month); err != nil {
			return fmt.Errorf("--month: %w", err)
		}
	}
	trend := compute.Trailing(month, render.TrendMonths, loc)
	h, err := g.history()
	if err != nil {
		return err
	}
	// The trend starts with the first month that has data (without any
	// data, the report covers its month alone).
	if have, ok := h.Span(); !ok {
		trend.First = trend.Last
	} else if trend.First.Before(have.First) {
		trend.First = have.First
		if trend.Last.Before(trend.First) {
			trend.First = trend.Last
		}
	}
	months, periods, err := computeMonths(g, h, trend, now)
	if err != nil {
		return err
	}
	last := len(months) - 1
	rep := render.Report{Month: months[last], Trend: months, Partial: periods[last].End.After(now)}
	if last > 0 {
		rep.Prev = &months[last-1]
	}
	opts := site.ReportOptions{Out: c.Out, Formats: c.Format, Templates: files, EchartsJS: c.EchartsJS, Report: rep}
	written, err := site.WriteReport(opts)
	for _, p := range written {
		g.Log.Info("wrote " + p)
	}
	if err != nil || !(c.Commit || c.Push) {
		return err
	}
	return c.commit(g, opts)
}

// commit stores the report's Markdown and HTML on the data branch under reports/.
func (c *ReportCmd) commit(g *Globals, opts site.ReportOptions) error {
	opts.EchartsJS = "" // the data branch keeps the report, not a copy of ECharts
	files, err := site.ReportFiles(opts)
	if err != nil {
		return err
	}
	store, _, err := g.load()
	if err != nil {
		return err
	}
	month := opts.Report.Month.Month
	res, err := store.Update(context.Background(), "gitdora report "+month, data.WriteOptions{Push: c.Push, Remote: c.Remote, Log: g.Log}, func(tx *data.Tx) error {
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
		g.Log.Info("the data branch already holds this report", "files", strings.Join(names, ", "))
	case res.Commit != "":
		g.Log.Info("committed the report to the data branch", "commit", res.Commit, "files", strings.Join(names, ", "))
	default:
		g.Log.Info("wrote the report into the data folder", "files", strings.Join(names, ", "))
	}
	return nil
}
