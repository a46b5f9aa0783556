package workflows

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// computes matches a command that computes lead times.
var computes = regexp.MustCompile(`\bgitdora (report|alerts|compute|site|explain)\b`)

// Every shipped workflow that computes lead times fetches the heads of
// pull requests before it does, so that a squash merge starts at its
// pull request's first commit (docs/metrics.md, "Squash merges").
func TestWorkflowsFetchPullHeads(t *testing.T) {
	names, err := filepath.Glob(filepath.Join(root, ".github/workflows", "*.yml"))
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, p := range names {
		name := filepath.Base(p)
		if b, err := os.ReadFile(p); err != nil || !computes.Match(b) {
			continue
		}
		for jname, j := range workflow(t, name).Jobs {
			fetched := false
			for _, s := range j.Steps {
				if strings.Contains(s.Run, "git fetch") && strings.Contains(s.Run, "'+refs/pull/*/head:refs/pull/*/head'") {
					fetched = true
				}
				if computes.MatchString(s.Run) {
					found++
					if !fetched {
						t.Errorf("%s, job %s: step %q computes lead times before the heads of pull requests are fetched", name, jname, s.Name)
					}
				}
			}
		}
	}
	if found < 3 {
		t.Errorf("%d steps compute lead times: the test reads no workflow", found)
	}
}
