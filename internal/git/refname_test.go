package git

import (
	"os/exec"
	"strings"
	"testing"
)

// TestCheckBranchNameAgreesWithGit checks each name with the git CLI
// (git check-ref-format --branch, run outside any repository so that no
// @{-N} is expanded) and with CheckBranchName.
func TestCheckBranchNameAgreesWithGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found: the expectations come from git check-ref-format")
	}
	// Names gitdora refuses although git accepts them.
	stricter := map[string]bool{"@": true}
	names := []string{
		"dora-data", "feature/x", "feat#x", "héllo", "a.b", "a@b", "@a", "a/@", "x/HEAD", "HEADx", "refs/heads/x", "v1.0", "a-", "a_b", "UPPER",
		"", "HEAD", "@", "-x", "--data", "@{-1}", "a@{b", "a.lock", "a.lock/b", "a/b.lock/c", "a/.b", ".a", "a.", "a/b.",
		"a..b", "a b", "a~b", "a^b", "a:b", "a?b", "a*b", "a[b", "a\\b", "/a", "a/", "a//b", "a\tb", "a\x7fb", "a\x01b", "a/./b", "a/../b",
		"..", ".", "a/.", "a.lock.", "@/a", "a@", "{}", "a]b", "a{b", "a!b", "a'b", "a\"b",
	}
	dir := t.TempDir()
	for _, name := range names {
		cmd := exec.Command("git", "check-ref-format", "--branch", name)
		cmd.Dir = dir
		cmd.Env = append(cmd.Environ(), "GIT_CEILING_DIRECTORIES="+dir, "GIT_CONFIG_GLOBAL=/dev/null")
		gitOK := cmd.Run() == nil
		err := CheckBranchName(name)
		want := gitOK && !stricter[name]
		if (err == nil) != want {
			t.Errorf("CheckBranchName(%q) = %v; git accepts it: %v", name, err, gitOK)
		}
		if stricter[name] && !gitOK {
			t.Errorf("git refuses %q: drop it from the names gitdora is stricter on", name)
		}
	}
}

func TestCheckRemoteName(t *testing.T) {
	for name, ok := range map[string]bool{
		"origin": true, "mirror": true, "up/stream": true,
		"": false, "git@github.com:o/r.git": false, "ssh://host/x": false, "-x": false, "https://token@example.com/x.git": false, "../x": false, "a b": false, "a..b": false, "x.lock": false,
	} {
		err := CheckRemoteName(name)
		if (err == nil) != ok {
			t.Errorf("CheckRemoteName(%q) = %v, want ok %v", name, err, ok)
		}
		if err != nil && strings.Contains(err.Error(), "token") {
			t.Errorf("CheckRemoteName(%q) = %v: it echoes a URL's credentials", name, err)
		}
	}
}
