package collect

import (
	"bytes"
	"compress/gzip"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
)

// Readers apply the limits too: a stored file over them (stored before
// they existed, or by hand) is reported and skipped, the rest is read.
func TestStoredFilesOverTheLimitsAreSkipped(t *testing.T) {
	at := time.Date(2026, 1, 7, 0, 0, 0, 0, time.UTC)
	sha := strings.Repeat("5", 40)
	doc := func(tool string, pad int) []byte {
		return []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"` + tool + `"}},"results":[]}]` + strings.Repeat(" ", pad) + `}`)
	}
	var bomb bytes.Buffer
	z, _ := gzip.NewWriterLevel(&bomb, gzip.BestSpeed)
	z.Write(doc("bomb", 0)[:70])
	pad := bytes.Repeat([]byte(" "), 1<<20)
	for range 100 {
		z.Write(pad)
	}
	z.Write([]byte(`}`))
	z.Close()
	small, big := doc("small", 0), doc("big", 2000)
	run := func(id string, pad int) []byte {
		return []byte(`{"id": ` + id + `, "head_sha": "` + sha + `", "status": "completed", "run_started_at": "2026-01-05T10:00:00Z", "updated_at": "2026-01-05T10:10:00Z", "jobs": []}` + strings.Repeat(" ", pad))
	}
	files := map[string][]byte{
		data.ScanFile(at, sha, "small", small):       small,
		data.ScanFile(at, sha, "big", big):           big,
		data.ScanFile(at, sha, "bomb", bomb.Bytes()): bomb.Bytes(),
		"ci/2026/01/7.json":                          run("7", 0),
		"ci/2026/01/8.json":                          run("8", 5000),
	}
	for p := range files {
		if strings.HasSuffix(p, ".sarif") {
			files[ScanMetaFile(p)] = []byte(`{"refs": ["main"], "scan_type": "full"}`)
		}
	}
	store := plainStore(t, files)
	gather := func(sarifBytes config.ByteSize) (*fact.Facts, string) {
		cfg := config.Default()
		cfg.Limits.SARIFBytes, cfg.Limits.CIBytes = sarifBytes, 1000
		f := &fact.Facts{}
		if err := gatherSecurity(Options{RepoPath: t.TempDir(), Store: store, Config: cfg}, f); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range f.Problems {
			got = append(got, p.String())
		}
		return f, strings.Join(got, "\n")
	}
	f, all := gather(1000)
	if len(f.Scans) != 1 || f.Scans[0].Tool != "small" || len(f.CIRuns) != 1 || f.CIRuns[0].ID != 7 {
		t.Errorf("scans %+v, CI runs %+v; want the small scan and run 7", f.Scans, f.CIRuns)
	}
	for _, w := range []string{"/ci/2026/01/8.json: more than limits.ci_bytes (1000 bytes); skipped",
		"big-62528316f50f.sarif: more than limits.sarif_bytes (1000 bytes) of SARIF; skipped",
		"bomb-4c0edb96e45e.sarif: more than limits.sarif_bytes (1000 bytes) of SARIF; skipped"} {
		if !strings.Contains(all, w) {
			t.Errorf("problems:\n%s\nwant one saying %q", all, w)
		}
	}
	if n := strings.Count(all, "\n") + 1; n != 3 {
		t.Errorf("%d problems, want 3:\n%s", n, all)
	}
	// Within sarif_bytes, the bomb is refused by its ratio.
	f, all = gather(config.Default().Limits.SARIFBytes)
	if len(f.Scans) != 2 || !regexp.MustCompile(`/bomb-[0-9a-f]{12}\.sarif: a gzip file that inflates to more than limits\.decompression_ratio \(100\) times its size; skipped`).MatchString(all) {
		t.Errorf("%d scans; problems:\n%s\nwant the bomb skipped by its ratio", len(f.Scans), all)
	}
}
