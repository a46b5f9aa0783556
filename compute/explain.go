package compute

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/order"
	"github.com/gitdora/gitdora/policy"
)

// Rule says how a figure follows from the rows of its Explanation.
type Rule string

// Rules of explanations.
const (
	// RuleCount: the figure is the number of rows.
	RuleCount Rule = "count"
	// RuleDistinctDays: the number of distinct days of the rows (deployments).
	RuleDistinctDays Rule = "distinct-days"
	// RulePerDay: the number of rows over the period's length in days.
	RulePerDay Rule = "per-day"
	// RuleRatio: the rows that are In over all rows.
	RuleRatio Rule = "ratio"
	// RulePercent: 100 × the rows that are In over all rows.
	RulePercent Rule = "percent"
	// RuleMean: the mean of the rows' values, summed in the order listed.
	RuleMean Rule = "mean"
	// RulePercentile: Percentile of the rows' values (listed ascending).
	RulePercentile Rule = "percentile"
	// RuleClass: a class of the DORA benchmark, from the figures of Basis.
	RuleClass Rule = "class"
	// RuleSource: the source the deployments (rows) were read from: the
	// one deploy.source pins, else the one most of them come from (the
	// first to reach that number, in time order).
	RuleSource Rule = "source"
)

// RowKind is what the rows of an Explanation are.
type RowKind string

// Kinds of rows.
const (
	RowsDeployments RowKind = "deployments"
	RowsChanges     RowKind = "changes"
	RowsIncidents   RowKind = "incidents"
	RowsEpisodes    RowKind = "episodes"
	RowsScans       RowKind = "scans"
	RowsResults     RowKind = "results"
	RowsPulls       RowKind = "pulls"
	RowsNone        RowKind = ""
)

// Explanation is one figure of a month with the rows it was computed
// from, as the computation of the figure took them: a figure and its
// explanation come from one pass, so they agree.
type Explanation struct {
	// Key is the figure's JSON key (lead_time.p50_hours).
	Key   string
	Month string
	// Value is the figure (nil: null); Class is the figure of a
	// classification key, Text that of another key whose value is a
	// string (deployment_frequency.source).
	Value *float64
	Class *string
	Text  *string
	Rule  Rule
	// P is the percentile of RulePercentile (50, 95).
	P float64
	// Ranks are the two ranks RulePercentile interpolated between; nil
	// without rows.
	Ranks *Ranks
	// Days is the period's length of RulePerDay.
	Days float64
	// Of is what the rows are; List names the row list, which the keys
	// that share it share (lead_time.changes, …p50_hours, …mean_hours).
	Of   RowKind
	List string
	// Rows are listed in the order the figure took them: ascending by
	// value for a percentile (and the mean that sorts first).
	Rows []Row
	// Basis are the figures a class is taken from; Benchmark names the
	// benchmark (classification.benchmark).
	Basis     []Basis
	Benchmark string
	// Note says why a figure is null, or what else to know.
	Note string
}

// Ranks are the 1-based ranks, among the values in ascending order, that
// a percentile interpolates between: value = v[Lower] + Weight ×
// (v[Upper] − v[Lower]). Lower equals Upper when the percentile falls on
// one value.
type Ranks struct {
	Lower, Upper int
	Weight       float64
}

// ranksOf is the Ranks of the p-th percentile of n values; nil when n is 0.
func ranksOf(n int, p float64) *Ranks {
	if n == 0 {
		return nil
	}
	i, t := position(n, p)
	return &Ranks{Lower: i + 1, Upper: min(i+2, n), Weight: t}
}

// Basis is a figure a class is taken from.
type Basis struct {
	Key   string
	Value *float64
	Class *string
}

// Row is one thing a figure counts or takes a value from; exactly one of
// Deployment, Change, Incident, Episode, Scan, Result and Pull is set.
type Row struct {
	// Rank is the row's place among the values in ascending order (1:
	// the smallest), in a list a percentile is taken over; 0 otherwise.
	Rank int
	// Value is what the figure takes from the row: hours, seconds or a
	// percentage; nil for a row that is only counted.
	Value *float64
	// In says the row counts in the numerator of a ratio taken over the
	// list (block_rate, change_failure_rate.rate, rework_rate,
	// sla.fixed_within_pct); a count counts every row of its list.
	In bool

	Deployment *DeploymentRow
	Change     *LeadRow
	Incident   *IncidentRow
	Episode    *Episode
	Scan       *ScanInfo
	Result     *ResultRow
	Pull       *PullRow
	// Policy is, beside the Episode of a security policy figure's row,
	// what that figure took from the episode; rows of one episode share it.
	Policy *EpisodePolicy
}

