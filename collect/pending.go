package collect

import (
	"cmp"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/gitdora/gitdora/collect/findings"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/git"
)

// readDepth is how much of a scan's normalised findings gathering reads.
type readDepth uint8

const (
	// readSets reads the runs' findings.
	readSets readDepth = iota
	// readHeaders reads the runs' headers with the artifacts they list
	// (what an incremental scan covers): the findings are pending.
	readHeaders
	// readCounts reads the runs' headers without their artifacts: a
	// scan of another ref, which no lifecycle takes.
	readCounts
)

// hasFindings reports whether run has findings to read: a results
// array, or results.
func hasFindings(run *findings.Run) bool { return run.HasResults || run.Count > 0 }

// fewContents reports whether the normalised findings of stored are of
// at most eagerContents contents: their findings are then read whole as
// they are gathered (each content once, the scans sharing it), which holds
// little, and costs less than reading them twice (headers, then findings)
// with nothing to read beside them (years of nightly scans of unchanged
// code are one content).
func fewContents(stored []*storedScan) bool {
	seen := map[git.Hash]bool{}
	n := 0 // contents: files whose content has no name (in a plain directory) count one each
	for _, s := range stored {
		if s.norm == nil || !s.norm.Blob.IsZero() && seen[s.norm.Blob] {
			continue
		}
		if !s.norm.Blob.IsZero() {
			seen[s.norm.Blob] = true
		}
		if n++; n > eagerContents {
			return false
		}
	}
	return true
}

// eagerContents is how many contents of normalised findings fewContents
// takes for few.
var eagerContents = 16 // tests set it lower

// keySeed keys the scans' findings (fact.Scan.SetKey) within a process.
var keySeed = maphash.MakeSeed()

// setKeyOf is the fact.Scan.SetKey of run's findings for a scan whose
// file names pathTool: the same for the runs of the same findings and
// tool, as scanReader.set shares them (by the same setKey); never 0.
func setKeyOf(run *findings.Run, pathTool string) uint64 {
	return max(maphash.Comparable(keySeed, setKey{cmp.Or(run.Tool, pathTool), run.Key()}), 1)
}

// pendingSets reads the findings of the scans gathered without them
// (fact.SetReader): their normalised findings again, a run's findings at
// a time, and their SARIF file when those cannot be read.
type pendingSets struct {
	r  *scanReader
	f  *fact.Facts
	mu sync.Mutex
	at map[string]pendingRun // by scan ID
	// last is the file add kept last: runs of one file share it.
	last *pendingFile

	notes    []string
	problems []fact.Problem
	told     map[string]bool // files reported
	// bases are the runs read last, by tool and analysis category: the
	// next run of a lifecycle, mostly the same findings, is read from its
	// (findings.Base).
	bases     map[string]*findings.Base
	baseBytes int // what they hold (findings.Base.Size)
}

// pendingRun is where a pending scan's findings are: a run of a file.
type pendingRun struct {
	file *pendingFile
	run  int
}

// pendingFile is what reading a stored scan's findings again takes, and
// nothing more: years of scans keep one each.
type pendingFile struct {
	p          string // the scan's name (its SARIF file's path)
	tool, root string // of its path; of its scan record
	norm       data.Entry
	raw        *data.Entry // nil when the SARIF file was not kept
}

// stored is the stored scan f stands for, as reading it takes it.
func (f *pendingFile) stored() *storedScan {
	return &storedScan{p: f.p, sp: data.ScanPath{Tool: f.tool}, raw: f.raw, norm: &f.norm, meta: ScanMeta{Root: f.root}}
}

// add records that scan id's findings are run i of s.
func (p *pendingSets) add(id string, s *storedScan, i int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.last == nil || p.last.p != s.p {
		// Copies, holding on to nothing of the listing or the record
		// (the root, the same for most scans, interned).
		f := &pendingFile{p: s.p, tool: s.sp.Tool, root: p.r.strs.of(s.meta.Root), norm: *s.norm}
		if s.raw != nil {
			raw := *s.raw
			f.raw = &raw
		}
		p.last = f
	}
	p.at[id] = pendingRun{p.last, i}
}

