package render

import (
	"bytes"
	htmltemplate "html/template"
	"io"
	"strings"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/internal/esc"
)

// ExplainRowsLimit caps the rows a published page lists per figure;
// `gitdora explain` lists them all.
const ExplainRowsLimit = 1000

// ExplainPagePath is the site path of the page with the rows behind the
// figures of month (YYYY-MM), and ExplainHref the link to one figure on
// it from a month's page.
func ExplainPagePath(month string) string { return "explain/" + month + ".html" }

// ExplainHref links the figure key of month from the month's page (the
// anchor is the key as explain prints it: esc.Line).
func ExplainHref(month, key string) string { return ExplainPagePath(month) + "#" + esc.Line(key) }

// explainSection is the rows of one row list and the figures taken from it.
type explainSection struct {
	ID      string
	Figures []explainFigure
	Columns []string
	// Rows are written as the table's rows by writeRows, escaped as
	// html/template escapes text, not by a template: a site has tens of
	// thousands of rows, which a template would take seconds over.
	Rows [][]string
	More int
	// Key is a figure of the list and Month its month, for the command
	// that lists every row.
	Key, Month string
}

type explainFigure struct {
	Key   string
	Lines []string
}

type explainPage struct {
	Month    string
	Report   string
	Sections []explainSection
	Keys     []string
	// Details says the rows name findings' rules and files
	// (report.findings: full).
	Details bool
}

// The page is written in pieces: its head, then each section's head,
// its rows (writeRows) and its tail.
var (
	explainHead = htmltemplate.Must(htmltemplate.New("explain").Parse(`<h1>Rows behind the figures of {{.Month}}</h1>
<p>Each figure of the <a href="{{.Report}}">report of {{.Month}}</a> with the rows it was computed from, in the order it took them, as <code>gitdora explain METRIC --month {{.Month}}</code> lists them.
{{- if .Details}} Finding episodes show their rule, file and line (<code>report.findings: full</code>).
{{- else}} Finding episodes show their tool, severity and dates only (<code>report.findings: counts</code>).{{end}}</p>
<ul class="explain-index">
{{- range .Keys}}
<li><a href="#{{.}}"><code>{{.}}</code></a></li>
{{- end}}
</ul>`))
	explainSectionHead = htmltemplate.Must(htmltemplate.New("section").Parse(`
<section id="list-{{.ID}}">
<h2>{{.ID}}</h2>
<ul>
{{- range .Figures}}
<li id="{{.Key}}">{{range $i, $l := .Lines}}{{if $i}}<br>{{end}}{{$l}}{{end}}</li>
{{- end}}
</ul>
{{- if .Rows}}
<table>
<thead><tr>{{range .Columns}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{end}}`))
	explainSectionTail = htmltemplate.Must(htmltemplate.New("section-end").Parse(`
{{- if .Rows}}
</tbody>
</table>
{{- end}}
{{- with .More}}
<p>… and {{.}} more rows: <code>gitdora explain {{$.Key}} --month {{$.Month}}</code> lists them all.</p>
{{- end}}
</section>`))
)

// ExplainHTML writes the page of the rows behind every figure of the
// month x explains, in the site's layout (p.Root reaches the site's
// root): one section per list of rows, with an anchor per figure (its
// JSON key). Every cell is escaped by html/template. Finding episodes
// show their rule, file and line, and exemptions what they name and
// why, only with details (report.findings: full); messages and authors
// never.
func (r *Renderer) ExplainHTML(w io.Writer, x *compute.Explained, p Page, details bool) error {
	m := x.Month()
	page := explainPage{Month: m.Month, Report: "../" + m.Month + ".html", Details: details} // the page is in explain/, beside the month's report
	at := map[string]int{}
	o := ExplainOptions{Loc: m.Period.Start.Location(), FindingDetails: details}
	for _, key := range x.Keys() {
		e, err := x.Of(key)
		if err != nil {
			return err
		}
		// A key names a SARIF tool or a service: shown, and an anchor,
		// as explain prints it.
		shown := esc.Line(key)
		page.Keys = append(page.Keys, shown)
		list := e.List
		if list == "" {
			list = key
		}
		i, ok := at[list]
		if !ok {
			i = len(page.Sections)
			at[list] = i
			page.Sections = append(page.Sections, explainSection{ID: esc.Line(list), Key: shown, Month: m.Month})
		}
		s := &page.Sections[i]
		lines := ExplainSummary(&e)
		for k := range lines {
			lines[k] = esc.Line(lines[k])
		}
		s.Figures = append(s.Figures, explainFigure{Key: shown, Lines: lines})
		// The rows of a list are the same for each of its figures; a
		// ratio adds the column of its numerator.
		if cols := explainCols(&e, o); len(cols) > len(s.Columns) || s.Columns == nil {
			s.Columns, s.Rows, s.More = nil, nil, 0
			for _, c := range cols {
				s.Columns = append(s.Columns, c.name)
			}
			for j := range e.Rows {
				if j == ExplainRowsLimit {
					s.More = len(e.Rows) - j
					break
				}
				rec := make([]string, len(cols))
				for k, c := range cols {
					// as explain prints it: no control character or
					// bidirectional override acts on the page
					rec[k] = esc.Line(c.cell(&e.Rows[j]))
				}
				s.Rows = append(s.Rows, rec)
			}
		}
	}
	var body strings.Builder
	body.Grow(explainSize(&page))
	if err := explainHead.Execute(&body, page); err != nil {
		return err
	}
	for i := range page.Sections {
		sec := &page.Sections[i]
		if err := explainSectionHead.Execute(&body, sec); err != nil {
			return err
		}
		writeRows(&body, sec.Rows)
		if err := explainSectionTail.Execute(&body, sec); err != nil {
			return err
		}
	}
	body.WriteString("\n")
	d := pageData{Page: p, Content: htmltemplate.HTML(body.String())}
	var out bytes.Buffer
	out.Grow(body.Len() + 16<<10) // the layout around it
	if err := r.html.ExecuteTemplate(&out, tmplPage, d); err != nil {
		return err
	}
	_, err := w.Write(out.Bytes())
	return err
}

// explainSize is about the length of page's HTML: its rows' cells and
// markup, with room for what escaping adds and for the figures.
func explainSize(page *explainPage) int {
	n := 8 << 10
	for i := range page.Sections {
		n += 1 << 10
		for _, row := range page.Sections[i].Rows {
			n += len("\n<tr></tr>")
			for _, c := range row {
				n += len("<td></td>") + len(c)
			}
		}
	}
	return n + n/16
}

// writeRows writes rows as the rows of a table body, each after a line
// break: what a template's range over them would write.
func writeRows(b *strings.Builder, rows [][]string) {
	for _, row := range rows {
		b.WriteString("\n<tr>")
		for _, c := range row {
			b.WriteString("<td>")
			escapeText(b, c)
			b.WriteString("</td>")
		}
		b.WriteString("</tr>")
	}
}

// escapeText writes s as html/template escapes text in HTML: its
// replacement table for NUL, ", &, ', +, < and >; every other byte as it
// is.
func escapeText(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(repl)
		last = i + 1
	}
	b.WriteString(s[last:])
}
