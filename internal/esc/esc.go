// Package esc makes text from outside (SARIF, CI JSON, configuration,
// flags, a server's answer) safe to print: on a terminal, in a CI log,
// and in GitHub Actions workflow commands. Every line gitdora prints,
// logs or annotates passes the text it did not write itself through it.
//
// Escaped characters are written as Go writes them in a string literal
// (\n, \x1b, \u202e), so the text stays readable and nothing is lost.
package esc

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Line returns s as it may appear within one line of output: it can
// neither end the line nor act on the terminal or the CI runner.
//
//   - control characters (C0, DEL, C1), invalid UTF-8 and the Unicode
//     line and paragraph separators and bidirectional overrides are
//     escaped (\n, \t, \x1b, \u2028, \u202e);
//   - "::" at its start (after spaces) becomes "\x3a:", since GitHub's
//     runner reads a line that starts so as a workflow command;
//   - "##[" becomes "##\x5b", the runner's older command prefix, which
//     it finds anywhere in a line.
//
// Backslashes are left as they are.
func Line(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	lead := true // only spaces so far
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			writeHex(&b, s[i])
		case lead && r == ':' && strings.HasPrefix(s[i:], "::"):
			b.WriteString(`\x3a`)
		case r == '[' && i >= 2 && s[i-2:i] == "##":
			b.WriteString(`\x5b`)
		default:
			writeRune(&b, r)
		}
		lead = lead && r == ' '
		i += n
	}
	return b.String()
}

// Cell returns s as a cell of a CSV file that goes to a terminal and to
// spreadsheets: escaped as Line escapes it, and, when it is not a number
// and starts with "=", "+", "-" or "@" (which a spreadsheet reads as the
// start of a formula, one that may run a command or send data away),
// after an apostrophe, so that a spreadsheet reads it as text. Numbers,
// "-1.5" too, are left as they are.
func Cell(s string) string {
	s = Line(s)
	if s == "" || !strings.ContainsRune("=+-@", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil && strings.Trim(s, "0123456789.eE+-") == "" {
		return s // a decimal number, not "-Inf" or "-0x1p3"
	}
	return "'" + s
}

// CommandData escapes the message of a GitHub Actions workflow command
// ("::warning title=…::message") as GitHub documents it (% as %25, CR as
// %0D, LF as %0A, so a message may span lines), and every other control
// character as Line does.
func CommandData(s string) string { return command(s, false) }

// CommandProperty escapes a property value of a workflow command
// ("title=…"): as CommandData, and ':' as %3A and ',' as %2C.
func CommandProperty(s string) string { return command(s, true) }

func command(s string, property bool) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			writeHex(&b, s[i])
		case r == '%':
			b.WriteString("%25")
		case r == '\r':
			b.WriteString("%0D")
		case r == '\n':
			b.WriteString("%0A")
		case property && r == ':':
			b.WriteString("%3A")
		case property && r == ',':
			b.WriteString("%2C")
		case r == '[' && i >= 2 && s[i-2:i] == "##":
			b.WriteString(`\x5b`)
		default:
			writeRune(&b, r)
		}
		i += n
	}
	return b.String()
}

// clean reports whether Line would return s unchanged.
func clean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	t := strings.TrimLeft(s, " ")
	return !strings.HasPrefix(t, "::") && !strings.Contains(s, "##[")
}

// unsafe reports whether a (valid) rune must be escaped: a control
// character, a line or paragraph separator, or a bidirectional control.
func unsafe(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x2028 && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

const hexDigits = "0123456789abcdef"

func writeHex(b *strings.Builder, c byte) {
	b.WriteString(`\x`)
	b.WriteByte(hexDigits[c>>4])
	b.WriteByte(hexDigits[c&0xf])
}

func writeRune(b *strings.Builder, r rune) {
	if !unsafe(r) {
		b.WriteRune(r)
		return
	}
	switch r {
	case '\n':
		b.WriteString(`\n`)
	case '\r':
		b.WriteString(`\r`)
	case '\t':
		b.WriteString(`\t`)
	default:
		if r < 0x80 {
			writeHex(b, byte(r))
			return
		}
		b.WriteString(`\u`)
		for shift := 12; shift >= 0; shift -= 4 {
			b.WriteByte(hexDigits[(r>>shift)&0xf])
		}
	}
}

// JSON rewrites JSON text (as encoding/json writes it: valid UTF-8, C0
// controls already escaped in strings) so that it shows nothing a
// terminal or a CI runner acts on, without changing the value it encodes:
// DEL, C1 controls, line and paragraph separators and bidirectional
// controls become \u escapes, and "##[" becomes "##\u005b". Raw line
// breaks, which encoding/json writes only between values, stay.
func JSON(b []byte) []byte {
	if jsonClean(b) {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == '[' && i >= 2 && b[i-2] == '#' && b[i-1] == '#':
			out = append(out, `\u005b`...)
		case r >= 0x20 && unsafe(r):
			out = append(out, `\u`...)
			for shift := 12; shift >= 0; shift -= 4 {
				out = append(out, hexDigits[(r>>shift)&0xf])
			}
		default:
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	return out
}

func jsonClean(b []byte) bool {
	for _, c := range b {
		if c >= 0x7f {
			return false
		}
	}
	return !bytes.Contains(b, []byte("##["))
}

// JSONWriter passes each Write through JSON: for writers that get whole
// JSON documents or lines in one Write, as a log/slog JSON handler does.
type JSONWriter struct{ W io.Writer }

func (w JSONWriter) Write(p []byte) (int, error) {
	if _, err := w.W.Write(JSON(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}
