package render_test

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"golang.org/x/net/html"

	"github.com/gitdora/gitdora/render"
	"github.com/gitdora/gitdora/render/rendertest"
)

// htmlCheck walks an HTML document the way a browser's tokenizer would and
// fails on anything a hostile text could have injected: an element outside
// allowed, an event-handler or javascript: attribute, a script with inline
// code, an img other than the badge. It returns the document's text.
func htmlCheck(t *testing.T, where string, doc []byte, allowed map[string]bool) string {
	t.Helper()
	z := html.NewTokenizer(bytes.NewReader(doc))
	var text strings.Builder
	inScript := ""
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				t.Fatalf("%s: %v", where, z.Err())
			}
			return text.String()
		case html.TextToken:
			if inScript != "" {
				body := z.Text()
				if inScript != "json" {
					t.Errorf("%s: inline script code: %.80q", where, body)
					continue
				}
				if bytes.ContainsAny(body, "<>") {
					t.Errorf("%s: a JSON script element holds < or >: %.120q", where, body)
				}
				var v any
				if err := json.Unmarshal(body, &v); err != nil {
					t.Errorf("%s: a JSON script element does not hold JSON (%v): %.120q", where, err, body)
				}
				text.WriteString(string(body))
				continue
			}
			text.Write(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if !allowed[tok.Data] {
				t.Errorf("%s: unexpected element <%s %v>", where, tok.Data, tok.Attr)
			}
			attrs := map[string]string{}
			for _, a := range tok.Attr {
				attrs[a.Key] = a.Val
				if strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: event handler attribute %s=%q on <%s>", where, a.Key, a.Val, tok.Data)
				}
				if strings.HasPrefix(strings.TrimSpace(strings.ToLower(a.Val)), "javascript:") {
					t.Errorf("%s: javascript: URL in %s on <%s>", where, a.Key, tok.Data)
				}
			}
			switch tok.Data {
			case "img":
				if attrs["src"] != "badge.svg" {
					t.Errorf("%s: unexpected image %v", where, tok.Attr)
				}
			case "script":
				switch {
				case attrs["type"] == "application/json" && attrs["data-chart"] != "":
					inScript = "json"
				case attrs["src"] != "":
					inScript = "src"
				default:
					inScript = "code"
				}
			}
		case html.EndTagToken:
			if z.Token().Data == "script" {
				inScript = ""
			}
		}
	}
}

var (
	// markdownElements are what goldmark may produce from our Markdown.
	markdownElements = set("h1", "h2", "h3", "p", "ul", "ol", "li", "strong", "em", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "a", "img", "del", "br", "hr")
	// pageElements add what the layout and the charts bring.
	pageElements = union(markdownElements, set("html", "head", "meta", "title", "link", "style", "body", "header", "nav", "main", "footer", "span", "figure", "figcaption", "div", "script"))
)

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

func union(a, b map[string]bool) map[string]bool {
	m := map[string]bool{}
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

// wantShown checks that every payload reached the text, shown literally.
func wantShown(t *testing.T, where, text string, min int) {
	t.Helper()
	for _, p := range rendertest.Payloads {
		if n := strings.Count(text, p); n < min {
			t.Errorf("%s: payload %q shown %d times as text, want at least %d (was it dropped?)", where, p, n, min)
		}
	}
}

// TestEscapingMarkdown renders the report of a month whose commit
// subjects, incident titles, SARIF messages, rule ids, file paths, tool
// names, alert messages and skipped-input notes carry hostile HTML, then
// renders that Markdown as GitHub would (GFM, raw HTML off) and checks
// that nothing but text came out of them.
func TestEscapingMarkdown(t *testing.T) {
	var md bytes.Buffer
	if err := newRenderer(t).Markdown(&md, fullReport(rendertest.Evil)); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert(md.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out.Bytes(), []byte("raw HTML omitted")) {
		t.Errorf("the Markdown holds raw HTML that a renderer had to drop:\n%s", out.String())
	}
	text := htmlCheck(t, "markdown as HTML", out.Bytes(), markdownElements)
	// Subject, incident title, message, rule (twice), file (twice), alert message, skipped note.
	wantShown(t, "markdown as HTML", text, 8)

	// report.findings: counts shows the tool (cut short) and the CWE of open findings instead.
	md.Reset()
	out.Reset()
	if err := newRenderer(t).Markdown(&md, fixtureReport(rendertest.Evil)); err != nil {
		t.Fatal(err)
	}
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert(md.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	text = htmlCheck(t, "markdown as HTML (counts)", out.Bytes(), markdownElements)
	// Subject, incident title, alert message, skipped note.
	wantShown(t, "markdown as HTML (counts)", text, 4)
}

// TestEscapingPages does the same for the month page and the index, and
// checks the chart options: the hostile tool name is a label of a chart,
// inside a <script> element, and must stay JSON text.
func TestEscapingPages(t *testing.T) {
	r := newRenderer(t)
	rep := fullReport(rendertest.Evil)
	page := render.Page{Title: "t", Site: true, Assets: render.Assets{CSSHref: "assets/style.css", EchartsSrc: "assets/echarts.min.js", ChartsJSSrc: "assets/charts.js"}}
	var month bytes.Buffer
	if err := r.MonthHTML(&month, rep, page); err != nil {
		t.Fatal(err)
	}
	text := htmlCheck(t, "month page", month.Bytes(), pageElements)
	wantShown(t, "month page", text, 8)
	var counts bytes.Buffer
	if err := r.MonthHTML(&counts, fixtureReport(rendertest.Evil), page); err != nil {
		t.Fatal(err)
	}
	wantShown(t, "month page (counts)", htmlCheck(t, "month page (counts)", counts.Bytes(), pageElements), 4)
	if !strings.Contains(month.String(), `\u003cscript\u003ealert(1)\u003c/script\u003e`) {
		t.Error("month page: the hostile tool name is not in the chart options, escaped as JSON")
	}

	var index bytes.Buffer
	if err := r.IndexHTML(&index, render.Index{Months: rendertest.Months(rendertest.Evil)}, page); err != nil {
		t.Fatal(err)
	}
	htmlCheck(t, "index", index.Bytes(), pageElements)
}

// TestChartOptionEscapes checks the option JSON itself: labels with
// markup come back intact from the JSON but never appear raw.
func TestChartOptionEscapes(t *testing.T) {
	c := render.Chart{ID: "c1", Title: "t", X: rendertest.Payloads, Series: []render.Series{{Name: rendertest.Evil, Bar: true, Values: nil}}}
	opt := c.Option()
	if bytes.ContainsAny(opt, "<>&") {
		t.Fatalf("option holds raw <, > or &: %s", opt)
	}
	var v struct {
		XAxis  []struct{ Data []string } `json:"xAxis"`
		Series []struct{ Name string }   `json:"series"`
	}
	if err := json.Unmarshal(opt, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.XAxis) != 1 || strings.Join(v.XAxis[0].Data, "|") != strings.Join(rendertest.Payloads, "|") || v.Series[0].Name != rendertest.Evil {
		t.Errorf("labels did not survive the round trip: %+v", v)
	}
}
