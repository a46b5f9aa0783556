package git

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/internal/gittest"
)

// RevList lists what git rev-list TIP ^EXCLUDE lists: a branch's commits
// not on main (a merge of main into the branch brings none of main's),
// everything without an exclude, nothing for an ancestor; and stops at
// its limit.
func TestRevListAgreesWithGit(t *testing.T) {
	r := gittest.New(t)
	m1 := r.Commit(gittest.C{Msg: "m1", Authored: "2026-01-01T09:00:00Z"})
	m2 := r.Commit(gittest.C{Msg: "m2", Authored: "2026-01-02T09:00:00Z", Parents: []string{m1}})
	b1 := r.Commit(gittest.C{Msg: "b1", Authored: "2026-01-01T12:00:00Z", Parents: []string{m1}})
	m3 := r.Commit(gittest.C{Msg: "m3", Authored: "2026-01-03T09:00:00Z", Parents: []string{m2}})
	b2 := r.Commit(gittest.C{Msg: "merge main", Authored: "2026-01-04T09:00:00Z", Parents: []string{b1, m3}})
	b3 := r.Commit(gittest.C{Msg: "b3", Authored: "2026-01-05T09:00:00Z", Parents: []string{b2}})
	m4 := r.Commit(gittest.C{Msg: "m4", Authored: "2026-01-06T09:00:00Z", Parents: []string{m3}})
	repo, err := Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	for _, tc := range []struct{ tip, exclude string }{{b3, m4}, {b3, m3}, {b3, ""}, {m1, m4}, {m4, b3}, {b3, b3}} {
		var ex Hash
		args := []string{"rev-list", tc.tip}
		if tc.exclude != "" {
			ex = NewHash(tc.exclude)
			args = append(args, "^"+tc.exclude)
		}
		want := strings.Fields(r.Git(args...))
		got, err := repo.RevList(NewHash(tc.tip), ex, 0)
		if err != nil {
			t.Fatal(err)
		}
		names := make([]string, len(got))
		for i, h := range got {
			names[i] = h.String()
		}
		slices.Sort(names)
		slices.Sort(want)
		if !slices.Equal(names, want) {
			t.Errorf("RevList(%s, %s) = %v, git rev-list says %v", tc.tip[:7], tc.exclude, names, want)
		}
	}
	if _, err := repo.RevList(NewHash(b3), ZeroHash, 3); !errors.Is(err, ErrWalkLimit) {
		t.Errorf("a walk of 6 commits with a limit of 3: %v", err)
	}
	if _, err := repo.RevList(NewHash(strings.Repeat("1", 40)), ZeroHash, 0); !errors.Is(err, ErrNotFound) {
		t.Errorf("a tip that is not in the repository: %v", err)
	}
}

// Refs lists the refs under a folder, packed or loose (a loose one
// winning), and nothing else; a name that is no folder of refs is an
// error.
func TestRefsUnderAFolder(t *testing.T) {
	r := gittest.New(t)
	a := r.Commit(gittest.C{Msg: "a", Authored: "2026-01-01T09:00:00Z"})
	b := r.Commit(gittest.C{Msg: "b", Authored: "2026-01-02T09:00:00Z", Parents: []string{a}})
	r.Branch("main", b)
	r.Git("update-ref", "refs/pull/1/head", a)
	r.Git("update-ref", "refs/pull/2/head", a)
	r.Git("update-ref", "refs/pull/10/merge", b)
	r.Git("update-ref", "refs/pulls/3/head", b)
	r.Git("pack-refs", "--all")
	r.Git("update-ref", "refs/pull/2/head", b) // loose, over the packed one
	r.Git("update-ref", "refs/pull/4/head", b)
	repo, err := Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	refs, err := repo.Refs("refs/pull")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ref := range refs {
		got = append(got, ref.Name+"="+ref.Hash.String()[:7])
	}
	want := []string{"refs/pull/1/head=" + a[:7], "refs/pull/10/merge=" + b[:7], "refs/pull/2/head=" + b[:7], "refs/pull/4/head=" + b[:7]}
	if !slices.Equal(got, want) {
		t.Errorf("Refs(refs/pull) = %v, want %v", got, want)
	}
	for _, bad := range []string{"refs/../x", "pull", "refs/pull/.."} {
		if _, err := repo.Refs(bad); err == nil {
			t.Errorf("Refs(%q): no error", bad)
		}
	}
}