// Read yields the findings of each of scans in turn, read on every CPU a
// few scans ahead of the one yielded: memory holds those few.
func (p *pendingSets) Read(scans []int32) iter.Seq[*fact.FindingSet] {
	return func(yield func(*fact.FindingSet) bool) {
		n := len(scans)
		if n == 0 {
			return
		}
		from, drop := p.reuse(scans)
		workers := min(runtime.GOMAXPROCS(0), n)
		type slot struct {
			set  *fact.FindingSet
			done chan struct{}
		}
		slots := make([]slot, n)
		for i := range slots {
			slots[i].done = make(chan struct{})
		}
		// Read but not yet yielded, or being read: one more than the
		// readers, so that none waits while the lifecycles take the next
		// (more held no time and took memory).
		ahead := make(chan struct{}, workers+1)
		stop := make(chan struct{})
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for {
					select {
					case ahead <- struct{}{}:
					case <-stop:
						return
					}
					i := int(next.Add(1) - 1)
					if i >= n {
						return
					}
					select {
					case <-stop:
						return
					default:
					}
					if from[i] < 0 {
						slots[i].set = p.load(scans[i])
					}
					close(slots[i].done)
				}
			})
		}
		defer func() {
			close(stop)
			wg.Wait()
			p.mu.Lock()
			p.bases, p.baseBytes = nil, 0 // what they hold is let go with the last findings read
			p.mu.Unlock()
		}()
		kept := map[int32]*fact.FindingSet{} // by the place they were read at
		for i := range slots {
			<-slots[i].done
			set := slots[i].set
			slots[i].set = nil
			if j := from[i]; j >= 0 {
				set = kept[j]
			} else if drop[i] != int32(i) {
				kept[int32(i)] = set // read again later
			}
			if j := drop[i]; j >= 0 {
				delete(kept, j) // its last use
			}
			<-ahead
			if !yield(set) {
				return
			}
		}
	}
}

// maxBases is how many lifecycles' bases (findings.Base) pendingSets
// keeps at most: more are dropped, and their next runs read whole.
var maxBases = 64 // tests set it lower

// maxBaseBytes is how many bytes (findings.Base.Size) the bases hold at
// most: a base is about the size of its file of normalised findings,
// which may be up to 8 MB before it is streamed (and then has none).
var maxBaseBytes = 64 << 20 // tests set it lower

// keepFindings is how many findings Read keeps for the scans that come
// back to them later in its order.
const keepFindings = 1 << 18

// reuse plans which findings of scans (an order of Read) are read once
// for several scans: from[i] is the earlier place whose findings place i
// takes (the same key), -1 when it reads its own; drop[i] is the place
// whose kept findings are let go after place i (their last use), i itself
// when its own are not kept, -1 when there are none. Findings are kept
// until their last use, up to keepFindings findings in all: a log that
// comes back to earlier contents (a change undone) is read once.
func (p *pendingSets) reuse(scans []int32) (from, drop []int32) {
	n := len(scans)
	from, drop = make([]int32, n), make([]int32, n)
	last := map[uint64]int32{}
	for i, si := range scans {
		from[i], drop[i] = -1, -1
		if k := p.f.Scans[si].SetKey; k != 0 {
			last[k] = int32(i)
		}
	}
	first := map[uint64]int32{} // place of the kept findings of a key
	kept := 0
	for i, si := range scans {
		s := &p.f.Scans[si]
		k := s.SetKey
		if k == 0 {
			drop[i] = int32(i)
			continue
		}
		if j, ok := first[k]; ok {
			from[i] = j
			if last[k] == int32(i) {
				drop[i] = j
			}
			continue
		}
		if last[k] == int32(i) || kept+s.Results > keepFindings {
			drop[i] = int32(i) // not read again, or no room: read each time
			continue
		}
		kept += s.Results
		first[k] = int32(i)
	}
	return from, drop
}

