package compute

import (
	"fmt"
	"hash/maphash"
	"iter"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
)

// Episode is one stretch of time a finding was open on the trunk: from
// the first trunk scan that had it to the first later scan of its tool
// that covers its file and lacks it (FixedAt), or to the scan that
// reported it suppressed (SuppressedAt: triaged, not fixed). A finding
// that comes back after either opens a new episode.
type Episode struct {
	Tool     string
	Category string // analysis category (runAutomationDetails.id up to its last slash)
	RuleID   string
	// Fingerprint is the finding's identity within the tool, as the latest
	// scan that had it wrote it.
	Fingerprint    string
	Severity       fact.Severity // as the latest scan that had it said
	CWE, URI       string
	Line           int
	Message        string // the SARIF message of its latest result
	FirstSeen      time.Time
	FirstScan      string // scan id
	LastSeen       time.Time
	FixedAt        *time.Time
	FixedScan      string
	SuppressedAt   *time.Time
	SuppressedScan string
}

// State is open, fixed or suppressed (as of the last scan).
func (e Episode) State() string {
	switch {
	case e.FixedAt != nil:
		return "fixed"
	case e.SuppressedAt != nil:
		return "suppressed"
	}
	return "open"
}

// securityIndex holds trunk scans and finding episodes, sorted so that a
// period's numbers come from binary searches.
type securityIndex struct {
	eps *episodes
	// per severity (critical … low): the observations (indexes into
	// eps.times) that started and closed episodes, and fixes by fix time,
	// all ascending.
	starts, closes map[fact.Severity][]int32
	fixes          []fix
	// endMax is, per block of blockSize episodes of eps, the latest
	// observation that closed one, math.MaxInt32 when one is open: the
	// findings open at a period's end skip a block closed before it.
	endMax   []int32
	scans    []scanRow // trunk scans in time order
	trunk    string
	offTrunk []scanRow   // scans of other refs, in time order
	pol      *lazyPolicy // the security policy's view (risk.go)
}

// lazyPolicy is the policy's view of the episodes, made when a period
// first needs it: collect, which writes the episodes and computes no
// period, never holds it (a dense log's 600,000 episodes take 34 MB).
type lazyPolicy struct {
	once sync.Once
	make func() policyIndex
	v    policyIndex
}

// policy is the policy's view of the episodes.
func (x *securityIndex) policy() *policyIndex {
	x.pol.once.Do(func() { x.pol.v, x.pol.make = x.pol.make(), nil })
	return &x.pol.v
}

type fix struct {
	hours    float64
	at       int32 // observation
	severity uint8 // index in fact.Severities
	ep       int32 // the episode (explain)
}

type scanRow struct {
	time                time.Time
	tool, ref           string
	duration            *float64
	results, suppressed int
	id, commit          string // explain
}

