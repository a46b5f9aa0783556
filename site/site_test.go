package site_test

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/render"
	"github.com/gitdora/gitdora/render/rendertest"
	"github.com/gitdora/gitdora/site"
	"github.com/gitdora/gitdora/templates"
)

func options(t *testing.T, out string) site.Options {
	t.Helper()
	js := []byte("/* echarts stand-in */\n")
	months := rendertest.Months(rendertest.Evil)
	updated := map[string]time.Time{}
	for _, m := range months {
		updated[m.Month] = m.Period.End.Add(-time.Hour)
	}
	return site.Options{Out: out, Templates: templates.Builtin(), EchartsJS: js, Reports: reportsOf(months), Updated: updated, BaseURL: "https://example.org/dora/"}
}

// reportsOf is the report of each month as the app layer makes them for a
// site: the month before, and a trend of up to 12 months ending with it.
func reportsOf(months []compute.Month) []render.Report {
	out := make([]render.Report, len(months))
	for i := range months {
		out[i] = render.Report{Month: months[i], Trend: months[max(0, i+1-12) : i+1]}
		if i > 0 {
			out[i].Prev = &months[i-1]
		}
	}
	return out
}

// monthsOf is the months of o's reports.
func monthsOf(o site.Options) []compute.Month {
	var out []compute.Month
	for _, r := range o.Reports {
		out = append(out, r.Month)
	}
	return out
}

// tree reads every file under dir: relative path → content.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func names(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestBuildDeterministic builds the same inputs twice, into folders of
// different names, and wants byte-identical folders.
func TestBuildDeterministic(t *testing.T) {
	root := t.TempDir()
	o := options(t, filepath.Join(root, "a"))
	if err := site.Build(o); err != nil {
		t.Fatal(err)
	}
	o.Out = filepath.Join(root, "b")
	o.Reports = reportsOf(rendertest.Months(rendertest.Evil)) // fresh values, same content
	if err := site.Build(o); err != nil {
		t.Fatal(err)
	}
	a, b := tree(t, filepath.Join(root, "a")), tree(t, filepath.Join(root, "b"))
	if strings.Join(names(a), " ") != strings.Join(names(b), " ") {
		t.Fatalf("the builds hold different files:\n%v\n%v", names(a), names(b))
	}
	for _, n := range names(a) {
		if !bytes.Equal(a[n], b[n]) {
			t.Errorf("%s differs between two builds of the same inputs", n)
		}
	}
	want := []string{".gitdora-output", "2025-04.html", "2025-04.md", "2026-03.html", "2026-03.md", "assets/charts.js", "assets/echarts.min.js", "assets/style.css", "badge.svg", "favicon.svg", "feed.xml", "index.html", "metrics.csv", "metrics.json", "metrics.prom"}
	for _, n := range want {
		if _, ok := a[n]; !ok {
			t.Errorf("the site lacks %s", n)
		}
	}
	if len(a) != 12*2+len(want)-4 {
		t.Errorf("the site holds %d files, want %d: %v", len(a), 12*2+len(want)-4, names(a))
	}
	// Every page loads the local ECharts copy.
	for _, n := range names(a) {
		if strings.HasSuffix(n, ".html") && !bytes.Contains(a[n], []byte(`<script src="assets/echarts.min.js"></script>`)) {
			t.Errorf("%s does not load assets/echarts.min.js", n)
		}
	}
}

