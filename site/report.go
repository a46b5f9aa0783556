package site

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"

	"github.com/gitdora/gitdora/internal/outdir"
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
	// Guard names what Out must not be or hold: the repository and data
	// the report is built from.
	Guard outdir.Guard
}

// ReportFile is one file of a report.
type ReportFile struct {
	Name string // file name: YYYY-MM.md, YYYY-MM.html or echarts.min.js
	Data []byte
}

// ReportFiles renders the report of one month in the formats asked for,
// in that order. The HTML page stands alone: its stylesheet and chart
// loader are inline, and ECharts is loaded from EchartsURL (with its
// integrity hash) or, with EchartsJS, from a copy beside it
// (echarts.min.js, listed after it).
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
			src, sri := EchartsURL(), EchartsIntegrity
			if o.EchartsJS != nil {
				src, sri = "echarts.min.js", ""
			}
			p := render.Page{Title: "DORA report " + month, Assets: render.Assets{CSS: string(asset("style.css")), ChartsJS: string(asset("charts.js")), EchartsSrc: src, EchartsIntegrity: sri, Favicon: string(asset("favicon.svg"))}}
			if err := r.MonthHTML(&b, o.Report, p); err != nil {
				return nil, err
			}
			out = append(out, ReportFile{month + ".html", b.Bytes()})
			if o.EchartsJS != nil {
				out = append(out, ReportFile{"echarts.min.js", o.EchartsJS})
			}
		default:
			return nil, fmt.Errorf("report format %q: want %s or %s", f, FormatMarkdown, FormatHTML)
		}
	}
	return out, nil
}

// WriteReport writes the files of ReportFiles into o.Out, each to a
// temporary file first and renamed into place, and returns their paths.
// o.Out must be new, empty or a folder gitdora wrote (outdir.Guard.Check);
// it is marked as gitdora's (outdir.Marker).
func WriteReport(o ReportOptions) ([]string, error) {
	if err := o.Guard.Check("out", o.Out, outdir.Fill); err != nil {
		return nil, err
	}
	files, err := ReportFiles(o)
	if err != nil {
		return nil, err
	}
	if err := outdir.MkdirAll(o.Out); err != nil {
		return nil, err
	}
	if err := outdir.Mark(o.Out); err != nil {
		return nil, err
	}
	var written []string
	for _, f := range files {
		err := outdir.WriteFile(o.Out, f.Name, func(w io.Writer) error {
			_, err := w.Write(f.Data)
			return err
		})
		if err != nil {
			return written, err
		}
		written = append(written, filepath.Join(o.Out, f.Name))
	}
	return written, nil
}
