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
// scan's findings. Scans of the same findings share them, so a finding
// of one may stand for the same finding of another.
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
}

// at is the finding r names.
func (s *episodes) at(r fref) *fact.Finding { return &s.f.Scans[r.scan].Set.List[r.i] }

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

// lifecycles builds the finding episodes of the scans of ref trunk, per
// tool and analysis category, in scan time order (docs/metrics.md, "Vulnerabilities"). The runs of
// one file with the same tool and category are one observation.
//
// A finding is matched to an open episode by its identity (rule id and
// fingerprint); one left unmatched is then matched by its content hash to
// an open episode that nothing matched, so that a finding keeps its
// episode when its tool starts or stops writing fingerprints. A
// suppressed result closes the episode as triaged; a result reported as
// absent (baselineState) is not there. An open episode that an
// observation lacks is fixed by it if the observation covers its file: a
// full scan covers every file, an incremental one the files its runs list
// as artifacts; a run without a results array covers nothing.
//
// An observation of one full scan whose findings are those of the
// lifecycle's observation before it (the same set: a nightly scan of
// unchanged code) changes no episode: it only extends what that one saw,
// in O(1).
func lifecycles(f *fact.Facts, trunk string) *episodes {
	type obsKey struct{ file, tool, category string }
	type observation struct {
		time    time.Time
		first   int32   // its first scan
		scans   []int32 // Facts.Scans
		full    bool
		covers  map[string]bool
		results bool
	}
	size := trunkCount(f, trunk)
	obs := make([]*observation, 0, size)
	byKey := make(map[obsKey]*observation, size)
	// Most observations are one scan: they are made in one slice (never
	// grown, so pointers into it stay), their scans in another (each of
	// capacity one: a second scan copies).
	slab := make([]observation, 0, size)
	firsts := make([]int32, 0, size)
	for i := range f.Scans {
		s := &f.Scans[i]
		if s.Ref != trunk {
			continue
		}
		k := obsKey{s.File, s.Tool, lifecycleCategory(s.Category)}
		o := byKey[k]
		if o == nil {
			firsts = append(firsts, int32(i))
			n := len(firsts)
			slab = append(slab, observation{time: s.Time, first: int32(i), scans: firsts[n-1 : n : n]})
			o = &slab[len(slab)-1]
			byKey[k] = o
			obs = append(obs, o)
		} else {
			o.scans = append(o.scans, int32(i))
		}
		if s.Time.Before(o.time) {
			o.time = s.Time
		}
		if !s.NoResults {
			o.results = true
			if s.Type != fact.ScanIncremental {
				o.full = true
			}
			for _, u := range s.Covers {
				if o.covers == nil {
					o.covers = map[string]bool{}
				}
				o.covers[u] = true
			}
		}
	}
	slices.SortStableFunc(obs, func(a, b *observation) int { return a.time.Compare(b.time) })
	out := &episodes{f: f, times: make([]time.Time, len(obs)), scans: make([]int32, len(obs)), extend: make([]int32, len(obs))}
	for i, o := range obs {
		out.times[i], out.scans[i], out.extend[i] = o.time, o.first, -1
	}

	// Identities are kept as 64-bit hashes of rule id and fingerprint (or
	// content hash): half a million findings cost megabytes, not a hundred.
	type idKey = uint64
	type state struct {
		open   map[idKey]int32 // identity → episode index
		byHash map[idKey]int32 // content hash → episode index
		// anchor is the last observation that changed the lifecycle, when
		// it was one full scan (else -1), and set its findings: an
		// observation of the same findings changes nothing after it.
		anchor int32
		set    *fact.FindingSet
	}
	// Episodes: about as many as the largest observation of each lifecycle
	// has findings, and an eighth more where it has more observations (a
	// longer history adds what came and went).
	largest, left := map[[2]string]int{}, map[[2]string]int{}
	for _, o := range obs {
		n := 0
		for _, si := range o.scans {
			n += len(f.Scans[si].Findings())
		}
		first := &f.Scans[o.scans[0]]
		k := [2]string{first.Tool, lifecycleCategory(first.Category)}
		largest[k] = max(largest[k], n)
		left[k]++
	}
	hint := 0
	for k, n := range largest {
		hint += n
		if left[k] > 1 {
			hint += n / 8
		}
	}
	list := make([]episode, 0, hint)
	var present, suppressed []fref
	states := map[[2]string]*state{}
	for oi, o := range obs {
		now := int32(oi)
		// seen: the episode was matched or closed by this observation.
		seen := func(ei int32) bool { return list[ei].last == now || list[ei].closed == now }
		first := &f.Scans[o.scans[0]]
		lk := [2]string{first.Tool, lifecycleCategory(first.Category)}
		st := states[lk]
		if st == nil {
			st = &state{open: map[idKey]int32{}, byHash: map[idKey]int32{}, anchor: -1}
			states[lk] = st
		}
		// The last observation of a lifecycle, if it is one run, need not
		// index what it sees: nothing after it looks anything up, and within
		// it the identities and content hashes of a run's results are all
		// different (the reader numbers repeats), so no lookup of its own can
		// meet what it would have added. What it removes (a fingerprint that
		// changed) must still go.
		left[lk]--
		lean := left[lk] == 0 && len(o.scans) == 1
		// One full scan of the findings the anchor saw: after the anchor,
		// the open episodes are exactly those of its present findings, so
		// this one matches each to its own, closes none, and opens none.
		one := len(o.scans) == 1 && o.full && first.Set != nil
		if one && st.anchor >= 0 && first.Set == st.set {
			out.extend[st.anchor] = now
			continue
		}
		st.anchor, st.set = -1, nil
		if one {
			st.anchor, st.set = now, first.Set
		}
		present, suppressed = present[:0], suppressed[:0]
		var rest, unmatched []fref
		for _, si := range o.scans {
			fs := f.Scans[si].Findings()
			for i := range fs {
				x := &fs[i]
				switch {
				case x.Absent:
				case x.Suppressed:
					suppressed = append(suppressed, fref{si, int32(i)})
				default:
					present = append(present, fref{si, int32(i)})
				}
			}
		}
		update := func(ei int32, xi fref) {
			e := &list[ei]
			x, prev := out.at(xi), out.at(e.latest)
			e.last = now
			if fp := x.Fingerprint(); fp != prev.Fingerprint() {
				delete(st.open, key(x.RuleID, prev.Fingerprint()))
				if !lean {
					st.open[key(x.RuleID, fp)] = ei
				}
			}
			if !lean {
				// The content-hash key of an open episode is its latest result's.
				hk := hashKey(x.RuleID, x.ContentHash)
				old := hk // most results are as the scan before
				if x.RuleID != prev.RuleID || x.ContentHash != prev.ContentHash {
					old = hashKey(prev.RuleID, prev.ContentHash)
				}
				if old != hk && st.byHash[old] == ei {
					delete(st.byHash, old)
				}
				st.byHash[hk] = ei
			}
			e.latest = xi
			if x.CWE != "" {
				e.cwe = xi
			}
		}
		// 1: by identity. 2: by content hash. 3: new episodes. Each pass
		// keeps what it did not match in place of what it read.
		rest = present[:0]
		for _, xi := range present {
			x := out.at(xi)
			if ei, ok := st.open[key(x.RuleID, x.Fingerprint())]; ok && !seen(ei) {
				update(ei, xi)
			} else {
				rest = append(rest, xi)
			}
		}
		unmatched = rest[:0]
		for _, xi := range rest {
			x := out.at(xi)
			if ei, ok := st.byHash[hashKey(x.RuleID, x.ContentHash)]; ok && !seen(ei) {
				if _, taken := st.open[key(x.RuleID, x.Fingerprint())]; !taken {
					update(ei, xi)
					continue
				}
			}
			unmatched = append(unmatched, xi)
		}
		for _, xi := range unmatched {
			x := out.at(xi)
			id := key(x.RuleID, x.Fingerprint())
			if _, dup := st.open[id]; dup {
				continue // the same identity twice in one observation (runs of one file)
			}
			list = append(list, episode{first: xi, latest: xi, cwe: none, opened: now, closed: -1, suppressor: none})
			ei := int32(len(list) - 1)
			if !lean {
				st.open[id] = ei
			}
			update(ei, xi)
		}
		closeEp := func(ei int32) {
			l := out.at(list[ei].latest)
			delete(st.open, key(l.RuleID, l.Fingerprint()))
			if hk := hashKey(l.RuleID, l.ContentHash); st.byHash[hk] == ei {
				delete(st.byHash, hk)
			}
		}
		for _, xi := range suppressed {
			x := out.at(xi)
			ei, ok := st.open[key(x.RuleID, x.Fingerprint())]
			if !ok {
				ei, ok = st.byHash[hashKey(x.RuleID, x.ContentHash)]
			}
			if ok && !seen(ei) {
				list[ei].closed, list[ei].suppressor = now, xi
				closeEp(ei)
			}
		}
		if !o.results {
			continue
		}
		var fixed []int32
		for _, ei := range st.open {
			if seen(ei) {
				continue
			}
			if u := out.at(list[ei].latest).URI; o.full || u != "" && o.covers[u] {
				fixed = append(fixed, ei)
			}
		}
		slices.Sort(fixed)
		for _, ei := range fixed {
			list[ei].closed = now
			closeEp(ei)
		}
	}
	out.list = list // by first seen: observations come in time order
	return out
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
