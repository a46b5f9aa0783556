package render

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/owasp"
)

// Report is what the monthly report shows: one month, the month before it
// (for the change) and the months of the trend charts.
type Report struct {
	Month compute.Month
	// Prev is the month before, nil when it was not computed.
	Prev *compute.Month
	// Trend are the months of the trend charts, oldest first, ending with
	// Month; the caller chooses how many (nil shows Month alone).
	Trend []compute.Month
	// Partial says the month has not ended yet.
	Partial bool
	// Explain computes the rows behind the month's figures: when set, the
	// summary links each figure to them, on the site's page of the
	// month's rows (ExplainPagePath). It is called once, when that page is
	// rendered, so a site of many months holds the rows of a few at a time.
	Explain func() *compute.Explained
	// FindingDetails shows the rule ids, files and messages of open
	// findings (report.findings: full). Without it the report holds
	// none of them, only counts, ages, severities, tools and categories
	// (docs/publishing.md): the view a template sees has no details to leak.
	FindingDetails bool
}

// monthView is what the report templates see. Every text field that can
// hold text from commits, SARIF or incidents is MD (escaped); the rest is
// our own text.
type monthView struct {
	html    bool
	figures map[string]*Figure

	Month     string // YYYY-MM
	Name      string // March 2026
	Period    string
	Partial   bool
	Overall   string
	Benchmark string
	PrevMonth string

	// Warnings say what makes the month's figures other than a reader
	// may expect (compute.Detail.Warnings).
	Warnings []MD
	Summary  []summaryRow
	Security securityView
	LeadTime leadView
	Cycle    cycleView // cycle.go
	Failures failureView
	Vulns    vulnView
	Policy   policyView // policy.go
	Alerts   []alertRow
	Advice   []advice
	Missing  []missing
	Method   methodView
	// TrendCount is how many months the trend figure covers.
	TrendCount int
}

type summaryRow struct {
	Metric, Value, Target, Status, Change, Class string

	name string // the metric's name in compute.Metrics
}

type securityView struct {
	Overhead, OverheadTarget, OverheadStatus string
	Blocked, Total, Failed, Successful       int
	BlockRate                                string
	Results, Suppressed                      int
	SuppressedShare                          string
	Scans                                    int
	P50, P95                                 string
	LOC                                      string
	Budget                                   string

	// What advice and figures read too, computed once here.
	budget          float64  // scan-duration budget in seconds, 0 when unknown
	budgetTier      string   // the code base size the budget is for
	suppressedShare *float64 // Suppressed of Results, nil without results
}

type leadView struct {
	Changes                      int
	P50, P95, Mean               string
	SkippedNegative, SkippedBots int
	Slow                         []slowRow
}

type slowRow struct {
	SHA, Subject, Deployment MD
	LeadTime                 string
}

type failureView struct {
	Deployments, Failed, SecurityRelated int
	Rate                                 string
	Restored                             int
	RestoreMean, RestoreP50              string
	Rework                               string
	Incidents                            []incidentRow
	IncidentsMore                        int
}

type incidentRow struct {
	ID, Severity, Category, Title, Deployment MD
	Opened, Resolved, Attribution             string
}

type vulnView struct {
	FixP50, FixP95 string
	Open           int
	OpenCritical   int
	// Oldest lists the oldest open findings with their rule, file and
	// message: only with Report.FindingDetails.
	Oldest   []findingRow
	OpenMore int
	// Categories counts the open findings by tool and CWE in place of
	// Oldest, without Report.FindingDetails; CategoriesMore are the rows
	// left out, and OWASP is the credit line its OWASP column needs.
	Categories     []categoryRow
	CategoriesMore int
	OWASP          string
}

type findingRow struct {
	Severity, Tool, Rule, File, Message MD
	Age                                 string
}

// categoryRow counts the open findings of one tool and CWE.
type categoryRow struct {
	Tool, CWE, OWASP            MD
	Critical, High, Medium, Low int
	Oldest                      string
	oldest                      float64 // hours, for the order
}

