package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/templates"
)

// The index's table of slices links each to its pages, with names
// escaped and links that can leave neither the link nor the cell, and
// loads the table sorter.
func TestIndexSlices(t *testing.T) {
	for in, want := range map[string]string{
		"services/api/index.html":            "services/api/index.html",
		"https://pages.example/a b/":         "https://pages.example/a%20b/",
		"javascript:alert(1)":                "",
		"https://x.example/(y)|z":            "https://x.example/%28y%29%7Cz",
		"HTTP://x.example/":                  "HTTP://x.example/",
		"teams/org-2fweb/index.html?q=1#top": "teams/org-2fweb/index.html?q=1#top",
	} {
		if got := safeHref(in); got != want {
			t.Errorf("safeHref(%q) = %q, want %q", in, got, want)
		}
	}
	r, err := New(templates.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	elite := compute.Elite
	m := compute.Month{Month: "2026-03", Classification: compute.Classification{Overall: &elite}}
	var b bytes.Buffer
	idx := Index{Slices: []SliceRow{{Kind: "service", Name: "api", Href: "services/api/index.html", Month: &m}, {Kind: "team", Name: "@org/web_*x*"}}}
	if err := r.IndexHTML(&b, idx, Page{Title: "t", Site: true, Scripts: []string{"assets/sort.js"}}); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{`<h2 id="services-and-teams">Services and teams</h2>`, `<a href="services/api/index.html">api</a>`,
		"<td>Elite</td>", "@org/web_*x*", `<script src="assets/sort.js"></script>`} {
		if !strings.Contains(html, want) {
			t.Errorf("the index lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<em>") {
		t.Errorf("a name became markup:\n%s", html)
	}
}
