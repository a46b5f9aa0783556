package main

import (
	"fmt"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/render"
	"github.com/gitdora/gitdora/site"
	"github.com/gitdora/gitdora/templates"
)

// ReportCmd is `gitdora report`.
type ReportCmd struct {
	Month     string   `placeholder:"YYYY-MM" help:"The month (default: the last complete month)."`
	Format    []string `default:"markdown" enum:"markdown,html" help:"markdown, html or both (comma-separated)."`
	Out       string   `default:"reports" placeholder:"DIR" help:"Folder to write YYYY-MM.md and YYYY-MM.html into."`
	Templates string   `placeholder:"DIR" help:"Folder of templates overriding the built-in ones."`
	EchartsJS string   `name:"echarts-js" env:"GITDORA_ECHARTS_JS" placeholder:"FILE" help:"A local echarts.min.js to copy beside the HTML report instead of loading it from the go-echarts assets host."`
}

// Help shows an example.
func (c *ReportCmd) Help() string {
	return "Example:\n  gitdora report --month 2026-03 --format markdown,html --out reports"
}

// Run writes the report.
func (c *ReportCmd) Run(g *Globals) error {
	files, err := templates.Load(c.Templates)
	if err != nil {
		return err
	}
	loc, err := g.Location()
	if err != nil {
		return err
	}
	now := time.Now()
	month := c.Month
	if month == "" {
		month = compute.LastCompleteMonth(now, loc)
	}
	names, err := compute.TrailingMonths(month, render.TrendMonths)
	if err != nil {
		return fmt.Errorf("--month: %w", err)
	}
	h, err := g.history()
	if err != nil {
		return err
	}
	// The trend starts with the first month that has data.
	if have := h.Months(); len(have) > 0 {
		for len(names) > 1 && names[0] < have[0] {
			names = names[1:]
		}
	}
	periods := make([]compute.Period, len(names))
	for i, n := range names {
		if periods[i], err = compute.MonthPeriod(n, loc); err != nil {
			return err
		}
	}
	months, err := g.months(h, periods, now)
	if err != nil {
		return err
	}
	last := len(months) - 1
	rep := render.Report{Month: months[last], Trend: months, Partial: periods[last].End.After(now)}
	if last > 0 {
		rep.Prev = &months[last-1]
	}
	written, err := site.WriteReport(site.ReportOptions{Out: c.Out, Formats: c.Format, Templates: files, EchartsJS: c.EchartsJS, Report: rep})
	for _, p := range written {
		g.Log.Info("wrote " + p)
	}
	return err
}
