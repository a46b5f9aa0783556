package main

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/gitdora/gitdora/app"
	"github.com/gitdora/gitdora/fact"
)

func TestExitCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, 0},
		{errors.New("boom"), 1},
		{&app.AlertsFiring{Count: 2, Severity: "warning"}, 3},
		{fmt.Errorf("alerts: %w", &app.AlertsFiring{Count: 1, Severity: "critical"}), 3},
	} {
		if got := exitCode(tc.err); got != tc.want {
			t.Errorf("exitCode(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}

func TestRunHelpAndErrors(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Run([]string{"--help"}, &out, &errb); code != 0 || !bytes.Contains(out.Bytes(), []byte("Usage: gitdora")) {
		t.Errorf("--help: code %d, stdout %q", code, out.String())
	}
	out.Reset()
	errb.Reset()
	if code := Run([]string{"--tz", "Mars/Olympus", "compute", "--month", "2026-01"}, &out, &errb); code != 1 {
		t.Errorf("bad --tz: code %d, want 1", code)
	}
}

// The layers below name request fields; the command line names its flags.
func TestInFlagsNamesTheFlags(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&app.InputError{Input: "echarts-js", Err: errors.New("open x.js: no such file")}, "--echarts-js: open x.js: no such file"},
		{&app.ProblemsError{Problems: []fact.Problem{{File: "a.sarif", Msg: "bad"}, {File: "b.sarif", Msg: "worse"}}}, "2 input problem(s) and --strict given; first: a.sarif: bad"},
		{errors.New("plain"), "plain"},
		// Wherever it is wrapped, with its hint, and each of a join.
		{fmt.Errorf("record deployment: %w", &fact.InputError{Input: "repo", Value: "x", Err: errors.New("not a git repository"),
			Hint: func(n fact.Naming) string { return "pass " + n.Of("repo") + " PATH" }}),
			"record deployment: --repo x: not a git repository (pass --repo PATH)"},
		{errors.Join(&fact.InputError{Input: "ref", Err: errors.New("empty")}, errors.New("plain")), "--ref: empty\nplain"},
	} {
		if got := inFlags(tc.err); got.Error() != tc.want {
			t.Errorf("inFlags(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
	joined := inFlags(errors.Join(&fact.InputError{Input: "ref", Err: errors.New("empty")}, errors.New("plain")))
	if got := errorLines(joined); len(got) != 2 || got[0] != "--ref: empty" || got[1] != "plain" {
		t.Errorf("lines of a joined error: %q, want one line each", got)
	}
	firing := fmt.Errorf("%w: %w", &fact.InputError{Input: "rules", Err: errors.New("old")}, &app.AlertsFiring{Count: 1, Severity: "critical"})
	if got := exitCode(inFlags(firing)); got != exitAlerts {
		t.Errorf("exit code of firing alerts worded with flags: %d, want %d", got, exitAlerts)
	}
	if inFlags(nil) != nil {
		t.Error("inFlags(nil) is not nil")
	}
}
