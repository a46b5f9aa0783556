// Package rendertest builds hand-made computed months for the tests of
// render, site and the commands: fixed numbers, every part of the report
// filled, and optionally hostile text in every field that comes from
// commits, SARIF or incidents.
package rendertest

import (
	"fmt"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/policy"
)

// Payloads are hostile strings for escaping tests.
var Payloads = []string{`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `</script>`}

// Evil is every payload in one string.
var Evil = Payloads[0] + " " + Payloads[1] + " " + Payloads[2]

func f(v float64) *float64 { return &v }
func s(v string) *string   { return &v }

// Months returns the twelve months 2025-04 … 2026-03, oldest first; the
// last one carries a full Detail. July 2025 has no data at all. Every
// text from commits, SARIF or incidents gets extra appended (use "" for
// plain text, Evil for escaping tests).
func Months(extra string) []compute.Month {
	var out []compute.Month
	start := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 12; i++ {
		p := start.AddDate(0, i, 0)
		name := p.Format("2006-01")
		if name == "2025-07" {
			out = append(out, Empty(name))
			continue
		}
		out = append(out, month(name, i, extra))
	}
	return out
}

// Empty is a month without any data.
func Empty(name string) compute.Month {
	t, _ := time.Parse("2006-01", name)
	end := t.AddDate(0, 1, 0)
	return compute.Month{
		SchemaVersion: compute.SchemaVersion, Month: name,
		Period:  compute.PeriodInfo{Start: t, End: end, Days: int(end.Sub(t).Hours() / 24)},
		Scans:   compute.Scans{ByTool: map[string]compute.ToolScans{}},
		Targets: targets(nil), Alerts: []compute.Alert{},
		Detail: &compute.Detail{Benchmark: "dora-2023"},
	}
}

func targets(m *compute.Month) []compute.TargetResult {
	type tg struct {
		metric, op string
		target     float64
	}
	list := []tg{
		{"deployments_per_day", ">", 1}, {"lead_time_p50_hours", "<", 1}, {"lead_time_p95_hours", "<", 2},
		{"scan_overhead_pct", "<", 20}, {"change_failure_rate", "<", 0.05}, {"mttr_critical_hours", "<", 1},
		{"mttr_high_hours", "<", 24}, {"fix_lead_time_p50_hours", "<", 48},
	}
	out := []compute.TargetResult{}
	for _, t := range list {
		r := compute.TargetResult{Metric: t.metric, Op: t.op, Target: t.target}
		if m != nil {
			if mt, ok := compute.LookupMetric(t.metric); ok && mt.Value(m) != nil {
				v := *mt.Value(m)
				r.Value = &v
				met := (t.op == ">" && v > t.target) || (t.op == "<" && v < t.target)
				r.Met = &met
			}
		}
		out = append(out, r)
	}
	return out
}

func month(name string, i int, extra string) compute.Month {
	m := Empty(name)
	k := float64(i)
	days := float64(m.Period.Days)
	succ := 40 + 3*i
	m.DeploymentFrequency = compute.DeploymentFreq{
		Total: succ + 4 + i%3, Successful: succ, Blocked: 3 + i%3, Failed: 1,
		PerDay: f(float64(succ) / days), DeployDays: 18 + i%4,
	}
	m.DeploymentFrequency.BlockRate = f(float64(m.DeploymentFrequency.Blocked) / float64(m.DeploymentFrequency.Total))
	m.LeadTime = compute.LeadTime{
		Changes: 120 + 5*i, P50Hours: f(2.5 - 0.1*k), P95Hours: f(30 - k), MeanHours: f(6.2 - 0.2*k),
		SkippedNegative: i % 2, SkippedBots: 7, ScanOverheadPct: f(14 + 0.9*k),
	}
	failed := 2 + i%3
	m.ChangeFailureRate = compute.ChangeFailureRate{Deployments: succ, FailedDeployments: failed, Rate: f(float64(failed) / float64(succ)), SecurityRelatedFailures: i % 2}
	m.TimeToRestore = compute.TimeToRestore{Incidents: failed, MeanHours: f(3.5 + k/4), P50Hours: f(1.5 + k/10)}
	m.ReworkRate = f(0.04)
	m.Vulnerabilities = compute.Vulnerabilities{
		MTTRHours:           compute.SeverityHours{Critical: f(0.5 + k/10), High: f(20 + k), Medium: f(96), Low: nil},
		FixLeadTimeP50Hours: f(30 + k), FixLeadTimeP95Hours: f(200 + 5*k),
		New:       compute.SeverityCounts{Critical: 1, High: 4, Medium: 9, Low: 3},
		Fixed:     compute.SeverityCounts{Critical: 1, High: 3, Medium: 6, Low: 0},
		OpenAtEnd: compute.SeverityCounts{Critical: i % 2, High: 5 + i/3, Medium: 20 + i, Low: 12},
	}
	m.Scans = compute.Scans{Count: 60 + i, DurationP50Seconds: f(95 + 2*k), DurationP95Seconds: f(240 + 10*k), ByTool: map[string]compute.ToolScans{
		"codeql":  {Count: 30, DurationP95Seconds: f(290 + 10*k)},
		"semgrep": {Count: 30 + i, DurationP95Seconds: f(70 + k)},
	}}
	m.Classification = compute.Classification{DeploymentFrequency: s("elite"), LeadTime: s("elite"), ChangeFailureRate: s("medium"), TimeToRestore: s("high"), Overall: s("medium")}
	if i%4 == 0 {
		m.Classification.ChangeFailureRate, m.Classification.Overall = s("high"), s("high")
	}
	m.Targets = targets(&m)
	d := m.Detail
	d.DeploymentSource = "events"
	d.DataCommit = fmt.Sprintf("%040x", 0xd0a0+i)
	d.Trunk = "main"
	d.CodeLOC = 84_000
	d.Results, d.Suppressed = 410+i, 37
	d.ScanSecondsFrom = map[string]int{"event": succ - 5, "ci": 5}
	if name != "2026-03" {
		return m
	}

	// The report month: everything the report can show.
	m.Vulnerabilities.OpenAtEnd = compute.SeverityCounts{Critical: 1, High: 2, Medium: 1, Low: 1}
	m.Scans.ByTool["codeql"+extra] = m.Scans.ByTool["codeql"]
	if extra != "" {
		delete(m.Scans.ByTool, "codeql")
	}
	m.Alerts = []compute.Alert{{Name: "DORA_LeadTimeDegraded", Severity: "warning", Message: "Lead time p50 above 1 hour" + extra, Since: "2026-03-04"}}
	at := func(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, time.UTC) }
	d.LeadTimeHours = []float64{0.2, 0.4, 0.7, 0.9, 1.5, 2, 2.2, 3.9, 5, 7.5, 12, 20, 23, 30, 48, 100, 200, 800}
	d.Weeks = []compute.WeekCFR{
		{Start: time.Date(2026, 2, 23, 0, 0, 0, 0, time.UTC), Deployments: 4, Failed: 0},
		{Start: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Deployments: 16, Failed: 1},
		{Start: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), Deployments: 15, Failed: 2},
		{Start: time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC), Deployments: 17, Failed: 0},
		{Start: time.Date(2026, 3, 23, 0, 0, 0, 0, time.UTC), Deployments: 14, Failed: 1},
		{Start: time.Date(2026, 3, 30, 0, 0, 0, 0, time.UTC), Deployments: 4, Failed: 0},
	}
	// As compute lists them: oldest first, without info findings.
	d.OpenFindings = []compute.OpenFinding{
		{Tool: "semgrep", RuleID: "generic.secrets.gitleaks", Severity: "high", URI: "config/dev.env", Message: "Possible secret", CWE: "CWE-798", FirstSeen: time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC), AgeHours: 3600},
		{Tool: "semgrep", RuleID: "go.lang.security.audit.xss", Severity: "high", URI: "web/handler.go", Message: "Unescaped user input in template", CWE: "CWE-79", FirstSeen: at(2, 10), AgeHours: 710},
		{Tool: "codeql" + extra, RuleID: "go/sql-injection" + extra, Severity: "critical", URI: "internal/db/query.go" + extra, Message: "This query depends on a user-provided value." + extra, CWE: "CWE-89", FirstSeen: at(20, 9), AgeHours: 279},
		{Tool: "codeql", RuleID: "go/path-injection", Severity: "medium", URI: "cmd/files.go", Message: "Uncontrolled path", CWE: "CWE-22", FirstSeen: at(30, 12), AgeHours: 36},
		{Tool: "semgrep", RuleID: "dockerfile.latest-tag", Severity: "low", URI: "Dockerfile", Message: "Pin the base image", FirstSeen: at(31, 12), AgeHours: 12},
	}
	resolved := at(11, 16)
	d.Incidents = []compute.IncidentRow{
		{ID: "INC-101", Severity: "high", Category: "security", Title: "Token leaked in logs" + extra, Opened: at(10, 14), Resolved: &resolved, DeploymentID: "deploy-0311" + extra, Attribution: "commit"},
		{ID: "INC-102", Severity: "medium", Category: "reliability", Title: "Checkout latency", Opened: at(26, 8), Resolved: nil, DeploymentID: "", Attribution: "none"},
	}
	m.LeadTime.SquashResolved = 9
	m.CycleTime = compute.CycleTime{PullRequests: 31, CodingP50Hours: f(6.5), PickupP50Hours: f(3.2), ReviewP50Hours: f(5.75), DeployP50Hours: f(20)}
	d.CycleStages = []compute.CycleStage{
		{Name: compute.StageCoding, Pulls: 29, P50Hours: f(6.5), P95Hours: f(96)},
		{Name: compute.StagePickup, Pulls: 27, P50Hours: f(3.2), P95Hours: f(30)},
		{Name: compute.StageReview, Pulls: 27, P50Hours: f(5.75), P95Hours: f(52)},
		{Name: compute.StageDeploy, Pulls: 0},
	}
	d.SlowChanges = []compute.ChangeRow{
		{SHA: "3f2a9c1d5e7b9a0c2e4f6a8b0c1d2e3f4a5b6c7d", Subject: "Rework the payment retry queue" + extra, DeploymentID: "deploy-0302", LeadTimeHours: 800},
		{SHA: "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0", Subject: "Bump the HTTP client", DeploymentID: "deploy-0317", LeadTimeHours: 200},
	}
	v := &m.Vulnerabilities
	v.SLA = compute.SLA{BreachedOpen: compute.SeverityCounts{Critical: 1, High: 1}, FixedWithinPct: compute.SeverityPercent{Critical: f(100), High: f(66.7), Medium: f(50)}}
	v.AcceptedRisk = compute.AcceptedRisk{Exempted: 4, Suppressed: 37, Expiring30d: 1, Expired: 2}
	v.OWASPTop10 = map[string]compute.OWASPCounts{
		"2021": {"A01": 1, "A02": 0, "A03": 2, "A04": 0, "A05": 1, "A06": 0, "A07": 1, "A08": 0, "A09": 0, "A10": 0},
		"2025": {"A01": 1, "A02": 1, "A03": 0, "A04": 0, "A05": 2, "A06": 0, "A07": 1, "A08": 0, "A09": 0, "A10": 0},
	}
	v.Exposure = compute.Exposure{MeanHours: compute.SeverityHours{Critical: f(60), High: f(170)}, LiveAtEnd: compute.SeverityCounts{Critical: 1, High: 2}, FixToProductionP50Hours: f(26)}
	day := 24 * time.Hour
	d.Policy = &compute.PolicyDetail{
		Day: policy.Date{Year: 2026, Month: 3, Day: 31}, SLA: []time.Duration{7 * day, 30 * day, 90 * day, 180 * day},
		Breaches: []compute.SLABreach{
			{Tool: "semgrep", RuleID: "generic.secrets.gitleaks", URI: "config/dev.env", Severity: "high", FirstSeen: time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC), Due: time.Date(2025, 12, 3, 0, 0, 0, 0, time.UTC), OverdueHours: 2856},
			{Tool: "codeql" + extra, RuleID: "go/sql-injection" + extra, URI: "internal/db/query.go" + extra, Severity: "critical", FirstSeen: at(20, 9), Due: at(27, 9), OverdueHours: 111},
		},
		Exemptions: []compute.ExemptionRow{
			{RuleID: "go/weak-crypto" + extra, File: "legacy/**", ApprovedBy: "security-team" + extra, Expires: policy.Date{Year: 2026, Month: 3, Day: 20}, Line: 52, DaysLeft: -11, Open: 2},
			{RuleID: "dockerfile.latest-tag", ApprovedBy: "", Expires: policy.Date{Year: 2026, Month: 4, Day: 15}, Line: 58, DaysLeft: 15, Open: 1},
			{RuleID: "go/unused", Expires: policy.Date{Year: 2026, Month: 12, Day: 31}, Line: 64, DaysLeft: 275, Open: 3},
		},
		Shipped: []compute.ShippedRow{
			{DeploymentID: "deploy-0311" + extra, Time: at(11, 12), Critical: 0, High: 1},
			{DeploymentID: "deploy-0320", Time: at(20, 15), Critical: 1, High: 2},
		},
	}
	d.Skipped = []string{"scans/2026/03/abc/semgrep-0123456789ab.sarif: runs[0].results[3]: want a ruleId" + extra}
	d.Warnings = []string{"No scan of gitleaks this month is of the trunk main: its 4 scans are of other refs (feature/x" + extra + ")."}
	return m
}
