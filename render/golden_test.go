package render_test

import (
	"bytes"
	"html"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/render"
	"github.com/gitdora/gitdora/render/rendertest"
	"github.com/gitdora/gitdora/templates"
)

// updating reports -update (defined once, in update_test.go).
func updating() bool { return render.Updating() }

// fixtureReport is the report of the fixture's last month, 2026-03.
func fixtureReport(extra string) render.Report {
	months := rendertest.Months(extra)
	n := len(months)
	return render.Report{Month: months[n-1], Prev: &months[n-2], Trend: months}
}

func newRenderer(t testing.TB) *render.Renderer {
	t.Helper()
	r, err := render.New(templates.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if updating() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./render -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		tmp := filepath.Join(t.TempDir(), name)
		os.WriteFile(tmp, got, 0o644)
		t.Errorf("%s differs from the golden file; got written to %s (diff it; -update rewrites the golden file)", name, tmp)
	}
}

// fullReport is fixtureReport with finding details shown
// (report.findings: full).
func fullReport(extra string) render.Report {
	r := fixtureReport(extra)
	r.FindingDetails = true
	return r
}

// TestGoldenMarkdown pins the Markdown report of the fixture month, with
// the default report.findings: counts (2026-03.md) and with full
// (2026-03-full.md).
func TestGoldenMarkdown(t *testing.T) {
	for name, rep := range map[string]render.Report{"2026-03.md": fixtureReport(""), "2026-03-full.md": fullReport("")} {
		var b bytes.Buffer
		if err := newRenderer(t).Markdown(&b, rep); err != nil {
			t.Fatal(err)
		}
		golden(t, name, b.Bytes())
	}
}

// TestGoldenHTML pins the HTML page of the fixture month (site layout),
// with report.findings: counts and full.
func TestGoldenHTML(t *testing.T) {
	for name, rep := range map[string]render.Report{"2026-03.html": fixtureReport(""), "2026-03-full.html": fullReport("")} {
		var b bytes.Buffer
		p := render.Page{Title: "DORA report 2026-03", Site: true,
			Nav:    []render.Link{{Href: "2026-02.html", Text: "← 2026-02", Rel: "prev"}},
			Assets: render.Assets{CSSHref: "assets/style.css", EchartsSrc: "assets/echarts.min.js", ChartsJSSrc: "assets/charts.js"}}
		if err := newRenderer(t).MonthHTML(&b, rep, p); err != nil {
			t.Fatal(err)
		}
		golden(t, name, b.Bytes())
	}
}

// With report.findings: counts (the default), the Markdown and the page
// of the fixture month hold no rule id, file path or message of its open
// findings, in any escaped form; with full, each shows them all.
func TestFindingDetailsOnlyWhenFull(t *testing.T) {
	r := newRenderer(t)
	open := fixtureReport("").Month.Detail.OpenFindings
	for _, details := range []bool{false, true} {
		rep := fixtureReport("")
		rep.FindingDetails = details
		var md, html bytes.Buffer
		if err := r.Markdown(&md, rep); err != nil {
			t.Fatal(err)
		}
		if err := r.MonthHTML(&html, rep, render.Page{Title: "t"}); err != nil {
			t.Fatal(err)
		}
		for what, out := range map[string]string{"markdown": md.String(), "page": html.String()} {
			text := plainText(out)
			for _, f := range open {
				for _, s := range []string{f.RuleID, f.URI, f.Message} {
					if got := strings.Contains(text, s); got != details {
						t.Errorf("details %v: %s shows %q: %v, want %v", details, what, s, got, details)
					}
				}
			}
		}
	}
}

// plainText undoes the escaping of Markdown and HTML enough to find a
// text in its output: entities decoded, backslash escapes dropped.
func plainText(s string) string {
	return strings.ReplaceAll(html.UnescapeString(s), "\\", "")
}

// TestTemplateErrors checks that a broken or incomplete override is
// reported by name before anything is rendered.
func TestTemplateErrors(t *testing.T) {
	for _, tc := range []struct {
		file, text, want string
	}{
		{"report.md.tmpl", `{{define "report"}}{{.Nope`, "template report.md.tmpl"},
		{"report.md.tmpl", `{{define "other"}}{{end}}`, `no template defines "report"`},
		{"page.html.tmpl", `{{define "layout"}}{{end}}`, `no template defines "page"`},
	} {
		files := templates.Builtin()
		files[tc.file] = tc.text
		if _, err := render.New(files); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s = %q: err = %v, want %q", tc.file, tc.text, err, tc.want)
		}
	}
	// A template that fails while running names the template.
	files := templates.Builtin()
	files["report.md.tmpl"] = `{{define "report"}}{{.NoSuchField}}{{end}}`
	r, err := render.New(files)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Markdown(io.Discard, fixtureReport("")); err == nil || !strings.Contains(err.Error(), "report template") {
		t.Errorf("err = %v", err)
	}
}

// TestPreparedRendersLikeReport checks that a report prepared once
// renders as Markdown and as a page exactly as Markdown and MonthHTML do,
// in either order (one mode does not leak into the other), and that an
// index given the prepared last month equals one that prepares it.
func TestPreparedRendersLikeReport(t *testing.T) {
	r := newRenderer(t)
	rep := fixtureReport("")
	p := render.Page{Title: "t", Site: true}
	var wantMD, wantHTML bytes.Buffer
	if err := r.Markdown(&wantMD, rep); err != nil {
		t.Fatal(err)
	}
	if err := r.MonthHTML(&wantHTML, rep, p); err != nil {
		t.Fatal(err)
	}
	prep := render.Prepare(rep)
	for i := 0; i < 2; i++ {
		var html, md bytes.Buffer
		if err := r.PreparedHTML(&html, prep, p); err != nil {
			t.Fatal(err)
		}
		if err := r.PreparedMarkdown(&md, prep); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(md.Bytes(), wantMD.Bytes()) {
			t.Errorf("round %d: PreparedMarkdown differs from Markdown", i)
		}
		if !bytes.Equal(html.Bytes(), wantHTML.Bytes()) {
			t.Errorf("round %d: PreparedHTML differs from MonthHTML", i)
		}
	}
	months := rendertest.Months("")
	var want, got bytes.Buffer
	if err := r.IndexHTML(&want, render.Index{Months: months}, p); err != nil {
		t.Fatal(err)
	}
	if err := r.IndexHTML(&got, render.Index{Months: months, Latest: prep}, p); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("index with the prepared latest month differs from the index that prepares it")
	}
	if !strings.Contains(want.String(), `class="chart"`) && !strings.Contains(want.String(), "chart-trend") {
		t.Errorf("index shows no trend chart: the test would not see a mode mix-up")
	}
}
