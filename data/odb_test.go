package data

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
)

// Store.Open reads small and large files of a data branch, loose and then
// packed, as they were committed, and streams the large ones: reading a
// 3 MB SARIF file allocates far less than the file.
func TestOpenStreamsWhatGitStored(t *testing.T) {
	repo := t.TempDir()
	gitRun(t, repo, "init", "-q", "-b", DefaultBranch)
	small := `{"version":"2.1.0","runs":[]}`
	large := strings.Repeat(`{"ruleId":"x","message":{"text":"a long message"}},`, 60000)
	writeFiles(t, repo, map[string]string{"scans/a.sarif": small, "scans/b.sarif": large})
	gitRun(t, repo, "add", ".")
	gitRun(t, repo, "commit", "-q", "-m", "data")
	for _, stage := range []string{"loose", "packed"} {
		if stage == "packed" {
			gitRun(t, repo, "gc", "-q", "--aggressive")
		}
		s, err := Open(repo, "")
		if err != nil {
			t.Fatal(err)
		}
		for p, want := range map[string]string{"scans/a.sarif": small, "scans/b.sarif": large} {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			rc, err := s.Open(p)
			if err != nil {
				t.Fatalf("%s %s: %v", stage, p, err)
			}
			n, err := io.Copy(io.Discard, rc)
			rc.Close()
			runtime.ReadMemStats(&after)
			if err != nil || n != int64(len(want)) {
				t.Fatalf("%s %s: read %d bytes (%v), want %d", stage, p, n, err, len(want))
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; len(want) > 1<<20 && alloc > 1<<20 {
				t.Errorf("%s %s: reading %d bytes allocated %d", stage, p, len(want), alloc)
			}
			if got, err := s.ReadFile(p); err != nil || string(got) != want {
				t.Errorf("%s %s: ReadFile gave %d bytes, %v", stage, p, len(got), err)
			}
		}
		for _, p := range []string{"scans/missing.sarif", "scans", "scans/a.sarif/x", "other/a.sarif"} {
			if _, err := s.Open(p); !errors.Is(err, ErrNotExist) {
				t.Errorf("%s: Open(%s) = %v, want ErrNotExist", stage, p, err)
			}
		}
	}
}
