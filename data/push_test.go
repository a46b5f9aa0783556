package data

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// newRemote makes a bare repository with main, and returns its path.
func newRemote(t *testing.T) string {
	t.Helper()
	src := newRepo(t)
	bare := filepath.Join(t.TempDir(), "remote.git")
	gitRun(t, t.TempDir(), "clone", "-q", "--bare", src, bare)
	return bare
}

func clone(t *testing.T, remote string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "clone")
	gitRun(t, t.TempDir(), "clone", "-q", remote, dir)
	return dir
}

// remoteIDs lists the deployment ids on the remote's data branch, in file order.
func remoteIDs(t *testing.T, remote string) []string {
	t.Helper()
	s := mustOpen(t, ".", remote+"#"+DefaultBranch)
	deps, probs, err := s.Deployments()
	if err != nil || len(probs) > 0 {
		t.Fatalf("remote deployments: %v %v", probs, err)
	}
	var ids []string
	for _, d := range deps {
		ids = append(ids, d.ID)
	}
	return ids
}

func pushDep(t *testing.T, repo, id string) Result {
	t.Helper()
	res, err := mustOpen(t, repo, "").Update(context.Background(), "record "+id, WriteOptions{Push: true}, appendDeps(dep(id, "2026-01-05T10:00:00Z")))
	if err != nil {
		t.Fatalf("push %s from %s: %v", id, repo, err)
	}
	return res
}

func TestPushCreatesThenAppends(t *testing.T) {
	remote := newRemote(t)
	a := clone(t, remote)
	before := workState(t, a)
	res := pushDep(t, a, "d1")
	if !res.Changed || res.Attempts != 1 {
		t.Errorf("first push = %+v", res)
	}
	if got := refOf(t, remote, "dora-data"); got != res.Commit {
		t.Fatalf("remote dora-data = %s, want %s", got, res.Commit)
	}
	if got := refOf(t, a, "dora-data"); got != res.Commit {
		t.Errorf("local dora-data = %s, want it moved to the pushed %s", got, res.Commit)
	}
	if got := refOf(t, a, "origin/dora-data"); got != res.Commit {
		t.Errorf("origin/dora-data = %s, want %s", got, res.Commit)
	}
	// A fresh clone continues the remote's history.
	b := clone(t, remote)
	pushDep(t, b, "d2")
	// The first clone is now behind: its write goes on the remote's tip.
	res = pushDep(t, a, "d3")
	if got := remoteIDs(t, remote); !slices.Equal(got, []string{"d1", "d2", "d3"}) {
		t.Errorf("remote ids = %v", got)
	}
	if got := gitRun(t, remote, "rev-list", "--count", "--min-parents=2", "dora-data"); got != "0" {
		t.Errorf("%s merge commits; a clone that was only behind needs none", got)
	}
	if refOf(t, a, "dora-data") != res.Commit {
		t.Error("local branch not moved to the pushed commit")
	}
	// Nothing new: no push, no commit, and the local branch catches up.
	res = pushDep(t, b, "d1")
	if res.Changed || res.Attempts != 0 || refOf(t, b, "dora-data") != refOf(t, remote, "dora-data") {
		t.Errorf("repeat push = %+v; local %s remote %s", res, refOf(t, b, "dora-data"), refOf(t, remote, "dora-data"))
	}
	if got := workState(t, a); got != before {
		t.Errorf("push changed the work tree, index or HEAD:\n%s\n%s", before, got)
	}
	gitRun(t, remote, "fsck", "--strict", "--no-dangling")
}

