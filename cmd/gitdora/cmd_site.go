package main

import (
	"maps"
	"slices"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/site"
	"github.com/gitdora/gitdora/templates"
)

// SiteCmd is `gitdora site`.
type SiteCmd struct {
	Out       string `default:"public" placeholder:"DIR" help:"Folder to build the site into (replaced atomically)."`
	Templates string `placeholder:"DIR" help:"Folder of templates overriding the built-in ones."`
	EchartsJS string `name:"echarts-js" env:"GITDORA_ECHARTS_JS" placeholder:"FILE" help:"A local echarts.min.js to copy into the site instead of loading it from the go-echarts assets host."`
	BaseURL   string `name:"base-url" placeholder:"URL" help:"The address the site is published at, e.g. https://example.github.io/repo/ (for the Atom feed's links)."`
}

// Help shows an example.
func (c *SiteCmd) Help() string {
	return "Example:\n  gitdora site --out public --echarts-js node_modules/echarts/dist/echarts.min.js"
}

// renderSetup checks what rendering needs before any data is read: the
// --templates folder and the --tz zone.
func renderSetup(g *Globals, templatesDir string) (templates.Files, *time.Location, error) {
	files, err := templates.Load(templatesDir)
	if err != nil {
		return nil, nil, err
	}
	loc, err := g.Location()
	if err != nil {
		return nil, nil, err
	}
	return files, loc, nil
}

// computeMonths computes the named months, alerts as of now included.
func computeMonths(g *Globals, h *compute.History, names []string, loc *time.Location, now time.Time) ([]compute.Month, []compute.Period, error) {
	periods, err := compute.MonthPeriods(names, loc)
	if err != nil {
		return nil, nil, err
	}
	months, err := g.months(h, periods, now)
	return months, periods, err
}

// Run builds the site.
func (c *SiteCmd) Run(g *Globals) error {
	files, loc, err := renderSetup(g, c.Templates)
	if err != nil {
		return err
	}
	now := time.Now()
	h, err := g.history()
	if err != nil {
		return err
	}
	collected := time.Now()
	// Pages for the months that hold data only: one deployment dated 1970
	// made 684 empty months.
	months, periods, err := computeMonths(g, h, slices.Sorted(maps.Keys(h.LastActivity())), loc, now)
	if err != nil {
		return err
	}
	computed := time.Now()
	partial := len(periods) > 0 && periods[len(periods)-1].End.After(now)
	baseURL := c.BaseURL
	if baseURL != "" && baseURL[len(baseURL)-1] != '/' {
		baseURL += "/"
	}
	err = site.Build(site.Options{Out: c.Out, Templates: files, EchartsJS: c.EchartsJS, BaseURL: baseURL, Months: months, Partial: partial, Updated: h.LastActivity()})
	if err != nil {
		return err
	}
	g.Log.Debug("timing", "collect", collected.Sub(now).String(), "compute", computed.Sub(collected).String(), "render", time.Since(computed).String())
	g.Log.Info("built the site", "dir", c.Out, "months", len(months))
	return nil
}
