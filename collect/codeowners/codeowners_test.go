package codeowners

import (
	"slices"
	"strings"
	"testing"
)

// TestPatterns checks which paths each pattern owns, one pattern per file.
func TestPatterns(t *testing.T) {
	for _, c := range []struct {
		pattern string
		yes, no []string
	}{
		// No slash: any depth, and everything inside a matching directory.
		{"foo", []string{"foo", "foo/bar", "a/foo", "a/foo/b/c"}, []string{"foo.txt", "a/foo.txt", "food/x", "a/b"}},
		{"*.js", []string{"app.js", "src/app.js", "a/b/c.js", "x.js/inner"}, []string{"app.jsx", "js", "app.ts"}},
		// A leading slash anchors at the root.
		{"/foo", []string{"foo", "foo/bar", "foo/bar/baz"}, []string{"a/foo", "fool", "a/foo/b"}},
		// A slash in the middle anchors too (gitignore), unlike GitLab.
		{"foo/bar", []string{"foo/bar", "foo/bar/baz"}, []string{"a/foo/bar", "foo/bart", "a/foo/bar/b"}},
		{"/build/logs/", []string{"build/logs/a.log", "build/logs/2024/b.log"}, []string{"build/logs", "x/build/logs/a.log", "build/logsx/a"}},
		// A trailing slash: only directories, at any depth without a leading one.
		{"apps/", []string{"apps/a.js", "x/apps/a.js", "x/y/apps/z/a.js"}, []string{"apps", "x/apps", "myapps/a.js"}},
		{"/docs/", []string{"docs/a.md", "docs/x/y.md"}, []string{"docs", "src/docs/a.md"}},
		// A last segment that is a lone *: the files directly inside.
		{"docs/*", []string{"docs/getting-started.md", "docs/.x"}, []string{"docs", "docs/build-app/troubleshooting.md", "a/docs/x.md"}},
		{"/*", []string{"README.md", "go.mod"}, []string{"src/main.go", "a/b/c"}},
		{"*", []string{"a", "a/b", "a/b/c"}, nil},
		// Other wildcards within a segment: the directory's contents too.
		{"f*", []string{"foo", "foo/bar", "a/foo/bar/baz"}, []string{"bar", "xfoo", "a/xfoo/b"}},
		{"foo/*.txt", []string{"foo/a.txt"}, []string{"foo/a/b.txt", "x/foo/a.txt", "foo/a.md"}},
		{"foo/*/baz", []string{"foo/bar/baz", "foo/bar/baz/qux"}, []string{"foo/baz", "foo/a/b/baz"}},
		{"f?o", []string{"foo", "fxo/a"}, []string{"fo", "fooo", "f/o"}},
		// ** crosses directories.
		{"**/logs", []string{"logs", "build/logs", "deeply/nested/logs/x.log"}, []string{"logsx", "a/logs.txt"}},
		{"**/foo/bar", []string{"foo/bar", "a/foo/bar", "a/foo/bar/baz"}, []string{"foo/baz/bar", "a/foo/x/bar"}},
		{"foo/**", []string{"foo/a", "foo/a/b"}, []string{"foo", "a/foo/b"}},
		{"foo/**/bar", []string{"foo/bar", "foo/a/bar", "foo/a/b/bar/c"}, []string{"x/foo/bar", "foo/barx"}},
		{"foo/**/", []string{"foo/a", "foo/a/b"}, []string{"foo"}},
		{"**", []string{"a", "a/b"}, nil},
		{"foo***bar", []string{"foobar", "fooXbar", "a/fooXbar/b"}, []string{"foo/bar"}},
		// Escapes.
		{`f\*o`, []string{"f*o"}, []string{"foo"}},
		{`f\?o`, []string{"f?o"}, []string{"foo"}},
		{`my\ file.txt`, []string{"my file.txt", "a/my file.txt"}, []string{"my"}},
		{`\!important`, []string{"!important"}, []string{"important"}},
		{"a#b", []string{"a#b"}, []string{"a"}},
		// Case-sensitive.
		{"/Src/", []string{"Src/a.go"}, []string{"src/a.go", "SRC/a.go"}},
	} {
		f, warns := Parse(c.pattern + " @o\n")
		if len(warns) != 0 || len(f.Rules) != 1 {
			t.Fatalf("%q: %d rules, warnings %v", c.pattern, len(f.Rules), warns)
		}
		for _, p := range c.yes {
			if got := f.Owners(p); !slices.Equal(got, []string{"@o"}) {
				t.Errorf("%q does not own %q, want it to", c.pattern, p)
			}
		}
		for _, p := range c.no {
			if got := f.Owners(p); got != nil {
				t.Errorf("%q owns %q, want not", c.pattern, p)
			}
		}
	}
}

