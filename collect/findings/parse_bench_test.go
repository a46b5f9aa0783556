package findings

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/gitdora/gitdora/collect/sarif"
)

// BenchmarkRunSet reads the findings of the curl 8.21.0 flawfinder log
// of the corpus (2,582 results) from its normalised findings: what
// reading a night's scan costs.
func BenchmarkRunSet(b *testing.B) {
	doc, err := os.ReadFile(filepath.Join(corpusDir, "gen_flawfinder-2.0.19_curl-8.21.0.sarif"))
	if err != nil {
		b.Skipf("corpus not found at %s (../shared/corpus from the repository root): %v", corpusDir, err)
	}
	_, norm := normalise(b, doc, sarif.Options{})
	text := string(norm)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := Decode(text)
		if err != nil {
			b.Fatal(err)
		}
		for i := range f.Runs {
			if _, err := f.Runs[i].Set("", nil, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkSetFrom reads the same night's findings as BenchmarkRunSet
// (the curl log with its first result moved a line) whole, from the base
// of the night before, and from the base of a night whose every result
// was a line further (so that no line is taken from it): what reading
// from a base saves, and what it costs when it saves nothing.
func BenchmarkSetFrom(b *testing.B) {
	doc, err := os.ReadFile(filepath.Join(corpusDir, "gen_flawfinder-2.0.19_curl-8.21.0.sarif"))
	if err != nil {
		b.Skipf("corpus not found at %s (../shared/corpus from the repository root): %v", corpusDir, err)
	}
	run := func(doc []byte) *Run { return runOf(b, doc) }
	tonight := run(bytes.Replace(doc, []byte(`"startLine": 32,`), []byte(`"startLine": 33,`), 1))
	_, before, err := run(doc).SetFrom(nil, "", nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	moved := regexp.MustCompile(`"startLine": (\d+),`).ReplaceAllFunc(doc, func(m []byte) []byte {
		n, _ := strconv.Atoi(string(m[len(`"startLine": `) : len(m)-1]))
		return fmt.Appendf(nil, `"startLine": %d,`, n+1)
	})
	_, other, err := run(moved).SetFrom(nil, "", nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		base *Base
	}{{"whole", nil}, {"from the night before", before}, {"from a base of no line", other}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := tonight.SetFrom(c.base, "", nil, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
