package compute

import (
	"fmt"
	"time"
)

// Period is a span [Start, End) to compute metrics over; Name is its
// label (YYYY-MM for a calendar month).
type Period struct {
	Name       string
	Start, End time.Time
}

// Days is the number of calendar days the period touches (a month of a
// DST change still has its calendar days).
func (p Period) Days() int {
	s, e := p.Start, p.End
	days := 0
	for d := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, time.UTC); ; d = d.AddDate(0, 0, 1) {
		if !time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, s.Location()).Before(e) {
			break
		}
		days++
	}
	return days
}

// Length is the period in days: its calendar days when it runs from
// midnight to midnight (so a month or week of a DST change is whole
// days), else End − Start over 24 hours (a 12-hour window is half a day).
func (p Period) Length() float64 {
	if midnight(p.Start) && midnight(p.End) {
		return float64(p.Days())
	}
	return float64(p.End.Sub(p.Start)) / float64(24*time.Hour)
}

func midnight(t time.Time) bool {
	h, m, s := t.Clock()
	return h == 0 && m == 0 && s == 0 && t.Nanosecond() == 0
}

// Contains reports whether t falls in [Start, End).
func (p Period) Contains(t time.Time) bool { return !t.Before(p.Start) && t.Before(p.End) }

// PeriodError is a month that cannot be read. Field says which value it
// is ("month", or "from" and "to" of a range), so that a caller can name
// it as the user gave it.
type PeriodError struct {
	Field string // month, from or to
	Value string // as given
	Want  string // what a value looks like: YYYY-MM, or the months allowed
}

func (e *PeriodError) Error() string { return fmt.Sprintf("%s %q: want %s", e.Field, e.Value, e.Want) }

// RangeError is a range of months whose last month is before its first.
type RangeError struct {
	From, To string
}

func (e *RangeError) Error() string { return fmt.Sprintf("to %s is before from %s", e.To, e.From) }

// MaxMonths bounds the months of one Span that NewSpan makes: a century.
const MaxMonths = 1200

// LongSpanError is a range of months longer than MaxMonths.
type LongSpanError struct {
	From, To string
	Months   int
}

func (e *LongSpanError) Error() string {
	return fmt.Sprintf("from %s to %s: %d months, want at most %d", e.From, e.To, e.Months, MaxMonths)
}

// YearMonth is a calendar month without a time zone (2026-03): a month
// as the user names it. Period places it in a zone.
type YearMonth struct {
	Year  int
	Month time.Month
}

// ParseYearMonth reads "YYYY-MM", a month from 1970-01 to 9998-12 (no
// data is older, and a period must end where JSON can write its end). An
// error is a *PeriodError whose Field is field (month, from or to), so
// that the caller can name the value as the user gave it.
func ParseYearMonth(field, s string) (YearMonth, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return YearMonth{}, &PeriodError{Field: field, Value: s, Want: "YYYY-MM"}
	}
	if t.Year() < minYear || t.Year() > maxYear {
		return YearMonth{}, &PeriodError{Field: field, Value: s, Want: "a month from 1970-01 to 9998-12"}
	}
	return YearMonth{t.Year(), t.Month()}, nil
}

// The years of the months ParseYearMonth reads.
const (
	minYear = 1970
	maxYear = 9998
)

// MonthIn is the calendar month t falls in, in loc.
func MonthIn(t time.Time, loc *time.Location) YearMonth {
	t = t.In(loc)
	return YearMonth{t.Year(), t.Month()}
}

// first is the first instant of m in loc.
func (m YearMonth) first(loc *time.Location) time.Time {
	return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, loc)
}

// String is YYYY-MM.
func (m YearMonth) String() string { return m.first(time.UTC).Format("2006-01") }

// IsZero reports whether m is the zero YearMonth (no month given).
func (m YearMonth) IsZero() bool { return m == YearMonth{} }

// Add is the month n months after m (before, for a negative n).
func (m YearMonth) Add(n int) YearMonth { return MonthIn(m.first(time.UTC).AddDate(0, n, 0), time.UTC) }

// Before reports whether m is earlier than o.
func (m YearMonth) Before(o YearMonth) bool {
	return m.Year < o.Year || m.Year == o.Year && m.Month < o.Month
}

// Period is m in loc: from its first midnight to the next month's.
func (m YearMonth) Period(loc *time.Location) Period {
	s := m.first(loc)
	return Period{Name: m.String(), Start: s, End: s.AddDate(0, 1, 0)}
}

// MonthOf is the YYYY-MM of t in loc.
func MonthOf(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01") }
