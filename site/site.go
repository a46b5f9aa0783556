package site

import (
	"bytes"
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/internal/outdir"
	"github.com/gitdora/gitdora/internal/par"
	"github.com/gitdora/gitdora/render"
	"github.com/gitdora/gitdora/templates"
)

//go:embed assets
var assets embed.FS

func asset(name string) []byte {
	b, err := assets.ReadFile("assets/" + name)
	if err != nil {
		panic("embedded asset " + name + ": " + err.Error())
	}
	return b
}

// Site paths of the assets.
const (
	cssPath     = "assets/style.css"
	chartsPath  = "assets/charts.js"
	echartsPath = "assets/echarts.min.js"
)

// EchartsVersion is the ECharts release pages load unless a local copy
// is given: the one the go-echarts version in go.mod targets (the tests
// load the same release, .ci/package.json).
const EchartsVersion = "5.6.0"

// EchartsIntegrity is the Subresource Integrity hash of that release's
// dist/echarts.min.js: a browser runs the script from the public host
// only if it is that file, byte for byte. A test checks it against the
// file npm installs (npm ci --prefix .ci).
const EchartsIntegrity = "sha384-pPi0zxBAoDu6+JXW/C68UZLvBUUtU+7zonhif43rqj7pxsGyqyqzcian2Rj37Rss"

// EchartsURL is where pages load ECharts from unless a local copy is
// given: EchartsVersion's dist/echarts.min.js on a public host that
// serves npm releases unchanged, at an address that names the version
// (go-echarts' own assets host names none, so the file behind it may
// change and fail the integrity check).
func EchartsURL() string {
	return "https://cdn.jsdelivr.net/npm/echarts@" + EchartsVersion + "/dist/echarts.min.js"
}

// Options says what the site holds and where it goes.
type Options struct {
	// Out is the folder to build; it is replaced as a whole, atomically.
	Out string
	// Templates are the report and page templates.
	Templates templates.Files
	// EchartsJS is a local copy of echarts.min.js to ship with the site;
	// nil loads ECharts from EchartsURL.
	EchartsJS []byte
	// BaseURL is the address the site is published at (for the feed); "" for relative links.
	BaseURL string
	// Reports are the report of every month of the site, oldest first,
	// each with its trend and whether it is partial, as the caller chose.
	Reports []render.Report
	// Updated maps a month to the latest instant of its data (the feed's updated times).
	Updated map[string]time.Time
	// Guard names what Out must not be or hold: the repository and data
	// the site is built from.
	Guard outdir.Guard

	// Title heads the index ("" for the default).
	Title string
	// Slices are the services and teams with pages of their own, each a
	// site in its folder (docs/services.md).
	Slices []Slice
	// SliceRows are the rows of the index's table of slices (a
	// repository's services and teams, an organisation's repositories),
	// under SlicesTitle; the table sorts when a heading is clicked.
	SliceRows   []render.SliceRow
	SlicesTitle string
}

// Slice is a service or team of the site, with its own pages.
type Slice struct {
	// Path is its folder in the site, ending in a slash (services/api/).
	Path string
	// Title heads its index.
	Title string
	// Reports and Updated are as Options' for the slice.
	Reports []render.Report
	Updated map[string]time.Time
}

// sortPath is the site path of the table sorter.
const sortPath = "assets/sort.js"

// SlicePath is the folder of a service's or team's pages in a site:
// services/NAME/ or teams/NAME/, the name kept to letters, digits, '.',
// '_' and '-' (other bytes written as -XX in hexadecimal, a leading '@'
// dropped: @org/payments is teams/org-2fpayments/).
func SlicePath(kind, name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case i == 0 && c == '@':
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' && i > 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "-%02x", c)
		}
	}
	dir := "services/"
	if kind == "team" {
		dir = "teams/"
	}
	return dir + b.String() + "/"
}