// DeploymentRow is a production deployment as explain lists it.
type DeploymentRow struct {
	ID          string
	Time        time.Time
	Day         string // YYYY-MM-DD in the zone of the months
	SHA         string
	Status      fact.Status
	Source      fact.Source
	Changes     int // commits it newly shipped
	ScanSeconds *float64
	// Incidents are the production incidents attributed to it; Security
	// says one of them is of category security.
	Incidents []string
	Security  bool
	// Fixes are the attributed production incidents whose fix it shipped;
	// Revert says it ships a revert.
	Fixes  []string
	Revert bool
}

// LeadRow is a deployed change as explain lists it.
type LeadRow struct {
	SHA, Subject, Author string
	DeploymentID         string
	Deployed             time.Time
	LeadTimeHours        float64
	Counted              fact.Counted
	// ScanSeconds are its deployment's (scan overhead).
	ScanSeconds *float64
	// StartedBy names what gave its lead time its start when its own
	// date did not (lead_time.squash_resolved): its pull request's head
	// (refs/pull/N/head), or the imported pull request whose merge_sha
	// it is (its id); "" otherwise.
	StartedBy string
}

// ScanInfo is a trunk scan as explain lists it.
type ScanInfo struct {
	ID, Tool, Commit string
	Time             time.Time
	DurationSeconds  *float64
}

// ResultRow is a suppressed SARIF result as explain lists it
// (accepted_risk.suppressed).
type ResultRow struct {
	ScanID, Tool, RuleID string
	Severity             fact.Severity
	URI                  string
	Line                 int
	Fingerprint          string
	// Observed is the time of the trunk scan (the runs of its stored
	// file) it was reported suppressed in.
	Observed time.Time
}

// EpisodePolicy is what the security policy's figures take from a
// finding episode (docs/metrics.md, "Security policy figures").
type EpisodePolicy struct {
	// Due is its first-seen time plus the SLA of its severity; nil when
	// the policy sets no SLA for it.
	Due *time.Time
	// Exemption is the exemption that covers it on the period's last day
	// or, expired, last named it; nil when none names it.
	Exemption *ExemptionRef
	// CWEs are every CWE its SARIF result gives (owasp_top10).
	CWEs []string
	// LiveFrom and LiveUntil bound its production exposure: nil LiveFrom
	// when it was never live, nil LiveUntil while it is live still.
	LiveFrom, LiveUntil *time.Time
	// Shipped is the first successful production deployment that shipped
	// the commit of the scan that first had it; FixShipped the first that
	// shipped the commit of the scan that fixed it. Nil when none did.
	Shipped, FixShipped *DeploymentRef
}

// DeploymentRef names a production deployment.
type DeploymentRef struct {
	ID   string
	Time time.Time
}

// ExemptionRef is an exemption of the policy as explain lists it.
type ExemptionRef struct {
	// Line is where gitdora.yml gives it.
	Line int
	// Path is the glob of a path exemption; "" for a finding exemption.
	Path string
	// RuleID, Tool, File (a glob) and Fingerprint are what a finding
	// exemption names ("" where it does not restrict).
	RuleID, Tool, File, Fingerprint string
	Justification, ApprovedBy       string
	// Expires is a finding exemption's last day; zero for a path.
	Expires policy.Date
}

// recorder keeps the rows a period's computation counts, by list; a nil
// recorder keeps nothing (the figures alone are computed).
type recorder struct {
	loc   *time.Location
	eps   *episodes
	lists map[string][]Row
	// full is each episode recorded, made once: a fixed finding is a
	// row of four lists or more, which share it (rows are read only).
	full map[int32]*Episode
}

// recorder is the recorder of the computation d belongs to; nil when d
// is nil or rows are not asked for.
func (d *Detail) recorder() *recorder {
	if d == nil {
		return nil
	}
	return d.rec
}