// When the remote moves between the fetch and the push, the push is
// rejected, fn runs again on the new tip, and both writes land.
func TestPushRetriesOnTheNewTip(t *testing.T) {
	remote := newRemote(t)
	a, b := clone(t, remote), clone(t, remote)
	pushDep(t, a, "d0")
	runs := 0
	res, err := mustOpen(t, a, "").Update(context.Background(), "record d1", WriteOptions{Push: true}, func(tx *Tx) error {
		runs++
		if runs == 1 {
			pushDep(t, b, "other") // another writer gets there first
		}
		_, err := tx.AppendDeployment(dep("d1", "2026-01-05T10:00:00Z"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if runs != 2 || res.Attempts != 2 || !res.Changed {
		t.Errorf("fn ran %d times, result %+v; want 2 runs and 2 attempts", runs, res)
	}
	if got := remoteIDs(t, remote); !slices.Equal(got, []string{"d0", "other", "d1"}) {
		t.Errorf("remote ids = %v", got)
	}
	gitRun(t, remote, "fsck", "--strict", "--no-dangling")
}

func TestPushGivesUpAfterRetries(t *testing.T) {
	remote := newRemote(t)
	a, b := clone(t, remote), clone(t, remote)
	pushDep(t, a, "d0")
	localBefore := refOf(t, a, "dora-data")
	n := 0
	var logs bytes.Buffer
	_, err := mustOpen(t, a, "").Update(context.Background(), "record d1", WriteOptions{Push: true, Retries: 3, Log: slog.New(slog.NewTextHandler(&logs, nil))}, func(tx *Tx) error {
		n++
		pushDep(t, b, fmt.Sprintf("other%d", n))
		_, err := tx.AppendDeployment(dep("d1", "2026-01-05T10:00:00Z"))
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "gave up after 3 attempts") {
		t.Fatalf("err = %v, want it to say how many attempts were made", err)
	}
	if slices.Contains(remoteIDs(t, remote), "d1") {
		t.Error("d1 reached the remote")
	}
	if got := refOf(t, a, "dora-data"); got != localBefore {
		t.Errorf("local branch moved to %s after a failed push", got)
	}
	if strings.Count(logs.String(), "push rejected") != 3 {
		t.Errorf("log:\n%s", logs.String())
	}
}

// Local commits the remote lacks are never lost by a later push: published
// when the remote is behind, merged (row by row) when both moved.
func TestPushKeepsLocalCommits(t *testing.T) {
	remote := newRemote(t)
	a, b := clone(t, remote), clone(t, remote)
	pushDep(t, a, "d0")
	ctx := context.Background()
	local := func(repo, id, at string) {
		if _, err := mustOpen(t, repo, "").Update(ctx, "record "+id, WriteOptions{}, appendDeps(dep(id, at))); err != nil {
			t.Fatal(err)
		}
	}
	// a is ahead: a push with nothing new still publishes its commit.
	local(a, "l1", "2026-01-06T00:00:00Z")
	res := pushDep(t, a, "d0")
	if res.Changed || res.Attempts != 1 || !slices.Equal(remoteIDs(t, remote), []string{"d0", "l1"}) {
		t.Fatalf("ahead: %+v, remote %v", res, remoteIDs(t, remote))
	}
	// Both moved: b pushes, a records locally (same month file and a new one), then pushes.
	pushDep(t, b, "b1")
	local(a, "l2", "2026-01-07T00:00:00Z")
	local(a, "l3", "2026-02-01T00:00:00Z")
	res = pushDep(t, a, "d2")
	if !res.Changed {
		t.Fatalf("diverged push = %+v", res)
	}
	s := mustOpen(t, ".", remote+"#"+DefaultBranch)
	deps, _, _ := s.Deployments()
	var ids []string
	for _, d := range deps {
		ids = append(ids, d.ID)
	}
	if !slices.Equal(ids, []string{"d0", "l1", "b1", "l2", "d2", "l3"}) {
		t.Errorf("remote ids = %v", ids)
	}
	if got := gitRun(t, remote, "rev-list", "--count", "--min-parents=2", "dora-data"); got != "1" {
		t.Errorf("%s merge commits, want 1", got)
	}
	if got := gitRun(t, remote, "log", "-1", "--format=%s", "dora-data"); got != "record d2" {
		t.Errorf("merge commit message %q, want the write's own", got)
	}
	gitRun(t, remote, "fsck", "--strict", "--no-dangling")

	// A conflict gitdora cannot resolve is an error naming the file; nothing moves.
	for _, repo := range []string{a, b} {
		if _, err := mustOpen(t, repo, "").Update(ctx, "config", WriteOptions{Push: repo == b}, func(tx *Tx) error {
			return tx.WriteFile(ConfigFile, []byte("trunk: "+filepath.Base(filepath.Dir(repo))+"\n"))
		}); err != nil {
			t.Fatal(err)
		}
	}
	remoteBefore, localBefore := refOf(t, remote, "dora-data"), refOf(t, a, "dora-data")
	_, err := mustOpen(t, a, "").Update(ctx, "x", WriteOptions{Push: true}, appendDeps(dep("x", "2026-01-05T10:00:00Z")))
	if err == nil || !strings.Contains(err.Error(), "gitdora.yml") {
		t.Errorf("conflict: err = %v, want it to name gitdora.yml", err)
	}
	if refOf(t, remote, "dora-data") != remoteBefore || refOf(t, a, "dora-data") != localBefore {
		t.Error("a failed merge moved a branch")
	}
}

func TestPushConcurrentClones(t *testing.T) {
	remote := newRemote(t)
	const n = 8
	clones := make([]string, n)
	for i := range clones {
		clones[i] = clone(t, remote)
	}
	shared := clone(t, remote)
	var wg sync.WaitGroup
	for i := range 2 * n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			repo := shared // half share one clone, half have their own
			if i < n {
				repo = clones[i]
			}
			id := fmt.Sprintf("w%02d", i)
			if _, err := mustOpen(t, repo, "").Update(context.Background(), id, WriteOptions{Push: true, Retries: 40}, appendDeps(dep(id, "2026-01-05T10:00:00Z"))); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	ids := remoteIDs(t, remote)
	slices.Sort(ids)
	var want []string
	for i := range 2 * n {
		want = append(want, fmt.Sprintf("w%02d", i))
	}
	if !slices.Equal(ids, want) {
		t.Errorf("remote ids = %v, want each of %v once", ids, want)
	}
	gitRun(t, remote, "fsck", "--strict", "--no-dangling")
}

// Without --push, a clone that has the data branch only as origin/dora-data
// continues its history instead of starting an unrelated one.
func TestLocalWriteContinuesTheRemoteBranch(t *testing.T) {
	remote := newRemote(t)
	pushDep(t, clone(t, remote), "d0")
	c := clone(t, remote)
	if refOf(t, c, "refs/heads/dora-data") != "none" {
		t.Fatal("the clone already has a local dora-data")
	}
	res, err := mustOpen(t, c, "").Update(context.Background(), "local", WriteOptions{}, appendDeps(dep("d1", "2026-01-06T00:00:00Z")))
	if err != nil || !res.Changed {
		t.Fatal(res, err)
	}
	if got, want := gitRun(t, c, "rev-parse", "dora-data^"), refOf(t, c, "origin/dora-data"); got != want {
		t.Errorf("parent of the new commit = %s, want origin/dora-data %s", got, want)
	}
}

// A failure that is not another writer getting there first (a hook that
// declines, a bad commit date) fails the same way every time: one attempt,
// its own message, nothing retried.
func TestPushStopsOnPermanentErrors(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, remote string)
		want    string
		pushing bool // whether the one attempt reached the remote
	}{
		{
			name: "pre-receive hook declines",
			setup: func(t *testing.T, remote string) {
				hook := filepath.Join(remote, "hooks", "pre-receive")
				if err := os.WriteFile(hook, []byte("#!/bin/sh\necho 'no writes today' >&2\nexit 1\n"), 0o755); err != nil {
					t.Fatal(err)
				}
			},
			want:    "pre-receive hook declined",
			pushing: true,
		},
		{
			name:  "invalid GIT_COMMITTER_DATE",
			setup: func(t *testing.T, _ string) { t.Setenv("GIT_COMMITTER_DATE", "not a date") },
			want:  "GIT_COMMITTER_DATE",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			remote := newRemote(t)
			a := clone(t, remote)
			pushDep(t, a, "d0")
			before := refOf(t, remote, "dora-data")
			tt.setup(t, remote)
			runs := 0
			var logs bytes.Buffer
			res, err := mustOpen(t, a, "").Update(context.Background(), "record d1", WriteOptions{Push: true, Log: slog.New(slog.NewTextHandler(&logs, nil))}, func(tx *Tx) error {
				runs++
				_, err := tx.AppendDeployment(dep("d1", "2026-01-05T10:00:00Z"))
				return err
			})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to say %q", err, tt.want)
			}
			if runs != 1 || strings.Contains(err.Error(), "gave up") || strings.Contains(logs.String(), "trying again") {
				t.Errorf("%d attempts, err %v, log:\n%s\nwant one attempt, not retried", runs, err, logs.String())
			}
			if wantPushes := map[bool]int{true: 1, false: 0}[tt.pushing]; res.Attempts != wantPushes {
				t.Errorf("Attempts = %d, want %d", res.Attempts, wantPushes)
			}
			if refOf(t, remote, "dora-data") != before {
				t.Error("the remote branch moved")
			}
		})
	}
}

// TestPushStoresAnIDOnce: two clones that both hold an unpushed event with
// the same id. Identical copies are stored once; copies that differ (in
// the same month's file or in another month's) are refused by id, and
// neither branch moves.
func TestPushStoresAnIDOnce(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name       string
		mine, them Deployment
		conflict   bool
	}{
		{"identical", dep("x", "2026-01-08T10:00:00Z"), dep("x", "2026-01-08T10:00:00Z"), false},
		{"same month, different content", dep("x", "2026-01-08T10:00:00Z"), dep("x", "2026-01-09T10:00:00Z"), true},
		{"different months", dep("x", "2026-01-08T10:00:00Z"), dep("x", "2026-02-08T10:00:00Z"), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			remote := newRemote(t)
			a, b := clone(t, remote), clone(t, remote)
			pushDep(t, a, "d0")
			if _, err := mustOpen(t, a, "").Update(ctx, "record x", WriteOptions{}, appendDeps(c.mine)); err != nil {
				t.Fatal(err)
			}
			if _, err := mustOpen(t, b, "").Update(ctx, "record x", WriteOptions{Push: true}, appendDeps(c.them)); err != nil {
				t.Fatal(err)
			}
			remoteBefore, localBefore := refOf(t, remote, DefaultBranch), refOf(t, a, DefaultBranch)
			_, err := mustOpen(t, a, "").Update(ctx, "record y", WriteOptions{Push: true}, appendDeps(dep("y", "2026-01-10T10:00:00Z")))
			if !c.conflict {
				if err != nil {
					t.Fatal(err)
				}
				if got := remoteIDs(t, remote); !slices.Equal(got, []string{"d0", "x", "y"}) {
					t.Errorf("remote ids %v, want d0 x y (x once)", got)
				}
				gitRun(t, remote, "fsck", "--strict", "--no-dangling")
				return
			}
			if !errors.Is(err, ErrEventConflict) || !strings.Contains(err.Error(), `event "x"`) {
				t.Fatalf("err = %v, want ErrEventConflict naming x", err)
			}
			if refOf(t, remote, DefaultBranch) != remoteBefore || refOf(t, a, DefaultBranch) != localBefore {
				t.Error("a refused push moved a branch")
			}
		})
	}
}