// Build renders the whole site into a temporary folder beside o.Out and
// then puts it in o.Out's place, so readers never see half a site. An
// existing o.Out must be empty or a folder gitdora built (it holds
// outdir.Marker, which every build writes), and neither o.Guard nor
// outdir.Guard.Check may refuse it: anything else is refused rather than
// deleted, before anything is rendered.
func Build(o Options) error {
	if err := o.Guard.Check("out", o.Out, outdir.Replace); err != nil {
		return err
	}
	r, err := render.New(o.Templates)
	if err != nil {
		return err
	}
	// Each page goes to disk once rendered: the rows behind the figures of
	// years of months would otherwise be held in memory together.
	return replaceDir(o.Out, o.Guard, func(put putFunc) error { return files(r, o, put) })
}

// putFunc stores one file of the site, named by its slash-separated path
// in the site. It is safe for concurrent use.
type putFunc func(name string, b []byte) error

// files renders the site's files, each given to put.
func files(r *render.Renderer, o Options, put putFunc) error {
	fixed := map[string][]byte{
		cssPath:       asset("style.css"),
		chartsPath:    asset("charts.js"),
		"favicon.svg": asset("favicon.svg"),
	}
	if o.EchartsJS != nil {
		fixed[echartsPath] = o.EchartsJS
	}
	if len(o.SliceRows) > 0 {
		fixed[sortPath] = asset("sort.js")
	}
	for name, b := range fixed { // each to a file of its own: the order does not matter
		if err := put(name, b); err != nil {
			return err
		}
	}
	if err := pages(r, o, put, "", ""); err != nil {
		return err
	}
	for _, sl := range o.Slices {
		so := o
		so.Reports, so.Updated, so.Title, so.Slices, so.SliceRows = sl.Reports, sl.Updated, sl.Title, nil, nil
		if so.BaseURL != "" {
			so.BaseURL += sl.Path
		}
		if err := pages(r, so, put, sl.Path, strings.Repeat("../", strings.Count(sl.Path, "/"))); err != nil {
			return fmt.Errorf("%s: %w", strings.TrimSuffix(sl.Path, "/"), err)
		}
	}
	return nil
}

