package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/collect/findings"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/internal/gittest"
)

// exportData copies the files of the data branch of repo into a new
// plain directory, leaving out those drop says to.
func exportData(t *testing.T, repo string, drop func(p string) bool) string {
	t.Helper()
	store, err := data.Open(repo, "")
	if err != nil {
		t.Fatal(err)
	}
	files, err := store.List("")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, p := range files {
		if drop(p) {
			continue
		}
		b, err := store.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func isFindings(p string) bool { return strings.HasSuffix(p, findings.Ext) }

// sameReading runs the reading commands of args (after --data DIR) over
// the data a, whose scans have normalised findings, and b, whose scans
// have their SARIF files alone, and wants the same bytes of each: the
// figures, and the facts they come from (every field of every finding).
func sameReading(t *testing.T, repo, a, b string, computeArgs ...string) {
	t.Helper()
	compute := func(dir string) string {
		out, _ := run(t, append([]string{"-q", "--repo", repo, "--data", dir, "compute"}, computeArgs...)...)
		return out
	}
	if x, y := compute(a), compute(b); x != y {
		t.Errorf("compute %s: the normalised findings give other figures than the SARIF files:\n%s", strings.Join(computeArgs, " "), firstDiff(x, y))
	}
	facts := func(dir string) map[string][]byte {
		out := filepath.Join(t.TempDir(), "facts")
		run(t, "-q", "--repo", repo, "--data", dir, "collect", "--out", out)
		return readTree(t, out)
	}
	fa, fb := facts(a), facts(b)
	if len(fa) == 0 || len(fa["findings.csv"]) == 0 {
		t.Fatalf("collect wrote %d files", len(fa))
	}
	for name, x := range fa {
		if !bytes.Equal(x, fb[name]) {
			t.Errorf("collect's %s: the normalised findings give other facts than the SARIF files:\n%s", name, firstDiff(string(x), string(fb[name])))
		}
	}
}

// firstDiff shows the first line where two texts differ.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) || i < len(lb); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return "line " + strconv.Itoa(i+1) + ":\n  normalised: " + x + "\n  SARIF:      " + y
		}
	}
	return "(the same)"
}

// demoNormalisedIsSARIF checks that the demo's year (its repository
// repo) read through its normalised findings and through its SARIF files
// gives the same figures and facts, byte for byte.
func demoNormalisedIsSARIF(t *testing.T, repo string) {
	normalised := exportData(t, repo, func(string) bool { return false })
	raw := exportData(t, repo, isFindings)
	if n := len(readTree(t, normalised)) - len(readTree(t, raw)); n < 300 {
		t.Fatalf("the demo has %d normalised findings files, want one a night for each tool", n)
	}
	sameReading(t, repo, normalised, raw, "--from", "2025-01", "--to", "2025-12", "--format", "json")
}

// Every SARIF file of the corpus that ingest stores, each a month apart
// on the trunk, read through its normalised findings and through its
// SARIF file, gives the same figures and facts, byte for byte.
func TestCorpusNormalisedIsSARIF(t *testing.T) {
	corpus := filepath.Join("..", "..", "..", "shared", "corpus", "sarif")
	names, err := filepath.Glob(filepath.Join(corpus, "*.sarif"))
	if err != nil || len(names) == 0 {
		t.Skipf("corpus not found at %s (../shared/corpus from the repository root)", corpus)
	}
	r := gittest.New(t)
	sha := r.Commit(gittest.C{Msg: "code", Authored: "2009-12-01T10:00:00Z"})
	repo := r.Dir
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "gitdora.yml"), []byte("trunk: main\nseverity: {overrides: {FF1013: critical}}\n"), 0o644)
	stored := 0
	for i, name := range names {
		at := "20" + strconv.Itoa(10+i/12) + "-" + twoDigits(1+i%12) + "-05T10:00:00Z"
		var out, errb bytes.Buffer
		if Run([]string{"-q", "--repo", repo, "--data", dir, "ingest", "sarif", "--sha", sha, "--ref", "main", "--at", at, name}, &out, &errb) == 0 {
			stored++
		}
	}
	if stored < 40 {
		t.Fatalf("only %d corpus files stored", stored)
	}
	raw := t.TempDir()
	copyTree(t, dir, raw, isFindings)
	sameReading(t, repo, dir, raw, "--from", "2010-01", "--to", "2017-12", "--format", "json")
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// copyTree copies the files under from into to, leaving out those drop
// says to (by their slash path under from).
func copyTree(t *testing.T, from, to string, drop func(p string) bool) {
	t.Helper()
	for p, b := range readTree(t, from) {
		if drop(p) {
			continue
		}
		full := filepath.Join(to, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
