package compute

import (
	"fmt"
	"sort"
	"time"
)

// Months lists, in order, every calendar month (YYYY-MM in h.Loc) from the
// first to the last that holds a deployment, an incident (opened or
// resolved) or a scan; months without data in between are included, so a
// trend shows its gaps. It is empty when there is no data at all.
func (h *History) Months() []string {
	last := h.LastActivity()
	if len(last) == 0 {
		return nil
	}
	names := make([]string, 0, len(last))
	for m := range last {
		names = append(names, m)
	}
	sort.Strings(names)
	out, err := MonthRange(names[0], names[len(names)-1])
	if err != nil { // cannot happen: names come from MonthOf
		return names
	}
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
func LastCompleteMonth(now time.Time, loc *time.Location) string {
	n := now.In(loc)
	first := time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, loc)
	return first.AddDate(0, -1, 0).Format("2006-01")
}

// TrailingMonths lists the n months ending with month (YYYY-MM), oldest first.
func TrailingMonths(month string, n int) ([]string, error) {
	end, err := time.Parse("2006-01", month)
	if err != nil {
		return nil, fmt.Errorf("month %q: want YYYY-MM", month)
	}
	if n < 1 {
		n = 1
	}
	out := make([]string, n)
	for i := range out {
		out[i] = end.AddDate(0, i-n+1, 0).Format("2006-01")
	}
	return out, nil
}

// MonthPeriods is MonthPeriod of each month, in order.
func MonthPeriods(months []string, loc *time.Location) ([]Period, error) {
	out := make([]Period, len(months))
	for i, m := range months {
		p, err := MonthPeriod(m, loc)
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}