func newSecurityIndex(f *fact.Facts, cfg *config.Settings) securityIndex {
	x := securityIndex{starts: map[fact.Severity][]int32{}, closes: map[fact.Severity][]int32{}, trunk: Trunk(f, cfg)}
	x.eps = lifecycles(f, x.trunk)
	x.pol = &lazyPolicy{make: func() policyIndex { return newPolicyIndex(f, cfg, x.eps) }}
	// Episodes a finding exemption names count apart (the policy's view
	// says which): with no exemption, none.
	exemptions := len(cfg.Policy.Exemptions.Paths)+len(cfg.Policy.Exemptions.Findings) > 0
	sevIndex := map[fact.Severity]uint8{}
	for i, sev := range fact.Severities {
		sevIndex[sev] = uint8(i)
	}
	x.endMax = make([]int32, (len(x.eps.list)+blockSize-1)/blockSize)
	for i := range x.eps.list {
		e := &x.eps.list[i]
		end := e.closed
		if end < 0 {
			end = math.MaxInt32
		}
		x.endMax[i/blockSize] = max(x.endMax[i/blockSize], end)
		sev := x.eps.severity(e)
		if sev == fact.SeverityInfo || exemptions && x.policy().named(i) { // exempt: accepted risk, counted by policy.go
			continue
		}
		x.starts[sev] = append(x.starts[sev], e.opened)
		if e.closed >= 0 {
			x.closes[sev] = append(x.closes[sev], e.closed)
		}
		if si, ok := sevIndex[sev]; ok && e.closed >= 0 && e.suppressor.scan < 0 {
			x.fixes = append(x.fixes, fix{at: e.closed, hours: x.eps.times[e.closed].Sub(x.eps.times[e.opened]).Hours(), severity: si, ep: int32(i)})
		}
	}
	for _, m := range []map[fact.Severity][]int32{x.starts, x.closes} {
		for _, obs := range m {
			slices.Sort(obs)
		}
	}
	slices.SortStableFunc(x.fixes, func(a, b fix) int { return int(a.at) - int(b.at) })
	n := trunkCount(f, x.trunk)
	x.scans = make([]scanRow, 0, n)
	x.offTrunk = make([]scanRow, 0, len(f.Scans)-n)
	for _, s := range f.Scans {
		if s.Ref == x.trunk {
			x.scans = append(x.scans, scanRow{time: s.Time, tool: s.Tool, duration: s.Duration, results: s.Results, suppressed: s.Suppressed, id: s.ID, commit: s.Commit})
		} else {
			x.offTrunk = append(x.offTrunk, scanRow{time: s.Time, tool: s.Tool, ref: s.Ref})
		}
	}
	for _, rows := range [][]scanRow{x.scans, x.offTrunk} {
		slices.SortStableFunc(rows, func(a, b scanRow) int { return a.time.Compare(b.time) })
	}
	return x
}

// Trunk is the branch whose scans make finding lifecycles: the one the
// facts were gathered for, else trunk in the settings, else main
// (docs/metrics.md, "The trunk").
func Trunk(f *fact.Facts, cfg *config.Settings) string {
	switch {
	case f.Trunk != "":
		return f.Trunk
	case cfg.Trunk != "":
		return cfg.Trunk
	}
	return "main"
}

// inPeriod is the rows of a time-ordered slice in [p.Start, p.End).
func inPeriod(rows []scanRow, p Period) []scanRow {
	a := sort.Search(len(rows), func(i int) bool { return !rows[i].time.Before(p.Start) })
	b := sort.Search(len(rows), func(i int) bool { return !rows[i].time.Before(p.End) })
	return rows[a:b]
}

// Episodes lists every finding episode on the trunk, by first seen. Each
// is made as the loop reaches it: the history keeps them compact.
func (h *History) Episodes() iter.Seq2[int, Episode] {
	return func(yield func(int, Episode) bool) {
		for i := range h.security.eps.list {
			if !yield(i, h.security.eps.full(i)) {
				return
			}
		}
	}
}

// countIn counts the observations of a sorted slice in [lo, hi).
func countIn(obs []int32, lo, hi int32) int {
	a, _ := slices.BinarySearch(obs, lo)
	b, _ := slices.BinarySearch(obs, hi)
	return b - a
}

