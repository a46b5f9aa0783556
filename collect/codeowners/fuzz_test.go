package codeowners

import (
	"slices"
	"strings"
	"testing"
)

// FuzzParse checks that no file makes Parse or Owners panic, that every
// line is a rule, a warning, or blank or a comment, that kept owners are
// valid, and that Owners is the last matching rule's.
func FuzzParse(f *testing.F) {
	f.Add(example, "apps/github/a.js")
	f.Add("!x @a\n\\#y @b\n*.[ch] @c\nsrc/ @ok bad\n/ @r\na//b @x\n", "src/a")
	f.Add("foo***bar @a\r\n\ufeff**/ @b\n", "a/fooXbar")
	f.Fuzz(func(t *testing.T, text, path string) {
		file, warns := Parse(text)
		lines := strings.Count(text, "\n") + 1
		seen := map[int]bool{}
		for _, w := range warns {
			if w.Line < 0 || w.Line > lines || seen[w.Line] || w.Msg == "" {
				t.Fatalf("warning %+v (of %d lines)", w, lines)
			}
			seen[w.Line] = true
		}
		for _, r := range file.Rules {
			if r.Line < 1 || r.Line > lines || seen[r.Line] {
				t.Fatalf("rule at line %d (of %d lines, warned or repeated)", r.Line, lines)
			}
			seen[r.Line] = true
			if r.Pattern == "" || len(r.globs) == 0 {
				t.Fatalf("rule %+v without a pattern", r)
			}
			for _, o := range r.Owners {
				if why := badOwner(o); why != "" || strings.HasPrefix(o, "#") {
					t.Fatalf("kept owner %q: %s", o, why)
				}
			}
		}
		var want []string
		for i := len(file.Rules) - 1; i >= 0; i-- {
			if file.Rules[i].Matches(strings.TrimPrefix(path, "/")) {
				want = file.Rules[i].Owners
				break
			}
		}
		if got := file.Owners(path); !slices.Equal(got, want) {
			t.Fatalf("Owners(%q) = %q, want %q", path, got, want)
		}
	})
}
