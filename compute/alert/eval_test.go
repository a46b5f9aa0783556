package alert

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/config"
)

// daily is a hand-built metric series: per metric, a value per day
// (YYYY-MM-DD in the zone). The value of a metric over a window is the sum
// of its days in the window that have a value, nil when none has (as a
// count behaves). It records the windows asked for.
type daily struct {
	loc    *time.Location
	values map[string]map[string]float64
	asked  []string
}

func (s *daily) Value(metric string, start, end time.Time) *float64 {
	s.asked = append(s.asked, fmt.Sprintf("%s %s..%s", metric, start.Format(time.RFC3339), end.Format(time.RFC3339)))
	var sum float64
	found := false
	for d := start.In(s.loc); d.Before(end); d = d.AddDate(0, 0, 1) {
		if v, ok := s.values[metric][d.Format("2006-01-02")]; ok {
			sum += v
			found = true
		}
	}
	if !found {
		return nil
	}
	return &sum
}

// set gives metric the values vs on the days from first on (nil: no value).
func (s *daily) set(metric, first string, vs ...*float64) {
	if s.values == nil {
		s.values = map[string]map[string]float64{}
	}
	if s.values[metric] == nil {
		s.values[metric] = map[string]float64{}
	}
	d, err := time.ParseInLocation("2006-01-02", first, s.loc)
	if err != nil {
		panic(err)
	}
	for _, v := range vs {
		if v != nil {
			s.values[metric][d.Format("2006-01-02")] = *v
		}
		d = d.AddDate(0, 0, 1)
	}
}

func f(v float64) *float64 { return &v }

// fs turns numbers into values; NaN stands for "no value that day".
func fs(vs ...float64) []*float64 {
	out := make([]*float64, len(vs))
	for i, v := range vs {
		if !math.IsNaN(v) {
			out[i] = f(v)
		}
	}
	return out
}

var none = math.NaN()

func compile(t *testing.T, cond, window, for_ string) []Rule {
	t.Helper()
	r := config.AlertRule{Name: "R", Condition: cond, File: "t.yml", Line: 1}
	if window != "" {
		d, err := config.ParseDuration(window)
		if err != nil {
			t.Fatal(err)
		}
		r.Window = d
	}
	d, err := config.ParseDuration(for_)
	if err != nil {
		t.Fatal(err)
	}
	r.For = d
	rules, err := Compile([]config.AlertRule{r})
	if err != nil {
		t.Fatal(err)
	}
	return rules
}

