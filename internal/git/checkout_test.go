package git

import "testing"

func TestSafePath(t *testing.T) {
	for p, ok := range map[string]bool{
		"events/deployments/2025-03.csv": true, "a.git/x": true, ".gitignore": true,
		".git/hooks/post-checkout": false, "x/.GIT/config": false, ".git./x": false, "git~1/x": false, "a/../b": false, "a//b": false, "a\\b": false,
	} {
		if safePath(p) != ok {
			t.Errorf("safePath(%q) = %v", p, !ok)
		}
	}
}
