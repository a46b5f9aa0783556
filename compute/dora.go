package compute

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
)

// doraIndex holds deployments, changes and incidents prepared once, so a
// period is a binary search and a pass over its own deployments.
type doraIndex struct {
	deps     []prodDeployment // production deployments, in time order
	restores []restore        // production incidents resolved, by resolved time
	incs     []fact.Incident
	skipped  []string
	pinned   fact.Source                 // deploy.source when it names one source
	sources  map[string]fact.SourceMonth // by month
	// Incidents are tracked from since (every period when zero), or not
	// at all when untracked.
	since     time.Time
	untracked bool
}

// prodDeployment is a production deployment with what it shipped and caused.
type prodDeployment struct {
	fact.Deployment
	changes  []leadChange
	failed   bool // a production incident is attributed to it
	security bool // … of category security
	rework   bool // it ships a revert or the fix of an attributed production incident

	incidents []string // the production incidents attributed to it (explain)
	fixes     []string // the attributed production incidents it shipped the fix of (explain)
	revert    bool     // it ships a revert (explain)
}

type leadChange struct {
	sha     string
	subject string
	author  string
	hours   float64 // lead time in hours
	seconds float64
	counted fact.Counted
	// startedBy names what gave it its start, when not its own date (a
	// squash merge's pull request, fact.Change.StartedBy).
	startedBy string
	// unassigned: the paths it changes were read and touch no service.
	unassigned bool
}

type restore struct {
	resolved time.Time
	hours    float64
	in       *fact.Incident
}

func newDoraIndex(f *fact.Facts, cfg *config.Settings, loc *time.Location) doraIndex {
	x := doraIndex{sources: map[string]fact.SourceMonth{}}
	x.since, x.untracked = incidentsSince(f, cfg, loc)
	if s := fact.Source(cfg.Deploy.Source); slices.Contains(fact.Sources, s) {
		x.pinned = s
	}
	for _, sm := range f.Sources {
		x.sources[sm.Month] = sm
	}
	for _, d := range f.Deployments {
		if d.Production {
			x.deps = append(x.deps, prodDeployment{Deployment: d})
		}
	}
	sort.SliceStable(x.deps, func(i, j int) bool { return x.deps[i].Time.Before(x.deps[j].Time) })
	at := map[string]int{} // deployment id → position (the first deployment with an id wins)
	for i := range x.deps {
		if _, ok := at[x.deps[i].ID]; !ok {
			at[x.deps[i].ID] = i
		}
	}
	for _, c := range f.Changes {
		i, ok := at[c.DeploymentID]
		if !ok {
			continue
		}
		d := &x.deps[i]
		d.changes = append(d.changes, leadChange{
			sha: c.SHA, subject: c.Subject, author: c.Author,
			hours: float64(c.LeadTime) / float64(time.Hour), seconds: c.LeadTime.Seconds(),
			counted: c.Counted, startedBy: c.StartedBy, unassigned: c.Touched && len(c.Services) == 0,
		})
		if c.Revert {
			d.rework, d.revert = true, true
		}
	}
	for _, in := range f.Incidents {
		if !in.Production {
			continue
		}
		x.incs = append(x.incs, in)
		if i, ok := at[in.DeploymentID]; ok && in.Attribution != fact.AttrNone {
			x.deps[i].failed = true
			x.deps[i].incidents = append(x.deps[i].incidents, in.ID)
			if in.Category == fact.CategorySecurity {
				x.deps[i].security = true
			}
		}
		if i, ok := at[in.FixedBy]; ok && in.Attribution != fact.AttrNone {
			x.deps[i].rework = true
			x.deps[i].fixes = append(x.deps[i].fixes, in.ID)
		}
		if in.Resolved != nil {
			x.restores = append(x.restores, restore{resolved: *in.Resolved, hours: float64(in.Resolved.Sub(in.Opened)) / float64(time.Hour), in: &in})
		}
	}
	sort.SliceStable(x.restores, func(i, j int) bool { return x.restores[i].resolved.Before(x.restores[j].resolved) })
	sort.SliceStable(x.incs, func(i, j int) bool { return x.incs[i].Opened.Before(x.incs[j].Opened) })
	for _, p := range f.Problems {
		x.skipped = append(x.skipped, p.String())
	}
	return x
}

// incidentsSince is the start of the first month incidents are tracked
// for (docs/metrics.md, "No incident data is not zero failures"):
// incidents.since; else, with incidents.from_reverts, every month (zero);
// else the month of the earliest production incident opened. untracked
// says no month is: no incident was ever recorded.
func incidentsSince(f *fact.Facts, cfg *config.Settings, loc *time.Location) (since time.Time, untracked bool) {
	if s := cfg.Incidents.Since; s != "" {
		t, err := time.ParseInLocation("2006-01", s, loc)
		if err == nil { // the config was validated
			return t, false
		}
	}
	if cfg.Incidents.FromReverts {
		return time.Time{}, false
	}
	var first time.Time
	for _, in := range f.Incidents {
		if in.Production && (first.IsZero() || in.Opened.Before(first)) {
			first = in.Opened
		}
	}
	if first.IsZero() {
		return time.Time{}, true
	}
	t := first.In(loc)
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc), false
}

