package collect

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gitdora/gitdora/collect/ci"
	"github.com/gitdora/gitdora/collect/findings"
	"github.com/gitdora/gitdora/collect/sarif"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/git"
	"github.com/gitdora/gitdora/internal/order"
	"github.com/gitdora/gitdora/internal/par"
)

// ScanMeta is what `gitdora ingest sarif` knew about a scan beyond the
// SARIF file, which is stored as ingested: it sits beside the file as
// ScanMetaFile of its path.
type ScanMeta struct {
	// Refs are the --ref values the file was ingested with (the same
	// content ingested for a pull request and, after a fast-forward, for
	// the trunk is one file with two refs).
	Refs       []string      `json:"refs"`
	At         string        `json:"at,omitempty"`          // --at as given: the scan time when the SARIF has none
	ScanType   fact.ScanType `json:"scan_type"`             // --scan-type: full or incremental
	CommitTime string        `json:"commit_time,omitempty"` // committer time of the scanned commit, when --repo had it
	Root       string        `json:"root,omitempty"`        // absolute path of --repo at ingest (absolute URIs under it are made relative)
	Source     string        `json:"source,omitempty"`      // the file name given to ingest
	Ingested   string        `json:"ingested"`              // when it was ingested
}

// UnknownRef is the ref of a scan whose scan record is missing or cannot
// be read: no branch can have that name (git refuses spaces in refs), so
// the scan takes part in no lifecycle.
const UnknownRef = "(unknown ref)"

// ScanMetaFile is the path of the ScanMeta of the SARIF file at p.
func ScanMetaFile(p string) string { return strings.TrimSuffix(p, ".sarif") + ".json" }

// gatherSecurity fills CI runs, then scans and findings, from the data
// branch. A file that cannot be read is reported and left out whole (a
// truncated scan must not make its findings look fixed); the rest is read.
func gatherSecurity(o Options, f *fact.Facts) error {
	scanStep, err := regexp.Compile(o.Config.CI.ScanStepPattern)
	if err != nil {
		return fmt.Errorf("ci.scan_step_pattern: %w", err)
	}
	var gateStep *regexp.Regexp
	if p := o.Config.CI.GateStepPattern; p != "" {
		if gateStep, err = regexp.Compile(p); err != nil {
			return fmt.Errorf("ci.gate_step_pattern: %w", err)
		}
	}
	runs, err := gatherCI(o, f, scanStep, gateStep)
	if err != nil {
		return err
	}
	return gatherScans(o, f, runs, scanStep)
}

// gatherCI reads every CI run record and returns the runs by head sha.
// The odd values of the records were said at ingest: here each kind is
// said in one line, with its count and the first record.
func gatherCI(o Options, f *fact.Facts, scanStep, gateStep *regexp.Regexp) (map[string][]ci.Run, error) {
	files, err := o.Store.List(data.CIDir)
	if err != nil {
		return nil, err
	}
	bySHA := map[string][]ci.Run{}
	odd := &ciNotes{}
	now := data.Now()
	for _, p := range files {
		if err := o.done(); err != nil {
			return nil, err
		}
		if !strings.HasSuffix(p, ".json") {
			continue
		}
		b, err := readLimited(o.Store, p, int64(o.Config.Limits.CIBytes))
		var tl *tooLarge
		if errors.As(err, &tl) {
			f.Problems = append(f.Problems, fact.Problem{File: o.Store.Where(p), Msg: fmt.Sprintf("more than limits.ci_bytes (%s); skipped", o.Config.Limits.CIBytes)})
			continue
		}
		if err != nil {
			return nil, err
		}
		doc, err := ci.ParseFields(b)
		if err != nil {
			f.Problems = append(f.Problems, fact.Problem{File: o.Store.Where(p), Msg: err.Error()})
			continue
		}
		for _, r := range ci.Attach(doc.Runs, doc.Jobs) {
			if err := runTimes(&r, now); err != nil {
				f.Problems = append(f.Problems, fact.Problem{File: o.Store.Where(p), Msg: fmt.Sprintf("run %d: %v; the run is left out", r.ID, err)})
				continue
			}
			s := ci.Summarize(&r, scanStep, gateStep)
			for _, n := range s.Notes {
				odd.add(n, o.Store.Where(p), r.ID)
			}
			f.CIRuns = append(f.CIRuns, fact.CIRun{
				ID: r.ID, System: r.Source, Attempt: r.Attempt, Name: r.Name, Workflow: r.Path, HeadSHA: r.HeadSHA, HeadBranch: r.HeadBranch,
				Event: r.Event, Status: r.Status, Conclusion: r.Conclusion, Created: r.Created, Started: r.Time(), Updated: r.Updated,
				PipelineSeconds: s.PipelineSeconds, ScanSeconds: s.ScanSeconds, GateBlocked: s.GateBlocked, File: p,
			})
			if r.HeadSHA != "" {
				bySHA[r.HeadSHA] = append(bySHA[r.HeadSHA], r)
			}
		}
	}
	f.Notes = append(f.Notes, odd.lines()...)
	slices.SortStableFunc(f.CIRuns, func(a, b fact.CIRun) int {
		if c := a.Started.Compare(b.Started); c != 0 {
			return c
		}
		switch {
		case a.ID != b.ID:
			return cmp.Compare(a.ID, b.ID)
		}
		return a.Attempt - b.Attempt
	})
	return bySHA, nil
}

// ciNotes gathers the odd values of CI run records by kind.
type ciNotes struct {
	order []string
	by    map[string]*ciNote
}

type ciNote struct {
	runs  int
	first string // the first record's note, with its place
	last  string // the record (place and run) of the last note
}

