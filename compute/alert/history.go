package alert

import (
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/fact"
)

// HistorySource is the Source of real facts: each window is computed once
// with History.WindowMetrics (no report detail; the security policy's
// figures only once a rule asks for one), and the values of all its
// metrics are kept.
type HistorySource struct {
	h     *compute.History
	index map[string]int
	memo  map[[2]int64]window
	calls int
}

// window is the values of every metric of a window; those of the
// security policy only when policy is set (compute.History.WindowMetrics).
type window struct {
	vals   []*float64
	policy bool
}

// NewHistorySource computes windows of h.
func NewHistorySource(h *compute.History) *HistorySource {
	s := &HistorySource{h: h, index: map[string]int{}, memo: map[[2]int64]window{}}
	for i, m := range compute.Metrics {
		s.index[m.Name] = i
	}
	return s
}

// Value computes (or recalls) the window [start, end) and returns metric.
func (s *HistorySource) Value(metric string, start, end time.Time) *float64 {
	i, ok := s.index[metric]
	if !ok {
		return nil
	}
	k := [2]int64{start.UnixNano(), end.UnixNano()}
	policy := compute.PolicyMetric(metric)
	w, ok := s.memo[k]
	if !ok || policy && !w.policy {
		s.calls++
		m := s.h.WindowMetrics(compute.Period{Name: start.Format("2006-01-02T15:04") + ".." + end.Format("2006-01-02T15:04"), Start: start, End: end}, policy)
		w = window{vals: make([]*float64, len(compute.Metrics)), policy: policy}
		for j, mt := range compute.Metrics {
			w.vals[j] = mt.Value(&m)
		}
		s.memo[k] = w
	}
	return w.vals[i]
}

// Periods is how many windows were computed (for -v and benchmarks).
func (s *HistorySource) Periods() int { return s.calls }

// ForHistory is an Evaluator over the facts of h in its zone, with the
// source it computes windows from (whose Periods says how many it did).
func ForHistory(h *compute.History) (*Evaluator, *HistorySource) {
	src := NewHistorySource(h)
	return NewEvaluator(src, h.Loc, FirstFact(h.Facts)), src
}

// FillMonths fills each month's alerts[] with the rules of h's
// configuration firing as of the end of its period, or as of now if that
// is earlier (a month that has not begun keeps an empty list;
// docs/metrics.md, docs/alerts.md). One Evaluator serves all months, so each daily window is computed
// once; windows is how many were.
func FillMonths(h *compute.History, months []compute.Month, now time.Time) (windows int, err error) {
	if len(months) == 0 {
		return 0, nil
	}
	rules, err := Compile(h.Config.Alerts)
	if err != nil {
		return 0, err
	}
	if len(rules) == 0 {
		return 0, nil
	}
	ev, src := ForHistory(h)
	ev.Fill(rules, months, now)
	return src.Periods(), nil
}

// FirstFact is the earliest instant of any deployment, incident, scan or
// CI run in f (zero when f holds none): before it, no rule can hold.
func FirstFact(f *fact.Facts) time.Time {
	var first time.Time
	see := func(t time.Time) {
		if !t.IsZero() && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	for _, d := range f.Deployments {
		see(d.Time)
	}
	for _, i := range f.Incidents {
		see(i.Opened)
	}
	for _, s := range f.Scans {
		see(s.Time)
	}
	for _, r := range f.CIRuns {
		see(r.Started)
	}
	return first
}