// period fills vulnerabilities and scans of m, and the security parts of
// its Detail; the policy's figures only with policy.
func (x *securityIndex) period(m *Month, p Period, loc *time.Location, policy bool) {
	v := &m.Vulnerabilities
	// The observations in the period: [lo, hi).
	lo, hi := x.eps.observations(p.Start), x.eps.observations(p.End)
	for _, sev := range fact.Severities {
		n := countIn(x.starts[sev], lo, hi)
		open := countIn(x.starts[sev], 0, hi) - countIn(x.closes[sev], 0, hi)
		setSeverity(&v.New, sev, n)
		setSeverity(&v.OpenAtEnd, sev, open)
	}
	fa := sort.Search(len(x.fixes), func(i int) bool { return x.fixes[i].at >= lo })
	fb := sort.Search(len(x.fixes), func(i int) bool { return x.fixes[i].at >= hi })
	bySev := map[fact.Severity][]float64{}
	var all []float64
	rec := m.Detail.recorder() // the rows of each figure, for explain
	for _, f := range x.fixes[fa:fb] {
		sev := fact.Severities[f.severity]
		bySev[sev] = append(bySev[sev], f.hours)
		all = append(all, f.hours)
		if rec != nil {
			hours := f.hours
			rec.episode(prefixFixed+string(sev), f.ep, &hours)
			rec.episode(listFixes, f.ep, &hours)
		}
	}
	day := periodDay(p)
	if rec != nil {
		// The episodes that started in the period, as counted above from
		// x.starts and by timedPeriod: those not exempt on the period's day.
		for i := sort.Search(len(x.eps.list), func(i int) bool { return x.eps.list[i].opened >= lo }); i < len(x.eps.list) && x.eps.list[i].opened < hi; i++ {
			if sev := x.eps.severity(&x.eps.list[i]); sev != fact.SeverityInfo && !x.policy().exemptOn(i, day) {
				rec.episode(prefixNew+string(sev), int32(i), nil)
			}
		}
	}
	x.policy().timedPeriod(x.eps, v, day, lo, hi, bySev, &all, rec)
	for _, sev := range fact.Severities {
		setSeverity(&v.Fixed, sev, len(bySev[sev]))
	}
	v.setFixTimes(bySev, all)

	// Scans of the trunk in the period.
	trunkScans := inPeriod(x.scans, p)
	var durations []float64
	byTool := map[string][]float64{}
	counts := map[string]int{}
	d := m.Detail
	for si := range trunkScans {
		s := &trunkScans[si]
		counts[s.tool]++
		if rec != nil {
			rec.scan(listScans, s, nil)
			rec.scan(prefixTool+s.tool+".count", s, nil)
		}
		if s.duration != nil {
			durations = append(durations, *s.duration)
			byTool[s.tool] = append(byTool[s.tool], *s.duration)
			if rec != nil {
				rec.scan(listDurations, s, s.duration)
				rec.scan(prefixTool+s.tool+".duration", s, s.duration)
			}
		}
		if d != nil {
			d.Results += s.results
			d.Suppressed += s.suppressed
		}
	}
	m.Scans.Count = len(trunkScans)
	m.Scans.DurationP50Seconds = PercentileOf(durations, 50)
	m.Scans.DurationP95Seconds = PercentileOf(durations, 95)
	if m.Scans.ByTool == nil {
		m.Scans.ByTool = map[string]ToolScans{}
	}
	for tool, n := range counts {
		m.Scans.ByTool[tool] = ToolScans{Count: n, DurationP95Seconds: PercentileOf(byTool[tool], 95)}
	}
	if s := m.samp; s != nil { // an organisation's figures are computed from these (org.go)
		s.bySev, s.fixes, s.durations, s.byTool = bySev, all, durations, byTool
	}
	if policy {
		x.policy().period(x.eps, m, p, lo, hi)
	}
	if d == nil {
		return
	}
	d.Trunk = x.trunk
	if off := inPeriod(x.offTrunk, p); len(trunkScans) == 0 && len(off) > 0 {
		refs := map[string]bool{}
		var names []string
		for _, s := range off {
			if !refs[s.ref] {
				refs[s.ref] = true
				names = append(names, s.ref)
			}
		}
		slices.Sort(names)
		d.Warnings = append(d.Warnings, fmt.Sprintf("No scan this month is of the trunk %s: its %d scans are of other refs (%s), so they fix and open no finding. "+
			"Set trunk: in gitdora.yml to the branch they were ingested for, or ingest the trunk's scans with --ref %s.",
			x.trunk, len(off), strings.Join(names, ", "), x.trunk))
	}

	// Findings open at the end (seen before the period's end and not closed
	// by then), oldest first.
	for i := 0; i < len(x.eps.list); i++ {
		if i%blockSize == 0 && x.endMax[i/blockSize] < hi {
			i += blockSize - 1 // the whole block was closed before the end
			continue
		}
		e := &x.eps.list[i]
		if e.opened >= hi {
			break
		}
		if e.closed >= 0 && e.closed < hi || x.policy().exemptOn(i, day) {
			continue
		}
		l := x.eps.at(e.latest)
		if l.Severity == fact.SeverityInfo {
			continue
		}
		first := x.eps.times[e.opened]
		if rec != nil {
			rec.episode(prefixOpen+string(l.Severity), int32(i), nil)
		}
		d.OpenFindings = append(d.OpenFindings, OpenFinding{Tool: l.Tool, RuleID: l.RuleID, Severity: l.Severity, URI: l.URI, Message: l.Message(), FirstSeen: first, AgeHours: p.End.Sub(first).Hours()})
		if e.cwe.scan >= 0 {
			d.OpenFindings[len(d.OpenFindings)-1].CWE = x.eps.at(e.cwe).CWE
		}
	}

}

