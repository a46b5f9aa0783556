package main

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

func TestExitCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, 0},
		{errors.New("boom"), 1},
		{&alertsFiring{count: 2, severity: "warning"}, 3},
		{fmt.Errorf("alerts: %w", &alertsFiring{count: 1, severity: "critical"}), 3},
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