func date(t *testing.T, s string, loc *time.Location) time.Time {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// endOf is the end of day s: what --at s means.
func endOf(t *testing.T, s string, loc *time.Location) time.Time {
	return date(t, s, loc).AddDate(0, 0, 1)
}

func TestEvaluateFiringAndSince(t *testing.T) {
	loc := time.UTC
	for _, tc := range []struct {
		name      string
		cond      string
		window    string
		for_      string
		series    map[string][]*float64 // daily values from 2026-03-01
		at        string                // evaluate as of the end of this day
		firing    bool
		since     string
		days      int
		lastValue *float64 // the first operand at the last point
	}{
		{
			name: "true 6 of 7 days does not fire with for 7d",
			cond: "open_high > 5", window: "1d", for_: "7d",
			series: map[string][]*float64{"open_high": fs(9, 9, 9, 4, 9, 9, 9)},
			at:     "2026-03-07", firing: false,
		},
		{
			name: "true 7 of 7 days fires with for 7d",
			cond: "open_high > 5", window: "1d", for_: "7d",
			series: map[string][]*float64{"open_high": fs(9, 9, 9, 6, 9, 9, 9)},
			at:     "2026-03-07", firing: true, since: "2026-03-01", days: 7, lastValue: f(9),
		},
		{
			name: "a day without data breaks the run",
			cond: "open_high > 5", window: "1d", for_: "7d",
			series: map[string][]*float64{"open_high": fs(9, 9, 9, none, 9, 9, 9)},
			at:     "2026-03-07", firing: false,
		},
		{
			name: "since is the first day of the current run, not of an earlier one",
			cond: "open_high > 5", window: "1d", for_: "3d",
			series: map[string][]*float64{"open_high": fs(9, 9, 1, 9, 9, 9, 9, 9)},
			at:     "2026-03-08", firing: true, since: "2026-03-04", days: 5, lastValue: f(9),
		},
		{
			name: "the run must reach the last day",
			cond: "open_high > 5", window: "1d", for_: "3d",
			series: map[string][]*float64{"open_high": fs(9, 9, 9, 9, 9, 9, 9, 1)},
			at:     "2026-03-08", firing: false,
		},
		{
			name: "no day before the first fact holds: since stops there",
			cond: "open_high < 5", window: "1d", for_: "2d",
			series: map[string][]*float64{"open_high": fs(1, 1, 1)},
			at:     "2026-03-03", firing: true, since: "2026-03-01", days: 3, lastValue: f(1),
		},
		{
			name: "the window sums the trailing days (default window: for)",
			cond: "deployments_total < 3", for_: "3d",
			series: map[string][]*float64{"deployments_total": fs(1, 1, 0, 1, 0, 0, 1)},
			// windows ending on days 5, 6, 7: 1+0+1=2, 0+1+0=1, 1+0+0... all < 3
			at: "2026-03-07", firing: true, since: "2026-03-01", days: 7, lastValue: f(1),
		},
		{
			name: "change_pct against the previous window fires above 20 %",
			cond: "change_pct(scan_duration_p95_seconds, 7d) > 20", for_: "1d",
			series: map[string][]*float64{"scan_duration_p95_seconds": fs(
				10, 0, 0, 0, 0, 0, 0, // week 1: 10
				13, 0, 0, 0, 0, 0, 0)}, // week 2: 13 → +30 %
			// Every window ending from March 8 on holds the 13 and, in the
			// week before it, the 10; March 7's has no week before.
			at: "2026-03-14", firing: true, since: "2026-03-08", days: 7, lastValue: f(30),
		},
		{
			name: "change_pct of 10 % does not fire",
			cond: "change_pct(scan_duration_p95_seconds, 7d) > 20", for_: "1d",
			series: map[string][]*float64{"scan_duration_p95_seconds": fs(
				10, 0, 0, 0, 0, 0, 0,
				11, 0, 0, 0, 0, 0, 0)},
			at: "2026-03-14", firing: false,
		},
		{
			name: "change_pct against an empty previous window does not fire",
			cond: "change_pct(scan_duration_p95_seconds, 7d) > 20", for_: "1d",
			series: map[string][]*float64{"scan_duration_p95_seconds": fs(
				none, none, none, none, none, none, none,
				13, 0, 0, 0, 0, 0, 0)},
			at: "2026-03-14", firing: false,
		},
		{
			name: "change_pct against a zero previous window does not fire (no division by zero)",
			cond: "change_pct(scan_duration_p95_seconds, 7d) > 20 or change_pct(scan_duration_p95_seconds, 7d) <= 20", for_: "1d",
			series: map[string][]*float64{"scan_duration_p95_seconds": fs(
				0, 0, 0, 0, 0, 0, 0,
				13, 0, 0, 0, 0, 0, 0)},
			at: "2026-03-14", firing: false,
		},
		{
			name: "change_pct can fall",
			cond: "change_pct(scan_duration_p95_seconds, 7d) < -40", for_: "1d",
			series: map[string][]*float64{"scan_duration_p95_seconds": fs(
				10, 0, 0, 0, 0, 0, 0,
				5, 0, 0, 0, 0, 0, 0)},
			at: "2026-03-14", firing: true, since: "2026-03-08", days: 7, lastValue: f(-50),
		},
		{
			name: "a metric without data satisfies no comparison, not even !=",
			cond: "open_high != 0 or open_high < 1 or open_high >= 0", window: "1d", for_: "1d",
			series: map[string][]*float64{"open_low": fs(1, 1, 1)},
			at:     "2026-03-03", firing: false,
		},
		{
			name: "or binds looser than and: a or (b and c), a true",
			cond: "open_critical > 0 or open_high > 0 and open_low > 0", window: "1d", for_: "1d",
			series: map[string][]*float64{"open_critical": fs(1), "open_high": fs(0), "open_low": fs(0)},
			at:     "2026-03-01", firing: true, since: "2026-03-01", days: 1, lastValue: f(1),
		},
		{
			name: "parentheses override: (a or b) and c, c false",
			cond: "(open_critical > 0 or open_high > 0) and open_low > 0", window: "1d", for_: "1d",
			series: map[string][]*float64{"open_critical": fs(1), "open_high": fs(0), "open_low": fs(0)},
			at:     "2026-03-01", firing: false,
		},
		{
			name: "and binds tighter on the left too: (a and b) or c, c true",
			cond: "open_critical > 0 and open_high > 0 or open_low > 0", window: "1d", for_: "1d",
			series: map[string][]*float64{"open_critical": fs(0), "open_high": fs(0), "open_low": fs(1)},
			at:     "2026-03-01", firing: true, since: "2026-03-01", days: 1, lastValue: f(0),
		},
		{
			name: "a and (b or c), a false",
			cond: "open_critical > 0 and (open_high > 0 or open_low > 0)", window: "1d", for_: "1d",
			series: map[string][]*float64{"open_critical": fs(0), "open_high": fs(1), "open_low": fs(1)},
			at:     "2026-03-01", firing: false,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := &daily{loc: loc}
			for m, vs := range tc.series {
				src.set(m, "2026-03-01", vs...)
			}
			rules := compile(t, tc.cond, tc.window, tc.for_)
			ev := NewEvaluator(src, loc, date(t, "2026-03-01", loc))
			res := ev.Evaluate(rules, endOf(t, tc.at, loc))
			if got := len(res.Firing) == 1; got != tc.firing {
				t.Fatalf("firing = %v, want %v (windows asked: %v)", got, tc.firing, src.asked)
			}
			if !tc.firing {
				return
			}
			fi := res.Firing[0]
			if got := fi.Since.Format("2006-01-02"); got != tc.since || fi.Days != tc.days {
				t.Errorf("since %s (%d days), want %s (%d days)", got, fi.Days, tc.since, tc.days)
			}
			if v := fi.Values[0].Value; (v == nil) != (tc.lastValue == nil) || v != nil && math.Abs(*v-*tc.lastValue) > 1e-9 {
				t.Errorf("value at the last point = %v, want %v", deref(v), deref(tc.lastValue))
			}
		})
	}
}