// setFixTimes sets mttr_hours and fix_lead_time of v from the fix times
// of the period by severity (bySev) and all of them (all, sorted here).
func (v *Vulnerabilities) setFixTimes(bySev map[fact.Severity][]float64, all []float64) {
	v.MTTRHours = SeverityHours{Critical: Mean(bySev[fact.SeverityCritical]), High: Mean(bySev[fact.SeverityHigh]), Medium: Mean(bySev[fact.SeverityMedium]), Low: Mean(bySev[fact.SeverityLow])}
	slices.Sort(all)
	v.FixLeadTimeP50Hours = Percentile(all, 50)
	v.FixLeadTimeP95Hours = Percentile(all, 95)
}

func setSeverity(c *SeverityCounts, sev fact.Severity, n int) {
	switch sev {
	case fact.SeverityCritical:
		c.Critical = n
	case fact.SeverityHigh:
		c.High = n
	case fact.SeverityMedium:
		c.Medium = n
	case fact.SeverityLow:
		c.Low = n
	}
}

// episode is an Episode as the history keeps it: the results it is made
// of (by their scans' findings) and the observations that opened and
// closed it, so that half a million findings do not make half a million
// copies of their strings.
type episode struct {
	first, latest fref  // the result that opened it, its latest result
	cwe           fref  // its latest result with a CWE; none when none had one
	opened, last  int32 // observations: the first and the last that had it (see episodes.lastOf)
	closed        int32 // the observation that fixed or suppressed it; -1 while open
	suppressor    fref  // the suppressed result that closed it; none unless suppressed
}

// fref names a finding: its scan (in Facts.Scans) and its place in the
// scan's findings, or when i is negative, in the findings kept once their
// scan's were let go (episodes.kept[-1-i]). Scans of the same findings
// share them, so a finding of one may stand for the same finding of
// another.
type fref struct{ scan, i int32 }

// none is no finding.
var none = fref{-1, -1}

// episodes are the finding episodes of the trunk over the facts.
type episodes struct {
	f     *fact.Facts
	times []time.Time // observation times, ascending
	scans []int32     // the first scan (Facts.Scans) of each observation
	list  []episode   // by first seen
	// extend maps an observation to the last of the observations after it
	// that changed nothing (the same findings again, fully scanned), -1
	// when none did: what it saw, they saw too.
	extend []int32
	// sets are the findings of each scan (Facts.Scans): its Set, or what
	// Facts.Pending read while the lifecycles needed it (nil after).
	sets []*fact.FindingSet
	// kept are findings the episodes name whose pending scan's findings
	// were let go, as s.keeper keeps them.
	kept   []fact.Finding
	keeper fact.Keeper
	// suppressed lists, per tool and analysis category, the full trunk
	// observations with their suppressed results (policy.go).
	suppressed [][]suppressedObs
}

// at is the finding r names.
func (s *episodes) at(r fref) *fact.Finding {
	if r.i < 0 {
		return &s.kept[-1-r.i]
	}
	return &s.sets[r.scan].List[r.i]
}

