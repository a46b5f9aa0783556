package data

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
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
			return fmt.Errorf("%q holds a control character (a line break?), want one line of text", v)
		}
	}
	return nil
}

var cweRe = regexp.MustCompile(`^(?i:cwe-?)?0*([1-9][0-9]{0,5})$`)

// ParseCWE reads a CWE id written as CWE-79, cwe-079 or 79, and returns it
// as CWE-79.
func ParseCWE(s string) (string, error) {
	m := cweRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", fmt.Errorf("%q is not a CWE id (want e.g. CWE-79)", s)
	}
	return "CWE-" + m[1], nil
}
