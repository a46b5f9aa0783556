package render

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/compute"
)

func f64(v float64) *float64 { return &v }

func months() []compute.Month {
	met := true
	a := compute.Month{SchemaVersion: 1, Month: "2026-01", Targets: []compute.TargetResult{{Metric: "lead_time_p50_hours", Op: "<", Target: 1, Value: f64(0.5), Met: &met}}, Alerts: []compute.Alert{}}
	a.Period = compute.PeriodInfo{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), Days: 31}
	a.LeadTime.P50Hours = f64(0.5)
	a.Scans.ByTool = map[string]compute.ToolScans{"semgrep": {Count: 2, DurationP95Seconds: f64(30)}}
	b := compute.Month{SchemaVersion: 1, Month: "2026-02", Targets: []compute.TargetResult{}, Alerts: []compute.Alert{{Name: "A"}, {Name: "B"}}}
	b.Scans.ByTool = map[string]compute.ToolScans{"codeql": {Count: 1}}
	return []compute.Month{a, b}
}

func TestDottedCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := DottedCSV(&buf, months()); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 {
		t.Fatalf("%d records, want a header and 2 months", len(recs))
	}
	col := map[string]int{}
	for i, k := range recs[0] {
		col[k] = i
	}
	for key, want := range map[string][2]string{
		"month":                                         {"2026-01", "2026-02"},
		"period.start":                                  {"2026-01-01T00:00:00Z", "0001-01-01T00:00:00Z"},
		"lead_time.p50_hours":                           {"0.5", ""}, // null is empty
		"lead_time.changes":                             {"0", "0"},
		"scans.by_tool.semgrep.count":                   {"2", ""}, // columns are the union over months
		"scans.by_tool.codeql.count":                    {"", "1"},
		"targets.lead_time_p50_hours.met":               {"true", ""},
		"targets.lead_time_p50_hours.value":             {"0.5", ""},
		"alerts":                                        {"", "A;B"},
		"classification.overall":                        {"", ""},
		"change_failure_rate.security_related_failures": {"0", "0"},
	} {
		i, ok := col[key]
		if !ok {
			t.Errorf("no column %s in %v", key, recs[0])
			continue
		}
		if recs[1][i] != want[0] || recs[2][i] != want[1] {
			t.Errorf("%s = %q, %q; want %q, %q", key, recs[1][i], recs[2][i], want[0], want[1])
		}
	}
	if !strings.HasPrefix(strings.Join(recs[0], ","), "schema_version,month,period.start,period.end,period.days,deployment_frequency.total") {
		t.Errorf("header starts %v: want the JSON order", recs[0][:6])
	}
}

func TestMonthJSONAndTable(t *testing.T) {
	var one, many, text bytes.Buffer
	ms := months()
	if err := MonthJSON(&one, ms[0]); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(one.String(), "{\n  \"schema_version\": 1,\n  \"month\": \"2026-01\",") {
		t.Errorf("MonthJSON starts %q", one.String()[:40])
	}
	MonthsJSON(&many, ms)
	if !strings.HasPrefix(many.String(), "{\n  \"schema_version\": 1,\n  \"months\": [\n") {
		t.Errorf("MonthsJSON starts %q", many.String()[:40])
	}
	Table(&text, ms)
	lines := strings.Split(strings.TrimSpace(text.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "0.5 h") || !strings.Contains(lines[2], "n/a") {
		t.Errorf("table:\n%s", text.String())
	}
}

// The CSV of `compute --format csv` goes to a terminal and to
// spreadsheets: names from outside (an organisation's name, alert rules,
// SARIF tools) reach it escaped, each cell one line that acts on nothing
// and starts no formula.
func TestDottedCSVEscapesNames(t *testing.T) {
	m := compute.Month{SchemaVersion: 1, Month: "2026-01", Targets: []compute.TargetResult{}, Alerts: []compute.Alert{{Name: "slow\u202edeploys"}, {Name: "two\nlines"}}}
	m.Scope = compute.Scope{Kind: compute.ScopeOrganisation, Name: "=Acme\x1b[31m"}
	m.Scans.ByTool = map[string]compute.ToolScans{"sem\x07grep": {Count: 1}}
	var buf bytes.Buffer
	if err := DottedCSV(&buf, []compute.Month{m}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, r := range out {
		if r < 0x20 && r != '\n' || r == 0x7f || r == '\u202e' {
			t.Fatalf("the CSV holds %q:\n%s", r, out)
		}
	}
	if n := strings.Count(out, "\n"); n != 2 {
		t.Errorf("the CSV has %d lines, want a header and a month:\n%s", n, out)
	}
	for _, want := range []string{`,'=Acme\x1b[31m,`, `slow\u202edeploys;two\nlines`, `scans.by_tool.sem\x07grep.count`} {
		if !strings.Contains(out, want) {
			t.Errorf("the CSV does not hold %s:\n%s", want, out)
		}
	}
}
