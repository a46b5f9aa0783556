package git

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/gitdora/gitdora/internal/gittest"
)

// A repository reads every object exactly as git does: loose, packed
// whole, and packed as deltas against an offset or a hash, through its
// own API and through the view go-git's code reads it by.
func TestObjectsMatchGit(t *testing.T) {
	for _, tc := range []struct {
		name   string
		delta  ObjectType
		repack []string
	}{
		{"ofs-delta", OFSDeltaObject, []string{"gc", "-q", "--aggressive"}},
		{"ref-delta", REFDeltaObject, []string{"-c", "repack.useDeltaBaseOffset=false", "repack", "-q", "-a", "-d", "-f"}},
	} {
		repack := tc.repack
		t.Run(tc.name, func(t *testing.T) {
			g := gittest.New(t)
			repo := g.Dir
			var csv strings.Builder
			csv.WriteString("id,time,sha\n")
			for i := range 60 {
				fmt.Fprintf(&csv, "d%d,2026-01-05T10:00:00Z,abc,production,success,,,false,0,0,0,0,cli\n", i)
				gittest.WriteFiles(t, repo, map[string]string{"a.csv": csv.String(), fmt.Sprintf("dir/f%d.txt", i%7): strings.Repeat("line\n", i)})
				g.Git("add", ".")
				g.Git("commit", "-q", "-m", fmt.Sprint(i))
			}
			g.Git("tag", "-a", "v1", "-m", "tag")
			g.Git(repack...)
			gittest.WriteFiles(t, repo, map[string]string{"loose.txt": "loose\n"})
			g.Git("add", ".")
			g.Git("commit", "-q", "-m", "loose")
			if n := g.Git("count-objects"); strings.HasPrefix(n, "0 objects") {
				t.Fatalf("no loose objects: %s", n)
			}
			idx, _ := filepath.Glob(filepath.Join(repo, ".git", "objects", "pack", "*.idx"))
			if len(idx) != 1 || !strings.Contains(g.Git("verify-pack", "-v", idx[0]), "chain length = 2") {
				t.Fatalf("want one pack with delta chains, have %v", idx)
			}
			r, err := Open(repo)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			st := r.objs
			want := catAll(t, repo)
			if len(want) < 200 {
				t.Fatalf("only %d objects", len(want))
			}
			deltas := 0
			for h := range want {
				if t, err := r.db.Stored(h); err == nil && t == tc.delta {
					deltas++
				}
			}
			if deltas < 10 {
				t.Fatalf("only %d objects stored as %s", deltas, tc.delta)
			}
			read := r.NewReader()
			for h, w := range want {
				obj, err := st.EncodedObject(plumbing.AnyObject, plumbing.Hash(h))
				if err != nil {
					t.Fatalf("%s: %v", h, err)
				}
				rd, _ := obj.Reader()
				b, _ := io.ReadAll(rd)
				if obj.Type().String() != w.Type || !bytes.Equal(b, w.Data) {
					t.Fatalf("%s: got %s %q, want %s %q", h, obj.Type(), b, w.Type, w.Data)
				}
				if Hash(obj.Hash()) != h {
					t.Fatalf("%s: content hashes to %s", h, obj.Hash())
				}
				if err := st.HasEncodedObject(plumbing.Hash(h)); err != nil {
					t.Fatalf("HasEncodedObject(%s) = %v", h, err)
				}
				typ, b, err := read(h)
				if err != nil || typ.String() != w.Type || !bytes.Equal(b, w.Data) {
					t.Fatalf("NewReader: %s: got %s %q (%v), want %s %q", h, typ, b, err, w.Type, w.Data)
				}
				if HashObject(typ, b) != h {
					t.Fatalf("HashObject of %s gives %s", h, HashObject(typ, b))
				}
			}
			missing := NewHash("0123456789abcdef0123456789abcdef01234567")
			if err := st.HasEncodedObject(plumbing.Hash(missing)); err != plumbing.ErrObjectNotFound {
				t.Errorf("HasEncodedObject(missing) = %v", err)
			}
			if _, err := st.EncodedObject(plumbing.AnyObject, plumbing.Hash(missing)); err != plumbing.ErrObjectNotFound {
				t.Errorf("EncodedObject(missing) = %v", err)
			}
			if _, _, err := read(missing); err != ErrNotFound {
				t.Errorf("NewReader: missing = %v, want ErrNotFound", err)
			}
			if _, err := r.CommitObject(missing); err != ErrNotFound {
				t.Errorf("CommitObject(missing) = %v, want ErrNotFound", err)
			}
			head := NewHash(g.Git("rev-parse", "HEAD"))
			if _, err := st.EncodedObject(plumbing.BlobObject, plumbing.Hash(head)); err != plumbing.ErrObjectNotFound {
				t.Errorf("a commit read as a blob: %v", err)
			}
			if _, err := r.ReadBlob(head); err != ErrNotFound {
				t.Errorf("ReadBlob(a commit) = %v, want ErrNotFound", err)
			}
			c, err := r.CommitObject(head)
			if err != nil || c.Hash != head || c.Tree.String() != g.Git("rev-parse", "HEAD^{tree}") || len(c.Parents) != 1 || c.Parents[0].String() != g.Git("rev-parse", "HEAD^") || c.Message != "loose\n" {
				t.Errorf("CommitObject(HEAD) = %+v, %v", c, err)
			}
			for _, h := range []string{g.Git("rev-parse", "HEAD~7"), head.String()} {
				full, err := r.ResolveCommit(h[:7])
				if err != nil || full != h {
					t.Errorf("ResolveCommit(%s) = %s, %v; want %s", h[:7], full, err, h)
				}
			}
			if got, err := r.ResolveCommit("v1"); err != nil || got != head.String() && got != g.Git("rev-parse", "v1^{commit}") {
				t.Errorf("ResolveCommit(v1) = %s, %v", got, err)
			}
		})
	}
}

