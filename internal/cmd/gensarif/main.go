// Command gensarif writes generated SARIF logs for benchmarks:
//
//	go run ./internal/cmd/gensarif -size 500M -dense -out /tmp/big.sarif
//	go run ./internal/cmd/gensarif -count 1000 -size 56K -out /tmp/scans
//
// With -count > 1, -out is a folder of files 0000.sarif, 0001.sarif, …,
// each with its own seed; their scans end -every apart, the last at -end.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gitdora/gitdora/internal/sarifgen"
)

func main() {
	size := flag.String("size", "1M", "size of each log: bytes, or with a K, M or G suffix")
	dense := flag.Bool("dense", false, "about 1 KB per result, no code flows (default: about 2.5 KB, with flows)")
	seed := flag.Uint64("seed", 1, "seed of the first log")
	count := flag.Int("count", 1, "number of logs")
	end := flag.String("end", "2026-01-05T10:20:00Z", "when the last scan ended (RFC 3339)")
	every := flag.Duration("every", 24*time.Hour, "time between the ends of consecutive scans")
	out := flag.String("out", "", "file (one log) or folder (-count > 1) to write")
	flag.Parse()
	if err := run(*size, *dense, *seed, *count, *end, *every, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gensarif:", err)
		os.Exit(1)
	}
}

func run(sizeFlag string, dense bool, seed uint64, count int, endFlag string, every time.Duration, out string) error {
	size, err := parseSize(sizeFlag)
	if err != nil {
		return err
	}
	last, err := time.Parse(time.RFC3339, endFlag)
	if err != nil {
		return fmt.Errorf("-end %q: want an RFC 3339 time", endFlag)
	}
	if out == "" || count < 1 {
		return fmt.Errorf("-out is required and -count must be at least 1")
	}
	path := func(i int) string { return out }
	if count > 1 {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		path = func(i int) string { return filepath.Join(out, fmt.Sprintf("%04d.sarif", i)) }
	}
	var results int
	var bytes int64
	for i := 0; i < count; i++ {
		at := last.Add(-time.Duration(count-1-i) * every)
		n, written, err := write(path(i), size, seed+uint64(i), dense, at)
		if err != nil {
			return err
		}
		results += n
		bytes += written
	}
	fmt.Fprintf(os.Stderr, "gensarif: %d log(s), %d results, %.1f MB in %s\n", count, results, float64(bytes)/1e6, out)
	return nil
}

func write(p string, size int64, seed uint64, dense bool, at time.Time) (int, int64, error) {
	f, err := os.Create(p)
	if err != nil {
		return 0, 0, err
	}
	w := bufio.NewWriter(f)
	n, err := sarifgen.WriteAt(w, size, seed, dense, at)
	if err == nil {
		err = w.Flush()
	}
	var written int64
	if fi, serr := f.Stat(); serr == nil {
		written = fi.Size()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, written, err
}

// parseSize reads "500M", "56K", "2G" or a number of bytes.
func parseSize(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, strings.TrimSuffix(s, "G")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("-size %q: want a positive number of bytes, optionally with K, M or G", s)
	}
	return n * mult, nil
}
