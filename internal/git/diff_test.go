package git

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/internal/gittest"
)

// DiffTrees reports the paths `git diff-tree -r --no-renames` reports for
// a commit against its first parent: files added, removed, changed in
// content or mode, folders added, removed or replaced by a file, a
// submodule; nothing for an unchanged folder; every file of a root commit.
func TestDiffTreesMatchesGit(t *testing.T) {
	g := gittest.New(t)
	dir := g.Dir
	commit := func(msg string, files map[string]string, remove ...string) string {
		t.Helper()
		gittest.WriteFiles(t, dir, files)
		for _, p := range remove {
			if err := os.RemoveAll(filepath.Join(dir, filepath.FromSlash(p))); err != nil {
				t.Fatal(err)
			}
		}
		g.Git("add", "-A", ".")
		g.Git("commit", "-q", "--allow-empty", "-m", msg)
		return g.Git("rev-parse", "HEAD")
	}
	var shas []string
	shas = append(shas, commit("root", map[string]string{"a/x.go": "x", "a/b/y.go": "y", "foo": "file foo", "foo.txt": "t", "lib/z.go": "z"}))
	shas = append(shas, commit("change one", map[string]string{"a/b/y.go": "y2"}))
	shas = append(shas, commit("file to folder", map[string]string{"bar/inner.go": "i"}, "foo"))
	gittest.WriteFiles(t, dir, map[string]string{"foo/deep/f.go": "f"})
	shas = append(shas, commit("folder foo", nil))
	shas = append(shas, commit("remove a folder", nil, "a"))
	if err := os.Chmod(filepath.Join(dir, "lib", "z.go"), 0o755); err != nil {
		t.Fatal(err)
	}
	shas = append(shas, commit("mode only", nil))
	shas = append(shas, commit("nothing", nil))
	g.Git("update-index", "--add", "--cacheinfo", "160000,"+shas[0]+",mod/sub")
	g.Git("commit", "-q", "-m", "submodule")
	shas = append(shas, g.Git("rev-parse", "HEAD"))

	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	read := r.NewReader()
	cache := NewTreeCache(2) // small: it starts again within the history
	for i, sha := range shas {
		c, err := r.CommitObject(NewHash(sha))
		if err != nil {
			t.Fatal(err)
		}
		from := ZeroHash
		if len(c.Parents) > 0 {
			p, err := r.CommitObject(c.Parents[0])
			if err != nil {
				t.Fatal(err)
			}
			from = p.Tree
		}
		var got []string
		if err := r.DiffTrees(read, cache, from, c.Tree, func(p string) error { got = append(got, p); return nil }); err != nil {
			t.Fatal(err)
		}
		out := g.Git("diff-tree", "-r", "--no-renames", "--no-commit-id", "--name-only", "--root", sha)
		want := []string{}
		if out != "" {
			want = strings.Split(out, "\n")
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("commit %d (%s): DiffTrees %q, git diff-tree %q", i, c.Message, got, want)
		}
	}
	// fn's error stops the walk.
	stop := errors.New("stop")
	n := 0
	c, _ := r.CommitObject(NewHash(shas[0]))
	if err := DiffTrees(read, ZeroHash, c.Tree, func(string) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("DiffTrees after fn's error: %v, %d calls", err, n)
	}
	// A missing tree is an error naming it.
	if err := DiffTrees(read, ZeroHash, NewHash("0123456789012345678901234567890123456789"), func(string) error { return nil }); err == nil || !strings.Contains(err.Error(), "tree 0123456789") {
		t.Errorf("a missing tree: %v", err)
	}
}

// A malformed tree object is an error, never a panic, and both readers of
// trees (the diff's and the listing's) read the same entries from it; the
// diff's also refuses a name holding a slash.
func FuzzParseTreeEntries(f *testing.F) {
	f.Add([]byte("100644 a.go\x00" + strings.Repeat("\x01", 20) + "40000 dir\x00" + strings.Repeat("\x02", 20)))
	f.Add([]byte("100644 a"))
	f.Add([]byte("100644 a/b\x00" + strings.Repeat("\x01", 20)))
	f.Fuzz(func(t *testing.T, b []byte) {
		es, err := parseTreeEntries(b)
		listed, lerr := parseTree(b)
		slash := lerr == nil && slices.ContainsFunc(listed, func(e TreeEntry) bool { return strings.Contains(e.Name, "/") })
		if slash && err != nil {
			return
		}
		if (err == nil) != (lerr == nil) {
			t.Fatalf("%q: the diff reads it with %v, the listing with %v", b, err, lerr)
		}
		if err != nil {
			return
		}
		if len(es) != len(listed) {
			t.Fatalf("%q: %d entries for the diff, %d for the listing", b, len(es), len(listed))
		}
		for i, e := range es {
			if len(e.name) == 0 || bytes.IndexByte(e.name, '/') >= 0 {
				t.Fatalf("an entry named %q from %q", e.name, b)
			}
			if l := listed[i]; l.Name != string(e.name) || l.Mode != e.mode || l.Hash != e.hash {
				t.Fatalf("%q: entry %d is %+v for the diff, %+v for the listing", b, i, e, l)
			}
		}
	})
}

// FindPath finds files and folders by path, and says when there is none.
func TestFindPath(t *testing.T) {
	g := gittest.New(t)
	gittest.WriteFiles(t, g.Dir, map[string]string{".github/CODEOWNERS": "* @a\n", "docs/x.md": "x"})
	g.Git("add", ".")
	g.Git("commit", "-q", "-m", "c")
	r, err := Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	c, err := r.CommitObject(NewHash(g.Git("rev-parse", "HEAD")))
	if err != nil {
		t.Fatal(err)
	}
	read := r.NewReader()
	e, err := FindPath(read, c.Tree, ".github/CODEOWNERS")
	if err != nil || e.Name != "CODEOWNERS" || !e.Mode.IsFile() || e.Hash.String() != g.Git("rev-parse", "HEAD:.github/CODEOWNERS") {
		t.Errorf("FindPath(.github/CODEOWNERS) = %+v, %v", e, err)
	}
	if e, err := FindPath(read, c.Tree, "docs"); err != nil || e.Mode != ModeDir {
		t.Errorf("FindPath(docs) = %+v, %v", e, err)
	}
	for _, p := range []string{"CODEOWNERS", "docs/CODEOWNERS", "docs/x.md/y", "nowhere/x"} {
		if _, err := FindPath(read, c.Tree, p); !errors.Is(err, ErrEntryNotFound) {
			t.Errorf("FindPath(%s): %v, want ErrEntryNotFound", p, err)
		}
	}
}