func (c *ciNotes) add(n ci.Note, where string, run int64) {
	if c.by == nil {
		c.by = map[string]*ciNote{}
	}
	a := c.by[n.Kind]
	if a == nil {
		a = &ciNote{first: fmt.Sprintf("%s: run %d: %s", where, run, n.Text)}
		c.by[n.Kind] = a
		c.order = append(c.order, n.Kind)
	}
	// A record may hold notes of one kind more than once (two steps
	// outside their run): it is one record.
	if rec := fmt.Sprintf("%s#%d", where, run); rec != a.last {
		a.runs++
		a.last = rec
	}
}

// lines says each kind once: "9 CI records: status is a conclusion; read
// as completed (first: ci/2025/03/…: run 1: status \"failure\" …)".
func (c *ciNotes) lines() []string {
	var out []string
	for _, k := range c.order {
		a := c.by[k]
		if a.runs == 1 {
			out = append(out, "CI record "+a.first)
			continue
		}
		out = append(out, fmt.Sprintf("%d CI records: %s (first: %s)", a.runs, k, a.first))
	}
	return out
}

// runTimes reports a time of the run itself (created, started, updated)
// before 1970 or in the future: the run would be filed, and a deployment
// from it counted, there.
func runTimes(r *ci.Run, now time.Time) error {
	for _, x := range []struct {
		what string
		t    time.Time
	}{{"created_at", r.Created}, {"run_started_at", r.Started}, {"updated_at", r.Updated}} {
		if !x.t.IsZero() {
			if err := data.CheckWhen(x.t, now); err != nil {
				return fmt.Errorf("%s %v", x.what, err)
			}
		}
	}
	return nil
}

// FindingsFile is the path of the normalised findings of the SARIF file
// at p (collect/findings): beside it, whether the SARIF file is kept or
// not (scans.keep_raw), which still names the scan.
func FindingsFile(p string) string { return strings.TrimSuffix(p, ".sarif") + findings.Ext }

// storedScan is one scan stored by ingest: its SARIF file (unless it was
// not kept), its normalised findings (unless an older gitdora stored it)
// and its scan record, all named after the SARIF file.
type storedScan struct {
	p    string // the SARIF file's path, kept or not: the scan's name
	sp   data.ScanPath
	bad  bool        // not where ingest stores scans
	raw  *data.Entry // the SARIF file; nil when not kept
	norm *data.Entry // its normalised findings; nil when none were written
	rec  *data.Entry // its scan record; nil when there is none

	// What reading it gave (scanReader.read).
	meta    ScanMeta
	metaErr error // the scan record was unreadable (errNoMeta: there is none)
	scans   []fact.Scan
	notes   []sarif.Note
	err     error
	stale   staleKind // why the SARIF file was read, not normalised findings
	why     string    // for staleUnreadable: the error
}

// file is the path of what names the scan in messages: its SARIF file,
// else its normalised findings.
func (s *storedScan) file() string {
	if s.raw == nil && s.norm != nil {
		return s.norm.Path
	}
	return s.p
}

// gatherScans reads every stored scan: its normalised findings, else its
// SARIF file (and says that `gitdora reindex` would spare that). Scans of
// the same findings share one fact.FindingSet.
func gatherScans(o Options, f *fact.Facts, runs map[string][]ci.Run, scanStep *regexp.Regexp) error {
	stored, err := listScans(o)
	if err != nil {
		return err
	}
	r := newScanReader(o)
	var jobs []*storedScan
	for _, s := range stored {
		if !s.bad {
			jobs = append(jobs, s)
		}
	}
	if o.streamTrunk() && !fewContents(jobs) {
		r.pending = &pendingSets{r: r, f: f, at: map[string]pendingRun{}}
	}
	// Read in parallel, one per CPU.
	par.Each(len(jobs), func(i int) { r.read(jobs[i]) })
	if err := o.done(); err != nil {
		return err
	}
	var noMeta []string
	for _, s := range stored {
		switch {
		case s.bad && s.raw != nil:
			f.Problems = append(f.Problems, fact.Problem{File: o.Store.Where(s.p), Msg: "not where ingest stores SARIF (want scans/YYYY/MM/<sha>/<tool>-<sha256[:12]>.sarif); skipped"})
		case s.bad:
			f.Problems = append(f.Problems, fact.Problem{File: o.Store.Where(s.norm.Path), Msg: "not where ingest stores normalised findings (want scans/YYYY/MM/<sha>/<tool>-<sha256[:12]>" + findings.Ext + "); skipped"})
		case errors.Is(s.metaErr, errNoMeta):
			noMeta = append(noMeta, s.file())
		case s.metaErr != nil:
			f.Problems = append(f.Problems, fact.Problem{File: o.Store.Where(ScanMetaFile(s.p)),
				Msg: s.metaErr.Error() + "; the scan is read as one of an unknown ref, left out of finding lifecycles"})
		}
	}
	notes := &noteSet{}
	stale := &staleNotes{}
	n := 0
	for _, s := range jobs {
		n += len(s.scans)
	}
	got := make([]fact.Scan, 0, n)
	for _, s := range jobs {
		if len(s.notes) > 0 || s.stale != fresh || s.err != nil {
			where := o.Store.Where(s.file())
			for _, n := range s.notes {
				notes.add(where, n)
			}
			stale.add(s, where)
			if s.err != nil {
				f.Problems = append(f.Problems, fact.Problem{File: where, Msg: s.err.Error()})
				continue
			}
		}
		got = append(got, s.scans...)
	}
	if r.pending != nil {
		// What was read of files is let go: the pending findings' reader
		// reads them again.
		r.mu.Lock()
		r.files, r.want = map[fileKey]*cached[*findings.File]{}, map[string][]string{}
		r.mu.Unlock()
	}
	f.Notes = append(f.Notes, notes.lines()...)
	f.Notes = append(f.Notes, stale.lines()...)
	for _, p := range noMeta {
		f.Problems = append(f.Problems, fact.Problem{File: o.Store.Where(p),
			Msg: "no scan record beside it (" + path.Base(ScanMetaFile(p)) + "; not stored by gitdora ingest, or its write was interrupted): read as a scan of an unknown ref, left out of finding lifecycles"})
	}
	f.Scans = orderScans(got, runs, scanStep)
	if r.pending != nil && len(r.pending.at) > 0 {
		f.Pending = r.pending
	}
	return nil
}

