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

// MonthPeriod is the calendar month "YYYY-MM" in loc, from 1970-01 to
// 9998-12 (no data is older, and a period must end where JSON can write
// its end).
func MonthPeriod(month string, loc *time.Location) (Period, error) {
	t, err := time.ParseInLocation("2006-01", month, loc)
	if err != nil {
		return Period{}, fmt.Errorf("month %q: want YYYY-MM", month)
	}
	if t.Year() < 1970 || t.Year() > 9998 {
		return Period{}, fmt.Errorf("month %q: want a month from 1970-01 to 9998-12", month)
	}
	return Period{Name: month, Start: t, End: t.AddDate(0, 1, 0)}, nil
}

// MaxMonths bounds the months of one MonthRange: a century.
const MaxMonths = 1200

// MonthOf is the YYYY-MM of t in loc.
func MonthOf(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01") }

// MonthRange lists the months from..to inclusive ("YYYY-MM").
func MonthRange(from, to string) ([]string, error) {
	f, err := time.Parse("2006-01", from)
	if err != nil {
		return nil, fmt.Errorf("--from %q: want YYYY-MM", from)
	}
	t, err := time.Parse("2006-01", to)
	if err != nil {
		return nil, fmt.Errorf("--to %q: want YYYY-MM", to)
	}
	if t.Before(f) {
		return nil, fmt.Errorf("--to %s is before --from %s", to, from)
	}
	if n := (t.Year()-f.Year())*12 + int(t.Month()-f.Month()) + 1; n > MaxMonths {
		return nil, fmt.Errorf("--from %s --to %s: %d months, want at most %d", from, to, n, MaxMonths)
	}
	var out []string
	for m := f; !m.After(t); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out, nil
}