func deref(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// The last point is the end of the last complete day at or before --at,
// and windows of whole days are whole calendar days in the zone, also
// across a daylight-saving change.
func TestEvaluationPointsAndWindows(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no zoneinfo for Europe/Berlin")
	}
	rules := compile(t, "open_high > 0", "7d", "2d")
	src := &daily{loc: berlin}
	ev := NewEvaluator(src, berlin, date(t, "2026-01-01", berlin))

	for _, tc := range []struct {
		at      time.Time
		lastDay string
	}{
		{time.Date(2026, 4, 1, 0, 0, 0, 0, berlin), "2026-03-31"},   // exactly midnight: the day before
		{time.Date(2026, 4, 1, 14, 30, 0, 0, berlin), "2026-03-31"}, // during a day: the day before
		{time.Date(2026, 3, 31, 22, 30, 0, 0, time.UTC), "2026-03-31"},
	} {
		res := ev.Evaluate(rules, tc.at)
		if got := res.Day.Format("2006-01-02"); got != tc.lastDay || !res.End.Equal(res.Day.AddDate(0, 0, 1)) {
			t.Errorf("as of %s: last day %s ending %s, want %s", tc.at, got, res.End, tc.lastDay)
		}
	}

	src.asked = nil
	NewEvaluator(src, berlin, date(t, "2026-01-01", berlin)).Evaluate(rules, time.Date(2026, 4, 1, 0, 0, 0, 0, berlin))
	// Nothing held, so only the last point was computed: the 7 calendar
	// days before April 1 (one of them 23 hours long).
	want := []string{"open_high 2026-03-25T00:00:00+01:00..2026-04-01T00:00:00+02:00"}
	if fmt.Sprint(src.asked) != fmt.Sprint(want) {
		t.Errorf("windows asked %v, want %v", src.asked, want)
	}

	// A window that is not whole days ends at the point and spans exactly that long.
	src.asked = nil
	rules = compile(t, "open_high > 0", "12h", "1d")
	NewEvaluator(src, berlin, date(t, "2026-01-01", berlin)).Evaluate(rules, time.Date(2026, 4, 1, 0, 0, 0, 0, berlin))
	want = []string{"open_high 2026-03-31T12:00:00+02:00..2026-04-01T00:00:00+02:00"}
	if fmt.Sprint(src.asked) != fmt.Sprint(want) {
		t.Errorf("windows asked %v, want %v", src.asked, want)
	}
}

// Evaluating as of many instants (each month of a report) reuses what was
// computed: the second evaluation asks for no window again.
func TestEvaluatorRemembers(t *testing.T) {
	loc := time.UTC
	src := &daily{loc: loc}
	src.set("open_high", "2026-01-01", fs(make([]float64, 90)...)...)
	rules := compile(t, "open_high < 1", "1d", "3d")
	ev := NewEvaluator(src, loc, date(t, "2026-01-01", loc))
	res := ev.Evaluate(rules, endOf(t, "2026-03-31", loc))
	if len(res.Firing) != 1 || res.Firing[0].Since.Format("2006-01-02") != "2026-01-01" || res.Firing[0].Days != 90 {
		t.Fatalf("firing %+v", res.Firing)
	}
	n := len(src.asked)
	res = ev.Evaluate(rules, endOf(t, "2026-02-28", loc))
	if len(res.Firing) != 1 || res.Firing[0].Days != 59 {
		t.Fatalf("as of February: %+v", res.Firing)
	}
	// Only the operand values of the last point are asked again.
	if extra := len(src.asked) - n; extra != 1 {
		t.Errorf("second evaluation asked %d windows, want 1", extra)
	}
}

