package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/internal/gittest"
)

const shapeSARIF = `{"version": "2.1.0", "runs": [{
  "tool": {"driver": {"name": "Semgrep OSS", "rules": [{"id": "sql-injection", "properties": {"security-severity": "9.8"}}]}},
  "invocations": [{"executionSuccessful": true, "endTimeUtc": "2025-03-03T13:00:00Z"}],
  "results": [{"ruleId": "sql-injection", "message": {"text": "x"},
    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app/db.go"}, "region": {"startLine": 3}}}],
    "partialFingerprints": {"primaryLocationLineHash": "abc"}}]}]}
`

const shapeRun = `{"id": 7001, "name": "CI", "head_sha": "0123456789abcdef0123456789abcdef01234567", "head_branch": "main",
  "path": ".github/workflows/ci.yml", "event": "push", "status": "completed", "conclusion": "success",
  "run_attempt": 1, "created_at": "2025-03-03T12:00:00Z", "run_started_at": "2025-03-03T12:00:00Z", "updated_at": "2025-03-03T12:10:00Z", "jobs": []}
`

// TestRepositoryShapes runs every reading and writing command on each
// repository shape git makes: a clone, a bare repository, a mirror, a
// linked worktree (its objects and refs in the common folder), a
// subdirectory of a work tree, a repository whose refs and objects are
// packed, and one that borrows its objects through alternates. Each must
// give the figures a plain clone gives, the history walk included.
func TestRepositoryShapes(t *testing.T) {
	src := gittest.New(t)
	gittest.WriteFiles(t, src.Dir, map[string]string{"app/db.go": "package app\n"})
	src.Git("add", ".")
	src.GitEnv([]string{"GIT_AUTHOR_DATE=2025-03-01T09:00:00Z", "GIT_COMMITTER_DATE=2025-03-01T09:00:00Z"}, "commit", "-q", "-m", "first")
	for i, day := range []string{"02", "03"} {
		gittest.WriteFiles(t, src.Dir, map[string]string{"app/db.go": "package app\n" + strings.Repeat("// x\n", i+1)})
		src.GitEnv([]string{"GIT_AUTHOR_DATE=2025-03-" + day + "T09:00:00Z", "GIT_COMMITTER_DATE=2025-03-" + day + "T09:00:00Z"}, "commit", "-qam", "change "+day)
	}
	c2, c3 := src.Git("rev-parse", "HEAD~1"), src.Git("rev-parse", "HEAD")
	root := t.TempDir()
	run := func(dir string, args ...string) {
		t.Helper()
		gittest.MustRun(t, dir, args...)
	}
	run(root, "clone", "-q", src.Dir, "clone")
	run(root, "clone", "-q", "--bare", src.Dir, "bare.git")
	run(root, "clone", "-q", "--mirror", src.Dir, "mirror.git")
	run(root, "clone", "-q", src.Dir, "main-wt")
	run(filepath.Join(root, "main-wt"), "worktree", "add", "-q", "-b", "feature", "../linked")
	run(root, "clone", "-q", src.Dir, "subdir")
	gittest.WriteFiles(t, filepath.Join(root, "subdir"), map[string]string{"deep/er/keep": ""})
	run(root, "clone", "-q", src.Dir, "packed")
	run(filepath.Join(root, "packed"), "gc", "-q")
	run(root, "clone", "-q", "--shared", src.Dir, "shared")
	in := t.TempDir()
	gittest.WriteFiles(t, in, map[string]string{"scan.sarif": shapeSARIF, "run.json": shapeRun})

	shapes := []struct{ name, repo string }{
		{"clone", "clone"},
		{"bare", "bare.git"},
		{"mirror", "mirror.git"},
		{"linked worktree", "linked"},
		{"subdirectory", "subdir/deep/er"},
		{"packed", "packed"},
		{"alternates", "shared"},
	}
	var want []byte
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			repo := filepath.Join(root, sh.repo)
			out := t.TempDir()
			gitdora := func(args ...string) string {
				t.Helper()
				var stdout, stderr bytes.Buffer
				if code := Run(append([]string{"--repo", repo}, args...), &stdout, &stderr); code != 0 {
					t.Fatalf("gitdora %s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
				}
				return stdout.String()
			}
			gitdora("init")
			gitdora("record", "deployment", "--id", "d1", "--sha", c2, "--at", "2025-03-02T12:00:00Z")
			gitdora("record", "deployment", "--id", "d2", "--sha", c3[:10], "--at", "2025-03-03T12:00:00Z")
			gitdora("record", "incident", "--id", "i1", "--opened", "2025-03-03T14:00:00Z", "--resolved", "2025-03-03T15:00:00Z", "--severity", "high", "--commit", c3)
			gitdora("ingest", "sarif", filepath.Join(in, "scan.sarif"), "--sha", c3, "--ref", "main")
			gitdora("ingest", "ci", filepath.Join(in, "run.json"))
			gitdora("collect", "--out", filepath.Join(out, "facts"))
			changes, err := os.ReadFile(filepath.Join(out, "facts", "changes.csv"))
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(string(changes), "\n"); n != 4 { // the header and three commits
				t.Errorf("changes.csv has %d lines, want 4 (the history walk):\n%s", n, changes)
			}
			got := []byte(gitdora("compute", "--month", "2025-03", "--format", "json"))
			if want == nil {
				want = got
			} else if !bytes.Equal(got, want) {
				t.Errorf("compute differs from a plain clone's:\n%s\nwant\n%s", got, want)
			}
			gitdora("report", "--month", "2025-03", "--out", filepath.Join(out, "report"))
			gitdora("site", "--out", filepath.Join(out, "site"))
			gitdora("alerts", "--at", "2025-03-31T00:00:00Z")
			gitdora("gate", filepath.Join(in, "scan.sarif"), "--fail-on", "")
			// The data branch is in the repository itself, as git sees it.
			if got := gittest.MustRun(t, repo, "show", "dora-data:events/deployments/2025-03.csv"); strings.Count(got, "\n") != 2 {
				t.Errorf("git show dora-data:events/deployments/2025-03.csv:\n%s", got)
			}
		})
	}
}
