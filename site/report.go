package site

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gitdora/gitdora/render"
	"github.com/gitdora/gitdora/templates"
)

// Report formats.
const (
	FormatMarkdown = "markdown"
	FormatHTML     = "html"
)

// ReportOptions says which report files to write where.
type ReportOptions struct {
	// Out is the folder to write YYYY-MM.md and YYYY-MM.html into.
	Out       string
	Formats   []string
	Templates templates.Files
	// EchartsJS is a local copy of echarts.min.js to write beside the HTML
	// report; nil loads ECharts from EchartsURL.
	EchartsJS []byte
	Report    render.Report
}

// ReportFile is one file of a report.
type ReportFile struct {
	Name string // file name: YYYY-MM.md, YYYY-MM.html or echarts.min.js
	Data []byte
}

// ReportFiles renders the report of one month in the formats asked for,
// in that order. The HTML page stands alone: its stylesheet and chart
// loader are inline, and ECharts is loaded from EchartsURL or, with
// EchartsJS, from a copy beside it (echarts.min.js, listed after it).
func ReportFiles(o ReportOptions) ([]ReportFile, error) {
	r, err := render.New(o.Templates)
	if err != nil {
		return nil, err
	}
	month := o.Report.Month.Month
	var out []ReportFile
	for _, f := range o.Formats {
		var b bytes.Buffer
		switch f {
		case FormatMarkdown:
			if err := r.Markdown(&b, o.Report); err != nil {
				return nil, err
			}
			out = append(out, ReportFile{month + ".md", b.Bytes()})
		case FormatHTML:
			src := EchartsURL()
			if o.EchartsJS != nil {
				src = "echarts.min.js"
			}
			p := render.Page{Title: "DORA report " + month, Assets: render.Assets{CSS: string(asset("style.css")), ChartsJS: string(asset("charts.js")), EchartsSrc: src, Favicon: string(asset("favicon.svg"))}}
			if err := r.MonthHTML(&b, o.Report, p); err != nil {
				return nil, err
			}
			out = append(out, ReportFile{month + ".html", b.Bytes()})
			if o.EchartsJS != nil {
				out = append(out, ReportFile{"echarts.min.js", o.EchartsJS})
			}
		default:
			return nil, fmt.Errorf("--format %q: want markdown or html", f)
		}
	}
	return out, nil
}

// WriteReport writes the files of ReportFiles into o.Out, each to a
// temporary file first and renamed into place, and returns their paths.
func WriteReport(o ReportOptions) ([]string, error) {
	files, err := ReportFiles(o)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, err
	}
	var written []string
	for _, f := range files {
		p := filepath.Join(o.Out, f.Name)
		if err := writeFileAtomic(p, f.Data); err != nil {
			return written, err
		}
		written = append(written, p)
	}
	return written, nil
}

// writeFileAtomic writes b to a temporary file beside path, then renames it.
func writeFileAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(b)
	cerr := f.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp, 0o644)
	}
	if werr == nil {
		werr = os.Rename(tmp, path)
	}
	if werr != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, werr)
	}
	return nil
}
