package site_test

import (
	"bytes"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/render/rendertest"
	"github.com/gitdora/gitdora/site"
	"github.com/gitdora/gitdora/templates"
)

// readable is a published file's text as a reader finds things in it:
// HTML entities decoded, Markdown's backslash escapes dropped.
func readable(b []byte) string {
	return strings.ReplaceAll(html.UnescapeString(string(b)), `\`, "")
}

// Every file of a site built with report.findings: counts (reports
// without FindingDetails, the default) is free of the rule ids, file
// paths and messages of the fixture's open findings; with full, the
// month's page and Markdown name each of them.
func TestSiteNamesNoOpenFindingByDefault(t *testing.T) {
	months := rendertest.Months("")
	open := months[len(months)-1].Detail.OpenFindings
	if len(open) == 0 {
		t.Fatal("the fixture's last month has no open finding: this test would check nothing")
	}
	for _, full := range []bool{false, true} {
		reports := reportsOf(months)
		for i := range reports {
			reports[i].FindingDetails = full
		}
		out := filepath.Join(t.TempDir(), "public")
		if err := site.Build(site.Options{Out: out, Templates: templates.Builtin(), Reports: reports}); err != nil {
			t.Fatal(err)
		}
		files := tree(t, out)
		for name, b := range files {
			text := readable(b)
			for _, f := range open {
				for _, s := range []string{f.RuleID, f.URI, f.Message} {
					shown := strings.Contains(text, s)
					if !full && shown {
						t.Errorf("report.findings: counts: %s names %q of an open finding", name, s)
					}
					if full && !shown && (name == "2026-03.html" || name == "2026-03.md") {
						t.Errorf("report.findings: full: %s does not name %q of an open finding", name, s)
					}
				}
			}
		}
	}
}

// The pinned ECharts release is the one the tests load (.ci/package.json)
// and the one the go-echarts of go.mod was pinned with; EchartsURL names
// it; and EchartsIntegrity is the hash of its dist/echarts.min.js as npm
// installs it (npm ci --prefix .ci), when that file is here.
func TestEchartsPin(t *testing.T) {
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	b, err := os.ReadFile(filepath.Join("..", ".ci", "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		t.Fatalf(".ci/package.json: %v", err)
	}
	if v := pkg.Dependencies["echarts"]; v != site.EchartsVersion {
		t.Errorf(".ci/package.json pins echarts %q, the site loads %s: keep them the same release", v, site.EchartsVersion)
	}
	if u := site.EchartsURL(); !strings.HasPrefix(u, "https://") || !strings.Contains(u, "@"+site.EchartsVersion+"/") {
		t.Errorf("EchartsURL() = %s, want an https:// address that names release %s", u, site.EchartsVersion)
	}
	// go-echarts decides which ECharts options the charts use: a new
	// go-echarts may target another ECharts release.
	gomod, err := os.ReadFile(filepath.Join("..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`(?m)^\s*github\.com/go-echarts/go-echarts/v2 (\S+)`).FindSubmatch(gomod); m == nil || string(m[1]) != "v2.6.7" {
		t.Errorf("go.mod requires go-echarts %q; EchartsVersion %s was chosen for v2.6.7: check which ECharts release it targets, then update EchartsVersion, EchartsIntegrity, .ci/package.json and this test", m, site.EchartsVersion)
	}

	dir := filepath.Join("..", ".ci", "node_modules", "echarts")
	js, err := os.ReadFile(filepath.Join(dir, "dist", "echarts.min.js"))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("skipped the hash check: no %s (run npm ci --prefix .ci to install echarts %s)", filepath.Join(dir, "dist", "echarts.min.js"), site.EchartsVersion)
	} else if err != nil {
		t.Fatal(err)
	}
	var installed struct{ Version string }
	if b, err := os.ReadFile(filepath.Join(dir, "package.json")); err != nil || json.Unmarshal(b, &installed) != nil {
		t.Fatalf("%s/package.json: %v", dir, err)
	}
	if installed.Version != site.EchartsVersion {
		t.Skipf("skipped the hash check: .ci/node_modules holds echarts %s, not %s (run npm ci --prefix .ci)", installed.Version, site.EchartsVersion)
	}
	sum := sha512.Sum384(js)
	if got := "sha384-" + base64.StdEncoding.EncodeToString(sum[:]); got != site.EchartsIntegrity {
		t.Errorf("echarts %s dist/echarts.min.js hashes to %s, EchartsIntegrity is %s", site.EchartsVersion, got, site.EchartsIntegrity)
	}
}

// loadTag is an HTML element that makes a browser fetch what it names;
// attr finds the attributes in it.
var (
	loadTag = regexp.MustCompile(`(?is)<(script|link|img|iframe|embed|object|source|audio|video|track|image|use|input|frame)\b[^>]*>`)
	attr    = regexp.MustCompile(`(?is)([a-z][a-z0-9:-]*)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)
	// cssLoad is a url() or @import in a stylesheet.
	cssLoad = regexp.MustCompile(`(?i)url\(\s*['"]?([^'")\s]*)|@import\s+(?:url\()?\s*['"]?([^'")\s;]*)`)
)

