package compute

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/data"
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
	Severity       string // as the latest scan that had it said
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

// Open reports whether the episode is open at t.
func (e Episode) Open(t time.Time) bool {
	if e.FirstSeen.After(t) {
		return false
	}
	c := e.closed()
	return c == nil || c.After(t)
}

// closed is when the episode ended (fixed or suppressed), nil while open.
func (e Episode) closed() *time.Time {
	if e.FixedAt != nil {
		return e.FixedAt
	}
	return e.SuppressedAt
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
	episodes []Episode // by first seen
	// per severity (critical … low): episode start times, close times and
	// fixes (by fix time), all ascending.
	starts, closes map[string][]time.Time
	fixes          []fix
	scans          []scanRow // trunk scans in time order
	deployments    []collect.Deployment
	production     string
}

type fix struct {
	at       time.Time
	hours    float64
	severity string
}

type scanRow struct {
	time                time.Time
	tool                string
	duration            *float64
	results, suppressed int
}

func newSecurityIndex(f *collect.Facts, cfg *data.Config) securityIndex {
	x := securityIndex{starts: map[string][]time.Time{}, closes: map[string][]time.Time{}, deployments: f.Deployments, production: cfg.Production}
	x.episodes = Lifecycles(f, cfg.Trunk)
	for i := range x.episodes {
		e := &x.episodes[i]
		if e.Severity == data.SeverityInfo {
			continue
		}
		x.starts[e.Severity] = append(x.starts[e.Severity], e.FirstSeen)
		if c := e.closed(); c != nil {
			x.closes[e.Severity] = append(x.closes[e.Severity], *c)
		}
		if e.FixedAt != nil {
			x.fixes = append(x.fixes, fix{at: *e.FixedAt, hours: e.FixedAt.Sub(e.FirstSeen).Hours(), severity: e.Severity})
		}
	}
	for _, m := range []map[string][]time.Time{x.starts, x.closes} {
		for _, ts := range m {
			slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
		}
	}
	slices.SortStableFunc(x.fixes, func(a, b fix) int { return a.at.Compare(b.at) })
	for _, s := range f.Scans {
		if s.Ref == cfg.Trunk {
			x.scans = append(x.scans, scanRow{time: s.Time, tool: s.Tool, duration: s.Duration, results: s.Results, suppressed: s.Suppressed})
		}
	}
	slices.SortStableFunc(x.scans, func(a, b scanRow) int { return a.time.Compare(b.time) })
	return x
}

// Episodes lists every finding episode on the trunk, by first seen.
func (h *History) Episodes() []Episode { return h.security.episodes }

// countIn counts the times in [from, to) of a sorted slice.
func countIn(ts []time.Time, from, to time.Time) int {
	lo := sort.Search(len(ts), func(i int) bool { return !ts[i].Before(from) })
	hi := sort.Search(len(ts), func(i int) bool { return !ts[i].Before(to) })
	return hi - lo
}

// period fills vulnerabilities and scans of m, and the security parts of
// its Detail.
func (x *securityIndex) period(m *Month, p Period, loc *time.Location) {
	v := &m.Vulnerabilities
	for _, sev := range data.Severities {
		n := countIn(x.starts[sev], p.Start, p.End)
		open := countIn(x.starts[sev], time.Time{}, p.End) - countIn(x.closes[sev], time.Time{}, p.End)
		setSeverity(&v.New, sev, n)
		setSeverity(&v.OpenAtEnd, sev, open)
	}
	lo := sort.Search(len(x.fixes), func(i int) bool { return !x.fixes[i].at.Before(p.Start) })
	hi := sort.Search(len(x.fixes), func(i int) bool { return !x.fixes[i].at.Before(p.End) })
	bySev := map[string][]float64{}
	var all []float64
	for _, f := range x.fixes[lo:hi] {
		bySev[f.severity] = append(bySev[f.severity], f.hours)
		all = append(all, f.hours)
	}
	for _, sev := range data.Severities {
		setSeverity(&v.Fixed, sev, len(bySev[sev]))
	}
	v.MTTRHours = SeverityHours{Critical: Mean(bySev[data.SeverityCritical]), High: Mean(bySev[data.SeverityHigh]), Medium: Mean(bySev[data.SeverityMedium]), Low: Mean(bySev[data.SeverityLow])}
	slices.Sort(all)
	v.FixLeadTimeP50Hours = Percentile(all, 50)
	v.FixLeadTimeP95Hours = Percentile(all, 95)

	// Scans of the trunk in the period.
	lo = sort.Search(len(x.scans), func(i int) bool { return !x.scans[i].time.Before(p.Start) })
	hi = sort.Search(len(x.scans), func(i int) bool { return !x.scans[i].time.Before(p.End) })
	var durations []float64
	byTool := map[string][]float64{}
	counts := map[string]int{}
	d := m.Detail
	for _, s := range x.scans[lo:hi] {
		counts[s.tool]++
		if s.duration != nil {
			durations = append(durations, *s.duration)
			byTool[s.tool] = append(byTool[s.tool], *s.duration)
		}
		if d != nil {
			d.Results += s.results
			d.Suppressed += s.suppressed
		}
	}
	m.Scans.Count = hi - lo
	m.Scans.DurationP50Seconds = PercentileOf(durations, 50)
	m.Scans.DurationP95Seconds = PercentileOf(durations, 95)
	if m.Scans.ByTool == nil {
		m.Scans.ByTool = map[string]ToolScans{}
	}
	for tool, n := range counts {
		m.Scans.ByTool[tool] = ToolScans{Count: n, DurationP95Seconds: PercentileOf(byTool[tool], 95)}
	}
	if d == nil {
		return
	}

	// Findings open at the end, oldest first.
	end := p.End.Add(-time.Nanosecond)
	for i := range x.episodes {
		e := &x.episodes[i]
		if !e.FirstSeen.Before(p.End) {
			break
		}
		if e.Severity == data.SeverityInfo || !e.Open(end) {
			continue
		}
		d.OpenFindings = append(d.OpenFindings, OpenFinding{Tool: e.Tool, RuleID: e.RuleID, Severity: e.Severity, URI: e.URI, Message: e.Message, FirstSeen: e.FirstSeen, AgeHours: p.End.Sub(e.FirstSeen).Hours()})
	}

	// Where the scan seconds of the period's production deployments came from.
	for _, dep := range x.deployments {
		if dep.ScanSecondsFrom == "" || !p.Contains(dep.Time) || dep.Environment != x.production {
			continue
		}
		if d.ScanSecondsFrom == nil {
			d.ScanSecondsFrom = map[string]int{}
		}
		d.ScanSecondsFrom[dep.ScanSecondsFrom]++
	}
}

