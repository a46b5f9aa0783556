package glob

import (
	"errors"
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		glob string
		yes  []string
		no   []string
	}{
		{"services/api/**",
			[]string{"services/api/main.go", "services/api/a/b/c.go", "services/api/.env"},
			[]string{"services/api", "services/apis/x.go", "services/x/api/y.go", "web/services/api/x.go"}},
		{"**/*.py",
			[]string{"a.py", "x/a.py", "x/y/z/a.py", ".py"},
			[]string{"a.pyc", "x/a.py/b", "apy"}},
		{"**",
			[]string{"a", "a/b", "a/b/c"},
			[]string{""}},
		{"a/**/b",
			[]string{"a/b", "a/x/b", "a/x/y/b"},
			[]string{"a/b/c", "b", "x/a/b", "a/xb"}},
		{"a/**/**/b", // the same as a/**/b
			[]string{"a/b", "a/x/b", "a/x/y/b"},
			[]string{"a/b/c"}},
		{"**/tests/**",
			[]string{"tests/a.go", "x/tests/a/b.go"},
			[]string{"tests", "x/tests", "x/mytests/a.go"}},
		{"*.go",
			[]string{"main.go", ".go"},
			[]string{"a/main.go", "main.goo", "main.g"}},
		{"src/*/main.go",
			[]string{"src/a/main.go", "src/abc/main.go"},
			[]string{"src/main.go", "src/a/b/main.go"}},
		{"a*b*c",
			[]string{"abc", "aXbYc", "abbbc", "aXcbYc"},
			[]string{"ab", "acb", "a/b/c", "aXb/c"}},
		{"?.txt",
			[]string{"a.txt", "é.txt"},
			[]string{".txt", "ab.txt", "/.txt"}},
		{"file[0-9].txt",
			[]string{"file0.txt", "file9.txt"},
			[]string{"filea.txt", "file10.txt", "file.txt"}},
		{"file[!0-9].txt",
			[]string{"filea.txt", "file-.txt"},
			[]string{"file0.txt", "file.txt"}},
		{"file[^a-c].txt",
			[]string{"filed.txt"},
			[]string{"fileb.txt"}},
		{"[ab][cd]",
			[]string{"ac", "bd"},
			[]string{"ab", "cd", "a"}},
		{`a\*b`,
			[]string{"a*b"},
			[]string{"axb", "ab"}},
		{`a\[1]`,
			[]string{"a[1]"},
			[]string{"a1"}},
		{`[\]x]`,
			[]string{"]", "x"},
			[]string{"\\"}},
		{"Docs/README.md",
			[]string{"Docs/README.md"},
			[]string{"docs/README.md", "Docs/readme.md"}},
		{"a/*",
			[]string{"a/b", "a/.hidden"},
			[]string{"a", "a/b/c"}},
		{"日本/*.go",
			[]string{"日本/x.go"},
			[]string{"日/x.go"}},
	} {
		g, err := Compile(c.glob)
		if err != nil {
			t.Fatalf("Compile(%q): %v", c.glob, err)
		}
		for _, p := range c.yes {
			if !g.Match(p) {
				t.Errorf("%q does not match %q, want a match", c.glob, p)
			}
		}
		for _, p := range c.no {
			if g.Match(p) {
				t.Errorf("%q matches %q, want no match", c.glob, p)
			}
		}
		if g.String() != c.glob {
			t.Errorf("String() = %q, want %q", g.String(), c.glob)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	for _, c := range []struct {
		glob, msg string
		off       int
	}{
		{"", "empty glob", 0},
		{"/src/**", "starts with /", 0},
		{"src/", `ends with /: write "src/**" to match`, 4},
		{"a//b", "empty path segment", 2},
		{"**.py", "** must be a whole path segment", 0},
		{"src/a**", "** must be a whole path segment", 5},
		{"src/***", "** must be a whole path segment", 4},
		{`a\`, `ends with a lone \`, 1},
		{`a\/b`, `\/ cannot match`, 1},
		{"x/file[0-9", "unterminated character class", 6},
		{"file[]", "empty character class", 4},
		{"file[!]", "empty character class", 4},
		{"file[z-a]", "character range z-a is reversed", 4},
		{"file[+-0]", "cannot match /", 4},
		{`file[a\`, "unterminated character class", 6},
		{strings.Repeat("a", MaxLen+1), "longer than 4096 bytes", MaxLen},
	} {
		_, err := Compile(c.glob)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Compile(%q) = %v, want an *Error", c.glob, err)
			continue
		}
		if !strings.Contains(e.Msg, c.msg) || e.Offset != c.off || e.Glob != c.glob {
			t.Errorf("Compile(%q): %+v, want message with %q at byte %d", c.glob, e, c.msg, c.off)
		}
		if !strings.Contains(err.Error(), c.msg) {
			t.Errorf("Compile(%q): Error() %q lacks %q", c.glob, err.Error(), c.msg)
		}
	}
}

// BenchmarkMatchWorstCase measures the matcher's worst case: a glob with
// many ** and * against a long path that almost matches.
func BenchmarkMatchWorstCase(b *testing.B) {
	g, err := Compile(strings.Repeat("**/a*a*a*a*b/", 20) + "c")
	if err != nil {
		b.Fatal(err)
	}
	p := strings.Repeat(strings.Repeat("a", 40)+"/", 200) + "d"
	for b.Loop() {
		if g.Match(p) {
			b.Fatal("matched")
		}
	}
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"a\x1b[31m":                    `"a\x1b[31m"`,
		strings.Repeat("x", 100):       `"` + strings.Repeat("x", 100) + `"`,
		strings.Repeat("x", 101):       `"` + strings.Repeat("x", 100) + `"…`,
		strings.Repeat("x", 99) + "é!": `"` + strings.Repeat("x", 99) + `"…`, // not cut inside é
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
	_, err := Compile(strings.Repeat("a", 300) + "[")
	if err == nil || len(err.Error()) > 200 {
		t.Errorf("error for a long glob: %v", err)
	}
}
