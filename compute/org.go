package compute

import (
	"slices"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/owasp"
)

// sample is what the figures of one period of one history are computed
// from, kept by the same computation (Month.samp): the values
// percentiles and means are taken over, and what counts and rates are
// taken of. An organisation's figures are computed from the samples of
// its repositories, never from their figures: percentiles over the union
// of the values, rates over summed counts (docs/services.md).
type sample struct {
	month Month // the figures, for the counts

	days      map[string]bool // days with a successful production deployment
	started   bool            // a production deployment before the period's end
	leads     []float64       // counted lead times, ascending
	overhead  []float64
	restores  []float64 // ascending
	tracked   bool      // incidents are tracked over the period
	rework    int
	bySev     map[fact.Severity][]float64 // fix times by severity
	fixes     []float64                   // all fix times, ascending
	durations []float64
	byTool    map[string][]float64
	fixed     [4]int
	within    [4]int
	exposure  [4][]float64
	toProd    []float64            // ascending
	cycle     map[string][]float64 // cycle-time stage → hours of the merged pull requests that have it, ascending
}

// Part is one repository of an organisation: the samples of its months,
// computed from its facts as for that repository alone (its own settings:
// incident tracking, policy), without keeping the facts.
type Part struct {
	months map[string]*sample
}

// NewPart computes the months of s over h, keeping what an organisation's
// figures are computed from.
func NewPart(h *History, s Span) *Part {
	pt := &Part{months: map[string]*sample{}}
	for _, p := range s.Periods() {
		smp := &sample{}
		smp.month = h.sampled(p, nil, smp)
		pt.months[p.Name] = smp
	}
	return pt
}

// HasData reports whether the part has anything in the month named: a
// production deployment, a counted change, an incident resolved, a scan
// or an open finding.
func (pt *Part) HasData(month string) bool {
	s := pt.months[month]
	if s == nil {
		return false
	}
	m := &s.month
	v := &m.Vulnerabilities
	return m.DeploymentFrequency.Total > 0 || m.LeadTime.Changes > 0 || m.TimeToRestore.Incidents > 0 || m.Scans.Count > 0 ||
		v.New.Total()+v.Fixed.Total()+v.OpenAtEnd.Total() > 0
}

// Month is the month of p of part: its figures as computed for the
// repository alone (no alerts).
func (pt *Part) Month(p Period) (Month, bool) {
	s := pt.months[p.Name]
	if s == nil {
		return Month{}, false
	}
	return s.month, true
}

// Org rolls the parts of an organisation up into its months.
type Org struct {
	Config *config.Settings // classification and targets
	Scope  Scope
	Parts  []*Part
}