// TestBuildReplaces checks the swap: a previous site is replaced as a
// whole (no stale file survives), nothing is left beside it, and a folder
// that is not a gitdora site is refused and kept.
func TestBuildReplaces(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	o := options(t, out)
	if err := site.Build(o); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(out, "2019-01.html")
	if err := os.WriteFile(stale, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	o.Reports = reportsOf(monthsOf(o)[6:])
	if err := site.Build(o); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("a file of the previous site survived the rebuild")
	}
	if _, err := os.Stat(filepath.Join(out, "2025-04.html")); err == nil {
		t.Error("a month no longer in the site survived the rebuild")
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 1 {
		var ns []string
		for _, e := range entries {
			ns = append(ns, e.Name())
		}
		t.Errorf("beside the site: %v, want only public", ns)
	}
	fi, err := os.Stat(out)
	if err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("site folder mode %v (%v), want rwxr-xr-x", fi.Mode(), err)
	}

	other := filepath.Join(root, "docs")
	os.MkdirAll(other, 0o755)
	os.WriteFile(filepath.Join(other, "README.md"), []byte("mine"), 0o644)
	o.Out = other
	if err := site.Build(o); err == nil || !strings.Contains(err.Error(), "not a site gitdora built") {
		t.Errorf("building over a folder of other files: err = %v, want a refusal", err)
	}
	if b, _ := os.ReadFile(filepath.Join(other, "README.md")); string(b) != "mine" {
		t.Error("the refused folder was changed")
	}
}

// TestEmptySite builds a site without any month: an index that says how
// to start, and valid exports.
func TestEmptySite(t *testing.T) {
	o := options(t, filepath.Join(t.TempDir(), "public"))
	o.Reports = nil
	files, err := site.Files(o)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(files["index.html"], []byte("No month has data yet")) {
		t.Error("the empty index does not say how to start")
	}
	if got := string(files["metrics.json"]); got != "{\n  \"schema_version\": 1,\n  \"months\": []\n}\n" {
		t.Errorf("metrics.json = %q", got)
	}
	if !bytes.Contains(files["badge.svg"], []byte("n/a")) {
		t.Error("the badge of an empty site does not say n/a")
	}
}

// TestPromtool runs `promtool check metrics` over metrics.prom.
func TestPromtool(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("GITDORA_REQUIRE_PROMTOOL") == "1" {
			t.Fatal("no promtool, and GITDORA_REQUIRE_PROMTOOL=1 requires this test (apt-get install prometheus)")
		}
		t.Skip("skipped: no promtool (apt-get install prometheus; GITDORA_REQUIRE_PROMTOOL=1 makes this a failure)")
	}
	files, err := site.Files(options(t, "unused"))
	if err != nil {
		t.Fatal(err)
	}
	prom := files["metrics.prom"]
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = bytes.NewReader(prom)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("promtool check metrics: %v\n%s\n--- metrics.prom:\n%s", err, out, prom)
	}
	// Every metric with data is exported under its Prometheus name.
	months := rendertest.Months("")
	last := &months[len(months)-1]
	for _, m := range compute.Metrics {
		name, _ := render.PromName(m.Name)
		has := bytes.Contains(prom, []byte("\n"+name+" "))
		if want := m.Value(last) != nil; has != want {
			t.Errorf("%s (%s): in metrics.prom = %v, want %v", name, m.Name, has, want)
		}
	}
}

// TestExportsMatchCompute checks that metrics.json and metrics.csv are
// exactly what `gitdora compute --format json|csv` prints for the months.
func TestExportsMatchCompute(t *testing.T) {
	o := options(t, "unused")
	files, err := site.Files(o)
	if err != nil {
		t.Fatal(err)
	}
	var j, c bytes.Buffer
	if err := render.MonthsJSON(&j, monthsOf(o)); err != nil {
		t.Fatal(err)
	}
	if err := render.DottedCSV(&c, monthsOf(o)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(files["metrics.json"], j.Bytes()) || !bytes.Equal(files["metrics.csv"], c.Bytes()) {
		t.Error("metrics.json or metrics.csv differs from the compute command's output")
	}
	if !bytes.HasPrefix(files["metrics.json"], []byte("{\n  \"schema_version\": 1,\n  \"months\": [\n")) || bytes.Contains(files["metrics.json"], []byte("<script>")) {
		t.Errorf("metrics.json does not start as the contract says or holds raw markup:\n%.200s", files["metrics.json"])
	}
}
