package render

import (
	"strings"
	"testing"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/render/rendertest"
)

func met(b bool) *bool { return &b }

// TestAdvice checks which recommendations each number triggers, and that
// each names its figure.
func TestAdvice(t *testing.T) {
	base := func() compute.Month { return rendertest.Empty("2026-03") }
	for _, tc := range []struct {
		name   string
		month  func() compute.Month
		detail compute.Detail
		want   []string // figures named, in order
	}{
		{"nothing to say", base, compute.Detail{}, nil},
		{"gate blocks too often", func() compute.Month {
			m := base()
			m.DeploymentFrequency = compute.DeploymentFreq{Total: 20, Blocked: 3, BlockRate: ptr(0.15)}
			return m
		}, compute.Detail{}, []string{"`block_rate` = 15 %"}},
		{"block rate at the threshold is fine", func() compute.Month {
			m := base()
			m.DeploymentFrequency = compute.DeploymentFreq{Total: 10, Blocked: 1, BlockRate: ptr(0.10)}
			return m
		}, compute.Detail{}, nil},
		{"scan overhead over the default 20 %", func() compute.Month {
			m := base()
			m.LeadTime.ScanOverheadPct = ptr(25)
			return m
		}, compute.Detail{}, []string{"`scan_overhead_pct` = 25 %"}},
		{"scan overhead under the team's own target", func() compute.Month {
			m := base()
			m.LeadTime.ScanOverheadPct = ptr(25)
			m.Targets = []compute.TargetResult{{Metric: "scan_overhead_pct", Op: "<", Target: 30, Value: ptr(25), Met: met(true)}}
			return m
		}, compute.Detail{}, nil},
		{"a tool over its budget", func() compute.Month {
			m := base()
			m.Scans = compute.Scans{Count: 2, ByTool: map[string]compute.ToolScans{"codeql": {Count: 1, DurationP95Seconds: ptr(400)}, "semgrep": {Count: 1, DurationP95Seconds: ptr(50)}}}
			return m
		}, compute.Detail{CodeLOC: 90_000}, []string{"`scans.by_tool.codeql.duration_p95_seconds` = 6.7 min"}},
		{"budget unknown: no budget advice", func() compute.Month {
			m := base()
			m.Scans = compute.Scans{Count: 1, ByTool: map[string]compute.ToolScans{"codeql": {Count: 1, DurationP95Seconds: ptr(4000)}}}
			return m
		}, compute.Detail{}, nil},
		{"many suppressed results", base, compute.Detail{Results: 100, Suppressed: 30}, []string{"`suppressed share` = 30 %"}},
		{"few results: no suppression advice", base, compute.Detail{Results: 5, Suppressed: 4}, nil},
		{"missed targets", func() compute.Month {
			m := base()
			m.LeadTime.ScanOverheadPct = ptr(5)
			m.ChangeFailureRate = compute.ChangeFailureRate{Deployments: 20, FailedDeployments: 3, Rate: ptr(0.15), SecurityRelatedFailures: 1}
			m.Targets = []compute.TargetResult{
				{Metric: "deployments_per_day", Op: ">", Target: 1, Value: ptr(0.5), Met: met(false)},
				{Metric: "lead_time_p50_hours", Op: "<", Target: 1, Value: ptr(3), Met: met(false)},
				{Metric: "change_failure_rate", Op: "<", Target: 0.05, Value: ptr(0.15), Met: met(false)},
				{Metric: "mttr_critical_hours", Op: "<", Target: 1, Value: ptr(5), Met: met(false)},
				{Metric: "mttr_high_hours", Op: "<", Target: 24, Value: ptr(5), Met: met(true)},
				{Metric: "fix_lead_time_p50_hours", Op: "<", Target: 48, Value: nil, Met: nil},
			}
			return m
		}, compute.Detail{}, []string{"`deployments_per_day` = 0.5/day", "`lead_time_p50_hours` = 3 h", "`change_failure_rate` = 15 %", "`mttr_critical_hours` = 5 h"}},
		{"security failures without a missed target", func() compute.Month {
			m := base()
			m.ChangeFailureRate = compute.ChangeFailureRate{Deployments: 50, FailedDeployments: 1, Rate: ptr(0.02), SecurityRelatedFailures: 1}
			return m
		}, compute.Detail{}, []string{"`security_related_failures` = 1"}},
		{"slow restores", func() compute.Month {
			m := base()
			low := compute.Low
			m.Classification.TimeToRestore = &low
			m.TimeToRestore.P50Hours = ptr(200)
			return m
		}, compute.Detail{}, []string{"`time_to_restore_p50_hours` = 8.3 d"}},
		{"open critical, growing backlog, skew", func() compute.Month {
			m := base()
			m.Vulnerabilities.OpenAtEnd.Critical = 2
			m.Vulnerabilities.New = compute.SeverityCounts{Critical: 2, High: 3}
			m.Vulnerabilities.Fixed = compute.SeverityCounts{High: 1}
			m.LeadTime.SkippedNegative = 2
			return m
		}, compute.Detail{OpenFindings: []compute.OpenFinding{{Severity: "critical", RuleID: "r2", URI: "b.go", AgeHours: 99}, {Severity: "critical", RuleID: "r1", URI: "a.go", AgeHours: 10}}},
			[]string{"`open_critical` = 2", "`new_critical + new_high` = 5", "`lead_time_skipped_negative` = 2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.month()
			sec := securityOf(&m, &tc.detail)
			got := adviceFor(&m, nil, &tc.detail, &sec, true)
			var figs []string
			for _, a := range got {
				figs = append(figs, sp(a.Figure))
				if a.Text == "" {
					t.Errorf("advice without text for %s", a.Figure)
				}
			}
			if strings.Join(figs, "; ") != strings.Join(tc.want, "; ") {
				t.Errorf("figures = %q, want %q", figs, tc.want)
			}
			if tc.name == "open critical, growing backlog, skew" {
				if !strings.Contains(sp(got[0].Text), "4.1 d (r2 in b.go)") {
					t.Errorf("the oldest critical finding is not named: %s", got[0].Text)
				}
				// report.findings: counts: its age, not its rule or file.
				counts := sp(adviceFor(&m, nil, &tc.detail, &sec, false)[0].Text)
				if !strings.Contains(counts, "the oldest for 4.1 d.") || strings.Contains(counts, "r2") || strings.Contains(counts, "b.go") {
					t.Errorf("without finding details: %s", counts)
				}
			}
		})
	}
}

