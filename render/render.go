package render

import (
	"bytes"
	"encoding/base64"
	"fmt"
	htmltemplate "html/template"
	"io"
	"net/url"
	"regexp"
	"strings"
	"sync"
	texttemplate "text/template"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"github.com/gitdora/gitdora/templates"
)

// Template names the renderer executes; a --templates folder may replace
// the files that define them.
const (
	tmplReport = "report" // the monthly report, Markdown (*.md.tmpl)
	tmplIndex  = "index"  // the site's index, Markdown (*.md.tmpl)
	tmplPage   = "page"   // the HTML layout of every page (*.html.tmpl)
)

// Renderer renders reports and pages from a set of templates.
type Renderer struct {
	md   *texttemplate.Template
	html *htmltemplate.Template
}

// New parses the templates: *.md.tmpl files as Markdown templates
// (text/template), *.html.tmpl files as the HTML layout (html/template).
func New(files templates.Files) (*Renderer, error) {
	md := texttemplate.New("gitdora")
	for _, name := range files.Matching(".md.tmpl") {
		if _, err := md.New(name).Parse(files[name]); err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
	}
	html := htmltemplate.New("gitdora")
	for _, name := range files.Matching(".html.tmpl") {
		if _, err := html.New(name).Parse(files[name]); err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
	}
	for _, need := range []struct {
		defined bool
		name    string
	}{{md.Lookup(tmplReport) != nil, tmplReport}, {md.Lookup(tmplIndex) != nil, tmplIndex}, {html.Lookup(tmplPage) != nil, tmplPage}} {
		if !need.defined {
			return nil, fmt.Errorf("templates: no template defines %q (the built-in ones do; an override must keep it)", need.name)
		}
	}
	return &Renderer{md: md, html: html}, nil
}

// Prepared is a monthly report built once, to render both as Markdown
// and as a page (and to head the site's index, Index.Latest).
type Prepared struct{ v *monthView }

// Prepare builds what the report of rep shows. Rendering it does not
// change it: it may be rendered any number of times, also at once.
func Prepare(rep Report) *Prepared { return &Prepared{newMonthView(rep)} }

// Markdown writes the monthly report as Markdown (charts as Mermaid).
func (r *Renderer) Markdown(w io.Writer, rep Report) error {
	return r.PreparedMarkdown(w, Prepare(rep))
}

// PreparedMarkdown is Markdown of a prepared report.
func (r *Renderer) PreparedMarkdown(w io.Writer, p *Prepared) error {
	var b bytes.Buffer
	if err := r.md.ExecuteTemplate(&b, tmplReport, p.v.as(false)); err != nil {
		return fmt.Errorf("report template: %w", err)
	}
	_, err := w.Write(tidy(b.Bytes()))
	return err
}

// Page is what the HTML layout shows around the content.
type Page struct {
	Title string
	// Root is the relative path from the page to the site root ("" or "../").
	Root string
	// Nav links to the pages around this one (previous, next month).
	Nav []Link
	// Assets says where the styles and scripts come from.
	Assets Assets
	// Site is true for pages of the site (links to the index, feed and exports).
	Site bool
	// Scripts are more scripts of the site to load (paths from its root,
	// e.g. assets/sort.js).
	Scripts []string
}

// Link is a navigation link.
type Link struct{ Href, Text, Rel string }

// Assets are the stylesheet and scripts of a page: files of the site, or
// inline for a page that stands alone.
type Assets struct {
	CSSHref     string // e.g. assets/style.css; "" inlines CSS
	CSS         string // the stylesheet, when inlined
	EchartsSrc  string // echarts.min.js: a URL or a path relative to the page
	ChartsJSSrc string // the chart loader; "" inlines ChartsJS
	ChartsJS    string // the chart loader, when inlined
	// Favicon is the icon of a page that stands alone, as an SVG document
	// (inlined as a data: URL); site pages link favicon.svg.
	Favicon string
	// EchartsIntegrity is the Subresource Integrity hash of EchartsSrc
	// ("sha384-…"), required when EchartsSrc is on another host: the
	// browser then runs the script only if its content has that hash.
	EchartsIntegrity string
}

// pageData is what the layout template sees.
type pageData struct {
	Page
	Content   htmltemplate.HTML
	HasCharts bool
	CSS       htmltemplate.CSS
	ChartsJS  htmltemplate.JS
	Icon      htmltemplate.URL
	// EchartsSRI is the integrity and crossorigin attributes of the
	// ECharts script, "" without an integrity hash.
	EchartsSRI htmltemplate.HTMLAttr
}

