package findings

import (
	"os"
	"path/filepath"
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
