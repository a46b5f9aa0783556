package workflows

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// pr-summary.yml runs once per pull request at a time, a new push
// cancelling the run in progress, so two quick pushes never race into
// two comments.
func TestPRSummaryRunsOncePerPullRequest(t *testing.T) {
	wf := workflow(t, "pr-summary.yml")
	group, _ := wf.Concurrency["group"].(string)
	if !strings.Contains(group, "github.event.pull_request.number") {
		t.Errorf("pr-summary.yml: concurrency group %q is not keyed by the pull request", group)
	}
	if wf.Concurrency["cancel-in-progress"] != true {
		t.Errorf("pr-summary.yml: cancel-in-progress is %v, want true", wf.Concurrency["cancel-in-progress"])
	}
}

// The comment step updates the comment this workflow made before (found
// by its marker, among github-actions[bot]'s comments) and posts one
// only when there is none; it is skipped where the token cannot comment.
func TestPRSummaryUpdatesItsComment(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash to run the workflow's script with")
	}
	sum := workflow(t, "pr-summary.yml").Jobs["summary"]
	i := stepNamed(sum, "Comment on the pull request (one comment, updated)")
	if i < 0 {
		t.Fatal("pr-summary.yml has no step \"Comment on the pull request (one comment, updated)\"")
	}
	st := sum.Steps[i]
	for _, want := range []string{"head.repo.full_name == github.repository", "dependabot[bot]"} {
		if !strings.Contains(st.If, want) {
			t.Errorf("the comment step runs with if: %q, which lacks %q", st.If, want)
		}
	}
	// The marker the summary step writes is the one the comment step looks for.
	marker := regexp.MustCompile(`<!-- [a-z-]+ -->`).FindString(sum.Steps[stepNamed(sum, "Month-to-date summary")].Run)
	if marker == "" || !strings.Contains(st.Run, `startswith("`+marker+`")`) {
		t.Errorf("the summary is marked %q; the comment step does not look for that marker", marker)
	}

	// Comments as the API lists them: a person quoting the marker, then the bot's own.
	const comments = `[{"id":11,"user":{"login":"octocat"},"body":"<!-- gitdora-pr-summary --> quoted"},{"id":42,"user":{"login":"github-actions[bot]"},"body":"<!-- gitdora-pr-summary -->\n# DORA report"},{"id":43,"user":{"login":"github-actions[bot]"},"body":"another bot comment"}]`
	jq, jqErr := exec.LookPath("jq")
	for _, tc := range []struct {
		name, list string
		want       string
	}{
		{"first run", `[{"id":11,"user":{"login":"octocat"},"body":"hello"}]`, "--method POST repos/o/r/issues/7/comments -F body=@comment.md"},
		{"later run", comments, "--method PATCH repos/o/r/issues/comments/42 -F body=@comment.md"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if jqErr != nil {
				t.Skip("no jq to stand in for gh api --jq")
			}
			dir := t.TempDir()
			calls := filepath.Join(dir, "calls")
			// gh api --paginate … --jq FILTER prints what FILTER selects
			// from the listed comments; other calls are logged.
			gh := `#!/bin/bash
if [ "$2" = --paginate ]; then
  printf '%s' "$LIST" | "` + jq + `" -r "$5"
  exit
fi
echo "${@:2}" >> '` + calls + `'
`
			if err := os.WriteFile(filepath.Join(dir, "gh"), []byte(gh), 0o755); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, "step.sh")
			if err := os.WriteFile(p, []byte(st.Run), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(bash, "-e", p)
			cmd.Dir = dir
			cmd.Env = []string{"PATH=" + dir + string(os.PathListSeparator) + os.Getenv("PATH"), "GITHUB_REPOSITORY=o/r", "PR=7", "LIST=" + tc.list}
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			got, _ := os.ReadFile(calls)
			if strings.TrimSpace(string(got)) != tc.want {
				t.Errorf("gh api calls:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}
