package data

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gitdora/gitdora/fact"
)

// CheckValue checks a new value of the column field of an event of kind
// as gitdora record checks the flag that sets it (times from 1970 to now,
// seconds up to a year, counts up to MaxCount), and returns it as the
// column stores it: times as given (RFC 3339 with an offset), commits as
// full hashes (commit resolves one; it is only called for a non-empty
// value), CWE ids as CWE-79, numbers as written. An empty value clears a
// column that may be empty (resolved, commit, scan_seconds, …).
func CheckValue(kind, field, value string, commit func(rev string) (string, error)) (string, error) {
	text := func(required bool) (string, error) {
		v := strings.TrimSpace(value)
		if required && v == "" {
			return "", fmt.Errorf("%s is empty", field)
		}
		if err := CheckText(v, MaxText); err != nil {
			return "", fmt.Errorf("%s: %w", field, err)
		}
		return v, nil
	}
	when := func(optional bool) (string, error) {
		if optional && strings.TrimSpace(value) == "" {
			return "", nil
		}
		t, err := ParseTime(value)
		if err == nil {
			err = CheckWhen(t.Time, Now())
		}
		if err != nil {
			return "", fmt.Errorf("%s: %w", field, err)
		}
		return t.String(), nil
	}
	enum := func(names []string) (string, error) {
		for _, n := range names {
			if value == n {
				return value, nil
			}
		}
		return "", fmt.Errorf("%s is %q, want one of %s", field, clip(value), strings.Join(names, ", "))
	}
	rev := func(required bool) (string, error) {
		v := strings.TrimSpace(value)
		if v == "" {
			if required {
				return "", fmt.Errorf("%s is empty, want a commit", field)
			}
			return "", nil
		}
		if commit == nil {
			return strings.ToLower(v), CheckHash(v)
		}
		return commit(v)
	}
	seconds := func() (string, error) {
		v := strings.TrimSpace(value)
		if v == "" {
			return "", nil // unknown
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
			return "", fmt.Errorf("%s %s: want a number of seconds, 0 or more (or empty: unknown)", field, v)
		}
		if f > MaxSeconds {
			return "", fmt.Errorf("%s %s: want a number of seconds from 0 to %d (a year)", field, v, MaxSeconds)
		}
		return strconv.FormatFloat(f, 'f', -1, 64), nil
	}
	count := func() (string, error) {
		n, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil || n < 0 {
			return "", fmt.Errorf("%s %s: want a count, 0 or more", field, value)
		}
		if n > MaxCount {
			return "", fmt.Errorf("%s %s: want a count from 0 to %d", field, value, MaxCount)
		}
		return strconv.Itoa(n), nil
	}
	boolean := func() (string, error) {
		b, err := strconv.ParseBool(strings.TrimSpace(value))
		if err != nil {
			return "", fmt.Errorf("%s is %q, want true or false", field, clip(value))
		}
		return strconv.FormatBool(b), nil
	}
	switch kind {
	case KindDeployment:
		switch field {
		case "time":
			return when(false)
		case "sha":
			return rev(true)
		case "environment", "source":
			return text(true)
		case "status":
			return enum(fact.Names(fact.Statuses))
		case "scan_seconds", "pipeline_seconds":
			return seconds()
		case "gate_blocked":
			return boolean()
		case "critical", "high", "medium", "low":
			return count()
		}
	case KindIncident:
		switch field {
		case "opened":
			return when(false)
		case "resolved":
			return when(true)
		case "severity":
			return enum(fact.Names(fact.Severities))
		case "category":
			return enum(fact.Names(fact.Categories))
		case "environment":
			return text(true)
		case "commit":
			return rev(false)
		case "deployment_id", "title":
			return text(false)
		case "cwe":
			if strings.TrimSpace(value) == "" {
				return "", nil
			}
			v, err := ParseCWE(value)
			if err != nil {
				return "", fmt.Errorf("%s: %w", field, err)
			}
			return v, nil
		}
	case KindPull:
		switch field {
		case "number":
			return count()
		case "opened":
			return when(false)
		case "ready", "first_commit", "first_review", "approved", "merged":
			return when(true)
		case "merge_sha", "head_sha":
			return rev(false)
		case "author":
			return text(false)
		case "source":
			return text(true)
		case "draft":
			return boolean()
		}
	default:
		return "", fmt.Errorf("kind is %q, want deployment, incident or pull", clip(kind))
	}
	if field == "id" {
		return "", fmt.Errorf("the id of a %s is not amended (void it and record it again)", kind)
	}
	cols := Columns(kind)
	for _, c := range cols {
		if c == field {
			return text(false) // a column added since: one line of text
		}
	}
	return "", fmt.Errorf("a %s has no field %s (want one of %s)", kind, field, strings.Join(cols, ", "))
}
