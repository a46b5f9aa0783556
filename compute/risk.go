package compute

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/owasp"
	"github.com/gitdora/gitdora/policy"
)

// The security policy's figures of a period (docs/metrics.md, "Security
// policy figures"; docs/policy.md): accepted risk, SLA, OWASP Top 10
// categories and production exposure. The policy is judged on the
// period's last day (UTC): an exemption that expired before it exempts
// nothing in that period.

// SLA is vulnerabilities.sla.*.
type SLA struct {
	// BreachedOpen counts the episodes open at the period's end and past
	// their due time (first seen + the SLA of their severity).
	BreachedOpen SeverityCounts `json:"breached_open"`
	// FixedWithinPct is the percentage (0–100) of the period's fixed
	// episodes fixed at or before their due time; nil without fixes.
	FixedWithinPct SeverityPercent `json:"fixed_within_pct"`
}

// SeverityPercent is a percentage per severity, nil where there is no data.
type SeverityPercent struct {
	Critical *float64 `json:"critical"`
	High     *float64 `json:"high"`
	Medium   *float64 `json:"medium"`
	Low      *float64 `json:"low"`
}

// Get is the percentage of severity sev, nil for any other.
func (p SeverityPercent) Get(sev fact.Severity) *float64 { return SeverityHours(p).Get(sev) }

// AcceptedRisk is vulnerabilities.accepted_risk.*: findings that are not
// open because the policy exempts them or a scan reports them suppressed.
type AcceptedRisk struct {
	// Exempted counts the episodes open at the period's end that an
	// exemption covers on its last day.
	Exempted int `json:"exempted"`
	// Suppressed counts the suppressed results of the latest full trunk
	// scan of each tool before the period's end.
	Suppressed int `json:"suppressed"`
	// Expiring30d counts the exempted episodes whose exemption ends within
	// 30 days of the period's last day (path exemptions never end).
	Expiring30d int `json:"expiring_30d"`
	// Expired counts the episodes open at the end that an exemption names
	// but no longer covers: they count as open again.
	Expired int `json:"expired"`
}

// Exposure is vulnerabilities.exposure.*: how long findings were live in
// production.
type Exposure struct {
	// MeanHours is the mean production exposure of the episodes whose
	// exposure ended in the period (their fix reached production).
	MeanHours SeverityHours `json:"mean_hours"`
	// LiveAtEnd counts the episodes live in production at the period's end.
	LiveAtEnd SeverityCounts `json:"live_at_end"`
	// FixToProductionP50Hours is the median time from a fix (the scan that
	// no longer has the finding) to the first production deployment that
	// ships it, over such deployments in the period.
	FixToProductionP50Hours *float64 `json:"fix_to_production_p50_hours"`
}

// OWASPCounts counts open findings by the id of an OWASP Top 10 category
// (A01 … A10); every category of the edition is present.
type OWASPCounts map[string]int

// PolicyDetail is what the report shows of the policy beyond the
// contract keys.
type PolicyDetail struct {
	// Day is the day the policy was judged on: the period's last day.
	Day policy.Date
	// SLA is the time allowed to fix a finding, per severity (critical
	// first, as fact.Severities).
	SLA []time.Duration
	// Exemptions are the policy's finding exemptions, in the file's order.
	Exemptions []ExemptionRow
	// Breaches are the episodes open at the end past their due time,
	// most overdue first.
	Breaches []SLABreach
	// Shipped are the period's successful production deployments that
	// shipped open critical or high findings, in time order.
	Shipped []ShippedRow
}

// ExemptionRow is a finding exemption and where it stands on the day.
type ExemptionRow struct {
	RuleID, Tool, File, Fingerprint string // File is the glob, "" for any
	ApprovedBy                      string
	Expires                         policy.Date
	Line                            int // in gitdora.yml
	DaysLeft                        int // to its last day: 0 on it, negative once expired
	// Open counts the episodes open at the period's end that it names.
	Open int
}

// Expired reports an exemption past its last day.
func (r ExemptionRow) Expired() bool { return r.DaysLeft < 0 }

// Expiring reports an exemption within 30 days of its last day.
func (r ExemptionRow) Expiring() bool { return r.DaysLeft >= 0 && r.DaysLeft <= policy.ExpiringWindow }