// listScans lists the stored scans by the path of their SARIF file: the
// SARIF files, normalised findings and scan records under scans/.
func listScans(o Options) ([]*storedScan, error) {
	entries, err := o.Store.Entries(data.ScansDir)
	if err != nil {
		return nil, err
	}
	// A scan has a SARIF file, normalised findings or both: the scans
	// are made in one slice of that many at most.
	n := 0
	for i := range entries {
		if p := entries[i].Path; strings.HasSuffix(p, ".sarif") || strings.HasSuffix(p, findings.Ext) {
			n++
		}
	}
	slab := make([]storedScan, 0, n)
	by := make(map[string]*storedScan, n)
	records := make(map[string]*data.Entry, n)
	out := make([]*storedScan, 0, n)
	of := func(p string) *storedScan {
		s := by[p]
		if s == nil {
			slab = append(slab, storedScan{p: p})
			s = &slab[len(slab)-1]
			by[p] = s
			out = append(out, s)
		}
		return s
	}
	for i := range entries {
		e := &entries[i]
		switch {
		case strings.HasSuffix(e.Path, ".sarif"):
			of(e.Path).raw = e
		case strings.HasSuffix(e.Path, findings.Ext):
			of(strings.TrimSuffix(e.Path, findings.Ext) + ".sarif").norm = e
		case strings.HasSuffix(e.Path, ".json"):
			records[strings.TrimSuffix(e.Path, ".json")] = e // by the name ScanMetaFile gives, less .json
		}
	}
	slices.SortFunc(out, func(a, b *storedScan) int { return strings.Compare(a.p, b.p) })
	for _, s := range out {
		sp, ok := data.ParseScanPath(s.p)
		s.sp, s.bad, s.rec = sp, !ok, records[strings.TrimSuffix(s.p, ".sarif")]
	}
	return out, nil
}

// orderScans puts scans in time order (then path and run), and gives
// those without a duration the time of the CI steps that ran their tool.
func orderScans(got []fact.Scan, runs map[string][]ci.Run, scanStep *regexp.Regexp) []fact.Scan {
	// Scans of one time stay in the order of their paths.
	got = order.Stable(got, func(a, b *fact.Scan) int { return a.Time.Compare(b.Time) })
	for i := range got {
		if s := &got[i]; s.Duration == nil && len(runs[s.Commit]) > 0 {
			s.Duration = stepSeconds(runs[s.Commit], s.Tool, scanStep)
		}
	}
	return got
}

// staleKind is why a scan's SARIF file was read rather than its
// normalised findings.
type staleKind int

const (
	fresh           staleKind = iota // its normalised findings were read
	staleNone                        // there are none (an older gitdora stored it)
	staleOlder                       // they are of an older format version
	staleNewer                       // a newer gitdora wrote them
	staleUnreadable                  // they cannot be read
	staleElsewhere                   // they were made with another root than this repository's
)

// staleNotes says, once per kind, which scans were read from their SARIF
// files and what `gitdora reindex` would do about it.
type staleNotes struct {
	count [staleElsewhere + 1]int
	first [staleElsewhere + 1]string
}

func (n *staleNotes) add(s *storedScan, where string) {
	if s.stale == fresh {
		return
	}
	if n.count[s.stale] == 0 {
		n.first[s.stale] = where
		if s.stale == staleUnreadable {
			n.first[s.stale] = where + " (" + s.why + ")"
		}
	}
	n.count[s.stale]++
}

func (n *staleNotes) lines() []string {
	var out []string
	say := func(k staleKind, what, then string) {
		if c := n.count[k]; c > 0 {
			out = append(out, fmt.Sprintf("%d SARIF file(s) %s, so they were read whole (first: %s): %s", c, what, n.first[k], then))
		}
	}
	say(staleNone, "have no normalised findings beside them (stored by an older gitdora)", "run `gitdora reindex` to write them, and reading costs what is new")
	say(staleOlder, "have normalised findings of an older format", "run `gitdora reindex` to rebuild them")
	say(staleNewer, "have normalised findings that a newer gitdora wrote", "this gitdora cannot read them")
	say(staleUnreadable, "have normalised findings that cannot be read", "run `gitdora reindex` to rebuild them")
	return out
}

// interner keeps one copy of the strings that repeat over the SARIF files
// of a collect run (artifact URIs, rule ids): each file's reader interns
// its own, and asks this one on first meeting a string.
type interner struct {
	mu sync.Mutex
	m  map[string]string
}

func (in *interner) of(s string) string {
	in.mu.Lock()
	defer in.mu.Unlock()
	if v, ok := in.m[s]; ok {
		return v
	}
	s = strings.Clone(s)   // not a part of the text it was read from
	if len(in.m) < 1<<20 { // bounded on pathological input
		in.m[s] = s
	}
	return s
}

// tooLarge says a file is larger than its limit.
type tooLarge struct{ limit int64 }

func (e *tooLarge) Error() string { return fmt.Sprintf("more than %d bytes", e.limit) }

// readLimited reads the file at p of s, or fails with a *tooLarge once it
// has read more than limit bytes (so a huge file is not read whole).
func readLimited(s *data.Store, p string, limit int64) ([]byte, error) {
	rc, err := s.Open(p)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", s.Where(p), err)
	}
	if int64(len(b)) > limit {
		return nil, &tooLarge{limit}
	}
	return b, nil
}

