package app

import (
	"context"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/internal/gittest"
)

// A repository of a --repos file without the data branch its line names
// is left out with a message that names that branch, and how to fetch
// it: the line's own branch, not the default one.
func TestOrgMemberWithoutItsDataBranch(t *testing.T) {
	repo := gittest.New(t)
	repo.Git("commit", "-q", "--allow-empty", "-m", "first")
	for _, tc := range []struct{ data, branch string }{
		{"", "dora-data"},
		{repo.Dir + "#metrics", "metrics"},
	} {
		m := member{name: "payments", path: repo.Dir, data: tc.data, line: 3}
		_, _, err := gatherMember(context.Background(), OrgRequest{}, m)
		if err == nil {
			t.Fatalf("data %q: no error for a repository without its data branch", tc.data)
		}
		for _, want := range []string{"line 3: ", "has no data branch " + tc.branch + " ", "git fetch origin " + tc.branch + ":" + tc.branch} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("data %q: %q does not say %q", tc.data, err, want)
			}
		}
	}
}
