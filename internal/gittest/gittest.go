// Package gittest builds small git repositories for tests with the git
// binary: commits with exact author and committer dates and any parents
// (criss-cross and octopus merges included), branches, annotated and
// lightweight tags. Building fixtures with git itself keeps them an
// independent check of what gitdora reads through go-git.
package gittest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Repo is a repository under construction.
type Repo struct {
	t   testing.TB
	Dir string
	n   int
}

// New creates an empty repository in a temporary folder, or skips the
// test when git is not installed.
func New(t testing.TB) *Repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found: fixtures are built with git")
	}
	r := &Repo{t: t, Dir: t.TempDir()}
	r.Git("init", "-q", "-b", "main")
	return r
}

// Git runs git in the repository and returns its trimmed output.
func (r *Repo) Git(args ...string) string {
	r.t.Helper()
	return r.GitEnv(nil, args...)
}

// GitEnv runs git with extra environment variables.
func (r *Repo) GitEnv(env []string, args ...string) string {
	r.t.Helper()
	out, err := Run(r.Dir, env, "", args...)
	if err != nil {
		r.t.Fatal(err)
	}
	return out
}

// Run runs git in dir with env and stdin, returning its trimmed output.
func Run(dir string, env []string, stdin string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+filepath.Join(os.TempDir(), "gittest-no-config"),
		"GIT_AUTHOR_NAME=Ada Lovelace", "GIT_AUTHOR_EMAIL=ada@example.com", "GIT_COMMITTER_NAME=Ada Lovelace", "GIT_COMMITTER_EMAIL=ada@example.com")
	cmd.Env = append(cmd.Env, env...)
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out)), nil
}

// C describes a commit. Dates are RFC 3339; Committed defaults to Authored,
// Author to "Ada Lovelace <ada@example.com>".
type C struct {
	Msg       string
	Author    string // "Name <email>"
	Authored  string
	Committed string
	Parents   []string
}

// Commit writes a commit (with a file of its own, so every tree differs)
// and returns its sha. It moves no branch.
func (r *Repo) Commit(c C) string {
	r.t.Helper()
	r.n++
	blob, err := Run(r.Dir, nil, c.Msg+"\n", "hash-object", "-w", "--stdin")
	if err != nil {
		r.t.Fatal(err)
	}
	tree, err := Run(r.Dir, nil, fmt.Sprintf("100644 blob %s\tfile%d.txt\n", blob, r.n), "mktree")
	if err != nil {
		r.t.Fatal(err)
	}
	if c.Committed == "" {
		c.Committed = c.Authored
	}
	env := []string{"GIT_AUTHOR_DATE=" + c.Authored, "GIT_COMMITTER_DATE=" + c.Committed}
	if c.Author != "" {
		name, email, ok := strings.Cut(c.Author, " <")
		if !ok {
			r.t.Fatalf("author %q: want \"Name <email>\"", c.Author)
		}
		env = append(env, "GIT_AUTHOR_NAME="+name, "GIT_AUTHOR_EMAIL="+strings.TrimSuffix(email, ">"))
	}
	args := []string{"commit-tree", tree}
	for _, p := range c.Parents {
		args = append(args, "-p", p)
	}
	sha, err := Run(r.Dir, env, c.Msg, args...)
	if err != nil {
		r.t.Fatal(err)
	}
	return sha
}

// Branch points refs/heads/name at sha.
func (r *Repo) Branch(name, sha string) { r.t.Helper(); r.Git("update-ref", "refs/heads/"+name, sha) }

// Tag makes an annotated tag of sha with the tagger date at.
func (r *Repo) Tag(name, sha, at string) {
	r.t.Helper()
	r.GitEnv([]string{"GIT_COMMITTER_DATE=" + at}, "tag", "-a", name, sha, "-m", "Release "+name)
}

// LightTag makes a lightweight tag of sha.
func (r *Repo) LightTag(name, sha string) { r.t.Helper(); r.Git("tag", name, sha) }

// WriteFiles writes files (slash-separated paths under root, contents).
func WriteFiles(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// MustRun runs git in dir and fails the test on error.
func MustRun(t testing.TB, dir string, args ...string) string {
	t.Helper()
	out, err := Run(dir, nil, "", args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
