package render

import (
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

func TestText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want MD
	}{
		{"plain words", 0, "plain words"},
		{"a*b*_c_ `x` [l](u) <b> &amp; | ~s~ $m$ !#", 0, `a\*b\*\_c\_ \` + "`" + `x\` + "`" + ` \[l\](u) \<b\> \&amp; \| \~s\~ \$m\$ \!\#`},
		{"two\nlines\r\n\ttab", 0, "two lines   tab"},
		{"bell\x07", 0, "bell"},
		{"abcdef", 4, "abc…"},
		{"ünïcödé", 3, "ün…"},
		{"ww\x00w.example.com", 0, `www\.example.com`},
		{"http:/\x01/x.y", 0, `http\://x.y`},
	} {
		if got := Text(tc.in, tc.max); got != tc.want {
			t.Errorf("Text(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}

// TestTextRendersLiterally renders escaped text with goldmark (GFM) and
// wants exactly the original characters back as text.
func TestTextRendersLiterally(t *testing.T) {
	for _, in := range []string{
		"*not emphasis* _nor this_ **nor** `code`",
		"<script>alert(1)</script>",
		`"><img src=x onerror=alert(1)>`,
		"[link](javascript:alert(1)) ![img](x)",
		"a | b | c",
		"&lt; is an entity, &amp; too",
		`back\slash \* stays`,
		"see www.example.com, https://x.y/z or mail a@b.co",
	} {
		var out strings.Builder
		md := "| h |\n|---|\n| " + string(Text(in, 0)) + " |\n"
		if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert([]byte(md), &out); err != nil {
			t.Fatal(err)
		}
		html := out.String()
		start := strings.Index(html, "<td>")
		end := strings.Index(html, "</td>")
		if start < 0 || end < 0 {
			t.Errorf("%q: not one table cell: %s", in, html)
			continue
		}
		cell := html[start+4 : end]
		want := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(in)
		if cell != want {
			t.Errorf("%q renders as %q, want %q", in, cell, want)
		}
	}
}

func TestCode(t *testing.T) {
	if got := Code("3f2a9c1`<b>"); got != "`3f2a9c1b`" {
		t.Errorf("Code = %q", got)
	}
	if got := Code("`"); got != "" {
		t.Errorf("Code of nothing usable = %q, want empty", got)
	}
}

func TestDurations(t *testing.T) {
	for _, tc := range []struct {
		h    float64
		want string
	}{
		{0, "0 h"}, {0.005, "< 1 min"}, {0.5, "30 min"}, {1, "1 h"}, {1.26, "1.3 h"}, {48, "48 h"}, {71.9, "71.9 h"}, {72, "3 d"}, {800, "33.3 d"},
	} {
		if got := sp(Hours(tc.h)); got != tc.want {
			t.Errorf("Hours(%v) = %q, want %q", tc.h, got, tc.want)
		}
	}
	for _, tc := range []struct {
		s    float64
		want string
	}{
		{45, "45 s"}, {119.6, "120 s"}, {120, "2 min"}, {350, "5.8 min"}, {7200, "2 h"},
	} {
		if got := sp(Seconds(tc.s)); got != tc.want {
			t.Errorf("Seconds(%v) = %q, want %q", tc.s, got, tc.want)
		}
	}
}

func TestUnitFormatAndDelta(t *testing.T) {
	if got := unitFraction.format(nil); got != "n/a" {
		t.Errorf("nil = %q, want n/a (never 0)", got)
	}
	for _, tc := range []struct {
		u          unit
		cur, prev  float64
		fmt, delta string
	}{
		{unitPerDay, 2.355, 2.5, "2.35/day", "−0.15/day"},
		{unitFraction, 0.055, 0.043, "5.5 %", "+1.2 pp"},
		{unitPercent, 23.9, 23.0, "23.9 %", "+0.9 pp"},
		{unitHours, 1.4, 1.5, "1.4 h", "−6 min"},
		{unitCount, 3, 3, "3", "±0"},
		{unitSeconds, 350, 340, "5.8 min", "+10 s"},
	} {
		cur, prev := tc.cur, tc.prev
		if got := sp(tc.u.format(&cur)); got != tc.fmt {
			t.Errorf("format(%v) = %q, want %q", cur, got, tc.fmt)
		}
		if got := sp(tc.u.delta(&cur, &prev)); got != tc.delta {
			t.Errorf("delta(%v, %v) = %q, want %q", cur, prev, got, tc.delta)
		}
	}
	x := 1.0
	if got := unitHours.delta(&x, nil); got != "" {
		t.Errorf("delta without a previous value = %q, want empty", got)
	}
}

// sp shows the no-break spaces between numbers and units as spaces, so
// expectations stay readable.
func sp[S ~string](s S) string { return strings.ReplaceAll(string(s), nbsp, " ") }

func TestUnitsDoNotBreak(t *testing.T) {
	for _, s := range []string{Hours(3), Seconds(30), Percent(0.5), unitPerDay.format(ptr(2))} {
		if strings.Contains(s, " ") {
			t.Errorf("%q can break between number and unit", s)
		}
	}
}
