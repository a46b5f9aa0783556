package data

import (
	"path/filepath"
	"testing"
)

// TestDataNamingABareRepository reads --data PATH[#BRANCH] naming a bare
// repository as a repository, never as a plain directory to write into.
func TestDataNamingABareRepository(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join(root, "src")
	gitRun(t, root, "init", "-q", "-b", "main", src)
	gitRun(t, src, "commit", "-q", "--allow-empty", "-m", "code")
	gitRun(t, root, "clone", "-q", "--bare", src, "bare.git")
	bare := filepath.Join(root, "bare.git")
	for _, spec := range []string{bare, bare + "#dora-data"} {
		s, err := Open(src, spec)
		if err != nil {
			t.Fatalf("Open %s: %v", spec, err)
		}
		if s.IsDir() || s.Branch() != "dora-data" {
			t.Errorf("Open %s: IsDir %v, branch %q; want the branch dora-data of the bare repository", spec, s.IsDir(), s.Branch())
		}
	}
}