func setSeverity(c *SeverityCounts, sev string, n int) {
	switch sev {
	case data.SeverityCritical:
		c.Critical = n
	case data.SeverityHigh:
		c.High = n
	case data.SeverityMedium:
		c.Medium = n
	case data.SeverityLow:
		c.Low = n
	}
}

// Lifecycles builds the finding episodes of the scans of ref trunk, per
// tool and analysis category, in scan time order (SPEC §4). The runs of
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
func Lifecycles(f *collect.Facts, trunk string) []Episode {
	// Findings of each scan (they are grouped by scan, in scan order).
	span := map[string][2]int{}
	for i := 0; i < len(f.Findings); {
		j := i
		for j < len(f.Findings) && f.Findings[j].ScanID == f.Findings[i].ScanID {
			j++
		}
		span[f.Findings[i].ScanID] = [2]int{i, j}
		i = j
	}

	type obsKey struct{ file, tool, category string }
	type observation struct {
		time    time.Time
		scan    string // id of its first scan
		scans   []*collect.Scan
		full    bool
		covers  map[string]bool
		results bool
	}
	var obs []*observation
	byKey := map[obsKey]*observation{}
	for i := range f.Scans {
		s := &f.Scans[i]
		if s.Ref != trunk {
			continue
		}
		k := obsKey{s.File, s.Tool, lifecycleCategory(s.Category)}
		o := byKey[k]
		if o == nil {
			o = &observation{time: s.Time, scan: s.ID, covers: map[string]bool{}}
			byKey[k] = o
			obs = append(obs, o)
		}
		if s.Time.Before(o.time) {
			o.time = s.Time
		}
		o.scans = append(o.scans, s)
		if !s.NoResults {
			o.results = true
			if s.Type != collect.ScanIncremental {
				o.full = true
			}
			for _, u := range s.Covers {
				o.covers[u] = true
			}
		}
	}
	slices.SortStableFunc(obs, func(a, b *observation) int { return a.time.Compare(b.time) })

	// Identities are kept as 64-bit hashes of rule id and fingerprint (or
	// content hash): half a million findings cost megabytes, not a hundred.
	type idKey = uint64
	type state struct {
		open   map[idKey]int32 // identity → episode index
		byHash map[idKey]int32 // content hash → episode index
	}
	// Episodes: about as many as the largest observation of each lifecycle
	// has findings (a longer history adds what came and went).
	largest := map[[2]string]int{}
	for _, o := range obs {
		n := 0
		for _, sc := range o.scans {
			sp := span[sc.ID]
			n += sp[1] - sp[0]
		}
		k := [2]string{o.scans[0].Tool, lifecycleCategory(o.scans[0].Category)}
		largest[k] = max(largest[k], n)
	}
	hint := 0
	for _, n := range largest {
		hint += n
	}
	episodes := make([]Episode, 0, hint+hint/8)
	var present, suppressed, left, unmatched []*collect.Finding
	var hashOf []idKey // episode → its content-hash key while open
	var seenAt []int32 // episode → the last observation (from 1) that had it
	states := map[[2]string]*state{}
	for oi, o := range obs {
		stamp := int32(oi + 1)
		seen := func(ei int32) bool { return seenAt[ei] == stamp }
		tool := o.scans[0].Tool
		lk := [2]string{tool, lifecycleCategory(o.scans[0].Category)}
		st := states[lk]
		if st == nil {
			st = &state{open: map[idKey]int32{}, byHash: map[idKey]int32{}}
			states[lk] = st
		}
		present, suppressed = present[:0], suppressed[:0]
		for _, s := range o.scans {
			sp := span[s.ID]
			for i := sp[0]; i < sp[1]; i++ {
				x := &f.Findings[i]
				switch {
				case x.Absent:
				case x.Suppressed:
					suppressed = append(suppressed, x)
				default:
					present = append(present, x)
				}
			}
		}
		update := func(ei int32, x *collect.Finding) {
			e := &episodes[ei]
			seenAt[ei] = stamp
			e.LastSeen = o.time
			e.Severity, e.URI, e.Line, e.Message = x.Severity, x.URI, x.Line, x.Message
			if x.CWE != "" {
				e.CWE = x.CWE
			}
			if e.Fingerprint != x.Fingerprint {
				delete(st.open, key(e.RuleID, e.Fingerprint))
				e.Fingerprint = x.Fingerprint
				st.open[key(e.RuleID, e.Fingerprint)] = ei
			}
			hk := key(x.RuleID, x.ContentHash)
			if old := hashOf[ei]; old != hk && st.byHash[old] == ei {
				delete(st.byHash, old)
			}
			hashOf[ei] = hk
			st.byHash[hk] = ei
		}
		// 1: by identity. 2: by content hash. 3: new episodes.
		left = left[:0]
		for _, x := range present {
			if ei, ok := st.open[key(x.RuleID, x.Fingerprint)]; ok && !seen(ei) {
				update(ei, x)
			} else {
				left = append(left, x)
			}
		}
		unmatched = unmatched[:0]
		for _, x := range left {
			if ei, ok := st.byHash[key(x.RuleID, x.ContentHash)]; ok && !seen(ei) {
				if _, taken := st.open[key(x.RuleID, x.Fingerprint)]; !taken {
					update(ei, x)
					continue
				}
			}
			unmatched = append(unmatched, x)
		}
		for _, x := range unmatched {
			if _, dup := st.open[key(x.RuleID, x.Fingerprint)]; dup {
				continue // the same identity twice in one observation (runs of one file)
			}
			episodes = append(episodes, Episode{Tool: tool, Category: o.scans[0].Category, RuleID: x.RuleID, Fingerprint: x.Fingerprint, CWE: x.CWE, FirstSeen: o.time, FirstScan: x.ScanID})
			ei := int32(len(episodes) - 1)
			hashOf = append(hashOf, 0)
			seenAt = append(seenAt, 0)
			st.open[key(x.RuleID, x.Fingerprint)] = ei
			update(ei, x)
		}
		closeEp := func(ei int32) {
			e := &episodes[ei]
			delete(st.open, key(e.RuleID, e.Fingerprint))
			if hk := hashOf[ei]; st.byHash[hk] == ei {
				delete(st.byHash, hk)
			}
		}
		for _, x := range suppressed {
			ei, ok := st.open[key(x.RuleID, x.Fingerprint)]
			if !ok {
				ei, ok = st.byHash[key(x.RuleID, x.ContentHash)]
			}
			if ok && !seen(ei) {
				t := o.time
				episodes[ei].SuppressedAt, episodes[ei].SuppressedScan = &t, x.ScanID
				seenAt[ei] = stamp
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
			if e := &episodes[ei]; o.full || e.URI != "" && o.covers[e.URI] {
				fixed = append(fixed, ei)
			}
		}
		slices.Sort(fixed)
		for _, ei := range fixed {
			t := o.time
			episodes[ei].FixedAt, episodes[ei].FixedScan = &t, o.scan
			closeEp(ei)
		}
	}
	return episodes // by first seen: observations come in time order
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

// EpisodeHeader is the header of episodes.csv (SPEC §8: the contract
// columns first, then more); Row gives an episode's fields under it.
var EpisodeHeader = []string{"tool", "rule_id", "fingerprint", "severity", "first_seen", "fixed_at",
	"state", "suppressed_at", "last_seen", "uri", "line", "cwe", "category", "first_scan", "fixed_scan"}

// Row is the episode as a row under EpisodeHeader.
func (e Episode) Row() []string { return e.AppendRow(make([]string, 0, len(EpisodeHeader))) }

// AppendRow appends the episode's fields under EpisodeHeader to row.
func (e Episode) AppendRow(row []string) []string {
	at := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format(time.RFC3339Nano)
	}
	line := ""
	if e.Line > 0 {
		line = strconv.Itoa(e.Line)
	}
	return append(row, e.Tool, e.RuleID, e.Fingerprint, e.Severity, e.FirstSeen.Format(time.RFC3339Nano), at(e.FixedAt),
		e.State(), at(e.SuppressedAt), e.LastSeen.Format(time.RFC3339Nano), e.URI, line, e.CWE, e.Category, e.FirstScan, e.FixedScan)
}

// key hashes a rule id and a fingerprint (or content hash) into an
// identity key: FNV-1a, 64 bits, with a separator.
func key(rule, fp string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i := 0; i < len(rule); i++ {
		h ^= uint64(rule[i])
		h *= prime
	}
	h *= prime
	for i := 0; i < len(fp); i++ {
		h ^= uint64(fp[i])
		h *= prime
	}
	return h
}
