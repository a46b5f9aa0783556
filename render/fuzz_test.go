package render

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

var cellRE = regexp.MustCompile(`(?s)<td>(.*?)</td>`)

// FuzzText checks the escaping of untrusted text for any input: inside a
// table cell, rendered as GitHub Flavored Markdown, it is exactly the text
// again (line breaks as spaces, control characters dropped), never markup.
func FuzzText(f *testing.F) {
	for _, s := range []string{"plain", "<script>alert(1)</script>", `"><img src=x onerror=alert(1)>`, "</script>", "*a* _b_ `c` [d](e) ![f](g)", "a | b", "&amp; &#60;", "~~x~~ $y$", "line\nbreak", "\\*", "www.example.com http://x.y", "<http://x>"} {
		f.Add(s)
	}
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		var out strings.Builder
		src := "| h |\n|---|\n| " + string(Text(s, 0)) + " |\n"
		if err := md.Convert([]byte(src), &out); err != nil {
			t.Fatal(err)
		}
		got := cellRE.FindStringSubmatch(out.String())
		if got == nil {
			t.Fatalf("%q: no single cell in %q", s, out.String())
		}
		cell := got[1]
		if strings.Contains(strings.ReplaceAll(cell, "&lt;", ""), "<") {
			t.Fatalf("%q: markup in the cell: %q", s, cell)
		}
		want := strings.Map(func(r rune) rune {
			switch {
			case r == '\n' || r == '\r' || r == '\t':
				return ' '
			case r < 0x20 || r == 0x7f || r == utf8.RuneError:
				return -1
			}
			return r
		}, s)
		if g, w := strings.Trim(html.UnescapeString(cell), " "), strings.Trim(want, " "); g != w {
			t.Fatalf("%q shows as %q, want %q", s, g, w)
		}
	})
}
