package csvrow

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

// want is what encoding/csv writes of records.
func want(t testing.TB, records [][]string) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(records); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// got is what Row writes of records, each field given as a string or as
// bytes in turn.
func got(t testing.TB, records [][]string) string {
	var b bytes.Buffer
	var r Row
	for _, rec := range records {
		for i, f := range rec {
			if i%2 == 0 {
				r.String(f)
			} else {
				r.Bytes([]byte(f))
			}
		}
		if err := r.End(&b); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// Rows are written byte for byte as encoding/csv writes them.
func TestRow(t *testing.T) {
	records := [][]string{
		{"a", "b", "c"},
		{""},
		{"", ""},
		{`\.`, `\.x`, `x\.`},
		{"a,b", `say "hi"`, "two\nlines", "cr\rlf", "crlf\r\n"},
		{" leading", "\tleading", "\u00a0nbsp", "\u3000ideographic", "trailing ", "\u2028sep"},
		{"\xff\xfe", "\xe2\x80", "é", `"`, `""`, ","},
	}
	if g, w := got(t, records), want(t, records); g != w {
		t.Errorf("got\n%q\nwant\n%q", g, w)
	}
	var r Row
	r.Strings([]string{"x", "y,z"})
	var b bytes.Buffer
	r.End(&b)
	if b.String() != "x,\"y,z\"\n" {
		t.Errorf("Strings: %q", b.String())
	}
}

// Whatever the fields, Row writes what encoding/csv writes.
func FuzzRow(f *testing.F) {
	f.Add("a\x00b,c\x00\"d\"\x01 e\x00\\.\x01\r\n")
	f.Fuzz(func(t *testing.T, s string) {
		// \x01 separates records, \x00 fields.
		var records [][]string
		for _, rec := range strings.Split(s, "\x01") {
			records = append(records, strings.Split(rec, "\x00"))
		}
		if g, w := got(t, records), want(t, records); g != w {
			t.Fatalf("got\n%q\nwant\n%q", g, w)
		}
	})
}