// SLABreach is an episode open past its due time at the period's end.
type SLABreach struct {
	Tool, RuleID, URI string
	Severity          fact.Severity
	FirstSeen, Due    time.Time
	OverdueHours      float64 // at the period's end
}

// ShippedRow is a deployment that shipped open critical or high findings.
type ShippedRow struct {
	DeploymentID   string
	Time           time.Time
	Critical, High int
}

// exemptState is how the policy exempts an episode.
type exemptState struct {
	path bool // a path exemption covers it, on every day
	// by is the exemption that decides it (explain): the path exemption,
	// else the finding exemption that covers it through, by index.
	by int32
	// through is the last day a finding exemption covers it (the latest
	// expiry among those that name it); zero when none names it.
	through policy.Date
}

func (s exemptState) named() bool { return s.path || !s.through.IsZero() }

// on reports whether the episode is exempt on day d.
func (s exemptState) on(d policy.Date) bool {
	return s.path || !s.through.IsZero() && !d.After(s.through)
}

// polEp is what the policy's figures need of an episode of severity low
// or above, kept small: one for each episode. Times are Unix nanoseconds,
// 0 for none.
type polEp struct {
	ep    int32     // index into episodes.list
	sev   uint8     // index into fact.Severities
	fixed bool      // closed by a scan that lacks it (not suppressed)
	owasp [2]uint16 // OWASP Top 10 category bits (A01 is bit 0), per edition
	due   int64     // first seen + the SLA of its severity
	// live0, live1: production exposure [live0, live1); live0 is 0 when
	// the episode was never live, live1 while it is live still.
	live0, live1 int64
	// shipped: the first successful production deployment that ships the
	// fixing scan's commit; 0 when none does (yet).
	shipped int64
	// dep0, dep1 (explain): the first successful production deployments
	// (indexes into policyIndex.prod) that shipped the commits of the scan
	// that first had it and of the scan that fixed it; -1 for none.
	dep0, dep1 int32
}

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func hoursBetween(from, to int64) float64 { return float64(to-from) / float64(time.Hour) }

// suppressedObs is a full trunk observation with its suppressed results:
// of each of its scans, the indexes of those among its findings.
type suppressedObs struct {
	time    time.Time
	results []suppressedOf
}

// suppressedOf are suppressed results of one scan, by their index in its
// findings (shared by the scans of the same findings).
type suppressedOf struct {
	scan int32
	idx  []int32
}

// count is how many results o lists.
func (o *suppressedObs) count() int {
	n := 0
	for _, r := range o.results {
		n += len(r.idx)
	}
	return n
}

// policyIndex holds the episodes as the policy sees them.
type policyIndex struct {
	pol *policy.Policy
	eps []polEp // severity low or above, by first seen
	// timed are the indexes into eps of episodes a finding exemption (not
	// a path) names: exempt on some days only, so left out of securityIndex's
	// sorted counts and added back by timedPeriod on the days they count.
	timed      []int32
	exempt     []exemptState      // per episodes.list index; nil without exemptions
	prod       []*fact.Deployment // successful production deployments, by time
	suppressed [][]suppressedObs  // per tool and category, by time
	// until is, per episode of eps, the last instant it bears on a
	// period's figures (relevantUntil): a period skips the episodes that
	// ended before it at the cost of a comparison. untilMax is the latest
	// until of each block of blockSize of them, so that a period skips a
	// block that ended before it at the cost of one: a month's cost grows
	// little with the episodes of the years before it.
	until, untilMax []int64
}

// blockSize is how many episodes a block of policyIndex.untilMax (and of
// securityIndex.endMax) covers.
const blockSize = 64

// never is the end of an episode that is open, or live in production.
const never = math.MaxInt64

// relevantUntil is the last instant episode pe bears on a period's
// figures: an episode that ends before a period starts counts in none of
// them (it is neither open nor live at its end, and it was not fixed,
// shipped or exposed in it).
func relevantUntil(pe *polEp, e *episode, eps *episodes) int64 {
	if e.closed < 0 || pe.live0 != 0 && pe.live1 == 0 {
		return never
	}
	return max(eps.times[e.closed].UnixNano(), pe.live1, pe.shipped)
}

var editions = owasp.Editions()