func TestAdviceScanGrowth(t *testing.T) {
	prev, cur := rendertest.Empty("2026-02"), rendertest.Empty("2026-03")
	prev.Scans.DurationP95Seconds, cur.Scans.DurationP95Seconds = ptr(100), ptr(130)
	sec := securityOf(&cur, &compute.Detail{})
	got := adviceFor(&cur, &prev, &compute.Detail{}, &sec, false)
	if len(got) != 1 || sp(got[0].Figure) != "`scan_duration_p95_seconds` = 2.2 min" || !strings.Contains(sp(got[0].Text), "grew 30 % since 2026-02") {
		t.Errorf("scan growth advice = %+v", got)
	}
	cur.Scans.DurationP95Seconds = ptr(120)
	if got := adviceFor(&cur, &prev, &compute.Detail{}, &sec, false); len(got) != 0 {
		t.Errorf("20 %% growth triggered %+v", got)
	}
}

// TestMissing checks that a metric without data says how to start recording it.
func TestMissing(t *testing.T) {
	empty := rendertest.Empty("2026-03")
	var what []string
	for _, m := range missingFor(&empty, &compute.Detail{}) {
		what = append(what, m.What)
		if !strings.Contains(string(m.How), "gitdora ") && !strings.Contains(string(m.How), "gitdora.yml") {
			t.Errorf("%s: does not say how to record it: %s", m.What, m.How)
		}
	}
	if got := strings.Join(what, ", "); got != "Deployments, Security scans" {
		t.Errorf("missing for an empty month = %s", got)
	}

	m := rendertest.Months("")[11]
	if got := missingFor(&m, m.Detail); len(got) != 0 {
		t.Errorf("a full month misses %+v", got)
	}
	m.LeadTime.ScanOverheadPct = nil
	m.Scans.DurationP50Seconds = nil
	m.Detail.CodeLOC = 0
	what = nil
	for _, x := range missingFor(&m, m.Detail) {
		what = append(what, x.What)
	}
	if got := strings.Join(what, ", "); got != "Scan overhead, Scan duration, Scan budget" {
		t.Errorf("missing = %s", got)
	}
}

// A month no incident source covers says so, and how to start: its
// change failure rate is n/a, not 0 %.
func TestMissingIncidentSource(t *testing.T) {
	m := rendertest.Months("")[11]
	m.ChangeFailureRate.Rate, m.ReworkRate, m.TimeToRestore.P50Hours, m.TimeToRestore.MeanHours = nil, nil, nil, nil
	for _, tc := range []struct{ since, want string }{
		{"", "No incident source covers this month (no incident has been recorded yet)"},
		{"2026-05", "No incident source covers this month (incidents are tracked from 2026-05)"},
	} {
		m.Detail.IncidentsUntracked, m.Detail.IncidentsSince = true, tc.since
		got := missingFor(&m, m.Detail)
		if len(got) != 1 || got[0].What != "Incidents" || !strings.HasPrefix(string(got[0].How), tc.want) || !strings.Contains(string(got[0].How), "incidents.since") {
			t.Errorf("since %q: missing = %+v, want Incidents: %s …", tc.since, got, tc.want)
		}
	}
}
