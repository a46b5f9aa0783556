package git

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/internal/gittest"
)

// Tags lists exactly the tags git lists: packed and loose, a loose ref
// winning over a stale packed one, nested names, symbolic tags resolved,
// lock files of writers in progress left out.
func TestTagRefsAreGitsTags(t *testing.T) {
	r := gittest.New(t)
	r.Git("commit", "-q", "--allow-empty", "-m", "one")
	one := r.Git("rev-parse", "HEAD")
	r.Git("tag", "v1")
	r.Git("tag", "-a", "-m", "release 2", "v2")
	r.Git("tag", "release/v3")
	r.Git("pack-refs", "--all") // v1, v2, release/v3 packed
	r.Git("commit", "-q", "--allow-empty", "-m", "two")
	r.Git("tag", "-f", "v1") // loose now, newer than its packed line
	r.Git("tag", "-a", "-m", "release 4", "v4")
	r.Git("tag", "deep/er/v5", one)
	r.Git("symbolic-ref", "refs/tags/latest", "refs/tags/v4")
	if err := os.WriteFile(filepath.Join(r.Dir, ".git/refs/tags/v6.lock"), []byte(one+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	want := r.Git("for-each-ref", "--format=%(refname) %(objectname)", "refs/tags")
	linked := filepath.Join(t.TempDir(), "linked")
	r.Git("worktree", "add", "-q", "--detach", linked)
	for _, dir := range []string{r.Dir, linked} { // a linked worktree's tags are the common folder's
		var got []string
		for _, ref := range tagsIn(t, dir) {
			got = append(got, ref.Name+" "+ref.Hash.String())
		}
		if strings.Join(got, "\n") != want {
			t.Errorf("%s: Tags:\n%s\nwant (git for-each-ref):\n%s", dir, strings.Join(got, "\n"), want)
		}
	}
}

// TestTagsLeaveOutWhatGitIgnores: a loose or packed ref whose name git
// refuses (a line break in it) is no tag, as git for-each-ref ignores it.
// tags_unix_test.go adds a pipe.
func TestTagsLeaveOutWhatGitIgnores(t *testing.T) { tagsLeaveOut(t, nil) }

// tagsLeaveOut is TestTagsLeaveOutWhatGitIgnores, with more made in the
// tags folder by more.
func tagsLeaveOut(t *testing.T, more func(tags string)) {
	r := gittest.New(t)
	r.Git("commit", "-q", "--allow-empty", "-m", "one")
	one := r.Git("rev-parse", "HEAD")
	r.Git("tag", "v1")
	tags := filepath.Join(r.Dir, ".git", "refs", "tags")
	if err := os.WriteFile(filepath.Join(tags, "v2\nevil"), []byte(one+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	packed := "# pack-refs with: peeled fully-peeled sorted \n" + one + " refs/tags/v3\n" + one + " refs/tags/v..4\n"
	if err := os.WriteFile(filepath.Join(r.Dir, ".git", "packed-refs"), []byte(packed), 0o644); err != nil {
		t.Fatal(err)
	}
	if more != nil {
		more(tags)
	}
	var got []string
	for _, ref := range tagsIn(t, r.Dir) {
		got = append(got, ref.Name)
	}
	if want := "refs/tags/v1 refs/tags/v3"; strings.Join(got, " ") != want {
		t.Errorf("Tags: %q, want %s", got, want)
	}
}

// tagsIn is what Tags lists in the repository at dir.
func tagsIn(t *testing.T, dir string) []Ref {
	t.Helper()
	repo, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	refs, err := repo.Tags()
	if err != nil {
		t.Fatal(err)
	}
	return refs
}