// A file in the manner of GitHub's documented example.
const example = `# comment
*       @global-owner1 @global-owner2

*.js    @js-owner #an inline comment
*.go docs@example.com
*.txt @octo-org/octocats
/build/logs/ @doctocat
docs/*  docs@example.com
apps/ @octocat
/docs/ @doctocat
/scripts/ @doctocat @octocat
**/logs @octocat
/apps/ @octocat
/apps/github
`

func TestOwnersLastMatchWins(t *testing.T) {
	f, warns := Parse(example)
	if len(warns) != 0 {
		t.Fatalf("warnings: %v", warns)
	}
	for _, c := range []struct {
		path string
		want []string
		line int
	}{
		{"README.md", []string{"@global-owner1", "@global-owner2"}, 2},
		{"src/app.js", []string{"@js-owner"}, 4},
		{"main.go", []string{"docs@example.com"}, 5},
		{"notes.txt", []string{"@octo-org/octocats"}, 6},
		{"build/logs/x.txt", []string{"@octocat"}, 12},         // **/logs comes later than /build/logs/
		{"docs/getting-started.md", []string{"@doctocat"}, 10}, // /docs/ comes after docs/*
		{"docs/build-app/troubleshooting.md", []string{"@doctocat"}, 10},
		{"scripts/deploy.sh", []string{"@doctocat", "@octocat"}, 11},
		{"x/apps/a.py", []string{"@octocat"}, 9},
		{"apps/web/a.py", []string{"@octocat"}, 13},
		{"apps/github/a.js", nil, 14}, // a line without owners: no owner
		{"apps/github", nil, 14},
		{"/src/app.js", []string{"@js-owner"}, 4}, // a leading slash is ignored
	} {
		got := f.Owners(c.path)
		if !slices.Equal(got, c.want) {
			t.Errorf("Owners(%q) = %q, want %q", c.path, got, c.want)
		}
		if r := f.Match(c.path); r == nil || r.Line != c.line {
			t.Errorf("Match(%q) = %+v, want line %d", c.path, r, c.line)
		}
	}
	if r := f.Match("x/y/z/unowned.md"); r == nil || r.Line != 2 {
		t.Errorf("the catch-all does not decide: %+v", r)
	}
	g, _ := Parse("/apps/ @a\n")
	if r := g.Match("web/index.html"); r != nil {
		t.Errorf("Match of an unmatched path = %+v, want nil", r)
	}
	if got := g.Owners("web/index.html"); got != nil {
		t.Errorf("Owners of an unmatched path = %q, want none", got)
	}
}

