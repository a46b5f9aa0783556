package gen

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	gogit "github.com/go-git/go-git/v5"
)

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func needGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found: the fast-import writer is checked against git")
	}
}

func small(t *testing.T) *Model {
	t.Helper()
	o := DefaultOptions()
	o.Commits = 400
	o.Releases = 12
	m, err := Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The hashes the Model computes are the ones git gives the imported objects.
func TestFastImportGivesTheModelsHashes(t *testing.T) {
	needGit(t)
	m := small(t)
	dir := t.TempDir()
	if err := ImportWithGit(dir, m); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command("git", "-C", dir, "fsck", "--strict", "--no-dangling").Run(); err != nil {
		t.Fatalf("git fsck: %v", err)
	}
	for _, r := range m.Refs {
		if got := git(t, dir, "rev-parse", r.Name); got != m.Commits[r.Commit].Hash {
			t.Errorf("%s = %s, model says %s", r.Name, got, m.Commits[r.Commit].Hash)
		}
	}
	all := git(t, dir, "log", "--all", "--format=%H %T %P|%an <%ae> %aI|%cI")
	idx := m.Index()
	lines := strings.Split(all, "\n")
	if len(lines) != len(m.Commits) {
		t.Fatalf("git log --all lists %d commits, the model has %d", len(lines), len(m.Commits))
	}
	for _, l := range lines {
		hashes, rest, _ := strings.Cut(l, "|")
		f := strings.Fields(hashes)
		i, ok := idx[f[0]]
		if !ok {
			t.Fatalf("commit %s is not in the model", f[0])
		}
		c := m.Commits[i]
		if f[1] != c.Tree {
			t.Errorf("%s: tree %s, model %s", f[0], f[1], c.Tree)
		}
		if len(f)-2 != len(c.Parents) {
			t.Errorf("%s: %d parents, model %d", f[0], len(f)-2, len(c.Parents))
		}
		wantRest := c.Author.String() + " " + c.Author.When.In(c.Author.Zone).Format("2006-01-02T15:04:05-07:00") + "|" + c.Committer.When.In(c.Committer.Zone).Format("2006-01-02T15:04:05-07:00")
		if rest != wantRest {
			t.Errorf("%s: %q, model %q", f[0], rest, wantRest)
		}
	}
	for _, tg := range m.Tags {
		got := git(t, dir, "rev-parse", "refs/tags/"+tg.Name)
		want := m.Commits[tg.Commit].Hash
		if tg.Annotated {
			want = tg.Hash
			if typ := git(t, dir, "cat-file", "-t", got); typ != "tag" {
				t.Errorf("tag %s is a %s, want an annotated tag", tg.Name, typ)
			}
		}
		if got != want {
			t.Errorf("tag %s = %s, model %s", tg.Name, got, want)
		}
	}
}

func TestGenerateIsDeterministicAndRealistic(t *testing.T) {
	a, b := small(t), small(t)
	var wa, wb bytes.Buffer
	if err := WriteFastImport(&wa, a); err != nil {
		t.Fatal(err)
	}
	WriteFastImport(&wb, b)
	if !bytes.Equal(wa.Bytes(), wb.Bytes()) {
		t.Fatal("two runs with the same options differ")
	}
	o := DefaultOptions()
	o.Commits, o.Seed = 400, 2
	c, _ := Generate(o)
	if c.Commits[len(c.Commits)-1].Hash == a.Commits[len(a.Commits)-1].Hash {
		t.Error("another seed gave the same history")
	}
	kinds := map[Kind]int{}
	rebasedLater := 0
	for _, c := range a.Commits {
		kinds[c.Kind]++
		if c.Kind == Rebased && c.Committer.When.After(c.Author.When) {
			rebasedLater++
		}
		if c.Kind == Revert && !strings.HasPrefix(c.Message, "Revert \"") {
			t.Errorf("revert message %q", c.Message)
		}
	}
	for _, k := range []Kind{Direct, Feature, Merge, Rebased, Bot, Revert} {
		if kinds[k] == 0 {
			t.Errorf("no %s commit in %d commits: %v", k, len(a.Commits), kinds)
		}
	}
	if rebasedLater == 0 {
		t.Error("no rebased commit has a committer date after its author date")
	}
	var light, annotated, other int
	for _, tg := range a.Tags {
		switch {
		case !tg.Release:
			other++
		case tg.Annotated:
			annotated++
		default:
			light++
		}
	}
	if len(a.Releases()) != 12 || light == 0 || annotated == 0 || other == 0 {
		t.Errorf("tags: %d releases (%d lightweight, %d annotated), %d others", len(a.Releases()), light, annotated, other)
	}
}

// WriteStorer builds, through go-git alone, the repository the
// fast-import stream gives git.
func TestWriteStorerGivesTheSameRepository(t *testing.T) {
	needGit(t)
	m := small(t)
	dir := t.TempDir()
	r, err := gogit.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteStorer(r.Storer, m); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("git", "-C", dir, "fsck", "--strict", "--no-dangling").CombinedOutput(); err != nil {
		t.Fatalf("git fsck: %v\n%s", err, out)
	}
	viaGit := t.TempDir()
	if err := ImportWithGit(viaGit, m); err != nil {
		t.Fatal(err)
	}
	refs := func(d string) string { return git(t, d, "for-each-ref", "--format=%(refname) %(objectname)") }
	if a, b := refs(dir), refs(viaGit); a != b {
		t.Errorf("refs differ:\ngo-git:\n%s\ngit fast-import:\n%s", a, b)
	}
	if head := git(t, dir, "symbolic-ref", "HEAD"); head != Trunk {
		t.Errorf("HEAD = %s", head)
	}
}

// The monorepo layout spreads commits over several top-level trees, one
// to five files of a folder each (a quarter with one more file elsewhere),
// with merges; the same options give the same model.
func TestMonorepoLayout(t *testing.T) {
	o := DefaultOptions()
	o.Commits, o.Monorepo = 2000, true
	m, err := Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	tops := map[string]int{}
	merges, two := 0, 0
	for _, c := range m.Commits[1:] {
		if c.Kind == Merge {
			merges++
			continue
		}
		if c.Kind != Direct && c.Kind != Feature && c.Kind != Rebased {
			continue
		}
		if n := len(c.Files); n < 1 || n > 6 {
			t.Fatalf("a commit writes %d files", n)
		}
		trees := map[string]bool{}
		for _, f := range c.Files {
			parts := strings.SplitN(f.Path, "/", 3)
			trees[parts[0]] = true
			tops[parts[0]]++
		}
		if len(trees) > 1 {
			two++
		}
	}
	for _, top := range []string{"services", "web", "libs", "docs", "tools", "infra"} {
		if tops[top] == 0 {
			t.Errorf("no commit writes under %s/ (%v)", top, tops)
		}
	}
	if merges < 100 || two < 100 {
		t.Errorf("%d merges, %d commits across two trees", merges, two)
	}
	again, _ := Generate(o)
	if again.Commits[len(again.Commits)-1].Hash != m.Commits[len(m.Commits)-1].Hash {
		t.Error("the same options give another history")
	}
}
