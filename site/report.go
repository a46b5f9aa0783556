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
	// EchartsJS is a local echarts.min.js to copy beside the HTML report;
	// "" loads ECharts from EchartsURL.
	EchartsJS string
	Report    render.Report
}

// WriteReport writes the report of one month. The HTML page stands alone:
// its stylesheet and chart loader are inline. Each file is written to a
// temporary file first and renamed into place. It returns the paths written.
func WriteReport(o ReportOptions) ([]string, error) {
	r, err := render.New(o.Templates)
	if err != nil {
		return nil, err
	}
	month := o.Report.Month.Month
	files := map[string][]byte{}
	var order []string
	for _, f := range o.Formats {
		var b bytes.Buffer
		switch f {
		case FormatMarkdown:
			if err := r.Markdown(&b, o.Report); err != nil {
				return nil, err
			}
			files[month+".md"] = b.Bytes()
			order = append(order, month+".md")
		case FormatHTML:
			src := EchartsURL()
			if o.EchartsJS != "" {
				js, err := os.ReadFile(o.EchartsJS)
				if err != nil {
					return nil, fmt.Errorf("--echarts-js: %w", err)
				}
				files["echarts.min.js"] = js
				order = append(order, "echarts.min.js")
				src = "echarts.min.js"
			}
			p := render.Page{Title: "DORA report " + month, Assets: render.Assets{CSS: string(asset("style.css")), ChartsJS: string(asset("charts.js")), EchartsSrc: src}}
			if err := r.MonthHTML(&b, o.Report, p); err != nil {
				return nil, err
			}
			files[month+".html"] = b.Bytes()
			order = append(order, month+".html")
		default:
			return nil, fmt.Errorf("--format %q: want markdown or html", f)
		}
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, err
	}
	var written []string
	for _, name := range order {
		p := filepath.Join(o.Out, name)
		if err := writeFileAtomic(p, files[name]); err != nil {
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