func newPolicyIndex(f *fact.Facts, cfg *config.Settings, eps *episodes) policyIndex {
	pi := policyIndex{pol: &cfg.Policy}
	pol := pi.pol
	if len(pol.Exemptions.Paths)+len(pol.Exemptions.Findings) > 0 {
		pi.exempt = make([]exemptState, len(eps.list))
	}
	ship := &shipping{}
	if len(eps.list) > 0 { // what commits deployments shipped matters to episodes only
		ship = newShipping(f)
	}
	pi.prod = ship.prod
	sevIndex := map[fact.Severity]uint8{}
	for i, sev := range fact.Severities {
		sevIndex[sev] = uint8(i)
	}
	bits := map[string][2]uint16{}
	n := 0 // episodes of severity low or above: eps is made once, at its size
	for i := range eps.list {
		if _, ok := sevIndex[eps.at(eps.list[i].latest).Severity]; ok {
			n++
		}
	}
	pi.eps = make([]polEp, 0, n)
	for i := range eps.list {
		e := &eps.list[i]
		l := eps.at(e.latest)
		si, ok := sevIndex[l.Severity]
		if !ok {
			continue // info
		}
		first := eps.times[e.opened]
		pe := polEp{ep: int32(i), sev: si, fixed: e.closed >= 0 && e.suppressor.scan < 0, dep0: -1, dep1: -1}
		var ex exemptState
		if pi.exempt != nil {
			ex = exemptionOf(pol, policy.Finding{Tool: l.Tool, RuleID: l.RuleID, File: l.URI, Fingerprint: l.Fingerprint(), Severity: string(l.Severity)})
			pi.exempt[i] = ex
		}
		if due, ok := pol.SLA.Due(string(l.Severity), first); ok {
			pe.due = nanos(due)
		}
		if e.cwe.scan >= 0 {
			c := eps.at(e.cwe).Class
			cwes := c.CWEs
			if len(cwes) == 0 {
				cwes = []string{c.CWE}
			}
			pe.owasp = owaspBits(cwes, bits)
		}
		// Production exposure (docs/metrics.md).
		if pe.fixed {
			if pe.dep1 = ship.of(f.Scans[eps.scans[e.closed]].Commit); pe.dep1 >= 0 {
				pe.shipped = nanos(ship.prod[pe.dep1].Time)
			}
		}
		if pe.dep0 = ship.of(f.Scans[eps.scans[e.opened]].Commit); pe.dep0 >= 0 {
			d := ship.prod[pe.dep0]
			pe.live0 = nanos(first)
			if d.Time.After(first) {
				pe.live0 = nanos(d.Time)
			}
			switch {
			case pe.fixed:
				pe.live1 = pe.shipped
			case e.closed >= 0: // suppressed: accepted risk from then on
				pe.live1 = nanos(eps.times[e.closed])
			}
			if pe.live1 != 0 && pe.live1 <= pe.live0 {
				pe.live0, pe.live1 = 0, 0 // never live
			}
		}
		if ex.named() && !ex.path {
			pi.timed = append(pi.timed, int32(len(pi.eps)))
		}
		pi.eps = append(pi.eps, pe)
	}
	pi.suppressed = eps.suppressed
	pi.until = make([]int64, len(pi.eps))
	pi.untilMax = make([]int64, (len(pi.eps)+blockSize-1)/blockSize)
	for i := range pi.eps {
		pi.until[i] = relevantUntil(&pi.eps[i], &eps.list[pi.eps[i].ep], eps)
		pi.untilMax[i/blockSize] = max(pi.untilMax[i/blockSize], pi.until[i])
	}
	return pi
}

// exemptionOf says how the policy exempts finding x: by the first path
// exemption that matches its file, else through the latest expiry among
// the finding exemptions that name it (on any day, the episode is exempt
// exactly when policy.Exempt says so).
func exemptionOf(p *policy.Policy, x policy.Finding) exemptState {
	var s exemptState
	if x.File != "" {
		for i := range p.Exemptions.Paths {
			if p.Exemptions.Paths[i].Glob.Match(x.File) {
				s.path, s.by = true, int32(i)
				return s
			}
		}
	}
	for i := range p.Exemptions.Findings {
		if e := &p.Exemptions.Findings[i]; e.Matches(x) && (s.through.IsZero() || e.Expires.After(s.through)) {
			s.through, s.by = e.Expires, int32(i)
		}
	}
	return s
}