// authRecorder is a git server stand-in that records the Authorization
// header of every request and answers 401.
type authRecorder struct {
	mu   sync.Mutex
	auth []string
}

func (a *authRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.auth = append(a.auth, r.Header.Get("Authorization"))
	a.mu.Unlock()
	w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
	w.WriteHeader(http.StatusUnauthorized)
}

func (a *authRecorder) seen() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.auth)
}

// TestTokenNeverSentOverHTTP: over a plain http:// remote the token is not
// sent, not even after a 401; a URL with a password is refused.
func TestTokenNeverSentOverHTTP(t *testing.T) {
	const token = "ghs_PLAINtoken456"
	rec := &authRecorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	repo := newRepo(t)
	gitRun(t, repo, "remote", "add", "origin", srv.URL+"/org/repo.git")
	gitRun(t, repo, "remote", "add", "withpass", strings.Replace(srv.URL, "http://", "http://me:"+token+"@", 1)+"/org/repo.git")
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GITDORA_TOKEN", token)
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	_, err := mustOpen(t, repo, "").Update(context.Background(), "x", WriteOptions{Push: true, Retries: 1, Log: log}, appendDeps(dep("d1", "2026-01-05T10:00:00Z")))
	if err == nil {
		t.Fatal("push to a server that refuses did not fail")
	}
	if len(rec.seen()) == 0 {
		t.Fatal("the server saw no request")
	}
	for _, a := range rec.seen() {
		if a != "" {
			t.Errorf("the http:// server saw Authorization %q", a)
		}
	}
	if !strings.Contains(logs.String(), "GITDORA_TOKEN is set but") || strings.Contains(logs.String(), token) {
		t.Errorf("log:\n%s", logs.String())
	}
	n := len(rec.seen())
	_, err = mustOpen(t, repo, "").Update(context.Background(), "x", WriteOptions{Push: true, Remote: "withpass", Retries: 1}, appendDeps(dep("d1", "2026-01-05T10:00:00Z")))
	if err == nil || !strings.Contains(err.Error(), "use https://") || strings.Contains(err.Error(), token) {
		t.Errorf("a password in an http:// URL: err = %v", err)
	}
	if len(rec.seen()) != n {
		t.Error("the URL with a password was sent a request")
	}
}
