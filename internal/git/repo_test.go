package git

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gitdora/gitdora/internal/gittest"
)

// TestFindRepoAgreesWithGit finds the git folder, the common folder and
// the work tree of each repository shape as git rev-parse does.
func TestFindRepoAgreesWithGit(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join(root, "src")
	gitRun(t, root, "init", "-q", "-b", "main", src)
	gitRun(t, src, "commit", "-q", "--allow-empty", "-m", "code")
	gitRun(t, root, "clone", "-q", "--bare", src, "bare.git")
	gitRun(t, root, "clone", "-q", "--mirror", src, "mirror.git")
	gitRun(t, src, "worktree", "add", "-q", "-b", "feature", "../linked")
	if err := os.MkdirAll(filepath.Join(src, "a", "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "linked", "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	real := func(p string) string {
		t.Helper()
		r, err := filepath.EvalSymlinks(p)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, dir := range []string{"src", "src/a/b", "src/.git", "bare.git", "mirror.git", "linked", "linked/sub"} {
		t.Run(dir, func(t *testing.T) {
			p := filepath.Join(root, dir)
			d, err := findRepo(p, true)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := real(d.gitDir), real(gitRun(t, p, "rev-parse", "--absolute-git-dir")); got != want {
				t.Errorf("git folder %s, git says %s", got, want)
			}
			common := gitRun(t, p, "rev-parse", "--path-format=absolute", "--git-common-dir")
			if got, want := real(d.commonDir), real(common); got != want {
				t.Errorf("common folder %s, git says %s", got, want)
			}
			want := ""
			if gitRun(t, p, "rev-parse", "--is-bare-repository") == "false" && dir != "src/.git" {
				want = real(gitRun(t, p, "rev-parse", "--show-toplevel"))
			}
			if dir == "src/.git" {
				want = real(src)
			}
			got := d.workTree
			if got != "" {
				got = real(got)
			}
			if got != want {
				t.Errorf("work tree %q, git says %q", got, want)
			}
		})
	}
	if _, err := findRepo(t.TempDir(), false); err != ErrNoRepo {
		t.Errorf("an empty folder: %v, want ErrNoRepo", err)
	}
}

// gitRun runs git in dir and returns its trimmed output; it skips the test
// when git is not installed.
func gitRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found")
	}
	out, err := gittest.Run(dir, nil, "", args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
