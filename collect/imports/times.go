package imports

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// future is how far past now a time may be (clocks differ a little).
const future = 5 * time.Minute

// epoch1970 is the earliest time accepted.
var epoch1970 = time.Unix(0, 0).UTC()

// ParseTime reads a time as the supported APIs write it:
//
//	2016-08-11T11:28:34.085Z          RFC 3339, any fraction (GitHub, GitLab REST, PagerDuty, Opsgenie)
//	2026-08-02T07:59:54.000+00:00     RFC 3339 with an offset
//	2016-08-12 15:23:28 UTC           GitLab pipeline and job hooks
//	2021-04-28 21:50:00 +0200         GitLab deployment hooks
//	1502709956288                     epoch milliseconds (Opsgenie createdAt); seconds, µs and ns
//	1502709956288000110               epoch nanoseconds (Opsgenie updatedAt), read exactly
//
// The empty string, "0001-01-01T00:00:00Z" and an epoch of 0 are the zero
// time: not yet. A time without a zone is refused, as are times before
// 1970 and more than 5 minutes after now.
func ParseTime(s string, now time.Time) (time.Time, error) {
	var t time.Time
	var err error
	if s != "" && strings.Trim(s, "0123456789") == "" {
		t, err = parseEpoch(s)
	} else {
		t, err = parseTime(s)
	}
	if err == nil {
		err = inBounds(t, now)
	}
	return t, err
}

// textLayouts are the layouts of parseTime, the zone last.
var textLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02 15:04:05.999999999 -07:00",
}

// parseTime reads a time written as text.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if len(s) > 64 {
		return time.Time{}, fmt.Errorf("want a time, got %s", clip(s))
	}
	// " UTC" is the one zone name read: Go would take any other name
	// as a zone with offset 0.
	if rest, ok := strings.CutSuffix(s, " UTC"); ok {
		if t, err := time.ParseInLocation("2006-01-02 15:04:05.999999999", rest, time.UTC); err == nil {
			return notYet(t), nil
		}
	}
	for _, layout := range textLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return notYet(t), nil
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"} {
		if _, err := time.Parse(layout, s); err == nil {
			return time.Time{}, fmt.Errorf("time %s has no zone (want Z or an offset such as +00:00)", clip(s))
		}
	}
	return time.Time{}, fmt.Errorf("want a time such as 2026-01-05T10:00:00Z, got %s", clip(s))
}

// notYet makes year-1 times (Go's and .NET's zero, written for "not
// yet") the zero time.
func notYet(t time.Time) time.Time {
	if t.UTC().Year() <= 1 {
		return time.Time{}
	}
	return t
}

// parseEpoch reads an epoch time from the text of a JSON number; its
// unit comes from its number of digits (10 seconds, 13 milliseconds, 16
// microseconds, 19 nanoseconds, for times from 2001 to 2286). The text is
// read as an integer, never as a float64, which cannot hold 19 digits.
func parseEpoch(s string) (time.Time, error) {
	if s == "0" {
		return time.Time{}, nil
	}
	if s == "" || strings.Trim(s, "0123456789") != "" || s[0] == '0' {
		return time.Time{}, fmt.Errorf("want an epoch time as a whole number, got %s", clip(s))
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("epoch time %s out of range", clip(s))
	}
	switch d := len(s); {
	case d <= 10:
		return time.Unix(n, 0).UTC(), nil
	case d <= 13:
		return time.UnixMilli(n).UTC(), nil
	case d <= 16:
		return time.UnixMicro(n).UTC(), nil
	default:
		return time.Unix(0, n).UTC(), nil
	}
}

// inBounds refuses times before 1970 and more than 5 minutes after now;
// the zero time (not yet) passes.
func inBounds(t, now time.Time) error {
	switch {
	case t.IsZero():
		return nil
	case t.Before(epoch1970):
		return fmt.Errorf("time %s is before 1970", t.Format(time.RFC3339))
	case !now.IsZero() && t.After(now.Add(future)):
		return fmt.Errorf("time %s is in the future (now is %s)", t.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return nil
}
