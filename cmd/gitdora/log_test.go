package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/fact"
)

// Every log line, text or JSON, is one line without a control character,
// whatever its message and attributes hold; a joined error is one line
// per error.
func TestLogEscapesOutsideText(t *testing.T) {
	const hostile = "tool\n::error title=X::pwned\x1b[2J\u009b\u202e ##[error]x"
	for _, format := range []string{"text", "json"} {
		var errb bytes.Buffer
		g := &Globals{Stderr: &errb, LogFormat: format}
		g.Log = newLogger(g)
		g.Log.Warn("skipped "+hostile, "file", hostile, hostile, 1)
		for _, line := range errorLines(fmt.Errorf("wrapped: %w", errors.Join(errors.New("a\nb"), errors.New("c")))) {
			g.Log.Error(line)
		}
		for _, line := range errorLines(errors.Join(errors.New("one.sarif: bad"), errors.Join(errors.New("two.sarif: bad\x1b"), nil))) {
			g.Log.Error(line)
		}
		lines := strings.Split(strings.TrimSuffix(errb.String(), "\n"), "\n")
		if len(lines) != 4 {
			t.Errorf("%s: %d lines, want 4:\n%s", format, len(lines), errb.String())
		}
		for _, l := range lines {
			if strings.ContainsAny(l, "\x1b\r\u009b\u202e") || strings.Contains(l, "##[") || strings.HasPrefix(strings.TrimSpace(l), "::") {
				t.Errorf("%s: line %q carries a control character or a workflow command", format, l)
			}
			if format == "json" {
				// The JSON keeps the text as it was: only its encoding escapes.
				var v map[string]any
				if err := json.Unmarshal([]byte(l), &v); err != nil {
					t.Errorf("json: line %q is not JSON: %v", l, err)
				}
				if l == lines[0] && (v["msg"] != "skipped "+hostile || v["file"] != hostile || v[hostile] != 1.0) {
					t.Errorf("json: %v does not hold the text as given", v)
				}
			}
		}
		if format == "text" {
			h := `tool\n::error title=X::pwned\x1b[2J\u009b\u202e ##\x5berror]x`
			want := "gitdora: warning: skipped " + h + " file=" + h + " " + h + "=1"
			if lines[0] != want {
				t.Errorf("text:\n%s\nwant\n%s", lines[0], want)
			}
			if lines[1] != `gitdora: wrapped: a\nb\nc` || lines[2] != "gitdora: one.sarif: bad" || lines[3] != `gitdora: two.sarif: bad\x1b` {
				t.Errorf("errors:\n%s", strings.Join(lines[1:], "\n"))
			}
		}
	}
}

// An error the layers below log as an attribute names the flags, as the
// one a command returns does, in text and in JSON.
func TestLoggedErrorsNameTheFlags(t *testing.T) {
	err := fmt.Errorf("open: %w", &fact.InputError{Input: "data", Value: "x", Err: errors.New("no such directory")})
	for _, format := range []string{"text", "json"} {
		var errb bytes.Buffer
		g := &Globals{Stderr: &errb, LogFormat: format}
		g.Log = newLogger(g)
		g.Log.Warn("default severities", "reason", err, "n", 2)
		got := errb.String()
		if format == "json" {
			var v map[string]any
			if err := json.Unmarshal(errb.Bytes(), &v); err != nil {
				t.Fatal(err)
			}
			got = fmt.Sprint(v["reason"], " ", v["n"])
		}
		if want := "open: --data x: no such directory"; !strings.Contains(got, want) || !strings.Contains(got, "2") {
			t.Errorf("%s: %q, want the reason %q", format, got, want)
		}
	}
}
