package compute

import (
	"time"

	"github.com/gitdora/gitdora/fact"
)

// SchemaVersion is the version of the JSON contract of Month (docs/metrics.md).
const SchemaVersion = 1

// Month is the metrics of one period, with the JSON keys docs/metrics.md defines.
// A metric without data is nil (null in JSON, n/a in text), never 0.
type Month struct {
	SchemaVersion       int               `json:"schema_version"`
	Month               string            `json:"month"`
	Period              PeriodInfo        `json:"period"`
	DeploymentFrequency DeploymentFreq    `json:"deployment_frequency"`
	LeadTime            LeadTime          `json:"lead_time"`
	ChangeFailureRate   ChangeFailureRate `json:"change_failure_rate"`
	TimeToRestore       TimeToRestore     `json:"time_to_restore"`
	ReworkRate          *float64          `json:"rework_rate"`
	Vulnerabilities     Vulnerabilities   `json:"vulnerabilities"`
	Scans               Scans             `json:"scans"`
	CycleTime           CycleTime         `json:"cycle_time"` // cycle.go
	Classification      Classification    `json:"classification"`
	Targets             []TargetResult    `json:"targets"`
	Alerts              []Alert           `json:"alerts"`
	// Scope is what the figures are of (docs/services.md); Repositories
	// says, for an organisation, how many of its repositories have data in
	// the month (nil otherwise).
	Scope        Scope `json:"scope"`
	Repositories *int  `json:"repositories,omitempty"`

	// Detail is what the reports show beyond the contract keys.
	Detail *Detail `json:"-"`

	samp *sample // keeps what the figures are computed from (org.go); nil: none
}

// PeriodInfo is the span a Month covers: [Start, End) in the --tz zone.
type PeriodInfo struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	Days  int       `json:"days"`
}

// DeploymentFreq is deployment_frequency.*.
type DeploymentFreq struct {
	Total      int      `json:"total"`
	Successful int      `json:"successful"`
	Blocked    int      `json:"blocked"`
	Failed     int      `json:"failed"`
	PerDay     *float64 `json:"per_day"`
	DeployDays int      `json:"deploy_days"`
	BlockRate  *float64 `json:"block_rate"`
	// Source is where the period's production deployments were read
	// from: events, ci or tags (the one pinned by deploy.source, else the
	// first source that has any); nil when no source has any.
	Source *string `json:"source"`
}

// LeadTime is lead_time.*.
type LeadTime struct {
	Changes int `json:"changes"`
	// UnassignedChanges counts the counted changes that touch no service:
	// only for a repository (or an organisation) with services.
	UnassignedChanges *int     `json:"unassigned_changes,omitempty"`
	P50Hours          *float64 `json:"p50_hours"`
	P95Hours          *float64 `json:"p95_hours"`
	MeanHours         *float64 `json:"mean_hours"`
	SkippedNegative   int      `json:"skipped_negative"`
	SkippedBots       int      `json:"skipped_bots"`
	ScanOverheadPct   *float64 `json:"scan_overhead_pct"`
	// SquashResolved counts the counted changes whose start came from
	// their pull request (its head, or an imported pull's merge_sha), not
	// their own date.
	SquashResolved int `json:"squash_resolved"`
}

// ChangeFailureRate is change_failure_rate.*.
type ChangeFailureRate struct {
	Deployments             int      `json:"deployments"`
	FailedDeployments       int      `json:"failed_deployments"`
	Rate                    *float64 `json:"rate"`
	SecurityRelatedFailures int      `json:"security_related_failures"`
}

// TimeToRestore is time_to_restore.*.
type TimeToRestore struct {
	Incidents int      `json:"incidents"`
	MeanHours *float64 `json:"mean_hours"`
	P50Hours  *float64 `json:"p50_hours"`
}

// Vulnerabilities is vulnerabilities.*.
type Vulnerabilities struct {
	MTTRHours           SeverityHours  `json:"mttr_hours"`
	FixLeadTimeP50Hours *float64       `json:"fix_lead_time_p50_hours"`
	FixLeadTimeP95Hours *float64       `json:"fix_lead_time_p95_hours"`
	New                 SeverityCounts `json:"new"`
	Fixed               SeverityCounts `json:"fixed"`
	OpenAtEnd           SeverityCounts `json:"open_at_end"`
	// The security policy's figures (policy.go).
	SLA          SLA                    `json:"sla"`
	AcceptedRisk AcceptedRisk           `json:"accepted_risk"`
	OWASPTop10   map[string]OWASPCounts `json:"owasp_top10"` // by edition: 2021, 2025
	Exposure     Exposure               `json:"exposure"`
}

// SeverityHours is a duration in hours per severity, nil where there is no data.
type SeverityHours struct {
	Critical *float64 `json:"critical"`
	High     *float64 `json:"high"`
	Medium   *float64 `json:"medium"`
	Low      *float64 `json:"low"`
}

// Get is the hours of severity sev ("critical", "high", "medium", "low"),
// nil for any other.
func (h SeverityHours) Get(sev fact.Severity) *float64 {
	switch sev {
	case fact.SeverityCritical:
		return h.Critical
	case fact.SeverityHigh:
		return h.High
	case fact.SeverityMedium:
		return h.Medium
	case fact.SeverityLow:
		return h.Low
	}
	return nil
}

// SeverityCounts is a count per severity.
type SeverityCounts struct {
	Critical int `json:"critical"`
	High     int `json:"high"`
	Medium   int `json:"medium"`
	Low      int `json:"low"`
}

