package alert

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
)

// syntheticFacts is days of a busy team: perDay successful production
// deployments a day, each shipping 5 changes, and an incident every 20th.
func syntheticFacts(start time.Time, days, perDay int) *fact.Facts {
	f := &fact.Facts{}
	n := 0
	for d := 0; d < days; d++ {
		for k := 0; k < perDay; k++ {
			at := start.AddDate(0, 0, d).Add(time.Duration(9+k) * time.Hour)
			id := fmt.Sprintf("d%d", n)
			scan := 60.0
			f.Deployments = append(f.Deployments, fact.Deployment{ID: id, Time: at, SHA: id, Environment: "production",
				Status: fact.StatusSuccess, Production: true, Baseline: n > 0, Changes: 5, ScanSeconds: &scan, Source: fact.SourceEvents})
			for c := 0; c < 5; c++ {
				lead := time.Duration(30+c*40+n%90) * time.Minute
				f.Changes = append(f.Changes, fact.Change{SHA: fmt.Sprintf("%s-%d", id, c), DeploymentID: id,
					Authored: at.Add(-lead), Committed: at.Add(-lead), LeadTime: lead, Counted: fact.CountedYes})
			}
			if n%20 == 0 {
				res := at.Add(3 * time.Hour)
				f.Incidents = append(f.Incidents, fact.Incident{ID: "i" + id, Opened: at.Add(time.Hour), Resolved: &res,
					Severity: "high", Category: fact.CategorySecurity, Environment: "production", Production: true,
					DeploymentID: id, Attribution: fact.AttrDeployment})
			}
			n++
		}
	}
	return f
}

func TestHistorySourceComputesEachWindowOnce(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f := syntheticFacts(start, 10, 2)
	if got := FirstFact(f); !got.Equal(start.Add(9 * time.Hour)) {
		t.Errorf("FirstFact = %v", got)
	}
	if !FirstFact(&fact.Facts{}).IsZero() {
		t.Error("FirstFact of no facts is not zero")
	}
	src := NewHistorySource(compute.NewHistory(f, config.Default(), time.UTC))
	end := start.AddDate(0, 0, 7)
	a := src.Value("deployments_total", start, end)
	b := src.Value("lead_time_changes", start, end)
	if a == nil || *a != 14 || b == nil || src.Periods() != 1 {
		t.Errorf("deployments_total %v, lead_time_changes %v, %d periods computed", deref(a), deref(b), src.Periods())
	}
	if src.Value("no_such_metric", start, end) != nil {
		t.Error("an unknown metric has a value")
	}
}

// BenchmarkHistoryAlerts evaluates the default rules over two years of a
// busy team's facts (4 deployments and 20 changes a day): as of one day
// (gitdora alerts) and as of the end of each of 24 months (a site).
func BenchmarkHistoryAlerts(b *testing.B) {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	f := syntheticFacts(start, 731, 4)
	rules, err := Compile(config.Default().Alerts)
	if err != nil {
		b.Fatal(err)
	}
	h := compute.NewHistory(f, config.Default(), time.UTC)
	b.Run("one-day", func(b *testing.B) {
		periods := 0
		for b.Loop() {
			src := NewHistorySource(h)
			NewEvaluator(src, time.UTC, FirstFact(f)).Evaluate(rules, start.AddDate(2, 0, 0))
			periods = src.Periods()
		}
		b.ReportMetric(float64(periods), "periods/op")
	})
	b.Run("24-months", func(b *testing.B) {
		var months []compute.Month
		for m := 0; m < 24; m++ {
			s := start.AddDate(0, m, 0)
			months = append(months, compute.Month{Period: compute.PeriodInfo{Start: s, End: s.AddDate(0, 1, 0)}})
		}
		periods := 0
		for b.Loop() {
			src := NewHistorySource(h)
			NewEvaluator(src, time.UTC, FirstFact(f)).Fill(rules, months, start.AddDate(3, 0, 0))
			periods = src.Periods()
		}
		b.ReportMetric(float64(periods), "periods/op")
	})
}

// monthsOf computes the periods of h, then fills their alerts, as the
// app layer does.
func monthsOf(h *compute.History, ps []compute.Period, now time.Time) ([]compute.Month, int, error) {
	months := make([]compute.Month, 0, len(ps))
	for _, p := range ps {
		months = append(months, h.Period(p))
	}
	windows, err := FillMonths(h, months, now)
	if err != nil {
		return nil, 0, err
	}
	return months, windows, nil
}

func TestMonths(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f := syntheticFacts(start, 40, 2) // 2 deployments a day, 1 January to 9 February
	cfg := config.Default()
	cfg.Alerts = []config.AlertRule{{Name: "busy", Severity: Warning, Message: "m", Condition: "deployments_successful >= 2", For: config.Duration(Day)}}
	var ps []compute.Period
	for _, name := range []string{"2026-01", "2026-02", "2026-03"} {
		m, err := compute.ParseYearMonth("month", name)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, m.Period(time.UTC))
	}
	now := time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC)
	months, windows, err := monthsOf(compute.NewHistory(f, cfg, time.UTC), ps, now)
	if err != nil {
		t.Fatal(err)
	}
	busy := []compute.Alert{{Name: "busy", Severity: Warning, Message: "m", Since: "2026-01-01"}}
	// January as of its end; February as of now (its last day evaluated is
	// 9 February, still busy); March has not begun: an empty list.
	for i, want := range [][]compute.Alert{busy, busy, {}} {
		if i >= len(months) || !reflect.DeepEqual(months[i].Alerts, want) {
			t.Fatalf("months = %+v, want alerts %+v for month %d", months, want, i)
		}
	}
	if months[0].Detail == nil || windows == 0 {
		t.Errorf("January Detail %v, %d windows computed: want the report detail and some windows", months[0].Detail, windows)
	}

	cfg.Alerts = []config.AlertRule{{Name: "bad", Condition: "no_such_metric > 1", For: config.Duration(Day)}}
	if _, _, err := monthsOf(compute.NewHistory(f, cfg, time.UTC), ps, now); err == nil {
		t.Error("a bad rule gave no error")
	}
	cfg.Alerts = nil
	months, windows, err = monthsOf(compute.NewHistory(f, cfg, time.UTC), ps[:1], now)
	if err != nil || windows != 0 || len(months) != 1 || months[0].Alerts == nil || len(months[0].Alerts) != 0 {
		t.Errorf("without rules: %+v, %d windows, %v; want one month with an empty alerts list", months, windows, err)
	}
}
