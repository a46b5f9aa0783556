package imports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Bounds on what is read from a file. Strings beyond them are refused
// (ids, names, refs) or cut (titles).
const (
	maxID    = 128  // upstream ids
	maxName  = 255  // environments, refs, logins, statuses, stage and job names
	maxTitle = 200  // titles, in runes, cut beyond
	maxText  = 4096 // any other string read
	maxNum   = 1e9  // pull numbers, durations in seconds
)

// decodeEach reads every JSON value of b, one after another (the pages
// `gh api --paginate` writes), numbers kept as their text, and gives each
// to use as soon as it is read, so that one page at a time is held. It
// stops at the first error use reports.
func decodeEach(b []byte, use func(i int, v any) error) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	for i := 0; ; i++ {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			err = syntaxErr(b, dec.InputOffset(), err)
			if i > 0 {
				err = fmt.Errorf("%w (after %d JSON value(s): text that is not JSON follows)", err, i)
			}
			return &syntaxError{err}
		}
		if err := use(i, v); err != nil {
			return err
		}
	}
}

// syntaxError is input that is not JSON.
type syntaxError struct{ error }

// syntaxErr says where in b a JSON error is, by line and column.
func syntaxErr(b []byte, at int64, err error) error {
	var se *json.SyntaxError
	off := int(at)
	if errors.As(err, &se) {
		off = int(se.Offset)
		if off > 0 && !strings.HasPrefix(se.Error(), "unexpected end") {
			off-- // Offset counts the bad byte
		}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		off = len(b)
	}
	off = min(max(off, 0), len(b))
	line := 1 + bytes.Count(b[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(b[:off], '\n')
	msg := err.Error()
	if errors.Is(err, io.ErrUnexpectedEOF) {
		msg = "unexpected end of input"
	}
	return fmt.Errorf("not JSON: line %d, column %d: %s", line, col, msg)
}

// member writes the path of a member: .name, or ["name"] when the name
// is not a plain word (control characters escaped, long names cut).
func member(path, name string) string {
	if plainName().MatchString(name) {
		return path + "." + name
	}
	if len(name) > 40 {
		name = name[:40] + "…"
	}
	return path + "[" + strconv.Quote(name) + "]"
}

var plainName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_ ()-]{0,63}$`) })

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// kindOf names the JSON type of v for messages.
func kindOf(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string " + clip(v)
	case json.Number:
		return "the number " + clip(string(v))
	case bool:
		return strconv.FormatBool(v)
	}
	return fmt.Sprintf("%T", v)
}

// clip quotes s for a message, cut when long, control characters escaped.
func clip(s string) string {
	if len(s) > 40 {
		s = s[:40]
		for !utf8.ValidString(s) && len(s) > 0 {
			s = s[:len(s)-1]
		}
		return strconv.Quote(s) + "…"
	}
	return strconv.Quote(s)
}

// reader reads values out of a decoded file, keeping the first problem
// met (with its path) so that the parsers read fields without checking
// each one.
type reader struct {
	err error
	now time.Time
}

func (r *reader) fail(path, format string, args ...any) {
	if r.err == nil {
		r.err = &pathError{path: path, msg: fmt.Sprintf(format, args...)}
	}
}

// pathError is a problem at a JSON path; Parse adds the file name.
type pathError struct{ path, msg string }

func (e *pathError) Error() string { return e.path + ": " + e.msg }

// obj is an object of the file with its path.
type obj struct {
	m    map[string]any
	path string
	r    *reader
}

func (r *reader) obj(v any, path string) (obj, bool) {
	m, ok := v.(map[string]any)
	return obj{m: m, path: path, r: r}, ok
}

// has reports a member present and not null.
func (o obj) has(k string) bool { return o.m[k] != nil }

// present reports a member present, even null.
func (o obj) present(k string) bool { _, ok := o.m[k]; return ok }

func (o obj) at(k string) string { return member(o.path, k) }

// child is the object member k; ok is false when absent or null, and a
// member of another type is a problem.
func (o obj) child(k string) (obj, bool) {
	v := o.m[k]
	if v == nil {
		return obj{m: nil, path: o.at(k), r: o.r}, false
	}
	c, ok := o.r.obj(v, o.at(k))
	if !ok {
		o.r.fail(o.at(k), "want an object, got %s", kindOf(v))
	}
	return c, ok
}

// list is the array member k, nil when absent or null.
func (o obj) list(k string) []any {
	v := o.m[k]
	if v == nil {
		return nil
	}
	a, ok := v.([]any)
	if !ok {
		o.r.fail(o.at(k), "want an array, got %s", kindOf(v))
	}
	return a
}

// text is the string member k ("" when absent or null), at most max bytes.
func (o obj) text(k string, max int) string {
	v := o.m[k]
	if v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		o.r.fail(o.at(k), "want a string, got %s", kindOf(v))
		return ""
	}
	if len(s) > max {
		o.r.fail(o.at(k), "%d bytes long, want at most %d", len(s), max)
		return ""
	}
	return s
}

// str is a short string member: a name, a status, a ref. Control
// characters are refused.
func (o obj) str(k string) string {
	s := o.text(k, maxName)
	if bad := firstControl(s); bad >= 0 {
		o.r.fail(o.at(k), "control character %U in %s", bad, clip(s))
		return ""
	}
	return s
}

// lower is str in lower case.
func (o obj) lower(k string) string { return strings.ToLower(o.str(k)) }

// title is a human title, control characters made spaces, cut at
// maxTitle runes.
func (o obj) title(k string) string {
	v := o.m[k]
	if v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		o.r.fail(o.at(k), "want a string, got %s", kindOf(v))
		return ""
	}
	if len(s) > 4*maxTitle+64 {
		s = s[:4*maxTitle+64]
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > maxTitle {
		s = string([]rune(s)[:maxTitle-1]) + "…"
	}
	return s
}

// id is an upstream id: a string or an integer, at most maxID bytes,
// without control characters or surrounding space; "" when absent.
func (o obj) id(k string) string {
	v := o.m[k]
	var s string
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		s = v
	case json.Number:
		if _, err := strconv.ParseUint(string(v), 10, 64); err != nil {
			o.r.fail(o.at(k), "want an id (a string or a whole number), got %s", kindOf(v))
			return ""
		}
		s = string(v)
	default:
		o.r.fail(o.at(k), "want an id (a string or a whole number), got %s", kindOf(v))
		return ""
	}
	return o.r.checkID(o.at(k), s)
}

func (r *reader) checkID(path, s string) string {
	switch {
	case s == "":
		r.fail(path, "empty id")
	case len(s) > maxID:
		r.fail(path, "id %d bytes long, want at most %d", len(s), maxID)
	case firstControl(s) >= 0:
		r.fail(path, "control character %U in id %s", firstControl(s), clip(s))
	case strings.TrimSpace(s) != s:
		r.fail(path, "id %s has surrounding space", clip(s))
	case !utf8.ValidString(s):
		r.fail(path, "id %s is not UTF-8", clip(s))
	default:
		return s
	}
	return ""
}

// firstControl is the first control character of s, -1 when none.
func firstControl(s string) rune {
	for _, c := range s {
		if unicode.IsControl(c) {
			return c
		}
	}
	return -1
}

// need reports a problem when the member k is absent or null.
func (o obj) need(k string) bool {
	if !o.has(k) {
		o.r.fail(o.at(k), "missing")
		return false
	}
	return true
}

// integer is a whole-number member in [0, maxNum]; ok is false when absent.
func (o obj) integer(k string) (int64, bool) {
	v := o.m[k]
	if v == nil {
		return 0, false
	}
	n, ok := v.(json.Number)
	if !ok {
		o.r.fail(o.at(k), "want a whole number, got %s", kindOf(v))
		return 0, false
	}
	i, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil || i < 0 || i > maxNum {
		o.r.fail(o.at(k), "want a whole number from 0 to %d, got %s", int64(maxNum), clip(string(n)))
		return 0, false
	}
	return i, true
}

// seconds is a duration member in seconds (an integer or a fraction),
// nil when absent or null.
func (o obj) seconds(k string) *float64 {
	v := o.m[k]
	if v == nil {
		return nil
	}
	n, ok := v.(json.Number)
	if !ok {
		o.r.fail(o.at(k), "want a number of seconds, got %s", kindOf(v))
		return nil
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsNaN(f) || f < 0 || f > maxNum {
		o.r.fail(o.at(k), "want a number of seconds from 0 to %d, got %s", int64(maxNum), clip(string(n)))
		return nil
	}
	return &f
}

// flag is a boolean member; false when absent or null.
func (o obj) flag(k string) bool {
	v := o.m[k]
	if v == nil {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		o.r.fail(o.at(k), "want true or false, got %s", kindOf(v))
	}
	return b
}

// sha is a full commit hash member (40 or 64 hex digits, lower-cased);
// "" when absent, null or empty.
func (o obj) sha(k string) string {
	s := o.text(k, maxName)
	if s == "" {
		return ""
	}
	if !isSHA(s) {
		o.r.fail(o.at(k), "want a full commit hash (40 hex digits), got %s", clip(s))
		return ""
	}
	return strings.ToLower(s)
}

func isSHA(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// time is a time member (see parseTime); zero when absent, null or "not
// yet".
func (o obj) time(k string) time.Time {
	v := o.m[k]
	if v == nil {
		return time.Time{}
	}
	var t time.Time
	var err error
	switch v := v.(type) {
	case string:
		t, err = parseTime(v)
	case json.Number:
		t, err = parseEpoch(string(v))
	default:
		err = fmt.Errorf("want a time, got %s", kindOf(v))
	}
	if err == nil {
		err = inBounds(t, o.r.now)
	}
	if err != nil {
		o.r.fail(o.at(k), "%v", err)
		return time.Time{}
	}
	return t
}
