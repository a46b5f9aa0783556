package data

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// catAll returns every object of repo as git cat-file reads it.
func catAll(t *testing.T, repo string) map[plumbing.Hash]struct {
	typ string
	b   []byte
} {
	t.Helper()
	cmd := gitCmd(repo, "cat-file", "--batch-all-objects", "--batch")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	all := map[plumbing.Hash]struct {
		typ string
		b   []byte
	}{}
	r := bufio.NewReader(bytes.NewReader(out))
	for {
		line, err := r.ReadString('\n')
		if err == io.EOF {
			break
		}
		f := strings.Fields(line)
		n, _ := strconv.Atoi(f[2])
		b := make([]byte, n+1)
		if _, err := io.ReadFull(r, b); err != nil {
			t.Fatal(err)
		}
		all[plumbing.NewHash(f[0])] = struct {
			typ string
			b   []byte
		}{f[1], b[:n]}
	}
	return all
}

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
			want := catAll(t, repo)
			if len(want) < 200 {
				t.Fatalf("only %d objects", len(want))
			}
			deltas := 0
			for h := range want {
				for _, p := range st.(*odb).packList(false) {
					if off, ok, _ := p.find(h); ok {
						var b [1]byte
						p.data.ReadAt(b[:], off)
						if plumbing.ObjectType(b[0]>>4&7) == tc.delta {
							deltas++
						}
					}
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
				if obj.Type().String() != w.typ || !bytes.Equal(b, w.b) {
					t.Fatalf("%s: got %s %q, want %s %q", h, obj.Type(), b, w.typ, w.b)
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

func TestApplyDeltaRejectsBadInput(t *testing.T) {
	base := []byte("hello world")
	for _, d := range [][]byte{
		{},
		{11},                   // no target size
		{12, 5, 0x91, 0, 5},    // wrong source size
		{11, 5, 0x91, 9, 5},    // copy beyond base
		{11, 5, 0x05, 'a'},     // truncated insert
		{11, 5, 0x00},          // opcode 0
		{11, 6, 0x91, 0, 5},    // wrong result size
		{11, 5, 0x91},          // truncated copy
		{11, 5, 0xff, 1, 2, 3}, // truncated copy args
	} {
		if _, err := applyDelta(base, d); err == nil {
			t.Errorf("applyDelta(%v) did not fail", d)
		}
	}
	got, err := applyDelta(base, []byte{11, 8, 0x91, 6, 5, 3, '!', '!', '!'})
	if err != nil || string(got) != "world!!!" {
		t.Errorf("applyDelta = %q, %v", got, err)
	}
}

func FuzzApplyDelta(f *testing.F) {
	f.Add([]byte("hello world"), []byte{11, 8, 0x91, 6, 5, 3, '!', '!', '!'})
	f.Fuzz(func(t *testing.T, base, d []byte) {
		out, err := applyDelta(base, d)
		if err == nil && out == nil && len(d) > 2 {
			t.Errorf("nil result without error")
		}
	})
}
