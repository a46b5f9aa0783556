package alert

import (
	"math"
	"sort"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/config"
)

// Source gives the value of a metric over the span [start, end), nil when
// the metric has no data there. HistorySource computes it from facts;
// tests build one by hand.
type Source interface {
	Value(metric string, start, end time.Time) *float64
}

// SourceFunc adapts a function to Source.
type SourceFunc func(metric string, start, end time.Time) *float64

// Value calls f.
func (f SourceFunc) Value(metric string, start, end time.Time) *float64 { return f(metric, start, end) }

// Firing is a rule firing as of an evaluation.
type Firing struct {
	Rule   *Rule
	Since  time.Time // start of the first day of the run of days the condition held
	Days   int       // days in that run (at least the rule's points)
	Values []Value   // the condition's operands at the last evaluation point
}

// Alert is the firing rule as an entry of alerts[] (docs/metrics.md).
func (f Firing) Alert() compute.Alert {
	return compute.Alert{Name: f.Rule.Name, Severity: f.Rule.Severity, Message: f.Rule.Message, Since: f.Since.Format("2006-01-02")}
}

// Value is an operand of a condition and its value (nil: no data).
type Value struct {
	Operand config.Operand
	Value   *float64
}

// Result is the outcome of evaluating rules as of an instant.
type Result struct {
	At     time.Time // the instant asked for
	Day    time.Time // start of the last day evaluated, in the zone
	End    time.Time // end of that day: the last evaluation point
	Rules  int       // rules evaluated
	Firing []Firing  // most severe first, then by name
}

// AtLeast counts the firing alerts of severity at least severity.
func (r Result) AtLeast(severity string) int {
	n := 0
	for _, f := range r.Firing {
		if SeverityRank(f.Rule.Severity) >= SeverityRank(severity) {
			n++
		}
	}
	return n
}

// Evaluator evaluates rules at the ends of days in a zone. It remembers
// which rule held on which day, so evaluating as of many instants (each
// month of a report) costs little more than the longest of them.
type Evaluator struct {
	src   Source
	loc   *time.Location
	first int // civil day number of the first day that can hold
	held  map[heldKey]bool
}

type heldKey struct {
	rule *Rule
	day  int
}

// NewEvaluator evaluates over src in loc. first is the earliest instant
// with data: no day before its day holds, which bounds how far back since
// is looked for (zero: there is no data and nothing holds).
func NewEvaluator(src Source, loc *time.Location, first time.Time) *Evaluator {
	e := &Evaluator{src: src, loc: loc, held: map[heldKey]bool{}, first: 1 << 40}
	if !first.IsZero() {
		e.first = e.dayOf(first)
	}
	return e
}

// dayOf is the civil day number (days since 1970-01-01) of t in the zone.
func (e *Evaluator) dayOf(t time.Time) int {
	y, m, d := t.In(e.loc).Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// start is the beginning of civil day n in the zone.
func (e *Evaluator) start(n int) time.Time {
	y, m, d := time.Unix(int64(n)*86400, 0).UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, e.loc)
}

// windowStart is the start of the window w that ends at end: whole
// calendar days back when w is whole days, else end − w.
func (e *Evaluator) windowStart(end time.Time, w time.Duration) time.Time {
	if w%Day == 0 {
		y, m, d := end.In(e.loc).Date()
		return time.Date(y, m, d-int(w/Day), 0, 0, 0, 0, e.loc)
	}
	return end.Add(-w)
}

// value is an operand over the window w ending at end.
func (e *Evaluator) value(o config.Operand, w time.Duration, end time.Time) *float64 {
	if o.Change == 0 {
		return e.src.Value(o.Metric, e.windowStart(end, w), end)
	}
	mid := e.windowStart(end, o.Change)
	cur := e.src.Value(o.Metric, mid, end)
	if cur == nil {
		return nil
	}
	prev := e.src.Value(o.Metric, e.windowStart(mid, o.Change), mid)
	if prev == nil || *prev == 0 {
		return nil
	}
	p := 100 * (*cur - *prev) / math.Abs(*prev)
	if math.IsInf(p, 0) || math.IsNaN(p) {
		return nil // no change a condition can compare
	}
	return &p
}

// holds reports whether r's condition held at the end of day n.
func (e *Evaluator) holds(r *Rule, n int) bool {
	if n < e.first {
		return false
	}
	k := heldKey{r, n}
	if v, ok := e.held[k]; ok {
		return v
	}
	end := e.start(n + 1)
	v := holds(r.Cond, func(o config.Operand) *float64 { return e.value(o, r.Window, end) })
	e.held[k] = v
	return v
}

// Evaluate evaluates rules as of at. The rules must stay in place while
// the Evaluator is used (it remembers results by rule).
func (e *Evaluator) Evaluate(rules []Rule, at time.Time) Result {
	last := e.dayOf(at) - 1
	res := Result{At: at, Day: e.start(last), End: e.start(last + 1), Rules: len(rules), Firing: []Firing{}}
	for i := range rules {
		r := &rules[i]
		firing := true
		for k := 0; k < r.Points() && firing; k++ {
			firing = e.holds(r, last-k)
		}
		if !firing {
			continue
		}
		since := last - r.Points() + 1
		for since-1 >= e.first && e.holds(r, since-1) {
			since--
		}
		f := Firing{Rule: r, Since: e.start(since), Days: last - since + 1}
		seen := map[config.Operand]bool{}
		for _, c := range config.Compares(r.Cond) {
			if !seen[c.Operand] {
				seen[c.Operand] = true
				f.Values = append(f.Values, Value{c.Operand, e.value(c.Operand, r.Window, res.End)})
			}
		}
		res.Firing = append(res.Firing, f)
	}
	sort.SliceStable(res.Firing, func(i, j int) bool {
		a, b := res.Firing[i].Rule, res.Firing[j].Rule
		if ra, rb := SeverityRank(a.Severity), SeverityRank(b.Severity); ra != rb {
			return ra > rb
		}
		return a.Name < b.Name
	})
	return res
}

// Fill sets each month's alerts[] to the rules firing as of the end of its
// period, or as of now when that is earlier; a month that has not begun
// by now gets none.
func (e *Evaluator) Fill(rules []Rule, months []compute.Month, now time.Time) {
	for i := range months {
		m := &months[i]
		m.Alerts = []compute.Alert{}
		if now.Before(m.Period.Start) {
			continue
		}
		at := m.Period.End
		if now.Before(at) {
			at = now
		}
		for _, f := range e.Evaluate(rules, at).Firing {
			m.Alerts = append(m.Alerts, f.Alert())
		}
	}
}
