package collect

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/data"
)

func gitIn(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@x", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@x", "GIT_CONFIG_GLOBAL=/dev/null")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// TestBlobsReadWhatGitStored reads small and large files of a data branch,
// loose and then packed, and compares them with what was committed.
func TestBlobsReadWhatGitStored(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	repo := t.TempDir()
	gitIn(t, repo, "init", "-q", "-b", data.DefaultBranch)
	small := []byte(`{"version":"2.1.0","runs":[]}`)
	large := bytes.Repeat([]byte(`{"ruleId":"x","message":{"text":"a long message"}},`), 60000) // 3 MB
	for p, b := range map[string][]byte{"scans/a.sarif": small, "scans/b.sarif": large} {
		full := filepath.Join(repo, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitIn(t, repo, "add", ".")
	gitIn(t, repo, "commit", "-q", "-m", "data")
	for _, stage := range []string{"loose", "packed"} {
		if stage == "packed" {
			gitIn(t, repo, "gc", "-q", "--aggressive")
		}
		s, err := data.Open(repo, "")
		if err != nil {
			t.Fatal(err)
		}
		bl := newBlobs(s)
		if bl.tree == nil {
			t.Fatalf("%s: the data branch is not read from the object store", stage)
		}
		for p, want := range map[string][]byte{"scans/a.sarif": small, "scans/b.sarif": large} {
			rc, err := bl.open(p)
			if err != nil {
				t.Fatalf("%s %s: %v", stage, p, err)
			}
			got, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s %s: read %d bytes (%v), want %d", stage, p, len(got), err, len(want))
			}
		}
		if _, err := bl.open("scans/missing.sarif"); err == nil {
			t.Errorf("%s: a missing file opened", stage)
		}
	}
}
