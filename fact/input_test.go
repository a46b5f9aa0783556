package fact

import (
	"errors"
	"fmt"
	"testing"
)

// flags words inputs as a command line does.
func flags(input string) string { return "--" + input }

// shallow is a Worded error that names an input inside its sentence.
type shallow struct{ repo string }

func (e shallow) Error() string { return e.Word(nil) }
func (e shallow) Word(n Naming) string {
	return n.Of("repo") + " " + e.repo + " is a shallow clone"
}

// opaque wraps an error without showing its message.
type opaque struct{ err error }

func (e opaque) Error() string { return "something failed" }
func (e opaque) Unwrap() error { return e.err }

func TestWordNamesInputs(t *testing.T) {
	notRepo := &InputError{Input: "repo", Value: "/x", Err: errors.New("not a git repository"),
		Hint: func(n Naming) string { return "pass " + n.Of("repo") + " PATH" }}
	noValue := &InputError{Input: "config", Err: errors.New("open a.yml: no such file")}
	quoted := &InputError{Input: "sha", Value: `"a b"`, Err: shallow{"/r"}}
	for _, tc := range []struct {
		name          string
		err           error
		domain, flags string
	}{
		{"value and hint", notRepo,
			"repo /x: not a git repository",
			"--repo /x: not a git repository (pass --repo PATH)"},
		{"no value", noValue,
			"config: open a.yml: no such file",
			"--config: open a.yml: no such file"},
		{"an input inside the reason", quoted,
			`sha "a b": repo /r is a shallow clone`,
			`--sha "a b": --repo /r is a shallow clone`},
		{"wrapped", fmt.Errorf("record deployment: %w", notRepo),
			"record deployment: repo /x: not a git repository",
			"record deployment: --repo /x: not a git repository (pass --repo PATH)"},
		{"wrapped twice", fmt.Errorf("a: %w", fmt.Errorf("b: %w", noValue)),
			"a: b: config: open a.yml: no such file",
			"a: b: --config: open a.yml: no such file"},
		{"joined", errors.Join(noValue, errors.New("plain"), shallow{"/s"}),
			"config: open a.yml: no such file\nplain\nrepo /s is a shallow clone",
			"--config: open a.yml: no such file\nplain\n--repo /s is a shallow clone"},
		{"two wrapped by one", fmt.Errorf("%w, and %w", noValue, notRepo),
			"config: open a.yml: no such file, and repo /x: not a git repository",
			"--config: open a.yml: no such file, and --repo /x: not a git repository (pass --repo PATH)"},
		{"the wrapped message repeated before it", fmt.Errorf("repo /x: not a git repository; so: %w", &InputError{Input: "repo", Value: "/x", Err: errors.New("not a git repository")}),
			"repo /x: not a git repository; so: repo /x: not a git repository",
			"repo /x: not a git repository; so: --repo /x: not a git repository"},
		{"a wrapper that hides the message", opaque{noValue}, "something failed", "something failed"},
		{"no input", errors.New("plain"), "plain", "plain"},
		{"nil", nil, "", ""},
	} {
		if got := Word(tc.err, nil); got != tc.domain {
			t.Errorf("%s: Word(nil) = %q, want %q", tc.name, got, tc.domain)
		}
		if tc.err != nil && tc.err.Error() != tc.domain {
			t.Errorf("%s: Error() = %q, want %q", tc.name, tc.err.Error(), tc.domain)
		}
		if got := Word(tc.err, flags); got != tc.flags {
			t.Errorf("%s: Word(flags) = %q, want %q", tc.name, got, tc.flags)
		}
	}
	var in *InputError
	if !errors.As(fmt.Errorf("x: %w", notRepo), &in) || in.Input != "repo" || in.Value != "/x" {
		t.Errorf("errors.As found %+v, want the repo's InputError", in)
	}
}