// Period computes the organisation's month of p over the parts: counts
// summed; percentiles and means over the union of the parts' values
// (never averages of their figures); rates over summed counts; the change
// failure rate, rework rate and time to restore over the parts whose
// incidents are tracked in the month alone. Repositories says how many
// parts have data in the month.
func (o *Org) Period(p Period) Month {
	m := Month{
		SchemaVersion: SchemaVersion,
		Month:         p.Name,
		Period:        PeriodInfo{Start: p.Start, End: p.End, Days: p.Days()},
		Scans:         Scans{ByTool: map[string]ToolScans{}},
		Targets:       []TargetResult{},
		Alerts:        []Alert{},
		Scope:         o.Scope,
	}
	if m.Scope.Kind == "" {
		m.Scope.Kind = ScopeOrganisation
	}
	var parts []*sample
	repos := 0
	for _, pt := range o.Parts {
		if s := pt.months[p.Name]; s != nil {
			parts = append(parts, s)
			if pt.HasData(p.Name) {
				repos++
			}
		}
	}
	m.Repositories = &repos
	df, lt, cfr := &m.DeploymentFrequency, &m.LeadTime, &m.ChangeFailureRate
	days := map[string]bool{}
	started, tracked := false, false
	var leads, overhead, restores, fixes, durations, toProd []float64
	bySev := map[fact.Severity][]float64{}
	byTool := map[string][]float64{}
	toolCount := map[string]int{}
	var exposure [4][]float64
	var fixed, within [4]int
	rework, unassigned, withUnassigned := 0, 0, false
	cycle := map[string][]float64{}
	sources := map[string]bool{}
	v := &m.Vulnerabilities
	v.OWASPTop10 = map[string]OWASPCounts{}
	for _, ed := range owasp.Editions() {
		c := OWASPCounts{}
		for _, cat := range owasp.All(ed) {
			c[cat.ID] = 0
		}
		v.OWASPTop10[ed] = c
	}
	for _, s := range parts {
		pm := &s.month
		pdf := &pm.DeploymentFrequency
		df.Total += pdf.Total
		df.Successful += pdf.Successful
		df.Blocked += pdf.Blocked
		df.Failed += pdf.Failed
		if pdf.Total > 0 && pdf.Source != nil {
			sources[*pdf.Source] = true
		}
		for d := range s.days {
			days[d] = true
		}
		started = started || s.started
		leads = append(leads, s.leads...)
		overhead = append(overhead, s.overhead...)
		lt.SkippedNegative += pm.LeadTime.SkippedNegative
		lt.SkippedBots += pm.LeadTime.SkippedBots
		lt.SquashResolved += pm.LeadTime.SquashResolved
		m.CycleTime.PullRequests += pm.CycleTime.PullRequests
		for stage, hours := range s.cycle {
			cycle[stage] = append(cycle[stage], hours...)
		}
		if u := pm.LeadTime.UnassignedChanges; u != nil {
			unassigned += *u
			withUnassigned = true
		}
		m.TimeToRestore.Incidents += pm.TimeToRestore.Incidents
		if s.tracked {
			tracked = true
			cfr.Deployments += pm.ChangeFailureRate.Deployments
			cfr.FailedDeployments += pm.ChangeFailureRate.FailedDeployments
			cfr.SecurityRelatedFailures += pm.ChangeFailureRate.SecurityRelatedFailures
			rework += s.rework
			restores = append(restores, s.restores...)
		}
		pv := &pm.Vulnerabilities
		for _, sev := range fact.Severities {
			addSeverity(&v.New, sev, pv.New.Get(sev))
			addSeverity(&v.Fixed, sev, pv.Fixed.Get(sev))
			addSeverity(&v.OpenAtEnd, sev, pv.OpenAtEnd.Get(sev))
			addSeverity(&v.SLA.BreachedOpen, sev, pv.SLA.BreachedOpen.Get(sev))
			addSeverity(&v.Exposure.LiveAtEnd, sev, pv.Exposure.LiveAtEnd.Get(sev))
			bySev[sev] = append(bySev[sev], s.bySev[sev]...)
		}
		fixes = append(fixes, s.fixes...)
		for i := range fixed {
			fixed[i] += s.fixed[i]
			within[i] += s.within[i]
			exposure[i] = append(exposure[i], s.exposure[i]...)
		}
		toProd = append(toProd, s.toProd...)
		ar := &v.AcceptedRisk
		ar.Exempted += pv.AcceptedRisk.Exempted
		ar.Suppressed += pv.AcceptedRisk.Suppressed
		ar.Expiring30d += pv.AcceptedRisk.Expiring30d
		ar.Expired += pv.AcceptedRisk.Expired
		for ed, counts := range pv.OWASPTop10 {
			c := v.OWASPTop10[ed]
			if c == nil {
				c = OWASPCounts{}
				v.OWASPTop10[ed] = c
			}
			for cat, n := range counts {
				c[cat] += n
			}
		}
		m.Scans.Count += pm.Scans.Count
		durations = append(durations, s.durations...)
		for tool, ts := range pm.Scans.ByTool {
			toolCount[tool] += ts.Count
			byTool[tool] = append(byTool[tool], s.byTool[tool]...)
		}
	}
	df.DeployDays = len(days)
	if started {
		perDay := float64(df.Successful) / p.Length()
		df.PerDay = &perDay
	}
	if df.Total > 0 {
		df.BlockRate = ratio(df.Blocked, df.Total)
	}
	if len(sources) == 1 {
		for src := range sources {
			df.Source = &src
		}
	}
	slices.Sort(leads)
	lt.Changes = len(leads)
	lt.P50Hours = Percentile(leads, 50)
	lt.P95Hours = Percentile(leads, 95)
	lt.MeanHours = Mean(leads)
	lt.ScanOverheadPct = Mean(overhead)
	if withUnassigned {
		lt.UnassignedChanges = &unassigned
	}
	ct := &m.CycleTime
	for _, stage := range CycleStages {
		hours := cycle[stage]
		slices.Sort(hours)
		*ct.stageP50(stage) = Percentile(hours, 50)
	}
	if tracked && cfr.Deployments > 0 {
		cfr.Rate = ratio(cfr.FailedDeployments, cfr.Deployments)
		m.ReworkRate = ratio(rework, cfr.Deployments)
	}
	slices.Sort(restores)
	if tracked {
		m.TimeToRestore.MeanHours = Mean(restores)
		m.TimeToRestore.P50Hours = Percentile(restores, 50)
	}
	v.setFixTimes(bySev, fixes)
	v.setFixRates(fixed, within, exposure, toProd)
	m.Scans.DurationP50Seconds = PercentileOf(durations, 50)
	m.Scans.DurationP95Seconds = PercentileOf(durations, 95)
	for tool, n := range toolCount {
		m.Scans.ByTool[tool] = ToolScans{Count: n, DurationP95Seconds: PercentileOf(byTool[tool], 95)}
	}
	j := &History{Config: o.Config}
	j.targets, j.unknown = parseTargets(o.Config.Targets)
	j.judge(&m)
	return m
}