func TestFiringOrder(t *testing.T) {
	loc := time.UTC
	src := &daily{loc: loc}
	src.set("open_high", "2026-03-01", fs(1)...)
	var rs []config.AlertRule
	for _, r := range []struct{ name, sev string }{{"b", "warning"}, {"a", "warning"}, {"z", "critical"}, {"i", "info"}} {
		rs = append(rs, config.AlertRule{Name: r.name, Severity: r.sev, Condition: "open_high > 0", For: config.Duration(Day), File: "t.yml", Line: 1})
	}
	rules, err := Compile(rs)
	if err != nil {
		t.Fatal(err)
	}
	res := NewEvaluator(src, loc, date(t, "2026-03-01", loc)).Evaluate(rules, endOf(t, "2026-03-01", loc))
	var got []string
	for _, f := range res.Firing {
		got = append(got, f.Rule.Name)
	}
	if fmt.Sprint(got) != "[z a b i]" {
		t.Errorf("order %v, want critical first, then by name", got)
	}
}

func TestNoDataNothingFires(t *testing.T) {
	rules := compile(t, "open_high < 1", "1d", "1d")
	src := SourceFunc(func(string, time.Time, time.Time) *float64 { return f(0) })
	res := NewEvaluator(src, time.UTC, time.Time{}).Evaluate(rules, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	if len(res.Firing) != 0 {
		t.Errorf("firing without any fact: %+v", res.Firing)
	}
}

func BenchmarkEvaluate(b *testing.B) {
	// The default rules over two years of daily values, evaluated as of
	// the end of each month: the work alert.FillMonths does for a 24-month site.
	rules, err := Compile(config.Default().Alerts)
	if err != nil {
		b.Fatal(err)
	}
	src := SourceFunc(func(m string, s, e time.Time) *float64 {
		v := float64(e.Unix()/86400%17) / 4
		return &v
	})
	first := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		ev := NewEvaluator(src, time.UTC, first)
		for m := 1; m <= 24; m++ {
			ev.Evaluate(rules, first.AddDate(0, m, 0))
		}
	}
}

// Each month's alerts[] is as of the end of the month, or now for the
// month in progress; a month after now has none.
func TestFillMonths(t *testing.T) {
	loc := time.UTC
	src := &daily{loc: loc}
	// open_high is 1 from January 20 to February 10, then 0.
	var vs []float64
	for d := 0; d < 70; d++ {
		vs = append(vs, map[bool]float64{true: 1, false: 0}[d >= 19 && d <= 40])
	}
	src.set("open_high", "2026-01-01", fs(vs...)...)
	rules := compile(t, "open_high > 0", "1d", "3d")
	var months []compute.Month
	for _, m := range []string{"2026-01", "2026-02", "2026-03", "2026-04"} {
		ym, err := compute.ParseYearMonth("month", m)
		if err != nil {
			t.Fatal(err)
		}
		p := ym.Period(loc)
		months = append(months, compute.Month{Month: m, Period: compute.PeriodInfo{Start: p.Start, End: p.End}})
	}
	now := time.Date(2026, 3, 10, 15, 0, 0, 0, loc)
	NewEvaluator(src, loc, date(t, "2026-01-01", loc)).Fill(rules, months, now)
	want := map[string]string{
		"2026-01": "[{R warning open_high > 0 for 3d 2026-01-20}]", // as of January 31
		"2026-02": "[]",                                            // as of February 28: over since the 10th
		"2026-03": "[]",                                            // as of now
		"2026-04": "[]",                                            // not begun
	}
	for _, m := range months {
		if got := fmt.Sprint(m.Alerts); got != want[m.Month] || m.Alerts == nil {
			t.Errorf("%s: alerts %s, want %s", m.Month, got, want[m.Month])
		}
	}
	// In a month in progress, now decides: as of February 5 it fires.
	months = months[1:2]
	NewEvaluator(src, loc, date(t, "2026-01-01", loc)).Fill(rules, months, time.Date(2026, 2, 6, 8, 0, 0, 0, loc))
	if got := fmt.Sprint(months[0].Alerts); got != "[{R warning open_high > 0 for 3d 2026-01-20}]" {
		t.Errorf("February as of the 6th: %s", got)
	}
}

func TestResultAtLeast(t *testing.T) {
	res := Result{Firing: []Firing{{Rule: &Rule{Severity: Critical}}, {Rule: &Rule{Severity: Warning}}, {Rule: &Rule{Severity: Warning}}, {Rule: &Rule{Severity: Info}}}}
	for _, tc := range []struct {
		severity string
		want     int
	}{{Critical, 1}, {Warning, 3}, {Info, 4}} {
		if got := res.AtLeast(tc.severity); got != tc.want {
			t.Errorf("AtLeast(%s) = %d, want %d", tc.severity, got, tc.want)
		}
	}
	if got := (Result{}).AtLeast(Warning); got != 0 {
		t.Errorf("no firing: AtLeast = %d", got)
	}
}
