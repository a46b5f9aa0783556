package data

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/gitdora/gitdora/internal/gittest"
)

// Objects reads every object of a repository exactly as git does: loose,
// packed whole, and packed as deltas against an offset or a hash.
func TestObjectsMatchGit(t *testing.T) {
	for _, tc := range []struct {
		name   string
		delta  plumbing.ObjectType
		repack []string
	}{
		{"ofs-delta", plumbing.OFSDeltaObject, []string{"gc", "-q", "--aggressive"}},
		{"ref-delta", plumbing.REFDeltaObject, []string{"-c", "repack.useDeltaBaseOffset=false", "repack", "-q", "-a", "-d", "-f"}},
	} {
		repack := tc.repack
		t.Run(tc.name, func(t *testing.T) {
			repo := t.TempDir()
			gitRun(t, repo, "init", "-q", "-b", "main")
			var csv strings.Builder
			csv.WriteString(strings.Join(DeploymentHeader, ",") + "\n")
			for i := range 60 {
				fmt.Fprintf(&csv, "d%d,2026-01-05T10:00:00Z,abc,production,success,,,false,0,0,0,0,cli\n", i)
				writeFiles(t, repo, map[string]string{"a.csv": csv.String(), fmt.Sprintf("dir/f%d.txt", i%7): strings.Repeat("line\n", i)})
				gitRun(t, repo, "add", ".")
				gitRun(t, repo, "commit", "-q", "-m", fmt.Sprint(i))
			}
			gitRun(t, repo, "tag", "-a", "v1", "-m", "tag")
			gitRun(t, repo, repack...)
			writeFiles(t, repo, map[string]string{"loose.txt": "loose\n"})
			gitRun(t, repo, "add", ".")
			gitRun(t, repo, "commit", "-q", "-m", "loose")
			if n := gitRun(t, repo, "count-objects"); strings.HasPrefix(n, "0 objects") {
				t.Fatalf("no loose objects: %s", n)
			}
			idx, _ := filepath.Glob(filepath.Join(repo, ".git", "objects", "pack", "*.idx"))
			if len(idx) != 1 || !strings.Contains(gitRun(t, repo, "verify-pack", "-v", idx[0]), "chain length = 2") {
				t.Fatalf("want one pack with delta chains, have %v", idx)
			}
			r, err := git.PlainOpen(repo)
			if err != nil {
				t.Fatal(err)
			}
			st := Objects(r)
			want := gittest.CatAll(t, repo)
			if len(want) < 200 {
				t.Fatalf("only %d objects", len(want))
			}
			deltas := 0
			for h := range want {
				if t, err := dbOf(st).Stored(h); err == nil && t == tc.delta {
					deltas++
				}
			}
			if deltas < 10 {
				t.Fatalf("only %d objects stored as %s", deltas, tc.delta)
			}
			for h, w := range want {
				obj, err := st.EncodedObject(plumbing.AnyObject, h)
				if err != nil {
					t.Fatalf("%s: %v", h, err)
				}
				rd, _ := obj.Reader()
				b, _ := io.ReadAll(rd)
				if obj.Type().String() != w.Type || !bytes.Equal(b, w.Data) {
					t.Fatalf("%s: got %s %q, want %s %q", h, obj.Type(), b, w.Type, w.Data)
				}
				if obj.Hash() != h {
					t.Fatalf("%s: content hashes to %s", h, obj.Hash())
				}
				if err := st.HasEncodedObject(h); err != nil {
					t.Fatalf("HasEncodedObject(%s) = %v", h, err)
				}
			}
			missing := plumbing.NewHash("0123456789abcdef0123456789abcdef01234567")
			if err := st.HasEncodedObject(missing); err != plumbing.ErrObjectNotFound {
				t.Errorf("HasEncodedObject(missing) = %v", err)
			}
			if _, err := st.EncodedObject(plumbing.AnyObject, missing); err != plumbing.ErrObjectNotFound {
				t.Errorf("EncodedObject(missing) = %v", err)
			}
			head := plumbing.NewHash(gitRun(t, repo, "rev-parse", "HEAD"))
			if _, err := st.EncodedObject(plumbing.BlobObject, head); err != plumbing.ErrObjectNotFound {
				t.Errorf("a commit read as a blob: %v", err)
			}
			for _, h := range []string{gitRun(t, repo, "rev-parse", "HEAD~7"), head.String()} {
				full, err := ResolveCommit(r, h[:7])
				if err != nil || full != h {
					t.Errorf("ResolveCommit(%s) = %s, %v; want %s", h[:7], full, err, h)
				}
			}
			if got, err := ResolveCommit(r, "v1"); err != nil || got != head.String() && got != gitRun(t, repo, "rev-parse", "v1^{commit}") {
				t.Errorf("ResolveCommit(v1) = %s, %v", got, err)
			}
		})
	}
}

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
