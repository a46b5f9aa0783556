package compute

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
)

// Figures that sums, means or ratios of extreme (but finite) values make
// infinite are null, with a line in Detail.Skipped: the month still
// exports as JSON (json: unsupported value: +Inf broke compute, report and
// site), and what is finite is kept.
func TestInfiniteFiguresAreNull(t *testing.T) {
	at := func(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, time.UTC) }
	huge := math.MaxFloat64
	f := &fact.Facts{
		Deployments: []fact.Deployment{
			{ID: "d0", Time: at(1, 10), Status: fact.StatusSuccess, Production: true},
			{ID: "d1", Time: at(2, 10), Status: fact.StatusSuccess, Production: true, Baseline: true, ScanSeconds: &huge},
			{ID: "d2", Time: at(3, 10), Status: fact.StatusSuccess, Production: true, Baseline: true, ScanSeconds: &huge},
		},
		Changes: []fact.Change{
			{SHA: "a", DeploymentID: "d1", LeadTime: time.Nanosecond, Counted: fact.CountedYes},
			{SHA: "b", DeploymentID: "d2", LeadTime: time.Hour, Counted: fact.CountedYes},
		},
	}
	h := NewHistory(f, config.Default(), time.UTC)
	p := monthPeriod(t, "2026-03", time.UTC)
	for _, m := range []Month{h.Period(p), h.Metrics(p)} {
		if m.LeadTime.ScanOverheadPct != nil {
			t.Errorf("scan_overhead_pct = %v, want null", *m.LeadTime.ScanOverheadPct)
		}
		if m.LeadTime.P50Hours == nil || m.DeploymentFrequency.PerDay == nil {
			t.Error("finite figures were dropped too")
		}
		if _, err := json.Marshal(m); err != nil {
			t.Errorf("json: %v", err)
		}
		for _, tr := range m.Targets {
			if tr.Metric == "scan_overhead_pct" && (tr.Value != nil || tr.Met != nil) {
				t.Errorf("target %+v judged on a null figure", tr)
			}
		}
	}
	d := h.Period(p).Detail
	if !strings.Contains(strings.Join(d.Skipped, "\n"), "lead_time.scan_overhead_pct: +Inf is not a number JSON can hold; shown as null") {
		t.Errorf("Skipped = %q, want the null figure named", d.Skipped)
	}
}

// walkFigures reaches every figure: in structs, slices and maps.
func TestWalkFigures(t *testing.T) {
	inf, nan, one := math.Inf(1), math.NaN(), 1.0
	m := Month{
		ReworkRate: &nan,
		Scans:      Scans{DurationP50Seconds: &one, ByTool: map[string]ToolScans{"semgrep": {DurationP95Seconds: &inf}}},
		Targets:    []TargetResult{{Metric: "x", Value: &inf}},
	}
	var names []string
	walkFigures(reflectValue(&m), "", func(name string, _ float64) { names = append(names, name) })
	if got := strings.Join(names, " "); got != "rework_rate scans.by_tool.semgrep.duration_p95_seconds targets[0].value" {
		t.Errorf("bad figures %q", got)
	}
	if m.ReworkRate != nil || m.Scans.ByTool["semgrep"].DurationP95Seconds != nil || m.Targets[0].Value != nil || m.Scans.DurationP50Seconds != &one {
		t.Errorf("after the walk: %+v", m)
	}
}

// Months given as flags are bounded: --month 9999-12 ended in year 10000,
// which JSON cannot write, and --from 0001-01 --to 9999-12 asked for
// 120,000 months.
func TestMonthFlagsAreBounded(t *testing.T) {
	for _, m := range []string{"9999-12", "0001-01", "1969-12"} {
		if _, err := ParseYearMonth("month", m); err == nil || !strings.Contains(err.Error(), "want a month from 1970-01 to 9998-12") {
			t.Errorf("ParseYearMonth(%s) = %v", m, err)
		}
	}
	if _, err := ParseYearMonth("month", "1970-01"); err != nil {
		t.Error(err)
	}
	if _, err := monthRange("1970-01", "9998-12"); err == nil || !strings.Contains(err.Error(), "96348 months, want at most 1200") {
		t.Errorf("a range of every month: %v", err)
	}
	if s, err := monthRange("1970-01", "2069-12"); err != nil || len(s.Months()) != 1200 {
		t.Errorf("a century: %d months, %v", len(s.Months()), err)
	}
	if _, err := monthRange("1970-01", "2070-01"); err == nil {
		t.Error("a century and a month: no error")
	}
}
