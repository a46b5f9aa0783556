package data

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// IsFullHash reports whether s is a whole commit hash: 40 (SHA-1) or 64
// (SHA-256) hexadecimal digits.
func IsFullHash(s string) bool {
	return (len(s) == 40 || len(s) == 64) && isHex(s)
}

func isHex(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F') {
			return false
		}
	}
	return s != ""
}

// CheckHash reports whether s looks like a commit hash (7 to 64 hex
// digits), for a commit that is not in the repository.
func CheckHash(s string) error {
	if !isHex(s) || len(s) < 7 || len(s) > 64 {
		return fmt.Errorf("%q is not a commit hash (want 7 to 64 hex digits)", s)
	}
	return nil
}

// CheckText reports whether v is fit for a one-line text field: at most
// max characters (0: no limit) and no control characters.
func CheckText(v string, max int) error {
	if max > 0 && len([]rune(v)) > max {
		return fmt.Errorf("%d characters long, want at most %d", len([]rune(v)), max)
	}
	for _, r := range v {
		if unicode.IsControl(r) {
			return fmt.Errorf("%q holds a control character (a line break?), want one line of text", clip(v))
		}
	}
	if !utf8.ValidString(v) {
		return fmt.Errorf("%q is not UTF-8 text", clip(v))
	}
	return nil
}

// clip shortens a long value quoted in a message.
func clip(v string) string {
	if len(v) <= 80 {
		return v
	}
	cut := 77
	for cut > 0 && !utf8.RuneStart(v[cut]) {
		cut--
	}
	return v[:cut] + "…"
}

var cweRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?i:cwe-?)?0*([1-9][0-9]{0,5})$`) })

// ParseCWE reads a CWE id written as CWE-79, cwe-079 or 79, and returns it
// as CWE-79.
func ParseCWE(s string) (string, error) {
	m := cweRe().FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", fmt.Errorf("%q is not a CWE id (want e.g. CWE-79)", s)
	}
	return "CWE-" + m[1], nil
}

// Bounds of the names and texts gitdora stores.
const (
	// MaxText is the length, in characters, of an event's id, title and
	// other one-line text fields.
	MaxText = 200
	// MaxRef is the length of a ref, in bytes.
	MaxRef = 255
	// MaxToolName is the length of a tool's name in a stored file's name, in bytes.
	MaxToolName = 64
)

// CheckRef reports whether ref is a ref name git accepts (the rules of
// git check-ref-format): a full name such as refs/heads/main or
// refs/pull/1/merge, or a branch name such as main or release/1.x. It
// refuses what could not be a branch: control characters (a line break
// would start a line of its own wherever the ref is printed), spaces,
// ~ ^ : ? * [ \, "..", "@{", a component that starts with a dot or ends
// with .lock, a leading "-", and more than MaxRef bytes.
func CheckRef(ref string) error {
	switch {
	case ref == "":
		return errors.New("empty, want a branch or ref name")
	case len(ref) > MaxRef:
		return fmt.Errorf("%d bytes long, want at most %d", len(ref), MaxRef)
	case !utf8.ValidString(ref):
		return fmt.Errorf("%q is not UTF-8 text", ref)
	case ref == "@":
		return errors.New(`"@" is not a ref name`)
	case strings.HasPrefix(ref, "-"):
		return fmt.Errorf("%q starts with -, which no branch name does", ref)
	}
	for _, r := range ref {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(" ~^:?*[\\", r) {
			return fmt.Errorf("%q holds %q, which git does not allow in a ref name", ref, r)
		}
	}
	for _, bad := range []string{"..", "@{", "//"} {
		if strings.Contains(ref, bad) {
			return fmt.Errorf("%q holds %q, which git does not allow in a ref name", ref, bad)
		}
	}
	if strings.HasPrefix(ref, "/") || strings.HasSuffix(ref, "/") || strings.HasSuffix(ref, ".") {
		return fmt.Errorf("%q starts or ends with / or ends with ., which git does not allow in a ref name", ref)
	}
	for _, c := range strings.Split(ref, "/") {
		if strings.HasPrefix(c, ".") || strings.HasSuffix(c, ".lock") {
			return fmt.Errorf("%q has a part that starts with . or ends with .lock, which git does not allow in a ref name", ref)
		}
	}
	return nil
}

// OneLine makes text fit for one line of a commit message, a log line or
// a terminal: control characters (line breaks above all) and bytes that
// are not UTF-8 are written as escapes (\n, \x1b, \xff …), and text longer than limit bytes is cut on a
// character boundary, with "…".
func OneLine(text string, limit int) string {
	clean := utf8.ValidString(text)
	for _, r := range text {
		if unicode.IsControl(r) {
			clean = false
			break
		}
	}
	if !clean {
		var b strings.Builder
		for i := 0; i < len(text); {
			r, n := utf8.DecodeRuneInString(text[i:])
			switch {
			case r == utf8.RuneError && n == 1:
				fmt.Fprintf(&b, `\x%02x`, text[i])
			case unicode.IsControl(r):
				q := strconv.QuoteRune(r)
				b.WriteString(q[1 : len(q)-1])
			default:
				b.WriteString(text[i : i+n])
			}
			i += n
		}
		text = b.String()
	}
	if len(text) > limit {
		cut := max(limit-len("…"), 0)
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut] + "…"
	}
	return text
}

// MaxFuture is how far after now a time gitdora stores may be: the clocks
// of CI runners drift a little, not more.
const MaxFuture = 5 * time.Minute

// MinTime is the earliest time gitdora stores: the Unix epoch, 1970-01-01.
var MinTime = time.Unix(0, 0).UTC()

// Now is the clock writers and readers check times against; tests set it.
var Now = time.Now

// CheckWhen reports a time that cannot be one of a deployment, an
// incident, a scan or a CI run: before 1970, or more than MaxFuture after
// now (year 9999 made the site build every month up to it).
func CheckWhen(t, now time.Time) error {
	switch {
	case t.Before(MinTime):
		return fmt.Errorf("%s is before 1970", t.Format(time.RFC3339))
	case t.After(now.Add(MaxFuture)):
		return fmt.Errorf("%s is in the future (now is %s)", t.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return nil
}