// tracks reports whether incidents are tracked over the whole of p.
func (x *doraIndex) tracks(p Period) bool { return !x.untracked && !p.Start.Before(x.since) }

// span is the deployments with a time in [start, end).
func (x *doraIndex) span(start, end time.Time) []prodDeployment {
	lo := sort.Search(len(x.deps), func(i int) bool { return !x.deps[i].Time.Before(start) })
	hi := sort.Search(len(x.deps), func(i int) bool { return !x.deps[i].Time.Before(end) })
	return x.deps[lo:hi]
}

// period fills deployment_frequency, lead_time, change_failure_rate,
// time_to_restore and rework_rate of m, and the DORA parts of m.Detail.
func (x *doraIndex) period(m *Month, p Period, loc *time.Location) {
	deps := x.span(p.Start, p.End)
	df := &m.DeploymentFrequency
	days := map[string]bool{}
	var leads []float64
	var overhead []float64
	lt := &m.LeadTime
	cfr := &m.ChangeFailureRate
	rework, unassigned := 0, 0
	rec := m.Detail.recorder() // the rows of each figure, for explain
	for i := range deps {
		d := &deps[i]
		df.Total++
		rec.deployment(listTotal, d, d.Status == fact.StatusBlocked)
		switch d.Status {
		case fact.StatusSuccess:
			df.Successful++
			rec.deployment(listSuccessful, d, true)
		case fact.StatusBlocked:
			df.Blocked++
			rec.deployment(listBlocked, d, true)
		case fact.StatusFailure:
			df.Failed++
			rec.deployment(listFailed, d, true)
		}
		if d.Status != fact.StatusSuccess {
			continue
		}
		days[dayOf(d.Time, loc)] = true
		cfr.Deployments++
		rec.deployment(listCFR, d, d.failed)
		if d.failed {
			cfr.FailedDeployments++
			rec.deployment(listFailedDeps, d, true)
		}
		if d.security {
			cfr.SecurityRelatedFailures++
			rec.deployment(listSecurity, d, true)
		}
		rec.deployment(listRework, d, d.rework)
		if d.rework {
			rework++
		}
		for ci := range d.changes {
			c := &d.changes[ci]
			switch c.counted {
			case fact.CountedYes:
				leads = append(leads, c.hours)
				if c.unassigned {
					unassigned++
					rec.change(listUnassigned, d, c)
				}
				rec.changeValue(listChanges, d, c, c.hours)
				if c.startedBy != "" {
					lt.SquashResolved++
					rec.change(listSquash, d, c)
				}
				if d.ScanSeconds != nil && c.seconds > 0 {
					pct := 100 * (*d.ScanSeconds) / c.seconds
					overhead = append(overhead, pct)
					rec.changeValue(listOverhead, d, c, pct)
				}
			case fact.CountedBot:
				if d.Baseline {
					lt.SkippedBots++
					rec.change(listBots, d, c)
				}
			case fact.CountedNegative:
				if d.Baseline {
					lt.SkippedNegative++
					rec.change(listNegative, d, c)
				}
			}
		}
	}
	df.DeployDays = len(days)
	df.Source = x.source(deps)
	if len(x.deps) > 0 && x.deps[0].Time.Before(p.End) {
		perDay := float64(df.Successful) / p.Length()
		df.PerDay = &perDay
	}
	if df.Total > 0 {
		df.BlockRate = ratio(df.Blocked, df.Total)
	}
	slices.Sort(leads)
	lt.Changes = len(leads)
	lt.UnassignedChanges = &unassigned // shown with services only (History.compute)
	lt.P50Hours = Percentile(leads, 50)
	lt.P95Hours = Percentile(leads, 95)
	lt.MeanHours = Mean(leads)
	lt.ScanOverheadPct = Mean(overhead)
	tracked := x.tracks(p)
	if cfr.Deployments > 0 && tracked {
		cfr.Rate = ratio(cfr.FailedDeployments, cfr.Deployments)
		m.ReworkRate = ratio(rework, cfr.Deployments)
	}
	var restores []float64
	lo := sort.Search(len(x.restores), func(i int) bool { return !x.restores[i].resolved.Before(p.Start) })
	for _, r := range x.restores[lo:] {
		if !r.resolved.Before(p.End) {
			break
		}
		restores = append(restores, r.hours)
		rec.incident(listRestores, r.in, r.hours)
	}
	slices.Sort(restores)
	m.TimeToRestore.Incidents = len(restores)
	if tracked {
		m.TimeToRestore.MeanHours = Mean(restores)
		m.TimeToRestore.P50Hours = Percentile(restores, 50)
	}
	if s := m.samp; s != nil { // an organisation's figures are computed from these (org.go)
		s.days, s.started, s.leads, s.overhead, s.restores, s.tracked, s.rework = days, df.PerDay != nil, leads, overhead, restores, tracked, rework
	}

	if d := m.Detail; d != nil {
		x.detail(d, deps, leads, p, loc)
		d.IncidentsUntracked = !tracked
		if !x.untracked && !x.since.IsZero() {
			d.IncidentsSince = MonthOf(x.since, loc)
		}
	}
}

