package compute

import (
	"iter"
	"slices"
	"time"

	"github.com/gitdora/gitdora/fact"
)

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
// in O(1), without its findings being read.
//
// The findings of pending scans (fact.Scan.Pending) are read through
// f.Pending in the order they are needed, and let go once the next
// observation of their lifecycle is made: what the episodes still name of
// them is kept (fact.Keeper). Memory then holds the episodes and a lifecycle's
// last findings, not every finding of every scan.
func lifecycles(f *fact.Facts, trunk string) *episodes {
	type obsKey struct{ file, tool, category string }
	type observation struct {
		time    time.Time
		first   int32   // its first scan
		scans   []int32 // Facts.Scans
		full    bool
		covers  map[string]bool
		results bool
		life    int32 // its lifecycle, by first scan in Facts.Scans
		// one: it is one full scan with findings (read or pending), which
		// the observations of the same findings after it extend; skip: it
		// extends the observation before it (see above).
		one, skip bool
	}
	size := trunkCount(f, trunk)
	obs := make([]*observation, 0, size)
	byKey := make(map[obsKey]*observation, size)
	lives := map[[2]string]int32{}
	var lifeKeys [][2]string
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
		cat := lifecycleCategory(s.Category)
		k := obsKey{s.File, s.Tool, cat}
		o := byKey[k]
		if o == nil {
			lk := [2]string{s.Tool, cat}
			li, ok := lives[lk]
			if !ok {
				li = int32(len(lifeKeys))
				lives[lk] = li
				lifeKeys = append(lifeKeys, lk)
			}
			firsts = append(firsts, int32(i))
			n := len(firsts)
			slab = append(slab, observation{time: s.Time, first: int32(i), scans: firsts[n-1 : n : n], life: li})
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
	out := &episodes{f: f, times: make([]time.Time, len(obs)), scans: make([]int32, len(obs)), extend: make([]int32, len(obs)), sets: make([]*fact.FindingSet, len(f.Scans))}
	for i, o := range obs {
		out.times[i], out.scans[i], out.extend[i] = o.time, o.first, -1
	}
	for i := range f.Scans {
		out.sets[i] = f.Scans[i].Set
	}

	// Which observations extend the one before them, and so which pending
	// findings are read, in what order: decided from the scans' keys
	// alone. anchors[life] is the scan of the last observation of the
	// lifecycle that changed it when it was one full scan, else -1.
	anchors := make([]int32, len(lifeKeys))
	for i := range anchors {
		anchors[i] = -1
	}
	var order []int32
	for _, o := range obs {
		first := &f.Scans[o.scans[0]]
		o.one = len(o.scans) == 1 && o.full && (first.Set != nil || first.Pending)
		if a := anchors[o.life]; o.one && a >= 0 && sameFindings(first, &f.Scans[a]) {
			o.skip = true
			continue
		}
		anchors[o.life] = -1
		if o.one {
			anchors[o.life] = o.first
		}
		for _, si := range o.scans {
			if s := &f.Scans[si]; s.Pending && s.Set == nil {
				order = append(order, si)
			}
		}
	}
	var next func() (*fact.FindingSet, bool)
	if len(order) > 0 && f.Pending != nil {
		var stop func()
		next, stop = iter.Pull(f.Pending.Read(order))
		defer stop()
	}

	// Suppressed results of low severity or above, per lifecycle, in
	// full observations; none are listed when no trunk scan has any.
	some := false
	for i := range f.Scans {
		s := &f.Scans[i]
		if s.Ref == trunk && (s.Set != nil && s.Set.Suppressed > 0 || s.Set == nil && s.Pending && s.Suppressed > 0) {
			some = true
			break
		}
	}
	var suppressed [][]suppressedObs
	if some {
		suppressed = make([][]suppressedObs, len(lifeKeys))
	}

	// Identities are kept as 64-bit hashes of rule id and fingerprint (or
	// content hash): half a million findings cost megabytes, not a hundred.
	type idKey = uint64
	type state struct {
		open   map[idKey]int32 // identity → episode index
		byHash map[idKey]int32 // content hash → episode index
		// anchor is the last observation that changed the lifecycle, when
		// it was one full scan (else -1).
		anchor int32
		// held are the pending scans of the lifecycle's last observation
		// read, whose findings are let go once the next one is made;
		// touched the episodes that observation matched, opened or
		// closed (all that can name its findings) and supp its
		// suppressed results' lists.
		held    []int32
		touched []int32
		supp    []suppressedOf
		spare   []int32 // a touched list to reuse
	}
	// Episodes: about as many as the largest observation of each lifecycle
	// has findings, and an eighth more where it has more observations (a
	// longer history adds what came and went).
	largest, left := make([]int, len(lifeKeys)), make([]int, len(lifeKeys))
	for _, o := range obs {
		n := 0
		for _, si := range o.scans {
			n += f.Scans[si].Results
		}
		largest[o.life] = max(largest[o.life], n)
		left[o.life]++
	}
	hint := 0
	for li, n := range largest {
		hint += n
		if left[li] > 1 {
			hint += n / 8
		}
	}
	list := make([]episode, 0, hint)
	var present, suppressedNow, rest, unmatched []fref
	states := make([]*state, len(lifeKeys))
	for oi, o := range obs {
		now := int32(oi)
		lk := o.life
		st := states[lk]
		if st == nil {
			st = &state{open: map[idKey]int32{}, byHash: map[idKey]int32{}, anchor: -1}
			states[lk] = st
		}
		left[lk]--
		if o.skip {
			out.extend[st.anchor] = now
			if a := out.scans[st.anchor]; out.sets[o.first] == nil {
				// Pending: its findings are the anchor's, let go with them.
				out.sets[o.first] = out.sets[a]
				if len(st.held) > 0 {
					st.held = append(st.held, o.first)
				}
			}
			if suppressed != nil {
				// The same findings as the anchor's: its suppressed results.
				var res []suppressedOf
				if len(st.supp) > 0 {
					res = []suppressedOf{{o.first, st.supp[0].idx}}
				}
				suppressed[lk] = append(suppressed[lk], suppressedObs{o.time, res})
			}
			continue
		}
		// Read what is pending of this observation.
		var held []int32
		for _, si := range o.scans {
			if s := &f.Scans[si]; s.Pending && s.Set == nil {
				var set *fact.FindingSet
				if next != nil {
					set, _ = next()
				}
				out.sets[si] = set
				held = append(held, si)
			}
		}
		st.anchor = -1
		if o.one {
			st.anchor = now
		}
		// seen: the episode was matched or closed by this observation.
		seen := func(ei int32) bool { return list[ei].last == now || list[ei].closed == now }
		// The last observation of a lifecycle, if it is one run, need not
		// index what it sees: nothing after it looks anything up, and within
		// it the identities and content hashes of a run's results are all
		// different (the reader numbers repeats), so no lookup of its own can
		// meet what it would have added. What it removes (a fingerprint that
		// changed) must still go.
		lean := left[lk] == 0 && len(o.scans) == 1
		// The episodes that name this observation's findings are listed
		// when those are let go after it (release).
		track := len(held) > 0
		touched := st.spare[:0]
		present, suppressedNow = present[:0], suppressedNow[:0]
		for _, si := range o.scans {
			var fs []fact.Finding
			if set := out.sets[si]; set != nil {
				fs = set.List
			}
			for i := range fs {
				x := &fs[i]
				switch {
				case x.Absent:
				case x.Suppressed:
					suppressedNow = append(suppressedNow, fref{si, int32(i)})
				default:
					present = append(present, fref{si, int32(i)})
				}
			}
		}
		update := func(ei int32, xi fref) {
			e := &list[ei]
			x, prev := out.at(xi), out.at(e.latest)
			e.last = now
			if track {
				touched = append(touched, ei)
			}
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
		for _, xi := range suppressedNow {
			x := out.at(xi)
			ei, ok := st.open[key(x.RuleID, x.Fingerprint())]
			if !ok {
				ei, ok = st.byHash[hashKey(x.RuleID, x.ContentHash)]
			}
			if ok && !seen(ei) {
				list[ei].closed, list[ei].suppressor = now, xi
				if track {
					touched = append(touched, ei)
				}
				closeEp(ei)
			}
		}
		var fixed []int32
		for _, ei := range st.open {
			if !o.results {
				break // a run without a results array fixes nothing
			}
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
		if checkLifecycle != nil && !lean {
			checkLifecycle(lifeKeys[lk], st.open, list, out)
		}

		var supp []suppressedOf
		if suppressed != nil && o.full {
			for _, si := range o.scans {
				set := out.sets[si]
				if set == nil || set.Suppressed == 0 {
					continue
				}
				var idx []int32
				for i := range set.List {
					if x := &set.List[i]; x.Suppressed && !x.Absent && x.Severity != fact.SeverityInfo {
						idx = append(idx, int32(i))
					}
				}
				if len(idx) > 0 {
					supp = append(supp, suppressedOf{si, idx})
				}
			}
			suppressed[lk] = append(suppressed[lk], suppressedObs{o.time, supp})
		}
		if len(st.held) > 0 {
			out.release(list, st.held, st.touched, st.supp)
		}
		st.spare = st.touched
		st.held, st.touched, st.supp = held, touched, supp
	}
	// What the lifecycles' last observations read is let go too.
	for _, st := range states {
		if st != nil && len(st.held) > 0 {
			out.release(list, st.held, st.touched, st.supp)
		}
	}
	out.list = list // by first seen: observations come in time order
	out.suppressed = suppressed
	return out
}

// checkLifecycle, when set (by tests), is called after each observation
// of a lifecycle that a later one may look up, with its tool and category
// and the identity keys of its open episodes, to the episodes they name.
var checkLifecycle func(life [2]string, open map[uint64]int32, list []episode, out *episodes)

// sameFindings reports whether scans a and b have the same findings, read
// or pending.
func sameFindings(a, b *fact.Scan) bool {
	if a.SetKey != 0 && b.SetKey != 0 {
		return a.SetKey == b.SetKey
	}
	return a.Set != nil && a.Set == b.Set
}

// release lets go of the findings of held (pending scans read for an
// observation): what the episodes touched (matched, opened or closed by
// it) and the lists of its suppressed results name of them is kept
// first (fact.Keeper). Episodes it did not touch name none of its findings.
func (s *episodes) release(list []episode, held, touched []int32, supp []suppressedOf) {
	classes := map[*fact.Class]*fact.Class{}
	in := func(r fref) bool {
		return r.i >= 0 && (r.scan == held[0] || len(held) > 1 && slices.Contains(held, r.scan))
	}
	keep := func(r fref) int32 {
		s.kept = append(s.kept, s.keeper.Keep(s.at(r), classes))
		return -int32(len(s.kept))
	}
	// A finding is named once, but by an episode's first, latest and CWE
	// results, which are often one, and by a suppressor, which the lists
	// of suppressed results name too.
	var suppressors map[fref]int32
	for _, ei := range touched {
		e := &list[ei]
		first, latest := e.first, e.latest
		if in(first) {
			e.first.i = keep(first)
		}
		if latest == first {
			e.latest = e.first
		} else if in(latest) {
			e.latest.i = keep(latest)
		}
		switch {
		case e.cwe == first:
			e.cwe = e.first
		case e.cwe == latest:
			e.cwe = e.latest
		case in(e.cwe):
			e.cwe.i = keep(e.cwe)
		}
		if in(e.suppressor) {
			k := keep(e.suppressor)
			if len(supp) > 0 {
				if suppressors == nil {
					suppressors = map[fref]int32{}
				}
				suppressors[e.suppressor] = k
			}
			e.suppressor.i = k
		}
	}
	// The lists of suppressed results are shared with the observations
	// that extended this one: they are changed in place.
	for _, sup := range supp {
		for j, i := range sup.idx {
			if r := (fref{sup.scan, i}); in(r) {
				k, ok := suppressors[r]
				if !ok {
					k = keep(r)
				}
				sup.idx[j] = k
			}
		}
	}
	for _, si := range held {
		s.sets[si] = nil
	}
}