type alertRow struct {
	Name, Severity, Since, Message MD
}

type advice struct {
	Text   MD
	Figure MD
}

type missing struct {
	What string
	How  MD
}

type methodView struct {
	Benchmark        string
	Thresholds       []thresholdRow
	DeploymentSource string
	Trunk            MD
	DataCommit       MD
	Corrections      string
	ScanSecondsFrom  string
	TZ               string
	Skipped          []MD
	SkippedMore      int
}

type thresholdRow struct{ Metric, Elite, High, Medium, Low string }

// severities are the per-severity keys of docs/metrics.md, worst first.
var severities = []string{"critical", "high", "medium", "low"}

var severityColors = map[string]string{"critical": "#b3261e", "high": "#e8710a", "medium": "#f2b705", "low": "#4a7fd4"}

// listLimit caps the rows of the lists (slow changes, incidents, oldest findings, skipped input).
const listLimit = 10

// newMonthView builds what the templates show for r, for Markdown; as
// builds the same view for a page.
func newMonthView(r Report) *monthView {
	m := &r.Month
	d := m.Detail
	if d == nil {
		d = &compute.Detail{}
	}
	v := &monthView{
		figures:   map[string]*Figure{},
		Month:     m.Month,
		Name:      monthName(m),
		Period:    periodText(m.Period),
		Partial:   r.Partial,
		Overall:   className(m.Classification.Overall),
		Benchmark: d.Benchmark,
	}
	if v.Benchmark == "" {
		v.Benchmark = compute.BenchmarkDORA2023
	}
	if r.Prev != nil {
		v.PrevMonth = r.Prev.Month
	}
	for _, w := range d.Warnings {
		v.Warnings = append(v.Warnings, Text(w, 600))
	}
	v.Summary = summaryRows(m, r.Prev)
	if r.Explain != nil {
		linkRows(v.Summary, m.Month)
	}
	v.Security = securityOf(m, d)
	v.LeadTime = leadOf(m, d)
	v.Cycle = cycleOf(m)
	v.Failures = failuresOf(m, d)
	v.Vulns = vulnsOf(m, d, r.FindingDetails)
	v.Policy = policyOf(m, d, r.FindingDetails)
	for _, a := range m.Alerts {
		v.Alerts = append(v.Alerts, alertRow{Name: Text(a.Name, 80), Severity: Text(a.Severity, 20), Since: Text(a.Since, 20), Message: Text(a.Message, 200)})
	}
	v.Method = methodOf(m, d, v.Benchmark)
	v.Advice = adviceFor(m, r.Prev, d, &v.Security, r.FindingDetails)
	v.Missing = missingFor(m, d)

	trend := r.Trend
	if len(trend) == 0 {
		trend = []compute.Month{r.Month}
	}
	v.TrendCount = len(trend)
	v.add(trendFigure(trend))
	v.add(leadTimeFigure(d))
	v.add(cycleFigure(d))
	v.add(weeksFigure(d))
	v.add(mttrFigure(m))
	v.add(openAgeFigure(d))
	v.add(toolsFigure(m, v.Security.budget))
	v.add(owaspFigure(m))
	return v
}

// as is v for Markdown (html false: figures as Mermaid) or for a page
// (html true: chart placeholders), sharing v's figures; v is not changed,
// so one view can render in both modes.
func (v *monthView) as(html bool) *monthView {
	c := *v
	c.html = html
	return &c
}

func (v *monthView) add(f *Figure) {
	if f != nil {
		v.figures[f.ID] = f
	}
}

// Figure renders the figure id: its charts (Mermaid in Markdown, chart
// placeholders in pages) and its table; "" when it has no data.
func (v *monthView) Figure(id string) MD { return renderFigure(v.figures[id], v.html) }