// sriHash is a Subresource Integrity hash: the algorithm, then the
// digest in base64.
var sriHash = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^sha(256|384|512)-[A-Za-z0-9+/]+={0,2}$`) })

// MonthHTML renders the monthly report as a page: the same Markdown, run
// through goldmark (HTML in the Markdown is not passed through), with the
// charts drawn by ECharts and their numbers in tables.
func (r *Renderer) MonthHTML(w io.Writer, rep Report, p Page) error {
	return r.PreparedHTML(w, Prepare(rep), p)
}

// PreparedHTML is MonthHTML of a prepared report.
func (r *Renderer) PreparedHTML(w io.Writer, rep *Prepared, p Page) error {
	v := rep.v.as(true)
	var md bytes.Buffer
	if err := r.md.ExecuteTemplate(&md, tmplReport, v); err != nil {
		return fmt.Errorf("report template: %w", err)
	}
	return r.page(w, md.Bytes(), v.figures, p)
}

// IndexHTML renders the site's index page.
func (r *Renderer) IndexHTML(w io.Writer, idx Index, p Page) error {
	v := newIndexView(idx)
	var md bytes.Buffer
	if err := r.md.ExecuteTemplate(&md, tmplIndex, v); err != nil {
		return fmt.Errorf("index template: %w", err)
	}
	figs := map[string]*Figure{}
	if v.Latest != nil {
		figs = v.Latest.figures
	}
	return r.page(w, md.Bytes(), figs, p)
}

func (r *Renderer) page(w io.Writer, md []byte, figs map[string]*Figure, p Page) error {
	charts := map[string]*Chart{}
	for _, f := range figs {
		for i := range f.Charts {
			charts[f.Charts[i].ID] = &f.Charts[i]
		}
	}
	cr := &chartRenderer{charts: charts}
	gm := goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(cr, 100))),
	)
	var body bytes.Buffer
	if err := gm.Convert(md, &body); err != nil {
		return fmt.Errorf("markdown: %w", err)
	}
	d := pageData{Page: p, Content: htmltemplate.HTML(body.String()), HasCharts: cr.drawn > 0}
	d.CSS = htmltemplate.CSS(p.Assets.CSS)
	d.ChartsJS = htmltemplate.JS(p.Assets.ChartsJS)
	if h := p.Assets.EchartsIntegrity; h != "" {
		if !sriHash().MatchString(h) {
			return fmt.Errorf("the integrity hash of %s is %q, want sha384-<base64>", p.Assets.EchartsSrc, h)
		}
		d.EchartsSRI = htmltemplate.HTMLAttr(`integrity="` + h + `" crossorigin="anonymous"`)
	} else if external(p.Assets.EchartsSrc) && d.HasCharts {
		return fmt.Errorf("%s is on another host and has no integrity hash: a page loads nothing from another host without one", p.Assets.EchartsSrc)
	}
	if p.Assets.Favicon != "" {
		d.Icon = htmltemplate.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte(p.Assets.Favicon)))
	}
	var out bytes.Buffer
	if err := r.html.ExecuteTemplate(&out, tmplPage, d); err != nil {
		return fmt.Errorf("page template: %w", err)
	}
	_, err := w.Write(out.Bytes())
	return err
}

// external reports whether a page's reference to src loads it from
// another host: it has a scheme or starts with "//" (data: URLs aside).
func external(src string) bool {
	if strings.HasPrefix(src, "//") {
		return true
	}
	u, err := url.Parse(src)
	return err != nil || u.Scheme != "" && !strings.EqualFold(u.Scheme, "data")
}

// chartRenderer draws the fenced blocks that stand for charts; every
// other fenced block renders as goldmark's would.
type chartRenderer struct {
	charts map[string]*Chart
	drawn  int
}

func (c *chartRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, c.fenced)
}

func (c *chartRenderer) fenced(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.FencedCodeBlock)
	lang := n.Language(src)
	if string(lang) == chartFence {
		if entering {
			var id strings.Builder
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				id.Write(seg.Value(src))
			}
			if ch, ok := c.charts[strings.TrimSpace(id.String())]; ok {
				_, _ = w.WriteString(ch.HTML())
				c.drawn++
			}
		}
		return ast.WalkSkipChildren, nil
	}
	if entering {
		_, _ = w.WriteString("<pre><code")
		if lang != nil {
			_, _ = w.WriteString(` class="language-`)
			_, _ = w.Write(util.EscapeHTML(lang))
			_, _ = w.WriteString(`"`)
		}
		_ = w.WriteByte('>')
		for i := 0; i < n.Lines().Len(); i++ {
			seg := n.Lines().At(i)
			_, _ = w.Write(util.EscapeHTML(seg.Value(src)))
		}
	} else {
		_, _ = w.WriteString("</code></pre>\n")
	}
	return ast.WalkContinue, nil
}

// tidy collapses runs of blank lines that templates leave and ends the
// text with one newline.
func tidy(b []byte) []byte {
	lines := strings.Split(string(b), "\n")
	out := make([]string, 0, len(lines))
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	s := strings.TrimSpace(strings.Join(out, "\n"))
	return []byte(s + "\n")
}
