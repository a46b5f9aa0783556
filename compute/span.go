package compute

import (
	"slices"
	"time"
)

// Span is the months from the first to the last that hold a deployment,
// an incident (opened or resolved) or a scan, in h.Loc; months without
// data in between are included, so a trend shows its gaps. ok is false
// when there is no data at all.
func (h *History) Span() (s Span, ok bool) {
	last := h.LastActivity()
	for _, t := range last {
		ym := MonthIn(t, h.Loc)
		if !ok || ym.Before(s.First) {
			s.First = ym
		}
		if !ok || s.Last.Before(ym) {
			s.Last = ym
		}
		ok = true
	}
	s.Loc = h.Loc
	return s, ok
}

// ActiveMonths lists the months that hold a deployment, an incident
// (opened or resolved) or a scan, in h.Loc, oldest first: the months a
// site has pages for (one deployment dated 1970 would otherwise stretch
// it over hundreds of empty months).
func (h *History) ActiveMonths() []YearMonth {
	last := h.LastActivity()
	out := make([]YearMonth, 0, len(last))
	for _, t := range last {
		out = append(out, MonthIn(t, h.Loc))
	}
	slices.SortFunc(out, func(a, b YearMonth) int {
		switch {
		case a.Before(b):
			return -1
		case b.Before(a):
			return 1
		}
		return 0
	})
	return out
}

// LastActivity maps each month (YYYY-MM in h.Loc) that holds data to the
// latest instant of its data: a deployment, an incident opened or
// resolved, or a scan. Reports use it where a time must come from the data
// rather than the clock (the Atom feed's updated).
func (h *History) LastActivity() map[string]time.Time {
	out := map[string]time.Time{}
	note := func(t time.Time) {
		if t.IsZero() {
			return
		}
		m := MonthOf(t, h.Loc)
		if prev, ok := out[m]; !ok || t.After(prev) {
			out[m] = t
		}
	}
	if h.Facts == nil {
		return out
	}
	for i := range h.Facts.Deployments {
		note(h.Facts.Deployments[i].Time)
	}
	for i := range h.Facts.Incidents {
		in := &h.Facts.Incidents[i]
		note(in.Opened)
		if in.Resolved != nil {
			note(*in.Resolved)
		}
	}
	for i := range h.Facts.Scans {
		note(h.Facts.Scans[i].Time)
	}
	return out
}

// LastCompleteMonth is the month before the one now falls in, in loc: the
// default month of a report.
func LastCompleteMonth(now time.Time, loc *time.Location) YearMonth {
	return MonthIn(now, loc).Add(-1)
}

// Span is the calendar months First to Last, both included, in Loc: the
// months a command computes. The zero Span holds no month.
type Span struct {
	First, Last YearMonth
	Loc         *time.Location
}

// NewSpan is the months first to last in loc. An error is a *RangeError
// when last is before first, a *LongSpanError when they are more than
// MaxMonths months.
func NewSpan(first, last YearMonth, loc *time.Location) (Span, error) {
	if last.Before(first) {
		return Span{}, &RangeError{From: first.String(), To: last.String()}
	}
	if n := (last.Year-first.Year)*12 + int(last.Month-first.Month) + 1; n > MaxMonths {
		return Span{}, &LongSpanError{From: first.String(), To: last.String(), Months: n}
	}
	return Span{First: first, Last: last, Loc: loc}, nil
}

// Trailing is the n months ending with last (one at least), in loc.
func Trailing(last YearMonth, n int, loc *time.Location) Span {
	return Span{First: last.Add(1 - max(n, 1)), Last: last, Loc: loc}
}

// Months lists the months of s, oldest first.
func (s Span) Months() []YearMonth {
	if s.IsZero() {
		return nil
	}
	var out []YearMonth
	for m := s.First; !s.Last.Before(m); m = m.Add(1) {
		out = append(out, m)
	}
	return out
}

// IsZero reports whether s is the zero Span, which holds no month.
func (s Span) IsZero() bool { return s.First.IsZero() && s.Last.IsZero() }

// Periods are the months of s as periods in s.Loc, oldest first.
func (s Span) Periods() []Period {
	months := s.Months()
	out := make([]Period, len(months))
	for i, m := range months {
		out[i] = m.Period(s.Loc)
	}
	return out
}