// fromAnotherHost reports whether a page's reference u loads from
// another host: a scheme (data: aside) or a leading "//".
func fromAnotherHost(u string) bool {
	u = strings.TrimSpace(html.UnescapeString(u))
	if strings.HasPrefix(u, "//") {
		return true
	}
	scheme, _, ok := strings.Cut(u, ":")
	return ok && !strings.ContainsAny(scheme, "/?#") && !strings.EqualFold(scheme, "data")
}

// externalLoads lists what the file name (of a site or a report) loads
// from another host without an integrity hash: elements that fetch a
// URL (scripts, stylesheets, icons, images, frames…), url() and @import
// in styles, and addresses in scripts.
func externalLoads(name string, b []byte) []string {
	var out []string
	s := string(b)
	switch {
	case strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".svg"):
		for _, tag := range loadTag.FindAllString(s, -1) {
			attrs := map[string]string{}
			for _, a := range attr.FindAllStringSubmatch(tag, -1) {
				attrs[strings.ToLower(a[1])] = strings.Trim(a[2], `"'`)
			}
			if rel := strings.ToLower(attrs["rel"]); strings.HasPrefix(strings.ToLower(tag), "<link") && (rel == "alternate" || rel == "canonical") {
				continue // a link to another document, not a load
			}
			for _, k := range []string{"src", "href", "xlink:href", "data", "poster", "srcset"} {
				if v, ok := attrs[k]; ok && fromAnotherHost(v) {
					if !strings.HasPrefix(attrs["integrity"], "sha384-") || attrs["crossorigin"] != "anonymous" {
						out = append(out, name+": "+tag)
					}
				}
			}
		}
		if strings.HasSuffix(name, ".html") {
			for _, st := range regexp.MustCompile(`(?is)<style[^>]*>(.*?)</style>|style="([^"]*)"`).FindAllStringSubmatch(s, -1) {
				out = append(out, externalLoads(name+" (style)", []byte(st[1]+st[2]))...)
			}
		}
	}
	if strings.HasSuffix(name, ".css") || strings.HasSuffix(name, "(style)") {
		for _, m := range cssLoad.FindAllStringSubmatch(s, -1) {
			if fromAnotherHost(m[1] + m[2]) {
				out = append(out, name+": "+m[0])
			}
		}
	}
	if strings.HasSuffix(name, ".js") {
		for _, m := range regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}`).FindAllString(s, -1) {
			out = append(out, name+": "+m)
		}
	}
	return out
}

// A page loads nothing from another host without an integrity hash:
// every file of a site (ECharts from its public host), the HTML report
// that stands alone, and the built-in templates and assets; ECharts
// itself loads with the pinned hash.
func TestNothingLoadsFromAnotherHostWithoutIntegrity(t *testing.T) {
	months := rendertest.Months(rendertest.Evil)
	files, err := site.Files(site.Options{Templates: templates.Builtin(), Reports: reportsOf(months)})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := site.ReportFiles(site.ReportOptions{Formats: []string{site.FormatHTML}, Templates: templates.Builtin(), Report: reportsOf(months)[len(months)-1]})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep {
		files["report/"+f.Name] = f.Data
	}
	for name, text := range templates.Builtin() {
		files["templates/"+strings.TrimSuffix(name, ".tmpl")] = []byte(text)
	}
	want := `<script src="` + site.EchartsURL() + `" integrity="` + site.EchartsIntegrity + `" crossorigin="anonymous"></script>`
	pages := 0
	for name, b := range files {
		for _, l := range externalLoads(name, b) {
			t.Errorf("loaded from another host without an integrity hash: %s", l)
		}
		if strings.HasSuffix(name, ".html") && !strings.HasPrefix(name, "templates/") && bytes.Contains(b, []byte(`class="echart"`)) {
			pages++
			if !bytes.Contains(b, []byte(want)) {
				t.Errorf("%s does not load ECharts as %s", name, want)
			}
		}
	}
	if pages == 0 {
		t.Error("no page draws a chart: the ECharts check checked nothing")
	}
	// The check itself finds what it is for.
	for name, bad := range map[string]string{
		"a.html": `<script src="https://cdn.example/x.js"></script>`, "b.html": `<link rel="stylesheet" href="//cdn.example/x.css">`,
		"c.html": `<img src="http://example.org/t.png">`, "d.css": `body{background:url(https://example.org/t.png)}`,
		"e.html": `<style>@import "https://example.org/x.css";</style>`, "f.js": `fetch("https://example.org/x")`,
		"g.html": `<script src="https://cdn.example/x.js" integrity="sha384-abc"></script>`,
	} {
		if len(externalLoads(name, []byte(bad))) == 0 {
			t.Errorf("the check misses %s in %s", bad, name)
		}
	}
	for name, good := range map[string]string{
		"a.html": `<script src="https://cdn.example/x.js" integrity="sha384-abc" crossorigin="anonymous"></script>`,
		"b.html": `<link rel="alternate" href="https://example.org/feed.xml"><a href="https://example.org/">x</a><img src="data:image/png;base64,AA">`,
		"c.svg":  `<svg xmlns="http://www.w3.org/2000/svg"></svg>`,
	} {
		if l := externalLoads(name, []byte(good)); len(l) != 0 {
			t.Errorf("the check flags %s: %v", good, l)
		}
	}
}
