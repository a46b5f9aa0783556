// Package csvrow writes CSV records as encoding/csv's Writer writes them
// (fields separated by commas, quoted only where it quotes them, a record
// ended by a line feed), field by field into a buffer that is reused, so
// that writing a million rows makes no garbage.
package csvrow

import (
	"io"
	"unicode"
	"unicode/utf8"
)

// Row is a record being written. The zero Row is ready.
type Row struct {
	b []byte
	n int // fields so far
}

// String adds field s.
func (r *Row) String(s string) { r.b = appendField(r.next(), s) }

// Bytes adds field s.
func (r *Row) Bytes(s []byte) { r.b = appendField(r.next(), s) }

// Strings adds each of ss as a field.
func (r *Row) Strings(ss []string) {
	for _, s := range ss {
		r.String(s)
	}
}

// next starts a field.
func (r *Row) next() []byte {
	if r.n++; r.n > 1 {
		r.b = append(r.b, ',')
	}
	return r.b
}

// End writes the record with its line feed to w, and starts the next.
func (r *Row) End(w io.Writer) error {
	r.b = append(r.b, '\n')
	_, err := w.Write(r.b)
	r.b, r.n = r.b[:0], 0
	return err
}

// appendField appends s, quoted (its quotes doubled) where encoding/csv
// quotes it.
func appendField[T string | []byte](b []byte, s T) []byte {
	if !needsQuotes(s) {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

// needsQuotes is encoding/csv's rule: a field with a comma, a quote or a
// line break, one that begins with a space, and \. are quoted.
func needsQuotes[T string | []byte](s T) bool {
	if len(s) == 0 {
		return false
	}
	if len(s) == 2 && s[0] == '\\' && s[1] == '.' {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	var first [utf8.UTFMax]byte
	n := 0
	for ; n < len(s) && n < len(first); n++ {
		first[n] = s[n]
	}
	r, _ := utf8.DecodeRune(first[:n])
	return unicode.IsSpace(r)
}