// dayOf is the calendar day of t in loc, as YYYY-MM-DD.
func dayOf(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01-02") }

func (r *recorder) add(list string, row Row) { r.lists[list] = append(r.lists[list], row) }

func (r *recorder) deployment(list string, d *prodDeployment, in bool) {
	if r == nil {
		return
	}
	r.add(list, Row{In: in, Deployment: &DeploymentRow{
		ID: d.ID, Time: d.Time, Day: dayOf(d.Time, r.loc), SHA: d.SHA, Status: d.Status, Source: d.Source,
		Changes: d.Changes, ScanSeconds: d.ScanSeconds, Incidents: d.incidents, Security: d.security, Fixes: d.fixes, Revert: d.revert,
	}})
}

func (r *recorder) leadRow(d *prodDeployment, c *leadChange) *LeadRow {
	return &LeadRow{SHA: c.sha, Subject: c.subject, Author: c.author, DeploymentID: d.ID, Deployed: d.Time,
		LeadTimeHours: c.hours, Counted: c.counted, ScanSeconds: d.ScanSeconds, StartedBy: c.startedBy}
}

// change records a change that is counted; changeValue one the figure
// takes the value v from.
func (r *recorder) change(list string, d *prodDeployment, c *leadChange) {
	if r == nil {
		return
	}
	r.add(list, Row{In: true, Change: r.leadRow(d, c)})
}

func (r *recorder) changeValue(list string, d *prodDeployment, c *leadChange, v float64) {
	if r == nil {
		return
	}
	val := v // on the heap only when rows are kept
	r.add(list, Row{In: true, Value: &val, Change: r.leadRow(d, c)})
}

func (r *recorder) incident(list string, in *fact.Incident, hours float64) {
	if r == nil {
		return
	}
	row := IncidentRow{ID: in.ID, Severity: in.Severity, Category: in.Category, Title: in.Title,
		Opened: in.Opened, Resolved: in.Resolved, DeploymentID: in.DeploymentID, Attribution: in.Attribution}
	val := hours
	r.add(list, Row{In: true, Value: &val, Incident: &row})
}

// episode records episode i of the history; v is nil for a count.
func (r *recorder) episode(list string, i int32, v *float64) {
	r.add(list, Row{In: true, Value: v, Episode: r.episodeOf(i)})
}

// episodeOf is episode i of the history, made on its first row.
func (r *recorder) episodeOf(i int32) *Episode {
	e := r.full[i]
	if e == nil {
		if r.full == nil {
			r.full = map[int32]*Episode{}
		}
		full := r.eps.full(int(i))
		e = &full
		r.full[i] = e
	}
	return e
}

func (r *recorder) scan(list string, s *scanRow, v *float64) {
	r.add(list, Row{In: true, Value: v, Scan: &ScanInfo{ID: s.id, Tool: s.tool, Commit: s.commit, Time: s.time, DurationSeconds: s.duration}})
}

// policyEpisode records episode i of the history with what the policy's
// figure took from it (pol); v is nil for a count, in says it counts in
// the numerator of a percentage.
func (r *recorder) policyEpisode(list string, i int32, pol *EpisodePolicy, v *float64, in bool) {
	if r == nil {
		return
	}
	r.add(list, Row{In: in, Value: v, Episode: r.episodeOf(i), Policy: pol})
}

// result records the suppressed result xi of the facts, reported by the
// trunk scan of time at.
func (r *recorder) result(list string, xi fref, at time.Time) {
	x := r.eps.at(xi)
	r.add(list, Row{In: true, Result: &ResultRow{ScanID: r.eps.f.Scans[xi.scan].ID, Tool: x.Tool, RuleID: x.RuleID, Severity: x.Severity,
		URI: x.URI, Line: int(x.Line), Fingerprint: x.Fingerprint(), Observed: at}})
}

// Row lists and keys of the figures (SPEC's JSON keys).
const (
	listTotal      = "deployment_frequency.total"
	listSuccessful = "deployment_frequency.successful"
	listBlocked    = "deployment_frequency.blocked"
	listFailed     = "deployment_frequency.failed"
	listCFR        = "change_failure_rate.deployments"
	listFailedDeps = "change_failure_rate.failed_deployments"
	listSecurity   = "change_failure_rate.security_related_failures"
	listRework     = "rework_rate"
	listChanges    = "lead_time.changes"
	listNegative   = "lead_time.skipped_negative"
	listBots       = "lead_time.skipped_bots"
	listOverhead   = "lead_time.scan_overhead_pct"
	listSquash     = "lead_time.squash_resolved"
	listPulls      = "cycle_time.pull_requests"
	listRestores   = "time_to_restore.incidents"
	listFixes      = "vulnerabilities.fix_lead_time"
	listScans      = "scans.count"
	listDurations  = "scans.duration"
	listFixToProd  = "vulnerabilities.exposure.fix_to_production_p50_hours"
	listExempted   = "vulnerabilities.accepted_risk.exempted"
	listSuppressed = "vulnerabilities.accepted_risk.suppressed"
	listExpiring   = "vulnerabilities.accepted_risk.expiring_30d"
	listExpired    = "vulnerabilities.accepted_risk.expired"

	prefixFixed    = "vulnerabilities.fixed."
	prefixNew      = "vulnerabilities.new."
	prefixOpen     = "vulnerabilities.open_at_end."
	prefixMTTR     = "vulnerabilities.mttr_hours."
	prefixBreached = "vulnerabilities.sla.breached_open."
	prefixWithin   = "vulnerabilities.sla.fixed_within_pct."
	prefixExposed  = "vulnerabilities.exposure.mean_hours."
	prefixLive     = "vulnerabilities.exposure.live_at_end."
	prefixOWASP    = "vulnerabilities.owasp_top10."
	prefixTool     = "scans.by_tool."
)

// owaspLists are the row lists of the OWASP Top 10 figures, by edition
// (as editions) and category (A01 at 0). They are named from the ids
// alone: reading the table of package owasp is left to the first
// command that needs it, not done at every start.
var owaspLists = func() [][10]string {
	out := make([][10]string, len(editions))
	for k, ed := range editions {
		for c := range out[k] {
			out[k][c] = fmt.Sprintf("%s%s.A%02d", prefixOWASP, ed, c+1)
		}
	}
	return out
}()

// spec is how a key is explained: the list of its rows, the rule, the
// percentile, and whether the list is sorted by value first.
type spec struct {
	list   string
	rule   Rule
	p      float64
	of     RowKind
	sorted bool
}

var specs = map[string]spec{
	"deployment_frequency.total":       {listTotal, RuleCount, 0, RowsDeployments, false},
	"deployment_frequency.successful":  {listSuccessful, RuleCount, 0, RowsDeployments, false},
	"deployment_frequency.blocked":     {listBlocked, RuleCount, 0, RowsDeployments, false},
	"deployment_frequency.failed":      {listFailed, RuleCount, 0, RowsDeployments, false},
	"deployment_frequency.per_day":     {listSuccessful, RulePerDay, 0, RowsDeployments, false},
	"deployment_frequency.deploy_days": {listSuccessful, RuleDistinctDays, 0, RowsDeployments, false},
	"deployment_frequency.block_rate":  {listTotal, RuleRatio, 0, RowsDeployments, false},
	"deployment_frequency.source":      {listTotal, RuleSource, 0, RowsDeployments, false},

	"lead_time.changes":           {listChanges, RuleCount, 0, RowsChanges, true},
	"lead_time.p50_hours":         {listChanges, RulePercentile, 50, RowsChanges, true},
	"lead_time.p95_hours":         {listChanges, RulePercentile, 95, RowsChanges, true},
	"lead_time.mean_hours":        {listChanges, RuleMean, 0, RowsChanges, true},
	"lead_time.skipped_negative":  {listNegative, RuleCount, 0, RowsChanges, false},
	"lead_time.skipped_bots":      {listBots, RuleCount, 0, RowsChanges, false},
	"lead_time.scan_overhead_pct": {listOverhead, RuleMean, 0, RowsChanges, false},
	"lead_time.squash_resolved":   {listSquash, RuleCount, 0, RowsChanges, false},
	listUnassigned:                {listUnassigned, RuleCount, 0, RowsChanges, false},

	"cycle_time.pull_requests":    {listPulls, RuleCount, 0, RowsPulls, false},
	"cycle_time.coding_p50_hours": {cycleList(StageCoding), RulePercentile, 50, RowsPulls, true},
	"cycle_time.pickup_p50_hours": {cycleList(StagePickup), RulePercentile, 50, RowsPulls, true},
	"cycle_time.review_p50_hours": {cycleList(StageReview), RulePercentile, 50, RowsPulls, true},
	"cycle_time.deploy_p50_hours": {cycleList(StageDeploy), RulePercentile, 50, RowsPulls, true},

	"change_failure_rate.deployments":               {listCFR, RuleCount, 0, RowsDeployments, false},
	"change_failure_rate.failed_deployments":        {listFailedDeps, RuleCount, 0, RowsDeployments, false},
	"change_failure_rate.rate":                      {listCFR, RuleRatio, 0, RowsDeployments, false},
	"change_failure_rate.security_related_failures": {listSecurity, RuleCount, 0, RowsDeployments, false},

	"time_to_restore.incidents":  {listRestores, RuleCount, 0, RowsIncidents, true},
	"time_to_restore.mean_hours": {listRestores, RuleMean, 0, RowsIncidents, true},
	"time_to_restore.p50_hours":  {listRestores, RulePercentile, 50, RowsIncidents, true},

	"rework_rate": {listRework, RuleRatio, 0, RowsDeployments, false},

	"vulnerabilities.fix_lead_time_p50_hours": {listFixes, RulePercentile, 50, RowsEpisodes, true},
	"vulnerabilities.fix_lead_time_p95_hours": {listFixes, RulePercentile, 95, RowsEpisodes, true},

	listExempted:   {listExempted, RuleCount, 0, RowsEpisodes, false},
	listSuppressed: {listSuppressed, RuleCount, 0, RowsResults, false},
	listExpiring:   {listExpiring, RuleCount, 0, RowsEpisodes, false},
	listExpired:    {listExpired, RuleCount, 0, RowsEpisodes, false},
	listFixToProd:  {listFixToProd, RulePercentile, 50, RowsEpisodes, true},

	"scans.count":                {listScans, RuleCount, 0, RowsScans, false},
	"scans.duration_p50_seconds": {listDurations, RulePercentile, 50, RowsScans, true},
	"scans.duration_p95_seconds": {listDurations, RulePercentile, 95, RowsScans, true},
}

// classBasis are the figures each class of the benchmark is taken from;
// the first one's rows explain it.
var classBasis = map[string][]string{
	"classification.deployment_frequency": {"deployment_frequency.deploy_days", "deployment_frequency.per_day"},
	"classification.lead_time":            {"lead_time.p50_hours"},
	"classification.change_failure_rate":  {"change_failure_rate.rate"},
	"classification.time_to_restore":      {"time_to_restore.p50_hours"},
	"classification.overall": {"classification.deployment_frequency", "classification.lead_time",
		"classification.change_failure_rate", "classification.time_to_restore"},
}

// specOf is how key is explained; ok is false for a key that is not a
// figure explain knows.
func specOf(key string) (spec, bool) {
	if s, ok := specs[key]; ok {
		return s, true
	}
	for _, sev := range fact.Severities {
		switch key {
		case prefixFixed + string(sev):
			return spec{prefixFixed + string(sev), RuleCount, 0, RowsEpisodes, false}, true
		case prefixMTTR + string(sev):
			return spec{prefixFixed + string(sev), RuleMean, 0, RowsEpisodes, false}, true
		case prefixNew + string(sev):
			return spec{prefixNew + string(sev), RuleCount, 0, RowsEpisodes, false}, true
		case prefixOpen + string(sev):
			return spec{prefixOpen + string(sev), RuleCount, 0, RowsEpisodes, false}, true
		case prefixBreached + string(sev):
			return spec{prefixBreached + string(sev), RuleCount, 0, RowsEpisodes, false}, true
		case prefixWithin + string(sev):
			return spec{prefixWithin + string(sev), RulePercent, 0, RowsEpisodes, false}, true
		case prefixExposed + string(sev):
			return spec{prefixExposed + string(sev), RuleMean, 0, RowsEpisodes, false}, true
		case prefixLive + string(sev):
			return spec{prefixLive + string(sev), RuleCount, 0, RowsEpisodes, false}, true
		}
	}
	if strings.HasPrefix(key, prefixOWASP) {
		for _, lists := range owaspLists {
			if slices.Contains(lists[:], key) {
				return spec{key, RuleCount, 0, RowsEpisodes, false}, true
			}
		}
	}
	if rest, ok := strings.CutPrefix(key, prefixTool); ok {
		if tool, ok := strings.CutSuffix(rest, ".count"); ok && tool != "" {
			return spec{prefixTool + tool + ".count", RuleCount, 0, RowsScans, false}, true
		}
		if tool, ok := strings.CutSuffix(rest, ".duration_p95_seconds"); ok && tool != "" {
			return spec{prefixTool + tool + ".duration", RulePercentile, 95, RowsScans, true}, true
		}
	}
	return spec{}, false
}

// Explained is a month computed together with the rows behind each of
// its figures.
type Explained struct {
	month  Month
	lists  map[string][]Row
	days   float64
	sorted map[string]bool
	pinned fact.Source // deploy.source, when it names one
	doc    any         // the month's JSON, decoded on first need (figure)
}

// figure is figureIn of x's month, its JSON decoded once for every key.
func (x *Explained) figure(key string) (v *float64, class *string, found bool) {
	if x.doc == nil {
		x.doc = monthDoc(&x.month)
	}
	return figureIn(&x.month, x.doc, key)
}

// Explained computes the month of p, as Period does, and keeps the rows
// each figure was computed from.
func (h *History) Explained(p Period) (Month, *Explained) {
	rec := &recorder{loc: h.Loc, eps: h.security.eps, lists: map[string][]Row{}}
	d := h.detail(p)
	d.rec = rec
	m := h.compute(p, d)
	m.Detail.rec = nil
	return m, &Explained{month: m, lists: rec.lists, days: p.Length(), sorted: map[string]bool{}, pinned: h.dora.pinned}
}

// Explain is the explanation of the figure key (a JSON key of SPEC §5,
// e.g. lead_time.p50_hours) of the month of p, computed from h.
func Explain(h *History, p Period, key string) (Explanation, error) {
	_, x := h.Explained(p)
	return x.Of(key)
}

// UnknownKeyError is a key that names no figure explain knows.
type UnknownKeyError struct {
	Key string
}

func (e *UnknownKeyError) Error() string {
	return fmt.Sprintf("%q is not a figure of a month (want a JSON key of `gitdora compute --format json`, e.g. lead_time.p50_hours, change_failure_rate.rate, vulnerabilities.mttr_hours.high)", e.Key)
}

// Month is the month the explanations are of.
func (x *Explained) Month() *Month { return &x.month }

// Of is the explanation of the figure key. The rows are shared with
// other explanations of x: they are not to be changed.
func (x *Explained) Of(key string) (Explanation, error) {
	if basis, ok := classBasis[key]; ok {
		return x.class(key, basis)
	}
	s, ok := specOf(key)
	if !ok {
		return Explanation{}, &UnknownKeyError{Key: key}
	}
	v, text, found := x.figure(key)
	if !found && !strings.HasPrefix(key, prefixTool) {
		return Explanation{}, &UnknownKeyError{Key: key}
	}
	e := Explanation{Key: key, Month: x.month.Month, Value: v, Text: text, Rule: s.rule, P: s.p, Of: s.of, List: s.list, Rows: x.rows(s)}
	if !found {
		e.Note = "no scan of this tool in the month"
	}
	switch s.rule {
	case RulePerDay:
		e.Days = x.days
		if v == nil {
			e.Note = "no production deployment before the month ended: the deployment frequency is unknown, not zero"
		}
	case RulePercentile:
		e.Ranks = ranksOf(len(e.Rows), s.p)
	case RuleSource:
		switch {
		case x.pinned != "":
			e.Note = "deploy.source in gitdora.yml pins the source: deployments are read from it alone"
		case text == nil:
			e.Note = "no production deployment in the month: the source is null (n/a)"
		default:
			e.Note = "the source most of them come from (the first to reach that number, in time order); deploy.source in gitdora.yml pins one"
		}
	}
	if e.Value == nil && e.Text == nil && e.Note == "" {
		if note := x.untrackedNote(key); note != "" {
			e.Note = note
		} else if len(e.Rows) == 0 {
			e.Note = "nothing to compute it from: the figure is null (n/a), never 0"
		}
	}
	return e, nil
}

// incidentKeys are the figures that are null in a month no incident
// source covers (docs/metrics.md, "No incident data is not zero failures").
var incidentKeys = map[string]bool{
	"change_failure_rate.rate": true, "rework_rate": true, "time_to_restore.mean_hours": true, "time_to_restore.p50_hours": true,
	"classification.change_failure_rate": true, "classification.time_to_restore": true,
}

// untrackedNote says why the figure key is null when no incident source
// covers the month; "" for any other key or month.
func (x *Explained) untrackedNote(key string) string {
	d := x.month.Detail
	if !incidentKeys[key] || d == nil || !d.IncidentsUntracked {
		return ""
	}
	since := "no incident has been recorded yet"
	if d.IncidentsSince != "" {
		since = "incidents are tracked from " + d.IncidentsSince + " (incidents.since)"
	}
	return "no incident source covers this month (" + since + "): the figure is null (n/a), not 0, whatever the rows below; no incident data is not zero failures"
}

// rows is the list of s, sorted by value (ranked) when s says so; it is
// sorted once and shared.
func (x *Explained) rows(s spec) []Row {
	rows := x.lists[s.list]
	if s.sorted && !x.sorted[s.list] {
		// By value, then in the order taken.
		rows = order.Stable(rows, func(a, b *Row) int { return cmp.Compare(*a.Value, *b.Value) })
		for i := range rows {
			rows[i].Rank = i + 1
		}
		x.lists[s.list] = rows
		x.sorted[s.list] = true
	}
	return rows
}

// class explains a classification key by the figures it is taken from.
func (x *Explained) class(key string, basis []string) (Explanation, error) {
	_, c, _ := x.figure(key)
	e := Explanation{Key: key, Month: x.month.Month, Class: c, Rule: RuleClass, Benchmark: x.month.Detail.Benchmark}
	for _, b := range basis {
		v, bc, _ := x.figure(b)
		e.Basis = append(e.Basis, Basis{Key: b, Value: v, Class: bc})
	}
	if first, ok := specOf(basis[0]); ok {
		e.Of, e.List, e.Rows = first.of, first.list, x.rows(first)
		if first.rule == RulePercentile && len(e.Rows) > 0 {
			e.P, e.Ranks = first.p, ranksOf(len(e.Rows), first.p)
		}
	}
	if c == nil {
		e.Note = "no data to classify: the class is null (n/a)"
		if note := x.untrackedNote(key); note != "" {
			e.Note = note
		}
	}
	return e, nil
}

// Keys lists the figures of the month that have an explanation, in the
// order of the month's JSON.
func (x *Explained) Keys() []string {
	var out []string
	for _, k := range figureKeys(&x.month) {
		if _, ok := classBasis[k]; ok {
			out = append(out, k)
		} else if _, ok := specOf(k); ok {
			out = append(out, k)
		}
	}
	return out
}

// monthDoc is the month's JSON, decoded (numbers as json.Number), nil
// when it does not encode.
func monthDoc(m *Month) any {
	b, err := json.Marshal(m)
	if err != nil {
		return nil
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if dec.Decode(&doc) != nil {
		return nil
	}
	return doc
}

// figureIn is the value of key in the month's JSON (doc, as monthDoc
// decodes it): a number (nil for null) or, for a class, a string; found
// is false for a key the JSON does not have.
func figureIn(m *Month, doc any, key string) (v *float64, class *string, found bool) {
	if rest, ok := strings.CutPrefix(key, prefixTool); ok {
		for tool, ts := range m.Scans.ByTool {
			switch rest {
			case tool + ".count":
				n := float64(ts.Count)
				return &n, nil, true
			case tool + ".duration_p95_seconds":
				return ts.DurationP95Seconds, nil, true
			}
		}
		return nil, nil, false
	}
	if doc == nil {
		return nil, nil, false
	}
	for _, part := range strings.Split(key, ".") {
		obj, ok := doc.(map[string]any)
		if !ok {
			return nil, nil, false
		}
		if doc, ok = obj[part]; !ok {
			return nil, nil, false
		}
	}
	switch t := doc.(type) {
	case nil:
		return nil, nil, true
	case json.Number:
		f, err := t.Float64()
		if err != nil {
			return nil, nil, false
		}
		return &f, nil, true
	case string:
		return nil, &t, true
	}
	return nil, nil, false
}

// figureKeys are the dotted keys of the month's JSON whose values are
// numbers, null or strings, in order; scans.by_tool keys come by tool,
// sorted.
func figureKeys(m *Month) []string {
	b, err := json.Marshal(m)
	if err != nil {
		return nil
	}
	var out []string
	var walk func(prefix string, dec *json.Decoder) error
	walk = func(prefix string, dec *json.Decoder) error {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'):
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				name := fmt.Sprint(k)
				if prefix != "" {
					name = prefix + "." + name
				}
				if err := walk(name, dec); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		case json.Delim('['):
			depth := 1
			for depth > 0 {
				t, err := dec.Token()
				if err != nil {
					return err
				}
				switch t {
				case json.Delim('['), json.Delim('{'):
					depth++
				case json.Delim(']'), json.Delim('}'):
					depth--
				}
			}
			return nil
		}
		out = append(out, prefix)
		return nil
	}
	if walk("", json.NewDecoder(bytes.NewReader(b))) != nil {
		return nil
	}
	return out // encoding/json writes map keys sorted: scans.by_tool is in tool order

}

// metricKeys maps the names of Metrics to the JSON keys of the same
// figures.
var metricKeys = map[string]string{
	"sla_breached_open_critical": "vulnerabilities.sla.breached_open.critical",
	"exposure_live_critical":     "vulnerabilities.exposure.live_at_end.critical",
	"sla_breached_open_high":     "vulnerabilities.sla.breached_open.high",
	"exposure_live_high":         "vulnerabilities.exposure.live_at_end.high",
	"sla_breached_open_medium":   "vulnerabilities.sla.breached_open.medium",
	"exposure_live_medium":       "vulnerabilities.exposure.live_at_end.medium",
	"sla_breached_open_low":      "vulnerabilities.sla.breached_open.low",
	"exposure_live_low":          "vulnerabilities.exposure.live_at_end.low",
	"accepted_risk_expired":      "vulnerabilities.accepted_risk.expired",
	"deployments_total":          "deployment_frequency.total",
	"deployments_successful":     "deployment_frequency.successful",
	"deployments_blocked":        "deployment_frequency.blocked",
	"deployments_failed":         "deployment_frequency.failed",
	"deployments_per_day":        "deployment_frequency.per_day",
	"deploy_days":                "deployment_frequency.deploy_days",
	"block_rate":                 "deployment_frequency.block_rate",
	"lead_time_changes":          "lead_time.changes",
	"lead_time_p50_hours":        "lead_time.p50_hours",
	"lead_time_p95_hours":        "lead_time.p95_hours",
	"lead_time_mean_hours":       "lead_time.mean_hours",
	"lead_time_skipped_negative": "lead_time.skipped_negative",
	"lead_time_skipped_bots":     "lead_time.skipped_bots",
	"scan_overhead_pct":          "lead_time.scan_overhead_pct",
	"change_failure_rate":        "change_failure_rate.rate",
	"failed_deployments":         "change_failure_rate.failed_deployments",
	"security_related_failures":  "change_failure_rate.security_related_failures",
	"time_to_restore_incidents":  "time_to_restore.incidents",
	"time_to_restore_mean_hours": "time_to_restore.mean_hours",
	"time_to_restore_p50_hours":  "time_to_restore.p50_hours",
	"rework_rate":                "rework_rate",
	"mttr_critical_hours":        "vulnerabilities.mttr_hours.critical",
	"mttr_high_hours":            "vulnerabilities.mttr_hours.high",
	"mttr_medium_hours":          "vulnerabilities.mttr_hours.medium",
	"mttr_low_hours":             "vulnerabilities.mttr_hours.low",
	"fix_lead_time_p50_hours":    "vulnerabilities.fix_lead_time_p50_hours",
	"fix_lead_time_p95_hours":    "vulnerabilities.fix_lead_time_p95_hours",
	"new_critical":               "vulnerabilities.new.critical",
	"new_high":                   "vulnerabilities.new.high",
	"new_medium":                 "vulnerabilities.new.medium",
	"new_low":                    "vulnerabilities.new.low",
	"fixed_critical":             "vulnerabilities.fixed.critical",
	"fixed_high":                 "vulnerabilities.fixed.high",
	"fixed_medium":               "vulnerabilities.fixed.medium",
	"fixed_low":                  "vulnerabilities.fixed.low",
	"open_critical":              "vulnerabilities.open_at_end.critical",
	"open_high":                  "vulnerabilities.open_at_end.high",
	"open_medium":                "vulnerabilities.open_at_end.medium",
	"open_low":                   "vulnerabilities.open_at_end.low",
	"scans_count":                "scans.count",
	"scan_duration_p50_seconds":  "scans.duration_p50_seconds",
	"scan_duration_p95_seconds":  "scans.duration_p95_seconds",

	"lead_time_squash_resolved":   "lead_time.squash_resolved",
	"cycle_time_pull_requests":    "cycle_time.pull_requests",
	"cycle_time_coding_p50_hours": "cycle_time.coding_p50_hours",
	"cycle_time_pickup_p50_hours": "cycle_time.pickup_p50_hours",
	"cycle_time_review_p50_hours": "cycle_time.review_p50_hours",
	"cycle_time_deploy_p50_hours": "cycle_time.deploy_p50_hours",
}

// MetricKey is the JSON key of the metric of Metrics named name
// (lead_time_p50_hours: lead_time.p50_hours); ok is false for a name
// Metrics does not have.
func MetricKey(name string) (key string, ok bool) {
	key, ok = metricKeys[name]
	return key, ok
}
