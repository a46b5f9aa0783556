package sarif

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkReadCurl parses and normalises the two flawfinder scans of curl
// in the corpus (6.1 MB, 6,255 results).
func BenchmarkReadCurl(b *testing.B) {
	var files [][]byte
	for _, name := range []string{"gen_flawfinder-2.0.19_curl-7.88.1.sarif", "gen_flawfinder-2.0.19_curl-8.21.0.sarif"} {
		data, err := os.ReadFile(filepath.Join(corpusDir, name))
		if err != nil {
			b.Skipf("corpus not found: %v", err)
		}
		files = append(files, data)
	}
	var size int64
	for _, f := range files {
		size += int64(len(f))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, f := range files {
			if _, err := Read(byteReader(f), Options{}, func(r *Run) error { n += len(r.Results); return nil }); err != nil {
				b.Fatal(err)
			}
		}
		if n != 6255 {
			b.Fatalf("%d results", n)
		}
	}
}

// BenchmarkReadBig streams the file GITDORA_BIG_SARIF names (e.g. 500 MB
// from internal/sarifgen), keeping every result as collect does.
func BenchmarkReadBig(b *testing.B) {
	p := os.Getenv("GITDORA_BIG_SARIF")
	if p == "" {
		b.Skip("GITDORA_BIG_SARIF not set")
	}
	fi, err := os.Stat(p)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	for b.Loop() {
		f, err := os.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		var kept []Result
		if _, err := Read(f, Options{}, func(r *Run) error { kept = append(kept, r.Results...); return nil }); err != nil {
			b.Fatal(err)
		}
		f.Close()
		b.ReportMetric(float64(len(kept)), "results")
	}
}

// byteReader reads b without the fast paths bytes.Reader offers, as a
// stream from a file or a git blob would.
func byteReader(b []byte) *streamReader { return &streamReader{b: b} }

type streamReader struct{ b []byte }

func (r *streamReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}