// pages renders the pages and exports of o's reports, each given to put,
// under prefix (a folder of the site, "" for its root), root leading from there
// back to the site's root.
func pages(r *render.Renderer, o Options, put putFunc, prefix, root string) error {
	echartsSrc, echartsSRI := EchartsURL(), EchartsIntegrity
	if o.EchartsJS != nil {
		echartsSrc, echartsSRI = root+echartsPath, ""
	}
	page := func(title string, nav []render.Link) render.Page {
		return render.Page{Title: title, Nav: nav, Site: true, Root: root, Assets: render.Assets{CSSHref: cssPath, EchartsSrc: echartsSrc, EchartsIntegrity: echartsSRI, ChartsJSSrc: chartsPath}}
	}
	months := make([]compute.Month, len(o.Reports))
	for i := range o.Reports {
		months[i] = o.Reports[i].Month
	}
	partial := len(o.Reports) > 0 && o.Reports[len(o.Reports)-1].Partial
	// Months render independently, in parallel, each page given to put
	// once rendered; the first error by month is returned.
	errs := make([]error, len(months))
	var latest *render.Prepared // the last month's view also heads the index
	par.Each(len(months), func(i int) {
		m := &months[i]
		var nav []render.Link
		if i > 0 {
			nav = append(nav, render.Link{Href: months[i-1].Month + ".html", Text: "← " + months[i-1].Month, Rel: "prev"})
		}
		if i+1 < len(months) {
			nav = append(nav, render.Link{Href: months[i+1].Month + ".html", Text: months[i+1].Month + " →", Rel: "next"})
		}
		nav = append(nav, render.Link{Href: m.Month + ".md", Text: "Markdown"})
		if o.Reports[i].Explain != nil {
			nav = append(nav, render.Link{Href: render.ExplainPagePath(m.Month), Text: "Rows behind the figures"})
		}
		// One view per month, rendered as Markdown and as a page
		// (and, for the last month, heading the index).
		prep := render.Prepare(o.Reports[i])
		if i == len(months)-1 {
			latest = prep
		}
		var md, html bytes.Buffer
		if err := r.PreparedMarkdown(&md, prep); err != nil {
			errs[i] = fmt.Errorf("%s: %w", m.Month, err)
			return
		}
		if err := r.PreparedHTML(&html, prep, page("DORA report "+m.Month, nav)); err != nil {
			errs[i] = fmt.Errorf("%s: %w", m.Month, err)
			return
		}
		if err := put(prefix+m.Month+".md", md.Bytes()); err != nil {
			errs[i] = err
			return
		}
		if err := put(prefix+m.Month+".html", html.Bytes()); err != nil {
			errs[i] = err
			return
		}
		if explain := o.Reports[i].Explain; explain != nil {
			x := explain()
			var b bytes.Buffer
			p := page("Rows behind the figures of "+m.Month, []render.Link{{Href: "../" + m.Month + ".html", Text: "← report " + m.Month, Rel: "up"}})
			p.Root = root + "../"
			if err := r.ExplainHTML(&b, x, p, o.Reports[i].FindingDetails); err != nil {
				errs[i] = fmt.Errorf("%s: rows behind the figures: %w", m.Month, err)
				return
			}
			if err := put(prefix+render.ExplainPagePath(m.Month), b.Bytes()); err != nil {
				errs[i] = err
				return
			}
		}
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	var b bytes.Buffer
	idx := render.Index{Months: months, Partial: partial, Slices: o.SliceRows, SlicesTitle: o.SlicesTitle, Latest: latest}
	title := o.Title
	if title == "" {
		title = "DORA and security scan impact"
	}
	p := page(title, nil)
	if len(o.SliceRows) > 0 {
		p.Scripts = []string{sortPath}
	}
	if err := r.IndexHTML(&b, idx, p); err != nil {
		return err
	}
	if err := put(prefix+"index.html", b.Bytes()); err != nil {
		return err
	}
	exports := []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		// The same writers as `gitdora compute --format json|csv`.
		{"metrics.json", func(w *bytes.Buffer) error { return render.MonthsJSON(w, months) }},
		{"metrics.csv", func(w *bytes.Buffer) error { return render.DottedCSV(w, months) }},
		{"metrics.prom", func(w *bytes.Buffer) error {
			if len(months) == 0 {
				return nil
			}
			return render.Prometheus(w, &months[len(months)-1])
		}},
		{"badge.svg", func(w *bytes.Buffer) error {
			if len(months) == 0 {
				return render.Badge(w, nil)
			}
			return render.Badge(w, &months[len(months)-1])
		}},
		{"feed.xml", func(w *bytes.Buffer) error {
			return render.WriteFeed(w, render.Feed{ID: o.BaseURL, BaseURL: o.BaseURL, Months: months, Updated: o.Updated})
		}},
	}
	for _, e := range exports {
		var w bytes.Buffer
		if err := e.write(&w); err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
		if err := put(prefix+e.name, w.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// replaceDir has write put files into a new folder beside dir, marks it
// as gitdora's, then swaps it in: dir, checked by the caller before,
// is checked again right before the swap.
func replaceDir(dir string, guard outdir.Guard, write func(put putFunc) error) error {
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".new-")
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := write(func(name string, b []byte) error { return writeFile(tmp, name, b) }); err != nil {
		return err
	}
	if err := outdir.Mark(tmp); err != nil {
		return err
	}
	// Again, now that the pages are written: dir may have changed meanwhile.
	if err := guard.Check("out", dir, outdir.Replace); err != nil {
		return err
	}
	old := ""
	if _, err := os.Lstat(dir); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return fmt.Errorf("replace %s: %w", dir, err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			_ = os.Rename(old, dir)
		}
		return fmt.Errorf("replace %s: %w", dir, err)
	}
	ok = true
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("remove the previous %s: %w", dir, err)
		}
	}
	return nil
}

// writeFile writes the file name (slash-separated) under root, creating
// its folders as needed.
func writeFile(root, name string, b []byte) error {
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, b, 0o644)
}