func renderFigure(f *Figure, html bool) MD {
	if f == nil {
		return ""
	}
	var b strings.Builder
	for i := range f.Charts {
		c := &f.Charts[i]
		if c.empty() {
			continue
		}
		if html {
			b.WriteString("```" + chartFence + "\n" + c.ID + "\n```\n\n")
		} else if mm := c.Mermaid(); mm != "" {
			b.WriteString(string(mm) + "\n")
		}
	}
	b.WriteString(string(f.Table.Markdown()))
	return MD(b.String())
}

// chartFence is the info string of the fenced block that stands for a
// chart in the Markdown a page is rendered from.
const chartFence = "gitdora-chart"

// monthName is "March 2026" for the month m covers: its period's start
// in the period's zone, or its label when it has no period.
func monthName(m *compute.Month) string {
	if m.Period.Start.IsZero() {
		return m.Month
	}
	return m.Period.Start.Format("January 2006")
}

func periodText(p compute.PeriodInfo) string {
	if p.Start.IsZero() {
		return na
	}
	last := p.End.AddDate(0, 0, -1)
	return fmt.Sprintf("%s – %s (%d days, times in %s)", p.Start.Format("2 January 2006"), last.Format("2 January 2006"), p.Days, zoneName(p.Start))
}

// zoneName names the time zone of t for the report: its location's name
// (Europe/Berlin, UTC), or t's UTC offset (+01:00) where the name says
// nothing to a reader ("Local", or none).
func zoneName(t time.Time) string {
	if z := t.Location().String(); z != "" && z != "Local" {
		return z
	}
	return t.Format("-07:00")
}

// headline lists the figures of the executive summary and the class key
// each is classified under.
var headline = []struct{ metric, class string }{
	{"deployments_per_day", "deployment_frequency"},
	{"lead_time_p50_hours", "lead_time"},
	{"lead_time_p95_hours", ""},
	{"change_failure_rate", "change_failure_rate"},
	{"time_to_restore_p50_hours", "time_to_restore"},
	{"scan_overhead_pct", ""},
	{"block_rate", ""},
	{"mttr_critical_hours", ""},
	{"mttr_high_hours", ""},
	{"fix_lead_time_p50_hours", ""},
}

func metricValue(m *compute.Month, name string) *float64 {
	if m == nil {
		return nil
	}
	if mt, ok := compute.LookupMetric(name); ok {
		return mt.Value(m)
	}
	return nil
}

func targetOf(m *compute.Month, name string) *compute.TargetResult {
	for i := range m.Targets {
		if m.Targets[i].Metric == name {
			return &m.Targets[i]
		}
	}
	return nil
}

// targetText is "< 1 h" for a target of lead_time_p50_hours.
func targetText(t *compute.TargetResult) string {
	u := info(t.Metric).Unit
	return opText(t.Op) + nbsp + u.format(&t.Target)
}

// status is ✅ or ⚠️ for a target, n/a without data, "" without target.
func status(t *compute.TargetResult) string {
	switch {
	case t == nil:
		return ""
	case t.Met == nil:
		return na
	case *t.Met:
		return "✅"
	default:
		return "⚠️"
	}
}

func classOf(c *compute.Classification, key string) string {
	switch key {
	case "deployment_frequency":
		return className(c.DeploymentFrequency)
	case "lead_time":
		return className(c.LeadTime)
	case "change_failure_rate":
		return className(c.ChangeFailureRate)
	case "time_to_restore":
		return className(c.TimeToRestore)
	}
	return ""
}

func summaryRows(m, prev *compute.Month) []summaryRow {
	var rows []summaryRow
	seen := map[string]bool{}
	addRow := func(name, class string) {
		seen[name] = true
		mi := info(name)
		cur := metricValue(m, name)
		row := summaryRow{Metric: mi.Label, Value: mi.Unit.format(cur), Class: classOf(&m.Classification, class), name: name}
		if t := targetOf(m, name); t != nil {
			row.Target = targetText(t)
			row.Status = status(t)
		}
		if prev != nil {
			if d := mi.Unit.delta(cur, metricValue(prev, name)); d != "" {
				row.Change = d
				if d != "±0" {
					better := (*cur > *metricValue(prev, name)) == mi.HigherBetter
					if better {
						row.Change += " (better)"
					} else {
						row.Change += " (worse)"
					}
				}
			}
		}
		rows = append(rows, row)
	}
	for _, h := range headline {
		addRow(h.metric, h.class)
	}
	// The team's other targets follow, in the order of the metric registry.
	for _, mt := range compute.Metrics {
		if !seen[mt.Name] && targetOf(m, mt.Name) != nil {
			addRow(mt.Name, "")
		}
	}
	return rows
}

