package compute

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/collect/findings"
	"github.com/gitdora/gitdora/collect/sarif"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/internal/gittest"
	"github.com/gitdora/gitdora/internal/sarifgen"
)

// BenchmarkSecurityHistory gathers scans from a data directory and builds
// their history (findings, episodes, index), as every reading command
// does, and reports the memory that stays live per finding.
func BenchmarkSecurityHistory(b *testing.B) {
	at := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	b.Run("curl", func(b *testing.B) {
		files := map[string][]byte{}
		for i, name := range []string{"gen_flawfinder-2.0.19_curl-7.88.1.sarif", "gen_flawfinder-2.0.19_curl-8.21.0.sarif"} {
			raw, err := os.ReadFile(corpusSARIF + name)
			if err != nil {
				b.Skipf("corpus not found (../shared/corpus/sarif from the repository root): %v", err)
			}
			files[data.ScanFile(at.AddDate(0, i, 0), "c"+string(rune('0'+i)), "flawfinder", raw)] = raw
		}
		benchHistory(b, files)
	})
	for _, c := range []struct {
		name  string
		dense bool
	}{{"flows-40MB", false}, {"dense-40MB", true}} {
		b.Run(c.name, func(b *testing.B) {
			f, err := os.CreateTemp(b.TempDir(), "gen-*.sarif")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := sarifgen.Write(f, 40<<20, 1, c.dense); err != nil {
				b.Fatal(err)
			}
			f.Close()
			raw, err := os.ReadFile(f.Name())
			if err != nil {
				b.Fatal(err)
			}
			benchHistory(b, map[string][]byte{data.ScanFile(at, "c0", "codeql", raw): raw})
		})
	}
}

func benchHistory(b *testing.B, files map[string][]byte) {
	dir := b.TempDir()
	var size int64
	for p, raw := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(full, raw, 0o644); err != nil {
			b.Fatal(err)
		}
		size += int64(len(raw))
		// A scan record says it is the trunk's: it takes part in lifecycles.
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(collect.ScanMetaFile(p))), []byte(`{"refs":["main"],"scan_type":"full"}`), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	store, err := data.Open(dir, dir)
	if err != nil {
		b.Fatal(err)
	}
	cfg := config.Default()
	b.SetBytes(size)
	b.ReportAllocs()
	var live, findings float64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		f, err := collect.Gather(collect.Options{RepoPath: dir, Store: store, Config: cfg})
		if err != nil {
			b.Fatal(err)
		}
		h := NewHistory(f, cfg, time.UTC)
		runtime.GC()
		runtime.ReadMemStats(&after)
		live, findings = float64(after.HeapAlloc)-float64(before.HeapAlloc), 0
		for _, s := range f.Scans {
			findings += float64(s.Results)
		}
		runtime.KeepAlive(h)
	}
	b.ReportMetric(live/findings, "live-B/finding")
	b.ReportMetric(findings, "findings")
}

// BenchmarkStreamedNights gathers 120 nightly scans of a log whose content
// differs every night (the curl log, its first result moved a line further
// each night) from a packed data branch, as the reading commands do: the
// trunk's findings pending, read one scan at a time as the lifecycles make
// the episodes, then let go. It measures what a night costs when every
// night's findings must be read and matched.
func BenchmarkStreamedNights(b *testing.B) {
	raw, err := os.ReadFile(corpusSARIF + "gen_flawfinder-2.0.19_curl-8.21.0.sarif")
	if err != nil {
		b.Skipf("corpus not found (../shared/corpus/sarif from the repository root): %v", err)
	}
	const nights = 120
	r := gittest.New(b)
	r.Git("checkout", "-q", "-b", data.DefaultBranch)
	first := []byte(`"startLine": 32,`)
	at := time.Date(2025, 1, 1, 2, 0, 0, 0, time.UTC)
	for n := range nights {
		night := bytes.Replace(raw, first, fmt.Appendf(nil, `"startLine": %d,`, 32+n), 1)
		w := &findings.Writer{}
		log, err := sarif.Read(bytes.NewReader(night), sarif.Options{Results: w.Results}, w.Run)
		if err != nil {
			b.Fatal(err)
		}
		p := data.ScanFile(at.AddDate(0, 0, n), fmt.Sprintf("%040x", n+1), "flawfinder", night)
		gittest.WriteFiles(b, r.Dir, map[string]string{ // a night at a time: 120 logs are 300 MB
			p:                       string(night),
			collect.FindingsFile(p): string(w.Bytes(log)),
			collect.ScanMetaFile(p): fmt.Sprintf(`{"refs":["main"],"at":%q,"scan_type":"full"}`, at.AddDate(0, 0, n).Format(time.RFC3339)),
		})
	}
	r.Git("add", ".")
	r.Git("commit", "-q", "-m", "nights")
	r.Git("gc", "-q") // as a clone fetches it
	store, err := data.Open(r.Dir, "")
	if err != nil {
		b.Fatal(err)
	}
	cfg := config.Default()
	cfg.Trunk = "main"
	b.ReportAllocs()
	results := 0
	for b.Loop() {
		f, err := collect.Gather(collect.Options{RepoPath: r.Dir, Store: store, Config: cfg, TrunkFindingsOnly: true, StreamTrunk: true})
		if err != nil {
			b.Fatal(err)
		}
		if f.Pending == nil || len(f.Scans) != nights {
			b.Fatalf("%d scans, pending %v: want %d, their findings pending", len(f.Scans), f.Pending != nil, nights)
		}
		results = f.Scans[0].Results
		h := NewHistory(f, cfg, time.UTC)
		if _, problems := f.Pending.Report(); len(problems) > 0 {
			b.Fatal(problems)
		}
		runtime.KeepAlive(h)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/nights/1e3, "µs/night")
	b.ReportMetric(float64(results), "findings/night")
}
