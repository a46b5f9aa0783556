package data

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/internal/git"
)

// writeScan writes a scan folder of scans/2025/12 as these tests have
// them: a record and a SARIF file.
func writeScan(sha, record string) func(*Tx) error {
	return func(tx *Tx) error {
		dir := "scans/2025/12/" + strings.Repeat(sha, 40)
		if err := tx.WriteFile(dir+"/semgrep-0123456789ab.json", []byte(record)); err != nil {
			return err
		}
		return tx.WriteFile(dir+"/semgrep-0123456789ab.sarif", []byte(`{"version":"2.1.0","runs":[]}`))
	}
}

func update(t *testing.T, s *Store, fn func(*Tx) error) {
	t.Helper()
	if _, err := s.Update(context.Background(), "test", WriteOptions{}, fn); err != nil {
		t.Fatal(err)
	}
	if err := s.Refresh(); err != nil {
		t.Fatal(err)
	}
}

// monthSet reads the MonthObjects file of scans/2025/12 at rev.
func monthSet(t *testing.T, repo, rev string) *git.ObjectSet {
	t.Helper()
	h, err := execGit(repo, "rev-parse", "--verify", rev+":scans/2025/12/"+MonthObjects)
	if err != nil {
		t.Fatalf("no %s at %s: %v", MonthObjects, rev, err)
	}
	b, err := mustRepo(t, repo).ReadBlob(git.NewHash(h))
	if err != nil {
		t.Fatal(err)
	}
	set, err := git.ParseObjectSet(b)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// covers reports whether set holds the tree of every commit folder of
// scans/2025/12 at rev and the content of each scan record.
func covers(t *testing.T, repo, rev string, set *git.ObjectSet) []string {
	t.Helper()
	var missing []string
	for _, line := range strings.Split(gitRun(t, repo, "ls-tree", rev+":scans/2025/12"), "\n") {
		f := strings.Fields(line)
		if len(f) != 4 || f[1] != "tree" {
			continue
		}
		if _, ok := set.Get(git.NewHash(f[2]), git.TreeObject); !ok {
			missing = append(missing, f[3]+" (tree)")
		}
		for _, l := range strings.Split(gitRun(t, repo, "ls-tree", f[2]), "\n") {
			g := strings.Fields(l)
			if len(g) == 4 && strings.HasSuffix(g[3], ".json") {
				if _, ok := set.Get(git.NewHash(g[2]), git.BlobObject); !ok {
					missing = append(missing, f[3]+"/"+g[3])
				}
			}
		}
	}
	return missing
}

// Every write of a scan leaves its month with the MonthObjects file of
// what the month holds, the same whatever order the scans came in; a
// write that adds nothing to the month leaves the file as it was.
func TestWritesKeepTheMonthsObjects(t *testing.T) {
	repo := newRepo(t)
	s := mustOpen(t, repo, "")
	update(t, s, writeScan("a", `{"refs":["main"]}`))
	update(t, s, writeScan("b", `{"refs":["main"],"at":"2025-12-02T00:00:00Z"}`))
	update(t, s, writeScan("a", `{"refs":["main","release"]}`)) // a ref added to a's record
	set := monthSet(t, repo, "dora-data")
	if m := covers(t, repo, "dora-data", set); len(m) > 0 || set.Len() != 4 {
		t.Errorf("month.objects holds %d objects, missing %q; want 2 trees and 2 records", set.Len(), m)
	}
	gitRun(t, repo, "fsck", "--strict", "--no-dangling")

	other := newRepo(t)
	o := mustOpen(t, other, "")
	update(t, o, writeScan("b", `{"refs":["main"],"at":"2025-12-02T00:00:00Z"}`))
	update(t, o, writeScan("a", `{"refs":["main","release"]}`))
	if a, b := gitRun(t, repo, "rev-parse", "dora-data:scans/2025/12/"+MonthObjects), gitRun(t, other, "rev-parse", "dora-data:scans/2025/12/"+MonthObjects); a != b {
		t.Errorf("the same month written in another order: %s, want %s", b, a)
	}

	before := gitRun(t, repo, "rev-parse", "dora-data")
	update(t, s, func(tx *Tx) error { return tx.WriteFile("events/x.txt", []byte("x\n")) })
	if gitRun(t, repo, "rev-parse", "dora-data:scans") != gitRun(t, repo, "rev-parse", before+":scans") {
		t.Error("a write outside scans/ changed scans/")
	}
}

// Reading trusts nothing in a MonthObjects file: one left stale by a
// hand edit, or forged, gives the files the month's tree names and their
// content, never its own.
func TestEntriesTrustOnlyWhatTheTreeNames(t *testing.T) {
	repo := newRepo(t)
	s := mustOpen(t, repo, "")
	update(t, s, writeScan("a", `{"refs":["main"]}`))
	update(t, s, writeScan("b", `{"refs":["main"]}`))
	stale := gitRun(t, repo, "rev-parse", "dora-data:scans/2025/12/"+MonthObjects)

	// By hand: a's record edited, c's folder added, month.objects kept.
	wt := filepath.Join(t.TempDir(), "wt")
	gitRun(t, repo, "worktree", "add", "-q", wt, "dora-data")
	a := filepath.Join(wt, "scans/2025/12", strings.Repeat("a", 40), "semgrep-0123456789ab.json")
	c := filepath.Join(wt, "scans/2025/12", strings.Repeat("c", 40), "semgrep-0123456789ab.json")
	if err := os.WriteFile(a, []byte(`{"refs":["edited"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(c), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(c, []byte(`{"refs":["c"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	gitRun(t, wt, "add", "-A")
	gitRun(t, wt, "commit", "-q", "-m", "by hand")
	if got := gitRun(t, repo, "rev-parse", "dora-data:scans/2025/12/"+MonthObjects); got != stale {
		t.Fatal("the hand edit changed month.objects")
	}
	want := map[string]string{
		"scans/2025/12/" + strings.Repeat("a", 40) + "/semgrep-0123456789ab.json": `{"refs":["edited"]}`,
		"scans/2025/12/" + strings.Repeat("b", 40) + "/semgrep-0123456789ab.json": `{"refs":["main"]}`,
		"scans/2025/12/" + strings.Repeat("c", 40) + "/semgrep-0123456789ab.json": `{"refs":["c"]}`,
	}
	check := func(what string) {
		t.Helper()
		s := mustOpen(t, repo, "")
		entries, err := s.Entries(ScansDir)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		carried := 0
		for _, e := range entries {
			if !strings.HasSuffix(e.Path, ".json") {
				continue
			}
			if e.Data != nil {
				carried++
			}
			rc, _, err := s.OpenEntry(e)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			b.ReadFrom(rc)
			rc.Close()
			got[e.Path] = b.String()
		}
		if len(got) != len(want) {
			t.Errorf("%s: records %q, want %q", what, got, want)
		}
		for p, w := range want {
			if got[p] != w {
				t.Errorf("%s: %s = %q, want %q", what, p, got[p], w)
			}
		}
		if what == "stale" && carried != 1 {
			t.Errorf("stale: %d records came from month.objects, want b's alone", carried)
		}
	}
	check("stale")

	// Forged: a set whose tree for a's folder names b's record.
	aTree := gitRun(t, repo, "rev-parse", "dora-data:scans/2025/12/"+strings.Repeat("a", 40))
	_, treeB, err := mustRepo(t, repo).Read(git.NewHash(gitRun(t, repo, "rev-parse", "dora-data:scans/2025/12/"+strings.Repeat("b", 40))))
	if err != nil {
		t.Fatal(err)
	}
	forged := git.EncodeObjectSet([]git.Object{{Type: git.TreeObject, Data: treeB}, {Type: git.BlobObject, Data: []byte(`{"refs":["forged"]}`)}})
	if _, ok := mustParse(t, forged).Get(git.NewHash(aTree), git.TreeObject); ok {
		t.Fatal("a tree of other content was taken for a's")
	}
	if err := os.WriteFile(filepath.Join(wt, "scans/2025/12", MonthObjects), forged, 0o644); err != nil {
		t.Fatal(err)
	}
	gitRun(t, wt, "commit", "-q", "-am", "forged")
	check("forged")
}

func mustRepo(t *testing.T, dir string) *git.Repository {
	t.Helper()
	r, err := git.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func mustParse(t *testing.T, b []byte) *git.ObjectSet {
	t.Helper()
	s, err := git.ParseObjectSet(b)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Two histories that each added a scan to the same month merge: the
// month's MonthObjects file is made again from the merged month, not
// reported as changed differently on both sides.
func TestMergeMakesTheMonthsObjectsAgain(t *testing.T) {
	repo := newRepo(t)
	s := mustOpen(t, repo, "")
	update(t, s, writeScan("a", `{"refs":["main"]}`))
	base := gitRun(t, repo, "rev-parse", "dora-data")
	update(t, s, writeScan("b", `{"refs":["b"]}`))
	ours := gitRun(t, repo, "rev-parse", "dora-data")
	gitRun(t, repo, "update-ref", "refs/heads/dora-data", base)
	update(t, s, writeScan("c", `{"refs":["c"]}`))
	theirs := gitRun(t, repo, "rev-parse", "dora-data")

	r := mustRepo(t, repo)
	tree := func(rev string) git.Hash { return git.NewHash(gitRun(t, repo, "rev-parse", rev+"^{tree}")) }
	h, err := mergeTrees(r, tree(base), tree(ours), tree(theirs))
	if err != nil {
		t.Fatal(err)
	}
	merged := gitRun(t, repo, "commit-tree", h.String(), "-p", ours, "-p", theirs, "-m", "merged")
	set := monthSet(t, repo, merged)
	if m := covers(t, repo, merged, set); len(m) > 0 || set.Len() != 6 {
		t.Errorf("merged month.objects holds %d objects, missing %q; want 3 trees and 3 records", set.Len(), m)
	}
	names := gitRun(t, repo, "ls-tree", "--name-only", merged+":scans/2025/12")
	for _, c := range []string{"a", "b", "c"} {
		if !strings.Contains(names, strings.Repeat(c, 40)) {
			t.Errorf("merged month lacks %s's folder:\n%s", c, names)
		}
	}
}

// A branch written before MonthObjects files existed gets them from
// RefreshMonthObjects (gitdora reindex), once: run again, it changes
// nothing.
func TestRefreshMonthObjects(t *testing.T) {
	repo := newRepo(t)
	s := mustOpen(t, repo, "")
	update(t, s, writeScan("a", `{"refs":["main"]}`))
	wt := filepath.Join(t.TempDir(), "wt")
	gitRun(t, repo, "worktree", "add", "-q", wt, "dora-data")
	gitRun(t, wt, "rm", "-q", "scans/2025/12/"+MonthObjects)
	gitRun(t, wt, "commit", "-q", "-m", "as an older gitdora left it")
	gitRun(t, repo, "worktree", "remove", wt)
	res, err := s.Update(context.Background(), "reindex", WriteOptions{}, func(tx *Tx) error { return tx.RefreshMonthObjects() })
	if err != nil || !res.Changed {
		t.Fatalf("first refresh: %+v, %v", res, err)
	}
	set := monthSet(t, repo, "dora-data")
	if m := covers(t, repo, "dora-data", set); len(m) > 0 {
		t.Errorf("missing %q", m)
	}
	if err := s.Refresh(); err != nil {
		t.Fatal(err)
	}
	res, err = s.Update(context.Background(), "reindex", WriteOptions{}, func(tx *Tx) error { return tx.RefreshMonthObjects() })
	if err != nil || res.Changed {
		t.Errorf("second refresh: %+v, %v; want nothing changed", res, err)
	}
}

func TestIsScanMonth(t *testing.T) {
	for p, want := range map[string]bool{
		"scans/2025/12/":   true,
		"scans/0000/00/":   true,
		"scans/2025/12":    false,
		"scans/2025/1x/":   false,
		"scans/2025/12/a/": false,
		"ci/2025/12/":      false,
		"scans/25/12/":     false,
		"xscans/2025/12/":  false,
	} {
		if isScanMonth(p) != want {
			t.Errorf("isScanMonth(%q) = %v", p, !want)
		}
	}
}

// A folder made by hand where month.objects belongs is kept as it is, by
// writes and by merges: its month has no set of objects, and nothing in
// the folder is lost.
func TestMonthObjectsLeavesAFolderAlone(t *testing.T) {
	repo := newRepo(t)
	s := mustOpen(t, repo, "")
	update(t, s, writeScan("a", `{"refs":["a"]}`))
	wt := filepath.Join(t.TempDir(), "wt")
	gitRun(t, repo, "worktree", "add", "-q", wt, "dora-data")
	gitRun(t, wt, "rm", "-q", "scans/2025/12/"+MonthObjects)
	if err := os.MkdirAll(filepath.Join(wt, "scans/2025/12", MonthObjects), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(wt, "scans/2025/12", MonthObjects, "notes.txt"), []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gitRun(t, wt, "add", "-A")
	gitRun(t, wt, "commit", "-q", "-m", "a folder by hand")
	gitRun(t, repo, "worktree", "remove", wt)
	base := gitRun(t, repo, "rev-parse", "dora-data")
	update(t, s, writeScan("b", `{"refs":["b"]}`))
	ours := gitRun(t, repo, "rev-parse", "dora-data")
	if got := gitRun(t, repo, "show", "dora-data:scans/2025/12/"+MonthObjects+"/notes.txt"); got != "mine" {
		t.Errorf("after a write: %q", got)
	}
	gitRun(t, repo, "update-ref", "refs/heads/dora-data", base)
	update(t, s, writeScan("c", `{"refs":["c"]}`))
	theirs := gitRun(t, repo, "rev-parse", "dora-data")
	tree := func(rev string) git.Hash { return git.NewHash(gitRun(t, repo, "rev-parse", rev+"^{tree}")) }
	h, err := mergeTrees(mustRepo(t, repo), tree(base), tree(ours), tree(theirs))
	if err != nil {
		t.Fatal(err)
	}
	if got := gitRun(t, repo, "cat-file", "blob", h.String()+":scans/2025/12/"+MonthObjects+"/notes.txt"); got != "mine" {
		t.Errorf("after a merge: %q", got)
	}
}