// setFixRates sets sla.fixed_within_pct and the exposure's mean_hours and
// fix_to_production_p50_hours of v from, by severity (fact.Severities
// order), the episodes fixed, those fixed within their SLA and the hours
// they were live; and the hours from fix to production (sorted here).
func (v *Vulnerabilities) setFixRates(fixed, within [4]int, exposure [4][]float64, toProd []float64) {
	pct := func(i int) *float64 {
		if fixed[i] == 0 {
			return nil
		}
		pct := 100 * float64(within[i]) / float64(fixed[i])
		return &pct
	}
	v.SLA.FixedWithinPct = SeverityPercent{Critical: pct(0), High: pct(1), Medium: pct(2), Low: pct(3)}
	v.Exposure.MeanHours = SeverityHours{Critical: Mean(exposure[0]), High: Mean(exposure[1]), Medium: Mean(exposure[2]), Low: Mean(exposure[3])}
	slices.Sort(toProd)
	v.Exposure.FixToProductionP50Hours = Percentile(toProd, 50)
}

// owaspBits maps CWEs to the OWASP Top 10 categories of each edition.
func owaspBits(cwes []string, cache map[string][2]uint16) [2]uint16 {
	var out [2]uint16
	for _, c := range cwes {
		b, ok := cache[c]
		if !ok {
			if n, ok := owasp.ParseCWE(c); ok {
				for k, ed := range editions {
					for _, cat := range owasp.Categories(ed, n) {
						b[k] |= 1 << categoryIndex(cat.ID)
					}
				}
			}
			cache[c] = b
		}
		out[0] |= b[0]
		out[1] |= b[1]
	}
	return out
}

// categoryIndex is 0 for A01 … 9 for A10.
func categoryIndex(id string) int { return int(id[1]-'0')*10 + int(id[2]-'0') - 1 }

// shipping maps a commit to the first successful production deployment
// that ships it: collect puts each commit in the change set of the first
// deployment (in time) that contains it (fact.Facts.Changes).
type shipping struct {
	prod []*fact.Deployment // successful production deployments, by time
	by   map[string]int32   // full sha → deployment (index into prod)
	shas []string           // the keys of by, sorted: abbreviated shas
}

func newShipping(f *fact.Facts) *shipping {
	s := &shipping{by: map[string]int32{}}
	for i := range f.Deployments {
		if d := &f.Deployments[i]; d.Production && d.Status == fact.StatusSuccess {
			s.prod = append(s.prod, d)
		}
	}
	slices.SortStableFunc(s.prod, func(a, b *fact.Deployment) int { return a.Time.Compare(b.Time) })
	at := make(map[*fact.Deployment]int32, len(s.prod))
	for i, d := range s.prod {
		at[d] = int32(i)
	}
	byID := map[string]int32{} // the first deployment of the facts with an id
	for i := range f.Deployments {
		if d, ok := at[&f.Deployments[i]]; ok {
			if _, dup := byID[f.Deployments[i].ID]; !dup {
				byID[f.Deployments[i].ID] = d
			}
		}
	}
	for i := range f.Changes {
		c := &f.Changes[i]
		if d, ok := byID[c.DeploymentID]; ok {
			sha := strings.ToLower(c.SHA)
			if _, dup := s.by[sha]; !dup {
				s.by[sha] = d
				s.shas = append(s.shas, sha)
			}
		}
	}
	slices.Sort(s.shas)
	return s
}

// of is the deployment (its index in prod) that first shipped commit (a
// full sha, or an unambiguous abbreviation of 7 or more hex digits); -1
// when no successful production deployment contains it.
func (s *shipping) of(commit string) int32 {
	commit = strings.ToLower(commit)
	if d, ok := s.by[commit]; ok {
		return d
	}
	if len(commit) >= 40 || len(commit) < 7 {
		return -1
	}
	i, _ := slices.BinarySearch(s.shas, commit)
	if i < len(s.shas) && strings.HasPrefix(s.shas[i], commit) && (i+1 == len(s.shas) || !strings.HasPrefix(s.shas[i+1], commit)) {
		return s.by[s.shas[i]]
	}
	return -1
}

// periodDay is the day a period is judged on: its last day, in UTC.
func periodDay(p Period) policy.Date { return policy.DateOf(p.End.Add(-time.Nanosecond)) }

// exemptOn reports whether episode i (of episodes.list) is exempt on d.
func (pi *policyIndex) exemptOn(i int, d policy.Date) bool {
	return pi.exempt != nil && pi.exempt[i].on(d)
}

