package ingest

import (
	"fmt"
	"strconv"

	"github.com/gitdora/gitdora/fact"
)

// The errors of ingest's inputs (fact.InputError) name them in the
// domain's words: repo, the code repository; ref, sha and at, what a scan
// is filed under. The command line words them as its flags.

// shaError is a commit rev, as given, that cannot be resolved.
func shaError(rev string, err error) *fact.InputError {
	return &fact.InputError{Input: "sha", Value: strconv.Quote(rev), Err: err}
}

// noRepoError says that only a full hash can name a commit when the code
// repository repo is not a git repository.
type noRepoError struct{ repo string }

func (e *noRepoError) Error() string { return e.Word(nil) }

// Word names the repository's input as n words it.
func (e *noRepoError) Word(n fact.Naming) string {
	return fmt.Sprintf("%s %s is not a git repository, so only a full commit hash can be given", n.Of("repo"), e.repo)
}

// detachedError says that no branch is checked out for the ref to be.
type detachedError struct{}

func (e detachedError) Error() string { return e.Word(nil) }

// Word names the inputs as n words them, and tells a caller who names
// them which one to give.
func (detachedError) Word(n fact.Naming) string {
	msg := "HEAD of " + n.Of("repo") + " is detached (no branch checked out)"
	if n == nil {
		return msg
	}
	return msg + "; give " + n.Of("ref") + ", e.g. " + n.Of("ref") + " main"
}