// Get is the count of severity sev ("critical", "high", "medium", "low"),
// 0 for any other.
func (c SeverityCounts) Get(sev fact.Severity) int {
	switch sev {
	case fact.SeverityCritical:
		return c.Critical
	case fact.SeverityHigh:
		return c.High
	case fact.SeverityMedium:
		return c.Medium
	case fact.SeverityLow:
		return c.Low
	}
	return 0
}

// Total is the count of all severities.
func (c SeverityCounts) Total() int { return c.Critical + c.High + c.Medium + c.Low }

// Scans is scans.*.
type Scans struct {
	Count              int                  `json:"count"`
	DurationP50Seconds *float64             `json:"duration_p50_seconds"`
	DurationP95Seconds *float64             `json:"duration_p95_seconds"`
	ByTool             map[string]ToolScans `json:"by_tool"`
}

// ToolScans is scans.by_tool.<tool>.
type ToolScans struct {
	Count              int      `json:"count"`
	DurationP95Seconds *float64 `json:"duration_p95_seconds"`
}

// Classes of the DORA benchmark clusters.
const (
	Elite  = "elite"
	High   = "high"
	Medium = "medium"
	Low    = "low"
)

// Classification is classification.*: a class per metric, nil without data.
type Classification struct {
	DeploymentFrequency *string `json:"deployment_frequency"`
	LeadTime            *string `json:"lead_time"`
	ChangeFailureRate   *string `json:"change_failure_rate"`
	TimeToRestore       *string `json:"time_to_restore"`
	Overall             *string `json:"overall"`
}

// TargetResult is one entry of targets[]: a team goal and whether it was met
// (Value and Met are nil when the metric has no data).
type TargetResult struct {
	Metric string   `json:"metric"`
	Op     string   `json:"op"`
	Target float64  `json:"target"`
	Value  *float64 `json:"value"`
	Met    *bool    `json:"met"`
}

// Alert is one entry of alerts[]: a rule firing at the evaluation time.
type Alert struct {
	Name     string `json:"name"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Since    string `json:"since"` // YYYY-MM-DD, first day of the current firing streak
}

// Detail holds what the monthly report shows beyond the contract keys.
// Each part is nil or empty when there is nothing to show.
type Detail struct {
	Benchmark string // classification.benchmark used

	// LeadTimeHours are the counted changes' lead times, ascending.
	LeadTimeHours []float64
	// Weeks splits the month's change failure rate by week (weeks start on Monday).
	Weeks []WeekCFR
	// OpenFindings are the episodes open at the end of the period.
	OpenFindings []OpenFinding
	// Results and Suppressed count the results of the period's trunk scans
	// and those suppressed (triaged as false positive or accepted risk).
	Results, Suppressed int
	// ScanOverheadBySource says where scan seconds came from: "event", "ci", "sarif".
	ScanSecondsFrom map[string]int
	// CodeLOC is the code base size used for the scan-duration budget (0: unknown).
	CodeLOC int
	// Incidents lists the incidents of the period and how each was attributed.
	Incidents []IncidentRow
	// Sources names where deployments came from: "events", "ci", "tags".
	DeploymentSource fact.Source
	// DataCommit is the data-branch commit the facts were read at.
	DataCommit string
	// Trunk is the branch whose scans make finding lifecycles.
	Trunk string
	// IncidentsUntracked says no incident source covers the month: its
	// change failure rate, time to restore and rework rate are nil.
	// IncidentsSince is the first month incidents are tracked for ("" when
	// none is, or every month is).
	IncidentsUntracked bool
	IncidentsSince     string
	// Warnings say what makes the month's figures other than a reader may
	// expect (a deployment source passed over, scans only off the trunk,
	// no incident source); the report shows them.
	Warnings []string
	// Skipped lists input that was skipped and why.
	Skipped []string
	// SlowChanges are the counted changes with the longest lead times,
	// longest first (the report lists a few to investigate).
	SlowChanges []ChangeRow
	// Policy is what the report shows of the security policy (policy.go).
	Policy *PolicyDetail
	// Amended and Voided count the recorded events of the period
	// (deployments by time, incidents by opening) that corrections
	// amended, and voided (docs/corrections.md).
	Amended, Voided int

	rec *recorder // keeps the rows of the figures (Explained); nil: none
	// CycleStages are the cycle-time stages of the period's merged pull
	// requests, in order; nil when none was merged (cycle.go).
	CycleStages []CycleStage
}

// ChangeRow is a deployed change as the report lists it.
type ChangeRow struct {
	SHA, Subject, DeploymentID string
	LeadTimeHours              float64
}

// WeekCFR is the change failure rate of the deployments of one week.
type WeekCFR struct {
	Start       time.Time
	Deployments int
	Failed      int
}

// OpenFinding is a finding episode open at the end of the period.
type OpenFinding struct {
	Tool, RuleID string
	Severity     fact.Severity
	URI          string
	Message      string // the SARIF message of its latest result
	CWE          string // its latest CWE ("CWE-79"), "" when none is known
	FirstSeen    time.Time
	AgeHours     float64
}

// IncidentRow is an incident as the report lists it.
type IncidentRow struct {
	ID           string
	Severity     fact.Severity
	Category     fact.Category
	Title        string
	Opened       time.Time
	Resolved     *time.Time
	DeploymentID string
	Attribution  fact.Attribution // commit, deployment, time, revert or none
}