// lastOf is the last observation that saw what observation o saw.
func (s *episodes) lastOf(o int32) int32 {
	if e := s.extend[o]; e >= 0 {
		return e
	}
	return o
}

// EpisodeRows yields the episodes as Episodes does, without their
// Message, each into the same Episode (its FixedAt or SuppressedAt too):
// copy what is kept. Half a million episodes then make no garbage.
func (h *History) EpisodeRows() iter.Seq[*Episode] {
	return func(yield func(*Episode) bool) {
		var e Episode
		var closed time.Time
		for i := range h.security.eps.list {
			h.security.eps.fill(i, &e, &closed)
			if !yield(&e) {
				return
			}
		}
	}
}

// observations is the number of observations before t.
func (s *episodes) observations(t time.Time) int32 {
	return int32(sort.Search(len(s.times), func(i int) bool { return !s.times[i].Before(t) }))
}

// severity is an episode's severity: as its latest result said.
func (s *episodes) severity(e *episode) fact.Severity { return s.at(e.latest).Severity }

// full makes episode i an Episode.
func (s *episodes) full(i int) Episode {
	var out Episode
	s.fill(i, &out, new(time.Time))
	out.Message = s.at(s.list[i].latest).Message()
	return out
}

// fill makes episode i into out without its Message, its closing time
// (FixedAt or SuppressedAt) in closed.
func (s *episodes) fill(i int, out *Episode, closed *time.Time) {
	e := &s.list[i]
	first, l := s.at(e.first), s.at(e.latest)
	*out = Episode{
		Tool: first.Tool, Category: s.f.Scans[s.scans[e.opened]].Category, RuleID: first.RuleID, Fingerprint: l.Fingerprint(),
		Severity: l.Severity, URI: l.URI, Line: int(l.Line),
		FirstSeen: s.times[e.opened], FirstScan: s.f.Scans[e.first.scan].ID, LastSeen: s.times[s.lastOf(e.last)],
	}
	if e.cwe.scan >= 0 {
		out.CWE = s.at(e.cwe).CWE
	}
	if e.closed >= 0 {
		*closed = s.times[e.closed]
		if e.suppressor.scan >= 0 {
			out.SuppressedAt, out.SuppressedScan = closed, s.f.Scans[e.suppressor.scan].ID
		} else {
			out.FixedAt, out.FixedScan = closed, s.f.Scans[s.scans[e.closed]].ID
		}
	}
}

// lifecycleCategory is the category a lifecycle is kept by: the analysis
// category without components that only say the scan was full or
// incremental (so that incremental scans can fix what full scans found).
func lifecycleCategory(c string) string {
	if c == "" {
		return ""
	}
	parts := strings.Split(c, "/")
	out := parts[:0]
	for _, p := range parts {
		if !strings.EqualFold(p, "incremental") && !strings.EqualFold(p, "full") {
			out = append(out, p)
		}
	}
	return strings.Join(out, "/")
}

// hashKey is the key of a rule id and a content hash.
func hashKey(rule string, c fact.Hash) uint64 {
	const prime = 1099511628211
	return ((maphash.String(keySeed, rule)^c.Sum)*prime ^ uint64(c.N)) * prime
}

// key hashes a rule id and a fingerprint into an identity key, with a
// seed of its own each run: findings come from SARIF files anyone can
// write, and no one can make two identities collide without knowing it.
// Nothing but identity is made of its value.
func key(rule, fp string) uint64 {
	const prime = 1099511628211
	return maphash.String(keySeed, fp) ^ maphash.String(keySeed, rule)*prime
}

var keySeed = maphash.MakeSeed()

// trunkCount counts the scans of trunk: what the slices of its
// observations are sized by (a pull request's scans are none of them).
func trunkCount(f *fact.Facts, trunk string) int {
	n := 0
	for i := range f.Scans {
		if f.Scans[i].Ref == trunk {
			n++
		}
	}
	return n
}
