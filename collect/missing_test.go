package collect

import (
	"errors"
	"testing"

	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/git"
)

// An incomplete history names the code repository's input, repo, which
// the command line words as its flag: the same sentence either way.
func TestMissingErrorNamesTheRepository(t *testing.T) {
	h := git.NewHash("1111111111111111111111111111111111111111")
	child := git.NewHash("2222222222222222222222222222222222222222")
	flags := func(input string) string { return "--" + input }
	for _, tc := range []struct {
		err    *missingError
		domain string
	}{
		{&missingError{repo: "/r", hash: h, shallow: true},
			"repo /r is a shallow clone (its history stops at 111111111111), so what each deployment shipped cannot be known. " +
				"Fetch the full history first: git fetch --unshallow (in GitHub Actions: actions/checkout with fetch-depth: 0)"},
		{&missingError{repo: "/r", hash: h, childOf: child},
			"repo /r: commit " + h.String() + " (a parent of " + child.String() + ") is missing, the history is incomplete. " +
				"Fetch it: git fetch --unshallow if the clone is shallow, else git fetch origin (a partial clone also needs its history: git fetch --refetch)"},
		{&missingError{repo: "/r", hash: h, unreadErr: errors.New("zlib: invalid header")},
			"repo /r: cannot read commit " + h.String() + ": zlib: invalid header"},
	} {
		if got := tc.err.Error(); got != tc.domain {
			t.Errorf("Error() = %q\nwant      %q", got, tc.domain)
		}
		if got, want := fact.Word(tc.err, flags), "--"+tc.domain; got != want {
			t.Errorf("worded with flags: %q\nwant               %q", got, want)
		}
	}
}