func locText(loc int) string {
	switch {
	case loc >= 1_000_000:
		return trimNum(float64(loc)/1e6, 1) + "M LOC"
	case loc >= 1000:
		return trimNum(float64(loc)/1e3, 1) + "K LOC"
	default:
		return fmt.Sprintf("%d LOC", loc)
	}
}

func securityOf(m *compute.Month, d *compute.Detail) securityView {
	df := m.DeploymentFrequency
	s := securityView{
		Overhead:   unitPercent.format(m.LeadTime.ScanOverheadPct),
		Blocked:    df.Blocked,
		Total:      df.Total,
		Failed:     df.Failed,
		Successful: df.Successful,
		BlockRate:  unitFraction.format(df.BlockRate),
		Results:    d.Results,
		Suppressed: d.Suppressed,
		Scans:      m.Scans.Count,
		P50:        unitSeconds.format(m.Scans.DurationP50Seconds),
		P95:        unitSeconds.format(m.Scans.DurationP95Seconds),
	}
	s.suppressedShare = ratio(d.Suppressed, d.Results)
	s.SuppressedShare = unitFraction.format(s.suppressedShare)
	if t := targetOf(m, "scan_overhead_pct"); t != nil {
		s.OverheadTarget = targetText(t)
		if t.Met != nil { // without data the value already reads n/a
			s.OverheadStatus = status(t)
		}
	}
	s.budget, s.budgetTier = compute.ScanBudget(d.CodeLOC)
	if s.budget > 0 {
		s.LOC = locText(d.CodeLOC)
		s.Budget = "< " + Seconds(s.budget) + " (" + s.budgetTier + ")"
	}
	return s
}

func sourceName(k string) string {
	switch k {
	case "event":
		return "deployment events"
	case "ci":
		return "CI runs"
	case "sarif":
		return "SARIF invocations"
	}
	return k
}