// source is where deps were read from: the pinned source, else the
// source of most of them (a month's all come from one), nil without any.
func (x *doraIndex) source(deps []prodDeployment) *string {
	if x.pinned != "" {
		s := string(x.pinned)
		return &s
	}
	n := map[fact.Source]int{}
	best := fact.Source("")
	for _, d := range deps {
		n[d.Source]++
		if best == "" || n[d.Source] > n[best] {
			best = d.Source
		}
	}
	if best == "" {
		return nil
	}
	s := string(best)
	return &s
}

func ratio(a, b int) *float64 {
	v := float64(a) / float64(b)
	return &v
}

// slowChanges is how many of the slowest counted changes Detail lists.
const slowChanges = 5

func (x *doraIndex) detail(dt *Detail, deps []prodDeployment, leads []float64, p Period, loc *time.Location) {
	dt.LeadTimeHours = leads
	for _, d := range deps {
		if d.Status != fact.StatusSuccess {
			continue
		}
		for _, c := range d.changes {
			if c.counted == fact.CountedYes {
				dt.SlowChanges = append(dt.SlowChanges, ChangeRow{SHA: c.sha, Subject: c.subject, DeploymentID: d.ID, LeadTimeHours: c.hours})
			}
		}
	}
	slices.SortFunc(dt.SlowChanges, func(a, b ChangeRow) int {
		if a.LeadTimeHours != b.LeadTimeHours {
			return cmp.Compare(b.LeadTimeHours, a.LeadTimeHours)
		}
		return strings.Compare(a.SHA, b.SHA)
	})
	if len(dt.SlowChanges) > slowChanges {
		dt.SlowChanges = slices.Clip(dt.SlowChanges[:slowChanges])
	}
	if sm, ok := x.sources[p.Name]; ok && x.pinned == "" {
		for _, passed := range sm.Passed() {
			dt.Warnings = append(dt.Warnings, fmt.Sprintf("Deployments this month come from %s (%d), but %s hold more (%d): the figures use %s. Pin one source with deploy.source in gitdora.yml.",
				sourceText(sm.Used), sm.Counts[sm.Used], sourceText(passed), sm.Counts[passed], sourceText(sm.Used)))
		}
	}
	if src := x.source(deps); src != nil {
		dt.DeploymentSource = fact.Source(*src)
	}
	for _, d := range deps {
		// Where the scan seconds of the period's deployments came from.
		if d.ScanSecondsFrom != "" {
			if dt.ScanSecondsFrom == nil {
				dt.ScanSecondsFrom = map[string]int{}
			}
			dt.ScanSecondsFrom[d.ScanSecondsFrom]++
		}
	}
	start := p.Start.In(loc)
	wd := (int(start.Weekday()) + 6) % 7 // days since Monday
	for w := time.Date(start.Year(), start.Month(), start.Day()-wd, 0, 0, 0, 0, loc); w.Before(p.End); w = w.AddDate(0, 0, 7) {
		week := WeekCFR{Start: w}
		for _, d := range deps {
			if d.Status != fact.StatusSuccess || d.Time.Before(w) || !d.Time.Before(w.AddDate(0, 0, 7)) {
				continue
			}
			week.Deployments++
			if d.failed {
				week.Failed++
			}
		}
		dt.Weeks = append(dt.Weeks, week)
	}
	for _, in := range x.incs {
		opened := p.Contains(in.Opened)
		resolved := in.Resolved != nil && p.Contains(*in.Resolved)
		if !opened && !resolved {
			continue
		}
		dt.Incidents = append(dt.Incidents, IncidentRow{
			ID: in.ID, Severity: in.Severity, Category: in.Category, Title: in.Title,
			Opened: in.Opened, Resolved: in.Resolved, DeploymentID: in.DeploymentID, Attribution: in.Attribution,
		})
	}
	dt.Skipped = slices.Clip(x.skipped) // judge may append to it
}

// sourceText names a deployment source in a report.
func sourceText(s fact.Source) string {
	switch s {
	case fact.SourceEvents:
		return "deployment events"
	case fact.SourceCI:
		return "deploy workflow runs"
	case fact.SourceTags:
		return "tags"
	}
	return "no source"
}
