package compute

// Metric is one number of a Month under its one documented name: the name
// targets, alert conditions and the Prometheus export (gitdora_<name>) use.
type Metric struct {
	Name  string
	Help  string
	Value func(*Month) *float64
}

func count(n int) *float64 { v := float64(n); return &v }

// Metrics lists every metric of a Month (docs/metrics.md) by name, in report order.
var Metrics = []Metric{
	{"deployments_total", "production deployment events", func(m *Month) *float64 { return count(m.DeploymentFrequency.Total) }},
	{"deployments_successful", "successful production deployments", func(m *Month) *float64 { return count(m.DeploymentFrequency.Successful) }},
	{"deployments_blocked", "production deployments blocked by the security gate", func(m *Month) *float64 { return count(m.DeploymentFrequency.Blocked) }},
	{"deployments_failed", "failed production deployments", func(m *Month) *float64 { return count(m.DeploymentFrequency.Failed) }},
	{"deployments_per_day", "successful production deployments per day", func(m *Month) *float64 { return m.DeploymentFrequency.PerDay }},
	{"deploy_days", "days with a successful production deployment", func(m *Month) *float64 { return count(m.DeploymentFrequency.DeployDays) }},
	{"block_rate", "share of production deployments blocked by the security gate (0-1)", func(m *Month) *float64 { return m.DeploymentFrequency.BlockRate }},
	{"lead_time_changes", "changes deployed and counted for lead time", func(m *Month) *float64 { return count(m.LeadTime.Changes) }},
	{"lead_time_p50_hours", "lead time for changes, median, hours", func(m *Month) *float64 { return m.LeadTime.P50Hours }},
	{"lead_time_p95_hours", "lead time for changes, 95th percentile, hours", func(m *Month) *float64 { return m.LeadTime.P95Hours }},
	{"lead_time_mean_hours", "lead time for changes, mean, hours", func(m *Month) *float64 { return m.LeadTime.MeanHours }},
	{"lead_time_skipped_negative", "changes left out for a negative lead time", func(m *Month) *float64 { return count(m.LeadTime.SkippedNegative) }},
	{"lead_time_skipped_bots", "changes left out as authored by bots", func(m *Month) *float64 { return count(m.LeadTime.SkippedBots) }},
	{"lead_time_squash_resolved", "counted changes whose start came from their pull request (squash merges)", func(m *Month) *float64 { return count(m.LeadTime.SquashResolved) }},
	{"scan_overhead_pct", "mean share of lead time spent in security scans, percent", func(m *Month) *float64 { return m.LeadTime.ScanOverheadPct }},
	{"change_failure_rate", "share of successful production deployments that caused an incident (0-1)", func(m *Month) *float64 { return m.ChangeFailureRate.Rate }},
	{"failed_deployments", "successful production deployments with an attributed production incident", func(m *Month) *float64 { return count(m.ChangeFailureRate.FailedDeployments) }},
	{"security_related_failures", "failed deployments with a security incident", func(m *Month) *float64 { return count(m.ChangeFailureRate.SecurityRelatedFailures) }},
	{"time_to_restore_incidents", "production incidents resolved", func(m *Month) *float64 { return count(m.TimeToRestore.Incidents) }},
	{"time_to_restore_mean_hours", "time to restore service, mean, hours", func(m *Month) *float64 { return m.TimeToRestore.MeanHours }},
	{"time_to_restore_p50_hours", "time to restore service, median, hours", func(m *Month) *float64 { return m.TimeToRestore.P50Hours }},
	{"rework_rate", "share of successful deployments that ship a revert or an incident fix (0-1)", func(m *Month) *float64 { return m.ReworkRate }},
	{"cycle_time_pull_requests", "pull requests merged", func(m *Month) *float64 { return count(m.CycleTime.PullRequests) }},
	{"cycle_time_coding_p50_hours", "cycle time, coding (first commit to ready for review), median, hours", func(m *Month) *float64 { return m.CycleTime.CodingP50Hours }},
	{"cycle_time_pickup_p50_hours", "cycle time, pickup (ready to first review), median, hours", func(m *Month) *float64 { return m.CycleTime.PickupP50Hours }},
	{"cycle_time_review_p50_hours", "cycle time, review (first review to merged), median, hours", func(m *Month) *float64 { return m.CycleTime.ReviewP50Hours }},
	{"cycle_time_deploy_p50_hours", "cycle time, deploy (merged to production), median, hours", func(m *Month) *float64 { return m.CycleTime.DeployP50Hours }},
	{"mttr_critical_hours", "mean time to fix critical findings, hours", func(m *Month) *float64 { return m.Vulnerabilities.MTTRHours.Critical }},
	{"mttr_high_hours", "mean time to fix high findings, hours", func(m *Month) *float64 { return m.Vulnerabilities.MTTRHours.High }},
	{"mttr_medium_hours", "mean time to fix medium findings, hours", func(m *Month) *float64 { return m.Vulnerabilities.MTTRHours.Medium }},
	{"mttr_low_hours", "mean time to fix low findings, hours", func(m *Month) *float64 { return m.Vulnerabilities.MTTRHours.Low }},
	{"fix_lead_time_p50_hours", "lead time for security fixes, median, hours", func(m *Month) *float64 { return m.Vulnerabilities.FixLeadTimeP50Hours }},
	{"fix_lead_time_p95_hours", "lead time for security fixes, 95th percentile, hours", func(m *Month) *float64 { return m.Vulnerabilities.FixLeadTimeP95Hours }},
	{"new_critical", "critical finding episodes started", func(m *Month) *float64 { return count(m.Vulnerabilities.New.Critical) }},
	{"new_high", "high finding episodes started", func(m *Month) *float64 { return count(m.Vulnerabilities.New.High) }},
	{"new_medium", "medium finding episodes started", func(m *Month) *float64 { return count(m.Vulnerabilities.New.Medium) }},
	{"new_low", "low finding episodes started", func(m *Month) *float64 { return count(m.Vulnerabilities.New.Low) }},
	{"fixed_critical", "critical finding episodes fixed", func(m *Month) *float64 { return count(m.Vulnerabilities.Fixed.Critical) }},
	{"fixed_high", "high finding episodes fixed", func(m *Month) *float64 { return count(m.Vulnerabilities.Fixed.High) }},
	{"fixed_medium", "medium finding episodes fixed", func(m *Month) *float64 { return count(m.Vulnerabilities.Fixed.Medium) }},
	{"fixed_low", "low finding episodes fixed", func(m *Month) *float64 { return count(m.Vulnerabilities.Fixed.Low) }},
	{"open_critical", "critical finding episodes open at the end", func(m *Month) *float64 { return count(m.Vulnerabilities.OpenAtEnd.Critical) }},
	{"open_high", "high finding episodes open at the end", func(m *Month) *float64 { return count(m.Vulnerabilities.OpenAtEnd.High) }},
	{"open_medium", "medium finding episodes open at the end", func(m *Month) *float64 { return count(m.Vulnerabilities.OpenAtEnd.Medium) }},
	{"open_low", "low finding episodes open at the end", func(m *Month) *float64 { return count(m.Vulnerabilities.OpenAtEnd.Low) }},
	{"scans_count", "trunk scans", func(m *Month) *float64 { return count(m.Scans.Count) }},
	{"scan_duration_p50_seconds", "scan duration, median, seconds", func(m *Month) *float64 { return m.Scans.DurationP50Seconds }},
	{"scan_duration_p95_seconds", "scan duration, 95th percentile, seconds", func(m *Month) *float64 { return m.Scans.DurationP95Seconds }},
	{"sla_breached_open_critical", "critical finding episodes open past their SLA at the end", func(m *Month) *float64 { return count(m.Vulnerabilities.SLA.BreachedOpen.Critical) }},
	{"sla_breached_open_high", "high finding episodes open past their SLA at the end", func(m *Month) *float64 { return count(m.Vulnerabilities.SLA.BreachedOpen.High) }},
	{"sla_breached_open_medium", "medium finding episodes open past their SLA at the end", func(m *Month) *float64 { return count(m.Vulnerabilities.SLA.BreachedOpen.Medium) }},
	{"sla_breached_open_low", "low finding episodes open past their SLA at the end", func(m *Month) *float64 { return count(m.Vulnerabilities.SLA.BreachedOpen.Low) }},
	{"accepted_risk_expired", "open findings named by an expired exemption, counted as open again", func(m *Month) *float64 { return count(m.Vulnerabilities.AcceptedRisk.Expired) }},
	{"exposure_live_critical", "critical finding episodes live in production at the end", func(m *Month) *float64 { return count(m.Vulnerabilities.Exposure.LiveAtEnd.Critical) }},
	{"exposure_live_high", "high finding episodes live in production at the end", func(m *Month) *float64 { return count(m.Vulnerabilities.Exposure.LiveAtEnd.High) }},
	{"exposure_live_medium", "medium finding episodes live in production at the end", func(m *Month) *float64 { return count(m.Vulnerabilities.Exposure.LiveAtEnd.Medium) }},
	{"exposure_live_low", "low finding episodes live in production at the end", func(m *Month) *float64 { return count(m.Vulnerabilities.Exposure.LiveAtEnd.Low) }},
}

// LookupMetric finds a metric by name.
func LookupMetric(name string) (Metric, bool) {
	for _, m := range Metrics {
		if m.Name == name {
			return m, true
		}
	}
	return Metric{}, false
}

// policyMetrics are the metrics whose values come from the security
// policy's figures (History.WindowMetrics).
var policyMetrics = map[string]bool{
	"sla_breached_open_critical": true, "sla_breached_open_high": true, "sla_breached_open_medium": true, "sla_breached_open_low": true,
	"accepted_risk_expired":  true,
	"exposure_live_critical": true, "exposure_live_high": true, "exposure_live_medium": true, "exposure_live_low": true,
}

// PolicyMetric reports whether metric reads the security policy's
// figures, which History.WindowMetrics computes only when asked to.
func PolicyMetric(metric string) bool { return policyMetrics[metric] }