// errNoMeta says a scan has no ScanMeta beside it (it was put on the
// data branch by hand, not by ingest).
var errNoMeta = errors.New("no scan record")

// parseMeta reads a scan record.
func parseMeta(b []byte) (ScanMeta, error) {
	var m ScanMeta
	m.ScanType = fact.ScanFull
	if !quickMeta(b, &m) {
		m = ScanMeta{ScanType: fact.ScanFull}
		if err := json.Unmarshal(b, &m); err != nil {
			return ScanMeta{ScanType: fact.ScanFull}, fmt.Errorf("not a scan record: %v", err)
		}
	}
	return checkMeta(m)
}

// checkMeta checks the refs of a scan record.
func checkMeta(m ScanMeta) (ScanMeta, error) {
	for _, r := range m.Refs {
		if err := data.CheckRef(r); err != nil {
			return ScanMeta{ScanType: fact.ScanFull}, fmt.Errorf("refs: %v", err)
		}
	}
	if len(m.Refs) == 0 {
		return ScanMeta{ScanType: fact.ScanFull}, errors.New("refs: none, want the ref the scan was ingested with")
	}
	return m, nil
}

// quickMeta reads a scan record as gitdora writes it (an object of its
// members, each once, by their names, each a string or, for refs, an
// array of strings, of printable ASCII without escapes) into m, by hand:
// years of nightly scans are thousands of records, and a JSON decoder
// costs more than the reading (BenchmarkParseMeta). It reports false for
// anything else, which encoding/json then reads.
func quickMeta(b []byte, m *ScanMeta) bool {
	p := metaScanner{b: b, s: string(b)} // the values are substrings of one copy
	if !p.next('{') {
		return false
	}
	var seen uint8
	if p.peek() == '}' {
		p.i++
		return p.end()
	}
	for {
		name, ok := p.str()
		if !ok || !p.next(':') {
			return false
		}
		var dst *string
		var st string
		var bit uint8
		switch name {
		case "refs":
			bit = 1
		case "at":
			dst, bit = &m.At, 2
		case "commit_time":
			dst, bit = &m.CommitTime, 4
		case "root":
			dst, bit = &m.Root, 8
		case "source":
			dst, bit = &m.Source, 16
		case "ingested":
			dst, bit = &m.Ingested, 32
		case "scan_type":
			dst, bit = &st, 64
		default:
			return false
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		if dst == nil { // refs
			if !p.next('[') {
				return false
			}
			if p.peek() == ']' {
				p.i++
			} else {
				for {
					v, ok := p.str()
					if !ok {
						return false
					}
					m.Refs = append(m.Refs, v)
					if p.next(']') {
						break
					}
					if !p.next(',') {
						return false
					}
				}
			}
		} else {
			v, ok := p.str()
			if !ok {
				return false
			}
			*dst = v
			if bit == 64 {
				m.ScanType = fact.ScanType(st)
			}
		}
		if p.next('}') {
			return p.end()
		}
		if !p.next(',') {
			return false
		}
	}
}

// metaScanner reads the JSON tokens quickMeta takes.
type metaScanner struct {
	b []byte
	s string // b as a string
	i int
}

func (p *metaScanner) space() {
	for p.i < len(p.b) && (p.b[p.i] == ' ' || p.b[p.i] == '\n' || p.b[p.i] == '\t' || p.b[p.i] == '\r') {
		p.i++
	}
}

// peek is the next byte after white space, or 0 at the end.
func (p *metaScanner) peek() byte {
	p.space()
	if p.i == len(p.b) {
		return 0
	}
	return p.b[p.i]
}

// next reads c, after white space, if it comes next.
func (p *metaScanner) next(c byte) bool {
	if p.peek() != c {
		return false
	}
	p.i++
	return true
}

// str reads a string of printable ASCII without escapes.
func (p *metaScanner) str() (string, bool) {
	if !p.next('"') {
		return "", false
	}
	start := p.i
	for ; p.i < len(p.b); p.i++ {
		switch c := p.b[p.i]; {
		case c == '"':
			p.i++
			return p.s[start : p.i-1], true
		case c < 0x20 || c > 0x7e || c == '\\':
			return "", false
		}
	}
	return "", false
}

// end says whether only white space is left.
func (p *metaScanner) end() bool {
	p.space()
	return p.i == len(p.b)
}

// scanReader reads stored scans, in parallel: what several scans share
// (a normalised file of the same content, a SARIF file of the same
// content and root, the same findings) is read once.
type scanReader struct {
	o       Options
	root    string // --repo as an absolute path, a root of the SARIF reader
	commits *commitTimes
	strs    *interner
	now     time.Time // the time against which scan times are bounded
	openMu  sync.Mutex

	// pending, when the trunk's findings are read as the lifecycles need
	// them (Options.StreamTrunk), says where they are.
	pending *pendingSets

	mu    sync.Mutex
	files map[fileKey]*cached[*findings.File]
	sets  map[setKey]*cached[*fact.FindingSet] // by tool and findings
	want  map[string][]string                  // wantRoots, by the root of a scan record
}

// cached is a value made once, by the first reader that needs it.
type cached[T any] struct {
	once sync.Once
	v    T
	err  error
}

// fileKey names what a scan's findings are read from: its normalised
// findings, or (raw) its SARIF file with the root it is read with.
type fileKey struct {
	raw        bool
	depth      readDepth // of normalised findings
	blob       git.Hash
	root, tool string
}

// setKey names the findings of a run made for a tool.
type setKey struct {
	tool string
	key  uint64
}

func newScanReader(o Options) *scanReader {
	r := &scanReader{o: o, commits: &commitTimes{path: o.RepoPath}, strs: &interner{m: map[string]string{}}, now: data.Now(),
		files: map[fileKey]*cached[*findings.File]{}, sets: map[setKey]*cached[*fact.FindingSet]{}, want: map[string][]string{}}
	if abs, err := filepath.Abs(o.RepoPath); err == nil {
		r.root = abs
	}
	return r
}

// once makes the value of key with make, once per key within the run; a
// key "" is not cached.
func once[K comparable, T any](mu *sync.Mutex, m map[K]*cached[T], key K, zero K, make func() (T, error)) (T, error) {
	if key == zero {
		return make()
	}
	mu.Lock()
	c := m[key]
	if c == nil {
		c = &cached[T]{}
		m[key] = c
	}
	mu.Unlock()
	c.once.Do(func() { c.v, c.err = make() })
	return c.v, c.err
}

// open opens the file of e and gives its size (-1 when unknown). Files
// are opened by the name of their content in parallel (the object store
// reads them so safely), else one at a time (a branch's trees, through
// which a path is looked up, are not safe for concurrent use).
func (r *scanReader) open(e data.Entry) (io.ReadCloser, int64, error) {
	if e.Blob.IsZero() {
		r.openMu.Lock()
		defer r.openMu.Unlock()
	}
	return r.o.Store.OpenEntry(e)
}

// readEntry reads the file of e, or fails with a *tooLarge once it has
// read more than limit bytes.
func (r *scanReader) readEntry(e data.Entry, limit int64) ([]byte, error) {
	rc, size, err := r.open(e)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := readSized(rc, size, limit)
	if err != nil && !errors.As(err, new(*tooLarge)) {
		err = fmt.Errorf("read %s: %w", r.o.Store.Where(e.Path), err)
	}
	return b, err
}

// readSized reads what rc holds, size bytes when size is not -1, or fails
// with a *tooLarge once it has read more than limit bytes. A known size
// is read into a slice of that size (io.ReadAll, or io.Copy, would take a
// buffer of 32 KiB for a scan record of a few hundred bytes).
func readSized(rc io.Reader, size, limit int64) ([]byte, error) {
	if size > limit {
		return nil, &tooLarge{limit}
	}
	if size < 0 {
		b, err := io.ReadAll(io.LimitReader(rc, limit+1))
		if err == nil && int64(len(b)) > limit {
			return nil, &tooLarge{limit}
		}
		return b, err
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(rc, b); err != nil {
		return nil, err
	}
	return b, nil
}

// read reads a stored scan: its record, then its normalised findings, or
// its SARIF file when they cannot stand for it, into scans.
func (r *scanReader) read(s *storedScan) {
	s.meta, s.metaErr = r.meta(s)
	if s.metaErr != nil {
		// Put there by hand, or a write that never finished: which ref
		// it scanned is unknown, so it takes no part in the trunk's
		// lifecycles.
		s.meta = ScanMeta{ScanType: fact.ScanFull, Refs: []string{UnknownRef}}
	}
	trunk := slices.Contains(s.meta.Refs, r.o.Config.Trunk)
	sets := !r.o.TrunkFindingsOnly || trunk
	depth := readCounts
	switch {
	case sets && r.pending != nil && trunk:
		depth = readHeaders // the findings are read when the lifecycles need them
	case sets:
		depth = readSets
	}
	file, err := r.normalised(s, depth)
	if file == nil {
		if s.raw == nil {
			s.err = err
			return
		}
		if file, err = r.fromSARIF(s); err != nil {
			s.err = err
			return
		}
		depth = readSets // made as the SARIF file was read
	}
	s.scans, s.notes, s.err = r.scansOf(s, file, depth)
}

// meta reads the scan record of s.
func (r *scanReader) meta(s *storedScan) (ScanMeta, error) {
	if s.rec == nil {
		return ScanMeta{ScanType: fact.ScanFull}, errNoMeta
	}
	b, err := r.readEntry(*s.rec, 1<<20)
	if err != nil {
		return ScanMeta{ScanType: fact.ScanFull}, err
	}
	return parseMeta(b)
}

// roots are the roots of the SARIF reader for s: the repository root at
// ingest, then --repo.
func (r *scanReader) roots(s *storedScan) []string {
	var roots []string
	if s.meta.Root != "" {
		roots = append(roots, s.meta.Root)
	}
	if r.root != "" {
		roots = append(roots, r.root)
	}
	return roots
}

// normalised reads the normalised findings of s when they stand for its
// SARIF file: of this format version, readable, and made with the roots
// the SARIF file would be read with (or with their first, when no path
// of the log lies under the others). Otherwise it returns nil and sets
// s.stale (with the error when there is no SARIF file to read instead).
// Below readSets, the runs' findings are neither made nor checked.
func (r *scanReader) normalised(s *storedScan, depth readDepth) (*findings.File, error) {
	sets := depth == readSets
	if s.norm == nil {
		s.stale = staleNone
		return nil, nil
	}
	// What is kept for the scans of the same content that follow is the
	// file's headers: with sets, its runs' findings are made first, once
	// (r.set keeps them, or the error, by the runs' keys); without, a pull
	// request's, not even the artifacts it lists (they are what an
	// incremental scan of the trunk covers). Kept whole, every file would
	// stay in memory until every scan was read.
	var key fileKey
	if !s.norm.Blob.IsZero() {
		key = fileKey{blob: s.norm.Blob, tool: s.sp.Tool, depth: depth}
	}
	file, err := once(&r.mu, r.files, key, fileKey{}, func() (*findings.File, error) {
		f, err := r.decode(*s.norm, s.sp.Tool)
		if err != nil {
			return nil, err
		}
		for i := 0; sets && i < len(f.Runs); i++ {
			r.set(&f.Runs[i], s.sp.Tool) // an error is kept with the set, and met below
		}
		h := f.Headers()
		for i := 0; depth == readCounts && i < len(h.Runs); i++ {
			h.Runs[i].Artifacts = nil
		}
		return h, nil
	})
	if err != nil {
		return nil, r.unread(s, err)
	}
	// The roots: the SARIF reader's would be roots(s), these were made
	// with file.Root alone.
	want := r.wantRoots(s)
	rest := want
	if file.HasRoot && len(want) > 0 {
		if (len(want) == 0 || want[0] != file.Root) && s.raw != nil {
			s.stale = staleElsewhere
			return nil, nil
		}
		rest = want[1:]
	}
	for _, run := range file.Runs {
		for _, d := range run.Outside {
			for _, root := range rest {
				if sarif.Under(d, root) {
					if s.raw == nil {
						return file, nil // the best there is
					}
					s.stale = staleElsewhere
					return nil, nil
				}
			}
		}
	}
	for i := 0; sets && i < len(file.Runs); i++ {
		if _, err := r.set(&file.Runs[i], s.sp.Tool); err != nil {
			s.stale, s.why = staleUnreadable, err.Error()
			return nil, fmt.Errorf("normalised findings: %v; skipped", err)
		}
	}
	return file, nil
}

// unread sets why the normalised findings of s could not be read (err)
// and returns the error to report.
func (r *scanReader) unread(s *storedScan, err error) error {
	var ve *findings.VersionError
	var tl *tooLarge
	switch {
	case errors.As(err, &ve) && ve.Found > findings.Version:
		s.stale = staleNewer
		return err
	case errors.As(err, &ve):
		s.stale = staleOlder
		return err
	case errors.As(err, &tl):
		s.stale, s.why = staleUnreadable, fmt.Sprintf("more than limits.sarif_bytes (%s)", r.o.Config.Limits.SARIFBytes)
		return fmt.Errorf("normalised findings of more than limits.sarif_bytes (%s); skipped", r.o.Config.Limits.SARIFBytes)
	}
	s.stale, s.why = staleUnreadable, err.Error()
	return fmt.Errorf("normalised findings: %v; skipped", err)
}

// wantRoots are the roots of the SARIF reader for s (roots), normalised
// as sarif.Root does, made once per repository root of a scan record.
func (r *scanReader) wantRoots(s *storedScan) []string {
	r.mu.Lock()
	want, ok := r.want[s.meta.Root]
	r.mu.Unlock()
	if ok {
		return want
	}
	for _, root := range r.roots(s) {
		if n, ok := sarif.Root(root); ok {
			want = append(want, n)
		}
	}
	r.mu.Lock()
	r.want[s.meta.Root] = want
	r.mu.Unlock()
	return want
}

// streamAbove is the size of normalised findings that are read as they
// stream, never held whole, the findings of each run made as they come;
// smaller ones are read whole, and the findings of a run made only when no
// run of the same findings was read before.
const streamAbove = 8 << 20

// decode reads the normalised findings of e, of a scan whose path names
// pathTool, within limits.sarif_bytes.
func (r *scanReader) decode(e data.Entry, pathTool string) (*findings.File, error) {
	limit := int64(r.o.Config.Limits.SARIFBytes)
	rc, size, err := r.open(e)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	if size > limit {
		return nil, &tooLarge{limit}
	}
	if size < 0 || size > streamAbove {
		if size < 0 {
			size = limit
		}
		lr := &limitReader{r: rc, left: limit}
		f, err := findings.DecodeReader(lr, size, pathTool, r.o.Config.Severity.Overrides, r.strs.of)
		if lr.over {
			return nil, &tooLarge{limit}
		}
		return f, err
	}
	// The object as read is the string it is decoded from: the file is
	// held once while it is read.
	text, err := git.ReadText(rc, size)
	if err != nil {
		return nil, err
	}
	return findings.Decode(text)
}

// limitReader reads up to left bytes, then fails.
type limitReader struct {
	r    io.Reader
	left int64
	over bool
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		l.over = true
		return 0, errors.New("over the limit")
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// fromSARIF reads the SARIF file of s into its normalised findings (once
// per content and root). Results arrive in batches and a run too large to
// buffer is read again, so memory holds the findings, not the file.
func (r *scanReader) fromSARIF(s *storedScan) (*findings.File, error) {
	var key fileKey
	if !s.raw.Blob.IsZero() {
		key = fileKey{raw: true, blob: s.raw.Blob, root: s.meta.Root, tool: s.sp.Tool}
	}
	file, err := once(&r.mu, r.files, key, fileKey{}, func() (*findings.File, error) {
		rc, _, err := r.open(*s.raw)
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		roots := r.roots(s)
		w := &findings.Writer{}
		if len(roots) > 0 {
			w.Root = roots[0]
		}
		log, err := sarif.Read(rc, sarif.Options{
			Limits: sarif.Limits{Bytes: int64(r.o.Config.Limits.SARIFBytes), Ratio: r.o.Config.Limits.DecompressionRatio},
			Roots:  roots,
			Intern: r.strs.of,
			Reopen: func() (io.ReadCloser, error) {
				rc, _, err := r.open(*s.raw)
				return rc, err
			},
			Results: w.Results,
		}, w.Run)
		var le *sarif.LimitError
		if errors.As(err, &le) && le.Ratio > 0 {
			return nil, fmt.Errorf("a gzip file that inflates to more than limits.decompression_ratio (%d) times its size; skipped", le.Ratio)
		}
		if errors.As(err, &le) {
			return nil, fmt.Errorf("more than limits.sarif_bytes (%s) of SARIF; skipped", r.o.Config.Limits.SARIFBytes)
		}
		if err != nil {
			return nil, err
		}
		// Read as it is written: neither the SARIF nor its normalised
		// findings are ever held whole.
		pr, pw := io.Pipe()
		done := make(chan error, 1)
		go func() {
			_, err := w.WriteTo(pw, log)
			pw.CloseWithError(err)
			done <- err
		}()
		file, err := findings.DecodeReader(pr, int64(r.o.Config.Limits.SARIFBytes), s.sp.Tool, r.o.Config.Severity.Overrides, r.strs.of)
		pr.CloseWithError(errors.New("read no further"))
		if werr := <-done; err == nil && werr != nil {
			err = werr
		}
		return file, err
	})
	if err != nil {
		return nil, err
	}
	for i := range file.Runs {
		if _, err := r.set(&file.Runs[i], s.sp.Tool); err != nil {
			return nil, err
		}
	}
	return file, nil
}

// set is the findings of run for a scan whose file names tool: made once
// for all runs of the same findings and tool.
func (r *scanReader) set(run *findings.Run, pathTool string) (*fact.FindingSet, error) {
	if !hasFindings(run) {
		return nil, nil
	}
	tool := cmp.Or(run.Tool, pathTool)
	return once(&r.mu, r.sets, setKey{tool, run.Key()}, setKey{}, func() (*fact.FindingSet, error) {
		return run.Set(tool, r.o.Config.Severity.Overrides, r.strs.of)
	})
}

// scansOf makes the scans of a stored scan's runs, with the reader's
// notes on its file; below readSets, the scans have no Set and take their
// counts from the runs' count lines, and at readHeaders their findings
// are pending (r.pending reads them).
func (r *scanReader) scansOf(s *storedScan, file *findings.File, depth readDepth) ([]fact.Scan, []sarif.Note, error) {
	meta, sp, p := s.meta, s.sp, s.p
	ref := ""
	if len(meta.Refs) > 0 {
		ref = r.o.Config.Trunk
		if !slices.Contains(meta.Refs, ref) {
			ref = r.strs.of(meta.Refs[0]) // a copy: not the scan record it was read from
		}
	}
	notes := slices.Clone(file.Notes)
	var fallback time.Time // scan time when a run has no invocation end time
	var fallbackErr error
	fallbackDone := false
	now := r.now
	var out []fact.Scan
	for i := range file.Runs {
		fr := &file.Runs[i]
		run := fr.Run // a copy: files are shared
		// An invocation time before 1970 or in the future (stored before
		// ingest checked them) is no scan time.
		for _, t := range []*time.Time{&run.Start, &run.End} {
			if !t.IsZero() && data.CheckWhen(*t, now) != nil {
				notes = append(notes, sarif.Note{Path: fmt.Sprintf("$.runs[%d].invocations", run.Index),
					Msg: fmt.Sprintf("invocation time %s is before 1970 or in the future; ignored", t.Format(time.RFC3339)), Count: 1})
				*t = time.Time{}
			}
		}
		if !run.Start.IsZero() && !run.End.IsZero() {
			if d := run.End.Sub(run.Start); d < 0 || d.Seconds() > data.MaxSeconds {
				notes = append(notes, sarif.Note{Path: fmt.Sprintf("$.runs[%d].invocations", run.Index),
					Msg: fmt.Sprintf("the invocation ends (%s) before it starts, or more than a year after (%s); no duration", run.End.Format(time.RFC3339), run.Start.Format(time.RFC3339)), Count: 1})
				run.Start = time.Time{}
			}
		}
		b := fact.Scan{ID: p + "#" + strconv.Itoa(run.Index), Tool: sp.Tool, Commit: sp.SHA, Ref: ref, Type: fact.ScanFull, File: p}
		if meta.ScanType == fact.ScanIncremental {
			b.Type = fact.ScanIncremental
		}
		if run.End.IsZero() {
			if !fallbackDone {
				fallback, fallbackErr = scanTime(meta, sp.SHA, r.commits, now)
				fallbackDone = true
				if fallbackErr != nil {
					// Last resort: the month folder the file is filed in.
					t, err := time.Parse("2006-01", sp.Month)
					if err != nil {
						return nil, nil, fallbackErr
					}
					fallback = t
					notes = append(notes, sarif.Note{Path: "$", Msg: "no scan time (no invocation end time, --at or known commit); the start of the month it is filed in is used", Count: 1})
				}
			}
			b.Time = fallback
		}
		sc := run.Scan(b)
		if depth != readSets {
			sc.Results, sc.Suppressed = run.Count, fr.Suppressed()
			if depth == readHeaders && hasFindings(fr) {
				sc.Pending, sc.SetKey = true, setKeyOf(fr, sp.Tool)
				r.pending.add(sc.ID, s, i)
			}
			out = append(out, sc)
			continue
		}
		set, err := r.set(fr, sp.Tool)
		if err != nil {
			return nil, nil, err
		}
		if set != nil {
			sc.Set, sc.Results, sc.Suppressed, sc.SetKey = set, len(set.List), set.Suppressed, setKeyOf(fr, sp.Tool)
		}
		out = append(out, sc)
	}
	return out, notes, nil
}

// scanTime is the time of a scan whose SARIF has no invocation end time:
// --at given at ingest, else the commit time, else the ingest time, the
// first that is neither before 1970 nor in the future; an error when none
// is known.
func scanTime(meta ScanMeta, sha string, commits *commitTimes, now time.Time) (time.Time, error) {
	for _, s := range []string{meta.At, meta.CommitTime} {
		if s == "" {
			continue
		}
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil && data.CheckWhen(t, now) == nil {
			return t, nil
		}
	}
	if t, ok := commits.of(sha); ok && data.CheckWhen(t, now) == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, meta.Ingested); err == nil && data.CheckWhen(t, now) == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("no scan time: the SARIF has no invocation end time, no --at was given at ingest and commit %s is not in the repository", sha)
}

// commitTimes looks up committer times in the code repository, opened on
// first use.
type commitTimes struct {
	mu     sync.Mutex
	path   string
	repo   *git.Repository
	opened bool
}

func (c *commitTimes) of(sha string) (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.opened {
		c.opened = true
		c.repo, _ = data.OpenRepo(c.path)
	}
	if c.repo == nil || !git.IsHash(sha) {
		return time.Time{}, false
	}
	cm, err := c.repo.CommitObject(git.NewHash(sha))
	if err != nil {
		return time.Time{}, false
	}
	return cm.Committer.When, true
}

// stepSeconds is the duration of the CI step that ran tool on a commit:
// the latest attempt's scan steps whose name holds the tool's first word
// (a step outside its run's time span is not counted; see ci.Run.Outside).
func stepSeconds(runs []ci.Run, tool string, scanStep *regexp.Regexp) *float64 {
	word := toolWord(tool)
	if word == "" {
		return nil
	}
	var best *ci.Run
	var total float64
	found := false
	for i := range runs {
		r := &runs[i]
		var sum float64
		hit := false
		for _, j := range r.Jobs {
			for _, st := range j.Steps {
				if scanStep.MatchString(st.Name) && strings.Contains(strings.ToLower(st.Name), word) && !st.Started.IsZero() && !st.Completed.IsZero() && r.Outside(st.Started, st.Completed) == "" {
					sum += st.Completed.Sub(st.Started).Seconds()
					hit = true
				}
			}
		}
		if hit && (best == nil || r.Attempt > best.Attempt || r.Attempt == best.Attempt && r.Updated.After(best.Updated)) {
			best, total, found = r, sum, true
		}
	}
	if !found {
		return nil
	}
	return &total
}

// toolWord is the first word of a tool name, lower case: "CodeQL
// command-line toolchain" → "codeql".
func toolWord(tool string) string {
	tool = strings.ToLower(tool)
	end := strings.IndexFunc(tool, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
	if end < 0 {
		end = len(tool)
	}
	if end < 3 {
		return ""
	}
	return tool[:end]
}

// noteSet gathers the SARIF reader's notes over all files: one line per
// kind of oddity, with how often and where it was first met.
type noteSet struct {
	order []string
	by    map[string]*noteAgg
}

type noteAgg struct {
	count, files int
	first        string
}

func (s *noteSet) add(where string, n sarif.Note) {
	if s.by == nil {
		s.by = map[string]*noteAgg{}
	}
	a, ok := s.by[n.Msg]
	if !ok {
		a = &noteAgg{first: where + ": " + n.Path}
		s.by[n.Msg] = a
		s.order = append(s.order, n.Msg)
	}
	a.count += n.Count
	a.files++
}

func (s *noteSet) lines() []string {
	var out []string
	for _, msg := range s.order {
		a := s.by[msg]
		if a.files == 1 && a.count == 1 {
			out = append(out, fmt.Sprintf("SARIF read with an oddity: %s: %s", a.first, msg))
			continue
		}
		out = append(out, fmt.Sprintf("SARIF read with an oddity: %s (%d times in %d files; first at %s)", msg, a.count, a.files, a.first))
	}
	return out
}

// resolveScanSeconds gives deployments without scan seconds those of the
// CI runs of their sha (the latest attempt of each run, summed over the
// runs), else the SARIF invocation times of the scans of their commit (the
// latest scan of each tool and category, summed: CodeQL's languages are
// separate analyses), and says where the value came from.
func resolveScanSeconds(o Options, f *fact.Facts) {
	ciBySHA := map[string]map[string]*fact.CIRun{} // by run: GitHub and GitLab number theirs apart
	for i := range f.CIRuns {
		r := &f.CIRuns[i]
		if r.ScanSeconds == nil || r.HeadSHA == "" {
			continue
		}
		m := ciBySHA[r.HeadSHA]
		if m == nil {
			m = map[string]*fact.CIRun{}
			ciBySHA[r.HeadSHA] = m
		}
		k := fmt.Sprintf("%s %020d", r.System, r.ID)
		if prev, ok := m[k]; !ok || r.Attempt > prev.Attempt {
			m[k] = r
		}
	}
	scanBySHA := map[string]map[string]*fact.Scan{} // by tool and category
	for i := range f.Scans {
		s := &f.Scans[i]
		if s.Duration == nil {
			continue
		}
		m := scanBySHA[s.Commit]
		if m == nil {
			m = map[string]*fact.Scan{}
			scanBySHA[s.Commit] = m
		}
		k := s.Tool + "\x00" + s.Category
		if prev, ok := m[k]; !ok || !s.Time.Before(prev.Time) {
			m[k] = s
		}
	}
	for i := range f.Deployments {
		d := &f.Deployments[i]
		if d.ScanSeconds != nil {
			if d.ScanSecondsFrom == "" && d.Source == fact.SourceEvents {
				d.ScanSecondsFrom = "event"
			}
			continue
		}
		if m := ciBySHA[d.SHA]; len(m) > 0 {
			d.ScanSeconds, d.ScanSecondsFrom = sumOf(m, func(r *fact.CIRun) float64 { return *r.ScanSeconds }), "ci"
		} else if m := scanBySHA[d.SHA]; len(m) > 0 {
			d.ScanSeconds, d.ScanSecondsFrom = sumOf(m, func(s *fact.Scan) float64 { return *s.Duration }), "sarif"
		}
	}
}

// sumOf adds up v over the values of m, in key order (so that the float
// sum is the same on every run).
func sumOf[K int64 | string, V any](m map[K]V, v func(V) float64) *float64 {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var sum float64
	for _, k := range keys {
		sum += v(m[k])
	}
	return &sum
}