// named reports whether an exemption names episode i on some day: such
// episodes are counted by timedPeriod, not by securityIndex's arrays.
func (pi *policyIndex) named(i int) bool { return pi.exempt != nil && pi.exempt[i].named() }

// timedPeriod adds to v's new and open counts, and to the fix times, the
// episodes that a finding exemption names but does not cover on the
// period's day (it expired); rec records the fixes as securityIndex.period
// records the others.
func (pi *policyIndex) timedPeriod(eps *episodes, v *Vulnerabilities, day policy.Date, lo, hi int32, bySev map[fact.Severity][]float64, all *[]float64, rec *recorder) {
	for _, k := range pi.timed {
		pe := &pi.eps[k]
		if pi.exempt[pe.ep].on(day) {
			continue
		}
		e := &eps.list[pe.ep]
		sev := fact.Severities[pe.sev]
		if e.opened >= lo && e.opened < hi {
			addSeverity(&v.New, sev, 1)
		}
		if e.opened < hi && (e.closed < 0 || e.closed >= hi) {
			addSeverity(&v.OpenAtEnd, sev, 1)
		}
		if pe.fixed && e.closed >= lo && e.closed < hi {
			h := eps.times[e.closed].Sub(eps.times[e.opened]).Hours()
			bySev[sev] = append(bySev[sev], h)
			*all = append(*all, h)
			if rec != nil {
				hours := h // on the heap only when rows are kept
				rec.episode(prefixFixed+string(sev), pe.ep, &hours)
				rec.episode(listFixes, pe.ep, &hours)
			}
		}
	}
}

func addSeverity(c *SeverityCounts, sev fact.Severity, n int) { setSeverity(c, sev, c.Get(sev)+n) }

