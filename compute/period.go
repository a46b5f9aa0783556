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
	Want  string // what a value looks like: YYYY-MM
}

func (e *PeriodError) Error() string { return fmt.Sprintf("%s %q: want %s", e.Field, e.Value, e.Want) }

// RangeError is a range of months whose last month is before its first.
type RangeError struct {
	From, To string
}

func (e *RangeError) Error() string { return fmt.Sprintf("to %s is before from %s", e.To, e.From) }

// MonthPeriod is the calendar month "YYYY-MM" in loc. An error is a
// *PeriodError.
func MonthPeriod(month string, loc *time.Location) (Period, error) {
	t, err := time.ParseInLocation("2006-01", month, loc)
	if err != nil {
		return Period{}, &PeriodError{Field: "month", Value: month, Want: "YYYY-MM"}
	}
	return Period{Name: month, Start: t, End: t.AddDate(0, 1, 0)}, nil
}

// MonthOf is the YYYY-MM of t in loc.
func MonthOf(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01") }

// MonthRange lists the months from..to inclusive ("YYYY-MM"). An error
// is a *PeriodError (Field from or to) or a *RangeError.
func MonthRange(from, to string) ([]string, error) {
	f, err := time.Parse("2006-01", from)
	if err != nil {
		return nil, &PeriodError{Field: "from", Value: from, Want: "YYYY-MM"}
	}
	t, err := time.Parse("2006-01", to)
	if err != nil {
		return nil, &PeriodError{Field: "to", Value: to, Want: "YYYY-MM"}
	}
	if t.Before(f) {
		return nil, &RangeError{From: from, To: to}
	}
	var out []string
	for m := f; !m.After(t); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out, nil
}