func leadOf(m *compute.Month, d *compute.Detail) leadView {
	lt := m.LeadTime
	v := leadView{
		Changes:         lt.Changes,
		P50:             unitHours.format(lt.P50Hours),
		P95:             unitHours.format(lt.P95Hours),
		Mean:            unitHours.format(lt.MeanHours),
		SkippedNegative: lt.SkippedNegative,
		SkippedBots:     lt.SkippedBots,
	}
	for _, c := range d.SlowChanges { // compute keeps a few
		v.Slow = append(v.Slow, slowRow{SHA: Code(short(c.SHA)), Subject: Text(c.Subject, 100), Deployment: Text(c.DeploymentID, 40), LeadTime: Hours(c.LeadTimeHours)})
	}
	return v
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

func failuresOf(m *compute.Month, d *compute.Detail) failureView {
	c := m.ChangeFailureRate
	v := failureView{
		Deployments:     c.Deployments,
		Failed:          c.FailedDeployments,
		SecurityRelated: c.SecurityRelatedFailures,
		Rate:            unitFraction.format(c.Rate),
		Restored:        m.TimeToRestore.Incidents,
		RestoreMean:     unitHours.format(m.TimeToRestore.MeanHours),
		RestoreP50:      unitHours.format(m.TimeToRestore.P50Hours),
		Rework:          unitFraction.format(m.ReworkRate),
	}
	for i, in := range d.Incidents {
		if i == listLimit {
			v.IncidentsMore = len(d.Incidents) - listLimit
			break
		}
		row := incidentRow{
			ID: Text(in.ID, 40), Severity: Text(string(in.Severity), 20), Category: Text(string(in.Category), 20),
			Title: Text(in.Title, 120), Deployment: Text(in.DeploymentID, 40),
			Opened: dateTime(in.Opened, m.Period.Start.Location()), Resolved: "open",
			Attribution: string(in.Attribution),
		}
		if in.Resolved != nil {
			row.Resolved = dateTime(*in.Resolved, m.Period.Start.Location())
		}
		if in.DeploymentID == "" {
			row.Deployment = "unattributed"
		}
		v.Incidents = append(v.Incidents, row)
	}
	return v
}

func dateTime(t time.Time, loc *time.Location) string {
	if loc != nil {
		t = t.In(loc)
	}
	return t.Format("2006-01-02 15:04")
}

// ageBuckets are the columns of "open findings by age" (upper bounds in hours).
var ageBuckets = []struct {
	label string
	upto  float64
}{{"0–1 d", 24}, {"1–7 d", 168}, {"7–30 d", 720}, {"30–90 d", 2160}, {"≥ 90 d", 0}}

func ageBucket(h float64) int {
	for i, b := range ageBuckets {
		if b.upto == 0 || h < b.upto {
			return i
		}
	}
	return len(ageBuckets) - 1
}

// vulnsOf is the open findings section: with details (report.findings:
// full), the oldest findings one by one; without, counts by tool and
// category, and nothing of a finding's rule, file or message.
func vulnsOf(m *compute.Month, d *compute.Detail, details bool) vulnView {
	vu := m.Vulnerabilities
	v := vulnView{
		FixP50:       unitHours.format(vu.FixLeadTimeP50Hours),
		FixP95:       unitHours.format(vu.FixLeadTimeP95Hours),
		Open:         vu.OpenAtEnd.Total(),
		OpenCritical: vu.OpenAtEnd.Critical,
	}
	if !details {
		v.Categories, v.CategoriesMore = openCategories(d.OpenFindings)
		for _, c := range v.Categories {
			if c.OWASP != na {
				v.OWASP = owasp.Attribution
			}
		}
		return v
	}
	// compute lists them oldest first, without info findings.
	top := d.OpenFindings[:min(len(d.OpenFindings), listLimit)]
	for i := range top {
		f := &top[i]
		v.Oldest = append(v.Oldest, findingRow{
			Severity: Text(string(f.Severity), 20), Tool: Text(f.Tool, 40), Rule: Text(f.RuleID, 80),
			File: Text(f.URI, 100), Message: Text(f.Message, 120), Age: Hours(f.AgeHours),
		})
	}
	v.OpenMore = len(d.OpenFindings) - len(top)
	return v
}

// owaspEdition is the OWASP Top 10 edition the open findings' CWEs are
// named by: the latest.
var owaspEdition = owasp.Editions()[len(owasp.Editions())-1]

// openCategories counts open findings by tool and CWE, the rows with the
// oldest finding first (then by tool and CWE), at most listLimit of them,
// and says how many rows were left out.
func openCategories(open []compute.OpenFinding) ([]categoryRow, int) {
	type key struct{ tool, cwe string }
	rows := map[key]*categoryRow{}
	var order []key
	for i := range open {
		f := &open[i]
		k := key{f.Tool, f.CWE}
		r := rows[k]
		if r == nil {
			r = &categoryRow{Tool: Text(f.Tool, 40), CWE: na, OWASP: na}
			if n, ok := owasp.ParseCWE(f.CWE); ok {
				r.CWE = MD(fmt.Sprintf("CWE-%d", n))
				var names []string
				for _, c := range owasp.Categories(owaspEdition, n) {
					names = append(names, c.ID+":"+owaspEdition+" "+c.Name)
				}
				if len(names) > 0 {
					r.OWASP = Text(strings.Join(names, "; "), 200)
				}
			} else if f.CWE != "" {
				r.CWE = Text(f.CWE, 40)
			}
			rows[k] = r
			order = append(order, k)
		}
		switch f.Severity {
		case fact.SeverityCritical:
			r.Critical++
		case fact.SeverityHigh:
			r.High++
		case fact.SeverityMedium:
			r.Medium++
		case fact.SeverityLow:
			r.Low++
		default:
			continue
		}
		if f.AgeHours > r.oldest || r.Oldest == "" {
			r.oldest, r.Oldest = f.AgeHours, Hours(f.AgeHours)
		}
	}
	out := make([]categoryRow, 0, len(order))
	for _, k := range order {
		if r := rows[k]; r.Oldest != "" {
			out = append(out, *r)
		}
	}
	slices.SortStableFunc(out, func(a, b categoryRow) int {
		if c := cmp.Compare(b.oldest, a.oldest); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Tool, b.Tool); c != 0 {
			return c
		}
		return cmp.Compare(a.CWE, b.CWE)
	})
	if len(out) > listLimit {
		return out[:listLimit], len(out) - listLimit
	}
	return out, 0
}