// period fills the policy's figures of m (and its Detail.Policy).
func (pi *policyIndex) period(eps *episodes, m *Month, p Period, lo, hi int32) {
	v := &m.Vulnerabilities
	day := periodDay(p)
	v.OWASPTop10 = map[string]OWASPCounts{}
	var cats [2][10]int
	var fixed, within [4]int
	exposure := [4][]float64{}
	var toProd []float64
	d := m.Detail
	var pd *PolicyDetail
	shipped := map[*fact.Deployment]*ShippedRow{}
	if d != nil {
		pd = &PolicyDetail{Day: day}
		for _, sev := range fact.Severities {
			a, _ := pi.pol.SLA.Allowed(string(sev))
			pd.SLA = append(pd.SLA, a)
		}
		d.Policy = pd
	}
	start, end := p.Start.UnixNano(), p.End.UnixNano()
	rec := d.recorder() // the rows of each figure, for explain
	for i := 0; i < len(pi.eps); i++ {
		if i%blockSize == 0 && pi.untilMax[i/blockSize] < start {
			i += blockSize - 1 // the whole block ended before the period
			continue
		}
		if pi.until[i] < start {
			continue // it ended before the period: it counts in none of its figures
		}
		pe := &pi.eps[i]
		e := &eps.list[pe.ep]
		if e.opened >= hi {
			break // by first seen
		}
		sev := fact.Severities[pe.sev]
		open := e.closed < 0 || e.closed >= hi
		var ex exemptState
		if pi.exempt != nil {
			ex = pi.exempt[pe.ep]
		}
		var row *EpisodePolicy // what explain lists of the episode, made for its first row
		if ex.on(day) {
			if open {
				v.AcceptedRisk.Exempted++
				pi.record(rec, listExempted, eps, pe, &ex, &row, nil, true)
				if left := day.DaysUntil(ex.through); !ex.path && left <= policy.ExpiringWindow {
					v.AcceptedRisk.Expiring30d++
					pi.record(rec, listExpiring, eps, pe, &ex, &row, nil, true)
				}
			}
			continue
		}
		if open {
			if ex.named() {
				v.AcceptedRisk.Expired++
				pi.record(rec, listExpired, eps, pe, &ex, &row, nil, true)
			}
			if pe.due != 0 && end > pe.due {
				addSeverity(&v.SLA.BreachedOpen, sev, 1)
				pi.record(rec, breachedLists[pe.sev], eps, pe, &ex, &row, nil, true)
				if pd != nil {
					l := eps.at(e.latest)
					due := time.Unix(0, pe.due).In(p.End.Location())
					pd.Breaches = append(pd.Breaches, SLABreach{Tool: l.Tool, RuleID: l.RuleID, URI: l.URI, Severity: sev,
						FirstSeen: eps.times[e.opened], Due: due, OverdueHours: hoursBetween(pe.due, end)})
				}
			}
			for k := range editions {
				for c := 0; c < 10; c++ {
					if pe.owasp[k]&(1<<c) != 0 {
						cats[k][c]++
						pi.record(rec, owaspLists[k][c], eps, pe, &ex, &row, nil, true)
					}
				}
			}
		}
		closedAt := int64(0)
		if e.closed >= 0 {
			closedAt = eps.times[e.closed].UnixNano()
		}
		if pe.fixed && e.closed >= lo && e.closed < hi {
			fixed[pe.sev]++
			ok := closedAt <= pe.due
			if ok {
				within[pe.sev]++
			}
			pi.record(rec, withinLists[pe.sev], eps, pe, &ex, &row, nil, ok)
		}
		if pe.live0 != 0 {
			if pe.live0 < end && (pe.live1 == 0 || pe.live1 >= end) {
				addSeverity(&v.Exposure.LiveAtEnd, sev, 1)
				pi.record(rec, liveLists[pe.sev], eps, pe, &ex, &row, nil, true)
			}
			if pe.fixed && pe.live1 != 0 && pe.live1 >= start && pe.live1 < end {
				h := hoursBetween(pe.live0, pe.live1)
				exposure[pe.sev] = append(exposure[pe.sev], h)
				if rec != nil {
					hours := h // on the heap only when rows are kept
					pi.record(rec, exposedLists[pe.sev], eps, pe, &ex, &row, &hours, true)
				}
			}
			if pd != nil && pe.sev <= 1 { // critical, high
				pi.shippedIn(p, pe, shipped)
			}
		}
		if pe.fixed && pe.shipped != 0 && pe.shipped >= start && pe.shipped < end {
			h := max(0, hoursBetween(closedAt, pe.shipped))
			toProd = append(toProd, h)
			if rec != nil {
				hours := h
				pi.record(rec, listFixToProd, eps, pe, &ex, &row, &hours, true)
			}
		}
	}
	for k, ed := range editions {
		c := OWASPCounts{}
		for _, cat := range owasp.All(ed) {
			c[cat.ID] = cats[k][categoryIndex(cat.ID)]
		}
		v.OWASPTop10[ed] = c
	}
	v.setFixRates(fixed, within, exposure, toProd)
	if s := m.samp; s != nil { // an organisation's figures are computed from these (org.go)
		s.fixed, s.within, s.exposure, s.toProd = fixed, within, exposure, toProd
	}
	for _, list := range pi.suppressed {
		if j := sort.Search(len(list), func(j int) bool { return !list[j].time.Before(p.End) }); j > 0 {
			o := &list[j-1]
			v.AcceptedRisk.Suppressed += o.count()
			if rec != nil {
				for _, r := range o.results {
					for _, i := range r.idx {
						rec.result(listSuppressed, fref{r.scan, i}, o.time)
					}
				}
			}
		}
	}
	if pd == nil {
		return
	}
	pi.exemptionRows(eps, pd, hi)
	slices.SortStableFunc(pd.Breaches, func(a, b SLABreach) int { return a.Due.Compare(b.Due) })
	for _, dep := range pi.prod {
		if r := shipped[dep]; r != nil {
			pd.Shipped = append(pd.Shipped, *r)
		}
	}
}

// The row lists of the policy's figures per severity, by index in
// fact.Severities (made once: period names them on every call).
var (
	breachedLists = severityLists(prefixBreached)
	withinLists   = severityLists(prefixWithin)
	liveLists     = severityLists(prefixLive)
	exposedLists  = severityLists(prefixExposed)
)

func severityLists(prefix string) []string {
	out := make([]string, len(fact.Severities))
	for i, sev := range fact.Severities {
		out[i] = prefix + string(sev)
	}
	return out
}

// record records episode pe in list for explain (rec nil: nothing), with
// what the policy's figures take from it, made into *row on first use.
func (pi *policyIndex) record(rec *recorder, list string, eps *episodes, pe *polEp, ex *exemptState, row **EpisodePolicy, v *float64, in bool) {
	if rec == nil {
		return
	}
	if *row == nil {
		*row = pi.explainRow(eps, pe, *ex)
	}
	rec.policyEpisode(list, pe.ep, *row, v, in)
}