// A tree reads its entries, finds paths below it and says which part of
// a path is missing, as go-git's trees do.
func TestTreeFindsPaths(t *testing.T) {
	g := gittest.New(t)
	gittest.WriteFiles(t, g.Dir, map[string]string{"a.txt": "a\n", "dir/b.txt": "b\n", "dir/sub/c.txt": "c\n"})
	g.Git("add", ".")
	g.Git("commit", "-q", "-m", "files")
	r, err := Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.CommitObject(NewHash(g.Git("rev-parse", "HEAD")))
	if err != nil {
		t.Fatal(err)
	}
	tree, err := r.TreeObject(c.Tree)
	if err != nil {
		t.Fatal(err)
	}
	if len(tree.Entries) != 2 || tree.Entries[0].Name != "a.txt" || tree.Entries[0].Mode != ModeRegular || tree.Entries[1].Mode != ModeDir {
		t.Errorf("entries %+v", tree.Entries)
	}
	e, err := tree.FindEntry("dir/sub/c.txt")
	if err != nil || e.Hash.String() != g.Git("rev-parse", "HEAD:dir/sub/c.txt") || !e.Mode.IsFile() {
		t.Errorf("FindEntry(dir/sub/c.txt) = %+v, %v", e, err)
	}
	if _, err := tree.FindEntry("dir/nope.txt"); err != ErrEntryNotFound {
		t.Errorf("FindEntry(dir/nope.txt) = %v, want ErrEntryNotFound", err)
	}
	if _, err := tree.FindEntry("nope/c.txt"); err != ErrDirectoryNotFound {
		t.Errorf("FindEntry(nope/c.txt) = %v, want ErrDirectoryNotFound", err)
	}
	if _, err := tree.Tree("a.txt/x"); err != ErrDirectoryNotFound {
		t.Errorf("Tree(a.txt/x) = %v, want ErrDirectoryNotFound", err)
	}
	if _, err := tree.File("dir"); err == nil {
		t.Error("File(dir) of a folder did not fail")
	}
	f, err := tree.File("dir/b.txt")
	if err != nil || f.Size != 2 {
		t.Fatalf("File(dir/b.txt) = %+v, %v", f, err)
	}
	rc, _ := f.Reader()
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "b\n" {
		t.Errorf("dir/b.txt = %q", b)
	}
	var paths []string
	if err := tree.Walk(func(p string, e TreeEntry) error {
		paths = append(paths, fmt.Sprintf("%s %o", p, e.Mode))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(paths, ","); got != "a.txt 100644,dir 40000,dir/b.txt 100644,dir/sub 40000,dir/sub/c.txt 100644" {
		t.Errorf("Walk: %s", got)
	}
}

// Files lists what git ls-tree -r lists: every file, with its mode and
// name, in git's order; parseTree refuses what is not a tree.
func TestFilesListsAsGitDoes(t *testing.T) {
	g := gittest.New(t)
	gittest.WriteFiles(t, g.Dir, map[string]string{"a.txt": "a\n", "dir/b.txt": "b\n", "dir/sub/c.txt": "c\n", "dir.x": "x\n", "z/y/x/w.txt": "w\n"})
	g.Git("add", ".")
	g.Git("commit", "-q", "-m", "files")
	r, err := Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.CommitObject(NewHash(g.Git("rev-parse", "HEAD")))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := r.Files(c.Tree, "", func(p string, e TreeEntry) error {
		got = append(got, fmt.Sprintf("%06o blob %s\t%s", e.Mode, e.Hash, p))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := g.Git("ls-tree", "-r", "HEAD"); strings.Join(got, "\n") != want {
		t.Errorf("Files:\n%s\nwant (git ls-tree -r):\n%s", strings.Join(got, "\n"), want)
	}
	for _, b := range []string{"100644", "100644 a", "1006x4 a\x00" + strings.Repeat("h", 20), "100644 \x00" + strings.Repeat("h", 20), "100644 a\x00short", "10064400 a\x00" + strings.Repeat("h", 20)} {
		if _, err := parseTree([]byte(b)); err == nil {
			t.Errorf("parseTree(%q) did not fail", b)
		}
	}
	// A name holding a slash is listed as it is (the data branch's reader
	// reports the odd path), and refused by the diff.
	slash := []byte("100644 a/b\x00" + strings.Repeat("h", 20))
	if es, err := parseTree(slash); err != nil || len(es) != 1 || es[0].Name != "a/b" {
		t.Errorf("parseTree(%q) = %v, %v", slash, es, err)
	}
	if _, err := parseTreeEntries(slash); err == nil {
		t.Errorf("parseTreeEntries(%q) did not fail", slash)
	}
}
