package app

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
)

// monthsRun is a run whose periods are the months of s, computed from no
// facts, as of now.
func monthsRun(t *testing.T, s compute.Span, now time.Time) *run {
	t.Helper()
	r := &run{req: Request{Loc: time.UTC, Now: now}}
	r.hist = compute.NewHistory(&fact.Facts{}, config.Default(), time.UTC)
	if err := r.span(s)(context.Background()); err != nil {
		t.Fatal(err)
	}
	return r
}

// Each report's trend is the window of up to TrendMonths months ending
// with its month; only the last month can be partial.
func TestReportsTrendWindow(t *testing.T) {
	s, err := compute.NewSpan(compute.YearMonth{Year: 2025, Month: time.January}, compute.YearMonth{Year: 2026, Month: time.March}, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	r := monthsRun(t, s, time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC))
	reps := r.reports()
	if len(reps) != 15 {
		t.Fatalf("%d reports, want 15", len(reps))
	}
	for i, rep := range reps {
		want := min(i+1, TrendMonths)
		if len(rep.Trend) != want || rep.Trend[len(rep.Trend)-1].Month != rep.Month.Month {
			t.Errorf("report %s: trend of %d months ending %s, want %d ending with its month", rep.Month.Month, len(rep.Trend), rep.Trend[len(rep.Trend)-1].Month, want)
		}
		if (rep.Prev == nil) != (i == 0) || (i > 0 && rep.Prev.Month != reps[i-1].Month.Month) {
			t.Errorf("report %s: previous month %v", rep.Month.Month, rep.Prev)
		}
		if rep.Partial != (i == 14) {
			t.Errorf("report %s: partial %v, want %v (March 2026 has not ended on 20 March)", rep.Month.Month, rep.Partial, i == 14)
		}
	}
	if reps[14].Trend[0].Month != "2025-04" {
		t.Errorf("the last trend starts with %s, want 2025-04", reps[14].Trend[0].Month)
	}

	// A month that has ended is not partial; no month, no report.
	if done := monthsRun(t, s, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)).reports(); done[14].Partial {
		t.Error("March 2026 is partial on 1 April")
	}
	if none := monthsRun(t, compute.Span{}, time.Now()).reports(); len(none) != 0 {
		t.Errorf("%d reports of no month", len(none))
	}
}

// A request names its scope; a kind that does not exist is refused
// before anything is read.
func TestScopeKinds(t *testing.T) {
	q := Request{Scope: Scope{Kind: "galaxy", Name: "payments"}}
	if _, err := q.open(); err == nil || !strings.Contains(err.Error(), `"galaxy"`) {
		t.Errorf("open a galaxy scope: %v, want a refusal naming the kind", err)
	}
	q = Request{Scope: Scope{Kind: Repository, Name: t.TempDir()}}
	if _, err := q.open(); err == nil || strings.Contains(err.Error(), "scope") {
		t.Errorf("open a folder that is no repository: %v, want the data layer's error", err)
	}
}

// The stages stop when the context is done, before the next one starts.
func TestThroughStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ran := 0
	err := through(ctx, func(context.Context) error { ran++; cancel(); return nil }, func(context.Context) error { ran++; return nil })
	if err != context.Canceled || ran != 1 {
		t.Errorf("through after cancel: %v after %d stages, want context.Canceled after 1", err, ran)
	}
}

// compute prints figures alone: no month is computed with the detail
// reports show; a report shows the detail of its month alone, the months
// before it (its trend) their figures.
func TestDetailOfTheMonthsShown(t *testing.T) {
	s, err := compute.NewSpan(compute.YearMonth{Year: 2025, Month: time.January}, compute.YearMonth{Year: 2025, Month: time.June}, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		stage  func(*run) stage
		detail []bool
	}{
		{"compute", func(r *run) stage { return r.figures(s) }, []bool{false, false, false, false, false, false}},
		{"report", func(r *run) stage { return r.report(s) }, []bool{false, false, false, false, false, true}},
		{"site", func(r *run) stage { return r.span(s) }, []bool{true, true, true, true, true, true}},
	} {
		r := &run{req: Request{Loc: time.UTC, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}}
		r.hist = compute.NewHistory(&fact.Facts{}, config.Default(), time.UTC)
		if err := c.stage(r)(context.Background()); err != nil {
			t.Fatal(err)
		}
		var got []bool
		for _, m := range r.months {
			got = append(got, m.Detail != nil)
		}
		if !slices.Equal(got, c.detail) {
			t.Errorf("%s: months with detail %v, want %v", c.name, got, c.detail)
		}
	}
}