func methodOf(m *compute.Month, d *compute.Detail, benchmark string) methodView {
	v := methodView{Benchmark: benchmark, TZ: na}
	v.Thresholds = thresholds(benchmark)
	switch d.DeploymentSource {
	case "events":
		v.DeploymentSource = "deployment events recorded on the data branch"
	case "ci":
		v.DeploymentSource = "runs of the deploy workflow in the CI records"
	case "tags":
		v.DeploymentSource = "git tags matching deploy.tag_pattern"
	case "":
		v.DeploymentSource = "none found"
	default:
		v.DeploymentSource = string(d.DeploymentSource)
	}
	v.Trunk = "unknown"
	if d.Trunk != "" {
		v.Trunk = Code(d.Trunk)
	}
	v.Corrections = correctionsText(d.Amended, d.Voided)
	if d.DataCommit != "" {
		v.DataCommit = Code(d.DataCommit)
	} else {
		v.DataCommit = "none (read from a plain directory)"
	}
	var from []string
	for _, k := range slices.Sorted(maps.Keys(d.ScanSecondsFrom)) {
		from = append(from, fmt.Sprintf("%s (%d)", sourceName(k), d.ScanSecondsFrom[k]))
	}
	v.ScanSecondsFrom = strings.Join(from, ", ")
	if !m.Period.Start.IsZero() {
		v.TZ = zoneName(m.Period.Start)
	}
	for i, s := range d.Skipped {
		if i == listLimit {
			v.SkippedMore = len(d.Skipped) - listLimit
			break
		}
		v.Skipped = append(v.Skipped, Text(s, 200))
	}
	return v
}

// thresholds are the DORA benchmark clusters (docs/metrics.md,
// "Classification") as the report explains them (in hours, not Hours' days), from the bounds
// compute classifies by; nil for a benchmark compute does not know.
func thresholds(benchmark string) []thresholdRow {
	b, ok := compute.BoundsOf(benchmark)
	if !ok {
		return nil
	}
	h := func(v float64) string { return trimNum(v, 1) + " h" }
	pct := func(v float64) string { return trimNum(v*100, 1) + " %" }
	row := func(metric, lt, ge string, bounds [3]float64, f func(float64) string) thresholdRow {
		return thresholdRow{metric, lt + " " + f(bounds[0]), lt + " " + f(bounds[1]), lt + " " + f(bounds[2]), ge + " " + f(bounds[2])}
	}
	return []thresholdRow{
		{"Deployment frequency (deploy days per week)", "≥ " + trimNum(compute.DeployDaysPerWeek[0], 1), "≥ " + trimNum(compute.DeployDaysPerWeek[1], 1), "≥ 1 deploy day in the month", "none"},
		row("Lead time for changes (p50)", "<", "≥", b.LeadHours, h),
		row("Change failure rate", "≤", ">", b.ChangeFailureRate, pct),
		row("Time to restore service (p50)", "<", "≥", b.RestoreHours, h),
	}
}
