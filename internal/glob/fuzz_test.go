package glob

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzGlob checks that no glob makes Compile or Match panic, and that
// Match agrees with a regular expression built from the compiled glob.
func FuzzGlob(f *testing.F) {
	for _, s := range [][2]string{
		{"services/api/**", "services/api/a/b.go"},
		{"**/*.py", "x/y.py"},
		{"a/**/b", "a/b"},
		{"file[!0-9].txt", "filea.txt"},
		{`a\*[\]x]?`, "a*]é"},
		{"a*b*c", "aXbYc"},
		{"**", "a/b"},
		{"[", "["},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, path string) {
		g, err := Compile(pattern)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "glob ") {
				t.Fatalf("error %q does not name the glob", err)
			}
			return
		}
		got := g.Match(path)
		if path == "" || !utf8.ValidString(pattern) || !utf8.ValidString(path) {
			return
		}
		re, err := regexp.Compile(reference(g))
		if err != nil {
			t.Fatalf("reference of %q: %v", pattern, err)
		}
		if want := re.MatchString(path); got != want {
			t.Fatalf("%q on %q: Match %v, reference %s says %v", pattern, path, got, re, want)
		}
	})
}

// reference translates a compiled glob into an anchored regular
// expression: ** (never last once compiled) is any number of "name/".
func reference(g *Glob) string {
	var b strings.Builder
	b.WriteString(`\A`)
	for i, s := range g.segs {
		if s.any {
			b.WriteString(`(?:[^/]*/)*`)
			continue
		}
		if s.wild == nil {
			b.WriteString(regexp.QuoteMeta(s.lit))
		}
		for _, e := range s.wild {
			switch e.kind {
			case elemLit:
				b.WriteString(regexp.QuoteMeta(e.lit))
			case elemStar:
				b.WriteString(`[^/]*`)
			case elemOne:
				b.WriteString(`[^/]`)
			case elemClass:
				b.WriteString("[")
				if e.negate {
					b.WriteString("^/")
				}
				for _, r := range e.ranges {
					fmt.Fprintf(&b, `\x{%x}-\x{%x}`, r.lo, r.hi)
				}
				b.WriteString("]")
			}
		}
		if i < len(g.segs)-1 {
			b.WriteString("/")
		}
	}
	b.WriteString(`\z`)
	return b.String()
}
