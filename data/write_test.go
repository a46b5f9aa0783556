package data

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gitdora/gitdora/fact"
)

// newRepo makes a repository with one commit on main, a file in the work
// tree that is not committed and one staged, so tests can check that
// writers leave all of it alone.
func newRepo(t *testing.T) string {
	t.Helper()
	repo := t.TempDir()
	gitRun(t, repo, "init", "-q", "-b", "main")
	writeFiles(t, repo, map[string]string{"code.go": "package x\n"})
	gitRun(t, repo, "add", ".")
	gitRun(t, repo, "commit", "-q", "-m", "code")
	writeFiles(t, repo, map[string]string{"code.go": "package x // edited\n", "new.txt": "untracked\n", "staged.txt": "staged\n"})
	gitRun(t, repo, "add", "staged.txt")
	return repo
}

// workState is what a writer must not change: HEAD, the index file, the
// work tree's status.
func workState(t *testing.T, repo string) string {
	t.Helper()
	idx, err := os.ReadFile(filepath.Join(repo, ".git", "index"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(idx)
	return gitRun(t, repo, "rev-parse", "HEAD") + " " + gitRun(t, repo, "symbolic-ref", "HEAD") + " " +
		hex.EncodeToString(sum[:]) + "\n" + gitRun(t, repo, "status", "--porcelain")
}

func dep(id, at string) Deployment {
	tm, err := ParseTime(at)
	if err != nil {
		panic(err)
	}
	return Deployment{ID: id, Time: tm, SHA: "abc1234", Environment: "production", Status: string(fact.StatusSuccess), ScanSeconds: Float(12.5), Source: "test"}
}

func appendDeps(ds ...Deployment) func(*Tx) error {
	return func(tx *Tx) error {
		for _, d := range ds {
			if _, err := tx.AppendDeployment(d); err != nil {
				return err
			}
		}
		return nil
	}
}

func mustOpen(t *testing.T, repo, spec string) *Store {
	t.Helper()
	s, err := Open(repo, spec)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func refOf(t *testing.T, repo, ref string) string {
	t.Helper()
	out, err := execGit(repo, "rev-parse", "--verify", "-q", ref)
	if err != nil {
		return "none"
	}
	return out
}

// gitCmd is git in dir with a fixed identity and no user configuration.
func gitCmd(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@x", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@x", "GIT_CONFIG_GLOBAL=/dev/null")
	return cmd
}

func execGit(dir string, args ...string) (string, error) {
	cmd := gitCmd(dir, args...)
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

func TestUpdateCommitsOnlyTheDataBranch(t *testing.T) {
	repo := newRepo(t)
	before := workState(t, repo)
	s := mustOpen(t, repo, "")
	ctx := context.Background()

	res, err := s.Update(ctx, "record deployment d1", WriteOptions{}, appendDeps(dep("d1", "2026-01-05T10:00:00+01:00")))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Changed || res.Commit == "" || res.Attempts != 0 {
		t.Fatalf("Update = %+v, want a commit", res)
	}
	if got := refOf(t, repo, "refs/heads/dora-data"); got != res.Commit {
		t.Fatalf("dora-data = %s, want %s", got, res.Commit)
	}
	if s.Commit() != res.Commit {
		t.Errorf("Store.Commit() = %s after Update, want the new commit", s.Commit())
	}
	if got := gitRun(t, repo, "rev-list", "--count", "--parents", "dora-data"); got != "1" {
		t.Errorf("dora-data has %s commits, want 1 (an orphan)", got)
	}
	if out, err := execGit(repo, "merge-base", "main", "dora-data"); err == nil {
		t.Errorf("dora-data shares history with main: merge base %s", out)
	}
	want := "id,time,sha,environment,status,scan_seconds,pipeline_seconds,gate_blocked,critical,high,medium,low,source\n" +
		"d1,2026-01-05T10:00:00+01:00,abc1234,production,success,12.5,,false,0,0,0,0,test\n"
	if got := gitRun(t, repo, "show", "dora-data:events/deployments/2026-01.csv"); got+"\n" != want {
		t.Errorf("CSV =\n%s\nwant\n%s", got, want)
	}
	if got := gitRun(t, repo, "log", "-1", "--format=%s", "dora-data"); got != "record deployment d1" {
		t.Errorf("message = %q", got)
	}

	// A second event in another month, and the same id again in a third
	// month: one commit, one new row, nothing for the repeated id.
	res, err = s.Update(ctx, "record two", WriteOptions{}, appendDeps(dep("d2", "2026-02-01T00:00:00Z"), dep("d1", "2026-03-01T00:00:00Z")))
	if err != nil || !res.Changed {
		t.Fatalf("Update = %+v, %v", res, err)
	}
	if got := gitRun(t, repo, "ls-tree", "-r", "--name-only", "dora-data"); got != "events/deployments/2026-01.csv\nevents/deployments/2026-02.csv" {
		t.Errorf("files = %q", got)
	}
	if got := gitRun(t, repo, "rev-list", "--count", "dora-data"); got != "2" {
		t.Errorf("%s commits, want 2", got)
	}

	// Nothing new: no commit.
	tip := refOf(t, repo, "dora-data")
	res, err = s.Update(ctx, "again", WriteOptions{}, appendDeps(dep("d2", "2026-02-01T00:00:00Z")))
	if err != nil || res.Changed || res.Commit != "" {
		t.Fatalf("repeat Update = %+v, %v; want no change", res, err)
	}
	// An error from fn: nothing written.
	boom := errors.New("boom")
	_, err = s.Update(ctx, "fails", WriteOptions{}, func(tx *Tx) error {
		if _, err := tx.AppendDeployment(dep("d3", "2026-02-02T00:00:00Z")); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update error = %v, want boom", err)
	}
	if got := refOf(t, repo, "dora-data"); got != tip {
		t.Errorf("dora-data moved to %s; want it left at %s", got, tip)
	}
	if got := workState(t, repo); got != before {
		t.Errorf("work tree, index or HEAD changed:\nbefore %s\nafter  %s", before, got)
	}
	gitRun(t, repo, "fsck", "--strict", "--no-dangling")
}

func TestTxReadsStagedAndTip(t *testing.T) {
	repo := newRepo(t)
	s := mustOpen(t, repo, "")
	ctx := context.Background()
	if _, err := s.Update(ctx, "seed", WriteOptions{}, func(tx *Tx) error {
		if !tx.IsEmpty() {
			t.Error("IsEmpty() = false on a missing branch")
		}
		// Names chosen so that git's tree order ("a.b" before "a/") differs
		// from plain name order; fsck checks it.
		for _, p := range []string{ConfigFile, "a.b", "a/x", "a-z", "ci/2026/01/7.json"} {
			if err := tx.WriteFile(p, []byte(p)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	gitRun(t, repo, "fsck", "--strict", "--no-dangling")
	_, err := s.Update(ctx, "more", WriteOptions{}, func(tx *Tx) error {
		if tx.IsEmpty() {
			t.Error("IsEmpty() = true")
		}
		if err := tx.WriteFile("ci/2026/01/8.json", []byte("8")); err != nil {
			return err
		}
		got, err := tx.List("ci")
		if err != nil {
			return err
		}
		if strings.Join(got, " ") != "ci/2026/01/7.json ci/2026/01/8.json" {
			t.Errorf("List(ci) = %q", got)
		}
		if b, err := tx.ReadFile("a/x"); err != nil || string(b) != "a/x" {
			t.Errorf("ReadFile(a/x) = %q, %v", b, err)
		}
		if _, err := tx.ReadFile("nope"); !errors.Is(err, ErrNotExist) {
			t.Errorf("ReadFile(nope) = %v, want ErrNotExist", err)
		}
		if !tx.Exists("ci/2026/01/8.json") || !tx.Exists("a.b") || tx.Exists("a") || tx.Exists("zz") {
			t.Error("Exists is wrong")
		}
		for _, bad := range []string{"../x", "/etc/passwd", "a/../../x", "a\\b", "", "./a"} {
			if err := tx.WriteFile(bad, nil); err == nil {
				t.Errorf("WriteFile(%q) did not fail", bad)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A file where a folder is, and the reverse, are errors, not corrupt trees.
	tip := refOf(t, repo, "dora-data")
	for _, p := range []string{"a", "a.b/c"} {
		_, err := s.Update(ctx, "bad", WriteOptions{}, func(tx *Tx) error { return tx.WriteFile(p, []byte("x")) })
		if err == nil {
			t.Errorf("writing %s did not fail", p)
		}
	}
	if refOf(t, repo, "dora-data") != tip {
		t.Error("a failed write moved the branch")
	}
	gitRun(t, repo, "fsck", "--strict", "--no-dangling")
}

func TestAppendValidatesAndChecksHeader(t *testing.T) {
	repo := newRepo(t)
	s := mustOpen(t, repo, "")
	ctx := context.Background()
	bad := dep("d1", "2026-01-01T00:00:00Z")
	bad.Status = "exploded"
	if _, err := s.Update(ctx, "x", WriteOptions{}, appendDeps(bad)); err == nil || !strings.Contains(err.Error(), "status") {
		t.Errorf("bad status: %v", err)
	}
	if _, err := s.Update(ctx, "x", WriteOptions{}, func(tx *Tx) error {
		return tx.WriteFile("events/deployments/2026-01.csv", []byte("wrong,header\n"))
	}); err != nil {
		t.Fatal(err)
	}
	_, err := s.Update(ctx, "x", WriteOptions{}, appendDeps(dep("d1", "2026-01-01T00:00:00Z")))
	if err == nil || !strings.Contains(err.Error(), "dora-data:events/deployments/2026-01.csv: header") {
		t.Errorf("append under a wrong header: %v", err)
	}
	in := Incident{ID: "i1", Severity: "high", Category: "security", Environment: "production"}
	in.Opened, _ = ParseTime("2026-01-05T12:00:00Z")
	in.Title = "XSS, \"quoted\"\nsecond line"
	if _, err := s.Update(ctx, "inc", WriteOptions{}, func(tx *Tx) error {
		_, err := tx.AppendIncident(in)
		return err
	}); err == nil || !strings.Contains(err.Error(), "title: ") || !strings.Contains(err.Error(), "control character") {
		t.Errorf("a title of two lines: %v", err)
	}
	// Written by hand, it is read (escaped, with a problem), and the quoted
	// newline does not hide the id from the duplicate check.
	if _, err := s.Update(ctx, "inc", WriteOptions{}, func(tx *Tx) error {
		return tx.WriteFile("events/incidents/2026-01.csv", []byte(strings.Join(IncidentHeader, ",")+"\n"+
			"i1,2026-01-05T12:00:00Z,,high,security,production,,,,\"XSS, \"\"quoted\"\"\nsecond line\",,\n"))
	}); err != nil {
		t.Fatal(err)
	}
	incs, probs, err := s.Incidents()
	if err != nil || len(probs) != 1 || len(incs) != 1 || incs[0].Title != `XSS, "quoted"\nsecond line` {
		t.Fatalf("Incidents() = %+v, %v, %v", incs, probs, err)
	}
	in.Title = "XSS"
	res, err := s.Update(ctx, "inc", WriteOptions{}, func(tx *Tx) error {
		added, err := tx.AppendIncident(in)
		if added {
			t.Error("duplicate incident added")
		}
		return err
	})
	if err != nil || res.Changed {
		t.Fatal(res, err)
	}
}

func TestUpdatePlainDirectory(t *testing.T) {
	repo := newRepo(t)
	dir := t.TempDir()
	s := mustOpen(t, repo, dir)
	ctx := context.Background()
	res, err := s.Update(ctx, "x", WriteOptions{}, appendDeps(dep("d1", "2026-01-05T10:00:00Z"), dep("d2", "2026-01-06T10:00:00Z")))
	if err != nil || !res.Changed || res.Commit != "" {
		t.Fatalf("Update = %+v, %v", res, err)
	}
	res, err = s.Update(ctx, "x", WriteOptions{}, appendDeps(dep("d2", "2026-01-06T10:00:00Z")))
	if err != nil || res.Changed {
		t.Fatalf("repeat = %+v, %v", res, err)
	}
	deps, probs, err := s.Deployments()
	if err != nil || len(probs) != 0 || len(deps) != 2 {
		t.Fatalf("Deployments() = %v %v %v", deps, probs, err)
	}
	if refOf(t, repo, "dora-data") != "none" {
		t.Error("a plain-directory write created the branch")
	}
	if _, err := s.Update(ctx, "x", WriteOptions{Push: true}, appendDeps()); err == nil {
		t.Error("--push to a plain directory did not fail")
	}
	// Concurrent writers to one directory lose nothing.
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := mustOpen(t, repo, dir)
			if _, err := s.Update(ctx, "x", WriteOptions{}, appendDeps(dep(fmt.Sprintf("p%d", i), "2026-01-07T10:00:00Z"))); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	deps, _, _ = s.Deployments()
	if len(deps) != 10 {
		t.Errorf("%d deployments after 8 concurrent writers, want 10", len(deps))
	}
}

// Writers in one repository at once (as separate Stores, like separate
// processes) each land their row: the ref moves by compare-and-swap and a
// writer that lost re-runs on the new tip.
func TestConcurrentLocalUpdates(t *testing.T) {
	repo := newRepo(t)
	ctx := context.Background()
	const n = 12
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := mustOpen(t, repo, "")
			if _, err := s.Update(ctx, fmt.Sprintf("d%d", i), WriteOptions{}, appendDeps(dep(fmt.Sprintf("d%d", i), "2026-01-05T10:00:00Z"))); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	s := mustOpen(t, repo, "")
	deps, _, err := s.Deployments()
	if err != nil || len(deps) != n {
		t.Fatalf("%d deployments, want %d (%v)", len(deps), n, err)
	}
	if got := gitRun(t, repo, "rev-list", "--count", "dora-data"); got != fmt.Sprint(n) {
		t.Errorf("%s commits, want %d", got, n)
	}
	gitRun(t, repo, "fsck", "--strict", "--no-dangling")
}

func TestParseGitDate(t *testing.T) {
	for in, want := range map[string]string{
		"2026-01-02T03:04:05+02:00": "2026-01-02T03:04:05+02:00",
		"@1767225600 +0100":         "2026-01-01T01:00:00+01:00",
		"1767225600":                "2026-01-01T00:00:00Z",
	} {
		got, err := parseGitDate(in)
		if err != nil || got.Format(time.RFC3339) != want {
			t.Errorf("parseGitDate(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	if _, err := parseGitDate("yesterday"); err == nil {
		t.Error("parseGitDate(yesterday) did not fail")
	}
}

// A write of many files stores its objects as one pack that git accepts.
func TestUpdateManyFilesWritesOnePack(t *testing.T) {
	repo := newRepo(t)
	before := gitRun(t, repo, "count-objects", "-v")
	res, err := mustOpen(t, repo, "").Update(context.Background(), "many", WriteOptions{}, func(tx *Tx) error {
		for i := range 100 {
			if err := tx.WriteFile(fmt.Sprintf("scans/2026/03/%02d/f%d.sarif", i%7, i), []byte(strings.Repeat(fmt.Sprintf("file %d\n", i), i+1))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || !res.Changed {
		t.Fatal(res, err)
	}
	after := gitRun(t, repo, "count-objects", "-v")
	if !strings.Contains(after, "packs: 1") || !strings.Contains(before, "packs: 0") {
		t.Errorf("count-objects before:\n%s\nafter:\n%s", before, after)
	}
	gitRun(t, repo, "fsck", "--strict", "--no-dangling")
	idx, _ := filepath.Glob(filepath.Join(repo, ".git", "objects", "pack", "*.idx"))
	gitRun(t, repo, "verify-pack", idx[0])
	if got := gitRun(t, repo, "show", "dora-data:scans/2026/03/05/f12.sarif"); got != strings.TrimSpace(strings.Repeat("file 12\n", 13)) {
		t.Errorf("f12 = %q", got)
	}
	files, err := mustOpen(t, repo, "").List("scans")
	if err != nil || len(files) != 100 {
		t.Errorf("List(scans) = %d files, %v", len(files), err)
	}
}

func TestSignature(t *testing.T) {
	repo := newRepo(t)
	t.Setenv("HOME", t.TempDir())
	for _, k := range []string{"GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_DATE"} {
		t.Setenv(k, "")
	}
	s := mustOpen(t, repo, "")
	when := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	sig, err := s.signature(WriteOptions{When: when})
	if err != nil || sig.Name != "gitdora" || sig.Email != "gitdora@localhost" || !sig.When.Equal(when) {
		t.Errorf("no identity anywhere: %+v, %v", sig, err)
	}
	gitRun(t, repo, "config", "user.name", "Repo User")
	gitRun(t, repo, "config", "user.email", "repo@example.com")
	if sig, _ := mustOpen(t, repo, "").signature(WriteOptions{When: when}); sig.Name != "Repo User" || sig.Email != "repo@example.com" {
		t.Errorf("from the repository's config: %+v", sig)
	}
	t.Setenv("GIT_COMMITTER_NAME", "CI Bot")
	t.Setenv("GIT_COMMITTER_EMAIL", "ci@example.com")
	t.Setenv("GIT_COMMITTER_DATE", "@1767225600 +0000")
	if sig, _ := mustOpen(t, repo, "").signature(WriteOptions{}); sig.Name != "CI Bot" || sig.Email != "ci@example.com" || sig.When.Unix() != 1767225600 {
		t.Errorf("from the environment: %+v", sig)
	}
	// A caller's explicit identity and time win over the environment (the
	// demo's data branch must be the same on every machine).
	if sig, _ := mustOpen(t, repo, "").signature(WriteOptions{Name: "Demo", Email: "demo@example.com", When: when}); sig.Name != "Demo" || sig.Email != "demo@example.com" || !sig.When.Equal(when) {
		t.Errorf("from WriteOptions: %+v", sig)
	}
	t.Setenv("GIT_COMMITTER_DATE", "soon")
	if _, err := mustOpen(t, repo, "").signature(WriteOptions{}); err == nil || !strings.Contains(err.Error(), "GIT_COMMITTER_DATE") {
		t.Errorf("bad GIT_COMMITTER_DATE: %v", err)
	}
}