// load reads the findings of scan i of the facts; nil when they cannot
// be read (Report says why).
func (p *pendingSets) load(i int32) *fact.FindingSet {
	if i < 0 || int(i) >= len(p.f.Scans) || p.r.o.done() != nil {
		return nil // (once the run is cancelled, nothing more is read)
	}
	p.mu.Lock()
	at, ok := p.at[p.f.Scans[i].ID]
	p.mu.Unlock()
	if !ok {
		return nil
	}
	r, s := p.r, at.file.stored()
	set, err := p.fromNormalised(at, p.f.Scans[i].SetKey)
	if err == nil {
		return set
	}
	where := r.o.Store.Where(s.file())
	if errors.Is(err, errChanged) {
		where = r.o.Store.Where(s.norm.Path)
		p.tell(where, "", &fact.Problem{File: where, Msg: fmt.Sprintf("%v; the scan's findings are left out of finding lifecycles (run the command again)", err)})
		return nil
	}
	msg := fmt.Sprintf("normalised findings: %v; its findings are left out of finding lifecycles", err)
	if s.raw != nil {
		file, rerr := r.fromSARIF(s)
		if rerr == nil && at.run < len(file.Runs) {
			set, rerr = r.set(&file.Runs[at.run], s.sp.Tool)
			switch {
			case rerr == nil && counted(&p.f.Scans[i], set):
				p.tell(where, fmt.Sprintf("%s: normalised findings cannot be read (%v), so the SARIF file was read whole: run `gitdora reindex` to rebuild them", where, err), nil)
				return set
			case rerr == nil: // it changed, or they were not made of it
				msg = fmt.Sprintf("normalised findings: %v, and the SARIF file holds other findings than they counted; its findings are left out of finding lifecycles", err)
			}
		}
	}
	p.tell(where, "", &fact.Problem{File: where, Msg: msg})
	return nil
}

// counted reports whether set holds the findings gathering counted for
// scan s.
func counted(s *fact.Scan, set *fact.FindingSet) bool {
	return len(set.List) == s.Results && set.Suppressed == s.Suppressed
}

// errChanged is a file of normalised findings whose run is not the one
// gathering counted: in a plain data directory, a file rewritten between
// the two reads (on a data branch, a file is its content).
var errChanged = errors.New("normalised findings changed while they were read: they are not the findings counted")

// fromNormalised reads the findings of at from its normalised findings,
// those of key (fact.Scan.SetKey) as gathering read them.
func (p *pendingSets) fromNormalised(at pendingRun, key uint64) (*fact.FindingSet, error) {
	r, f := p.r, at.file
	file, err := r.decode(f.norm, f.tool)
	if err != nil {
		return nil, err
	}
	if at.run >= len(file.Runs) {
		return nil, fmt.Errorf("run %d: the file has %d runs", at.run, len(file.Runs))
	}
	run := &file.Runs[at.run]
	if setKeyOf(run, f.tool) != key {
		return nil, errChanged
	}
	tool := cmp.Or(run.Tool, f.tool)
	life := tool + "\x00" + run.AutomationID
	p.mu.Lock()
	base := p.bases[life]
	p.mu.Unlock()
	set, next, err := run.SetFrom(base, tool, r.o.Config.Severity.Overrides, r.strs.of)
	if err == nil && next != nil {
		p.mu.Lock()
		old := p.bases[life]
		if old != nil {
			p.baseBytes -= old.Size()
		}
		if p.bases == nil || len(p.bases) >= maxBases && old == nil || p.baseBytes+next.Size() > maxBaseBytes {
			// Bounded, whatever the data branch holds: they are let
			// go, and the next runs of their lifecycles read whole.
			p.bases, p.baseBytes = map[string]*findings.Base{}, 0
		}
		p.bases[life] = next // read on several CPUs: the last read, not always the latest scan
		p.baseBytes += next.Size()
		p.mu.Unlock()
	}
	return set, err
}

// tell records a note or a problem, once per file.
func (p *pendingSets) tell(where, note string, problem *fact.Problem) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.told[where] {
		return
	}
	if p.told == nil {
		p.told = map[string]bool{}
	}
	p.told[where] = true
	if problem != nil {
		p.problems = append(p.problems, *problem)
	} else {
		p.notes = append(p.notes, note)
	}
}

// Report is what reading found so far.
func (p *pendingSets) Report() ([]string, []fact.Problem) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.notes...), append([]fact.Problem(nil), p.problems...)
}