// explainRow is what explain lists of episode pe beside the episode:
// its due time, the exemption ex names, its CWEs and its production
// exposure with the deployments that bound it.
func (pi *policyIndex) explainRow(eps *episodes, pe *polEp, ex exemptState) *EpisodePolicy {
	e := &eps.list[pe.ep]
	out := &EpisodePolicy{}
	loc := eps.times[e.opened].Location()
	at := func(ns int64) *time.Time {
		t := time.Unix(0, ns).In(loc)
		return &t
	}
	if pe.due != 0 {
		out.Due = at(pe.due)
	}
	switch {
	case ex.path:
		x := &pi.pol.Exemptions.Paths[ex.by]
		out.Exemption = &ExemptionRef{Line: x.Line, Path: x.Glob.String()}
	case !ex.through.IsZero():
		x := &pi.pol.Exemptions.Findings[ex.by]
		out.Exemption = &ExemptionRef{Line: x.Line, RuleID: x.RuleID, Tool: x.Tool, Fingerprint: x.Fingerprint,
			Justification: x.Justification, ApprovedBy: x.ApprovedBy, Expires: x.Expires}
		if x.File != nil {
			out.Exemption.File = x.File.String()
		}
	}
	if e.cwe.scan >= 0 {
		c := eps.at(e.cwe).Class
		out.CWEs = c.CWEs
		if len(out.CWEs) == 0 {
			out.CWEs = []string{c.CWE}
		}
	}
	if pe.live0 != 0 {
		out.LiveFrom = at(pe.live0)
		if pe.live1 != 0 {
			out.LiveUntil = at(pe.live1)
		}
	}
	ref := func(i int32) *DeploymentRef {
		if i < 0 {
			return nil
		}
		return &DeploymentRef{ID: pi.prod[i].ID, Time: pi.prod[i].Time}
	}
	out.Shipped, out.FixShipped = ref(pe.dep0), ref(pe.dep1)
	return out
}

// shippedIn counts episode pe in the rows of the period's deployments
// made while it was live.
func (pi *policyIndex) shippedIn(p Period, pe *polEp, rows map[*fact.Deployment]*ShippedRow) {
	from, to := time.Unix(0, pe.live0), p.End
	if from.Before(p.Start) {
		from = p.Start
	}
	if pe.live1 != 0 && pe.live1 < to.UnixNano() {
		to = time.Unix(0, pe.live1)
	}
	i := sort.Search(len(pi.prod), func(i int) bool { return !pi.prod[i].Time.Before(from) })
	for ; i < len(pi.prod) && pi.prod[i].Time.Before(to); i++ {
		dep := pi.prod[i]
		r := rows[dep]
		if r == nil {
			r = &ShippedRow{DeploymentID: dep.ID, Time: dep.Time}
			rows[dep] = r
		}
		if pe.sev == 0 {
			r.Critical++
		} else {
			r.High++
		}
	}
}

// exemptionRows lists the policy's finding exemptions as they stand on
// the day, each with the open episodes it names.
func (pi *policyIndex) exemptionRows(eps *episodes, pd *PolicyDetail, hi int32) {
	ex := pi.pol.Exemptions.Findings
	if len(ex) == 0 {
		return
	}
	open := make([]int, len(ex))
	for i := range pi.eps {
		pe := &pi.eps[i]
		e := &eps.list[pe.ep]
		if e.opened >= hi {
			break
		}
		if pi.exempt == nil || pi.exempt[pe.ep].through.IsZero() || e.closed >= 0 && e.closed < hi {
			continue
		}
		l := eps.at(e.latest)
		x := policy.Finding{Tool: l.Tool, RuleID: l.RuleID, File: l.URI, Fingerprint: l.Fingerprint(), Severity: string(l.Severity)}
		for k := range ex {
			if ex[k].Matches(x) {
				open[k]++
			}
		}
	}
	for k := range ex {
		e := &ex[k]
		r := ExemptionRow{RuleID: e.RuleID, Tool: e.Tool, Fingerprint: e.Fingerprint, ApprovedBy: e.ApprovedBy,
			Expires: e.Expires, Line: e.Line, DaysLeft: e.DaysLeft(pd.Day), Open: open[k]}
		if e.File != nil {
			r.File = e.File.String()
		}
		pd.Exemptions = append(pd.Exemptions, r)
	}
}