func TestSkippedLines(t *testing.T) {
	text := strings.Join([]string{
		"* @all",                           // 1
		"!docs/ @nobody",                   // 2
		`\#notes @x`,                       // 3
		"*.[ch] @c-team",                   // 4
		"src/ @ok notanowner",              // 5
		"src/ @bad!name",                   // 6
		"src/ @-dash",                      // 7
		"src/ @org/",                       // 8
		"src/ a@b@c.com",                   // 9
		"src/ user@localhost",              // 10
		"/ @root",                          // 11
		"a//b @x",                          // 12
		`trailing\`,                        // 13
		"src/ @" + strings.Repeat("x", 40), // 14
		"src/ \x01@x.com",                  // 15
		`a\/b @x`,                          // 16
		"   # indented comment",            // 17
		"",                                 // 18
		"lib/ @org/team.name_1 @User_x dev@mail.example.org # comment @ignored", // 19
		"src/ " + strings.Repeat("y", 5000),                                     // 20: quoted cut short
	}, "\n")
	f, warns := Parse(text)
	want := map[int]string{
		2:  `pattern "!docs/": negation (!) does not work in CODEOWNERS; GitHub skips the line`,
		3:  `pattern "\\#notes": escaping a leading # with \ does not work in CODEOWNERS; GitHub skips the line`,
		4:  `pattern "*.[ch]": character ranges ([ ]) do not work in CODEOWNERS; GitHub skips the line`,
		5:  `owner "notanowner" is neither @user, @org/team nor an e-mail address; GitHub skips the line`,
		6:  `owner "@bad!name" is not a valid @user or @org/team name; GitHub skips the line`,
		7:  `owner "@-dash" is not a valid @user or @org/team name; GitHub skips the line`,
		8:  `owner "@org/" is not a valid @org/team name; GitHub skips the line`,
		9:  `owner "a@b@c.com" is not a valid e-mail address; GitHub skips the line`,
		10: `owner "user@localhost" is not a valid e-mail address; GitHub skips the line`,
		11: `pattern "/": it matches no path; GitHub skips the line`,
		12: `pattern "a//b": it has an empty path segment (//); GitHub skips the line`,
		13: `pattern "trailing\\": it ends with a lone \; GitHub skips the line`,
		14: `owner "@` + strings.Repeat("x", 40) + `" is not a valid @user or @org/team name; GitHub skips the line`,
		20: `owner "` + strings.Repeat("y", 100) + `"… is neither @user, @org/team nor an e-mail address; GitHub skips the line`,
		15: `owner "\x01@x.com" is not a valid e-mail address; GitHub skips the line`,
	}
	got := map[int]string{}
	for _, w := range warns {
		got[w.Line] = w.Msg
	}
	for line, msg := range want {
		if got[line] != msg {
			t.Errorf("line %d: warning %q, want %q", line, got[line], msg)
		}
	}
	if w, ok := got[16]; !ok || !strings.Contains(w, `\/ cannot match`) {
		t.Errorf("line 16: warning %q, want one saying \\/ cannot match", w)
	}
	if len(got) != len(want)+1 {
		t.Errorf("warnings %v, want lines 2-16 and 20", warns)
	}
	if s := (Warning{Line: 2, Msg: "m"}).String(); s != "line 2: m" {
		t.Errorf("Warning.String() = %q", s)
	}
	if len(f.Rules) != 2 || f.Rules[0].Line != 1 || f.Rules[1].Line != 19 {
		t.Fatalf("rules %+v, want lines 1 and 19", f.Rules)
	}
	if got := f.Owners("lib/x.go"); !slices.Equal(got, []string{"@org/team.name_1", "@User_x", "dev@mail.example.org"}) {
		t.Errorf("owners of lib/x.go: %q", got)
	}
	// The skipped lines own nothing: src/ keeps the catch-all owner.
	if got := f.Owners("src/x.c"); !slices.Equal(got, []string{"@all"}) {
		t.Errorf("owners of src/x.c: %q, want the catch-all's", got)
	}
}

func TestLineEndingsAndBOM(t *testing.T) {
	f, warns := Parse("\ufeff* @a\r\n\r\n/b/ @b\r\n\tc\t@c\t")
	if len(warns) != 0 {
		t.Fatalf("warnings %v", warns)
	}
	for path, want := range map[string]string{"x": "@a", "b/x": "@b", "y/c": "@c"} {
		if got := f.Owners(path); !slices.Equal(got, []string{want}) {
			t.Errorf("Owners(%q) = %q, want %s", path, got, want)
		}
	}
	if f.Rules[2].Line != 4 {
		t.Errorf("line of the third rule: %d, want 4", f.Rules[2].Line)
	}
}

func TestTooLarge(t *testing.T) {
	big := "* @a\n" + strings.Repeat("#", MaxSize)
	f, warns := Parse(big)
	if len(f.Rules) != 0 || len(warns) != 1 || warns[0].Line != 0 || !strings.Contains(warns[0].Msg, "3 MB") {
		t.Errorf("rules %d, warnings %v: want none and one saying 3 MB", len(f.Rules), warns)
	}
	if got := warns[0].String(); got != warns[0].Msg {
		t.Errorf("String() of a whole-file warning: %q", got)
	}
	f, warns = Parse("* @a\n" + strings.Repeat("#", MaxSize-6))
	if len(f.Rules) != 1 || len(warns) != 0 {
		t.Errorf("one byte under 3 MB: rules %d, warnings %v, want the file read", len(f.Rules), warns)
	}
}

func TestLocations(t *testing.T) {
	want := []string{".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"}
	if !slices.Equal(Locations[:], want) {
		t.Errorf("Locations = %q, want %q", Locations, want)
	}
}

// BenchmarkOwners looks up a deep path in a file of 1,000 rules, most of
// which do not match.
func BenchmarkOwners(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("* @all\n")
	for i := range 1000 {
		sb.WriteString("/services/svc" + strings.Repeat("x", i%7) + "/" + string(rune('a'+i%26)) + "*/ @org/team\n")
	}
	f, warns := Parse(sb.String())
	if len(warns) != 0 {
		b.Fatal(warns)
	}
	for b.Loop() {
		if got := f.Owners("web/src/components/button/index.tsx"); len(got) != 1 {
			b.Fatal(got)
		}
	}
}
