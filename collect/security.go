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
	"strings"
	"sync"
	"time"

	"github.com/gitdora/gitdora/collect/ci"
	"github.com/gitdora/gitdora/collect/sarif"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/git"
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

// scanFile is what one SARIF file gave.
type scanFile struct {
	scans    []fact.Scan
	findings [][]fact.Finding // per scan
}

// gatherScans reads every stored SARIF file.
func gatherScans(o Options, f *fact.Facts, runs map[string][]ci.Run, scanStep *regexp.Regexp) error {
	files, err := o.Store.List(data.ScansDir)
	if err != nil {
		return err
	}
	var root string
	if abs, err := filepath.Abs(o.RepoPath); err == nil {
		root = abs
	}
	commits := &commitTimes{path: o.RepoPath}
	notes := &noteSet{}
	strs := &interner{m: map[string]string{}}
	type job struct {
		p    string
		sp   data.ScanPath
		meta ScanMeta
		sf   scanFile
		log  []sarif.Note
		err  error
	}
	var jobs []*job
	var noMeta []string
	for _, p := range files {
		if !strings.HasSuffix(p, ".sarif") {
			continue
		}
		sp, ok := data.ParseScanPath(p)
		if !ok {
			f.Problems = append(f.Problems, fact.Problem{File: o.Store.Where(p), Msg: "not where ingest stores SARIF (want scans/YYYY/MM/<sha>/<tool>-<sha256[:12]>.sarif); skipped"})
			continue
		}
		meta, err := readMeta(o.Store, p)
		switch {
		case errors.Is(err, errNoMeta):
			// Put there by hand, or a write that never finished: which
			// ref it scanned is unknown, so it takes no part in the
			// trunk's lifecycles.
			meta.Refs = []string{UnknownRef}
			noMeta = append(noMeta, p)
		case err != nil:
			meta = ScanMeta{ScanType: fact.ScanFull, Refs: []string{UnknownRef}}
			f.Problems = append(f.Problems, fact.Problem{File: o.Store.Where(ScanMetaFile(p)),
				Msg: err.Error() + "; the scan is read as one of an unknown ref, left out of finding lifecycles"})
		}
		jobs = append(jobs, &job{p: p, sp: sp, meta: meta})
	}
	// Files are opened one at a time (the object store is not safe for
	// concurrent use) and parsed in parallel, one per CPU.
	var openMu sync.Mutex
	open := func(p string) (io.ReadCloser, error) {
		openMu.Lock()
		defer openMu.Unlock()
		return o.Store.Open(p)
	}
	par.Each(len(jobs), func(i int) {
		j := jobs[i]
		j.sf, j.log, j.err = readScanFile(o, open, strs.of, j.p, j.sp, j.meta, root, commits)
	})
	if err := o.done(); err != nil {
		return err
	}
	var got []scanFile
	for _, j := range jobs {
		where := o.Store.Where(j.p)
		for _, n := range j.log {
			notes.add(where, n)
		}
		if j.err != nil {
			f.Problems = append(f.Problems, fact.Problem{File: where, Msg: j.err.Error()})
			continue
		}
		got = append(got, j.sf)
	}
	f.Notes = append(f.Notes, notes.lines()...)
	for _, p := range noMeta {
		f.Problems = append(f.Problems, fact.Problem{File: o.Store.Where(p),
			Msg: "no scan record beside it (" + path.Base(ScanMetaFile(p)) + "; not stored by gitdora ingest, or its write was interrupted): read as a scan of an unknown ref, left out of finding lifecycles"})
	}

	// Scans in time order (then path and run), their findings in that order.
	type ref struct{ file, scan int }
	var order []ref
	for i, sf := range got {
		for j := range sf.scans {
			order = append(order, ref{i, j})
		}
	}
	slices.SortStableFunc(order, func(a, b ref) int {
		return got[a.file].scans[a.scan].Time.Compare(got[b.file].scans[b.scan].Time)
	})
	n := 0
	for _, r := range order {
		n += got[r.file].scans[r.scan].Results
	}
	f.Scans = make([]fact.Scan, 0, len(order))
	if len(order) == 1 { // one scan: its findings are the facts, no copy
		f.Findings = got[order[0].file].findings[order[0].scan]
	} else {
		f.Findings = make([]fact.Finding, 0, n)
	}
	for _, r := range order {
		s := got[r.file].scans[r.scan]
		if s.Duration == nil {
			s.Duration = stepSeconds(runs[s.Commit], s.Tool, scanStep)
		}
		f.Scans = append(f.Scans, s)
		if len(order) > 1 {
			f.Findings = append(f.Findings, got[r.file].findings[r.scan]...)
		}
		got[r.file].findings[r.scan] = nil
	}
	return nil
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

// errNoMeta says a SARIF file has no ScanMeta beside it (it was put on
// the data branch by hand, not by ingest).
var errNoMeta = errors.New("no scan record")

// readMeta reads the ScanMeta beside a SARIF file; a missing one gives
// the defaults and errNoMeta.
func readMeta(s *data.Store, p string) (ScanMeta, error) {
	m := ScanMeta{ScanType: fact.ScanFull}
	b, err := readLimited(s, ScanMetaFile(p), 1<<20)
	if errors.Is(err, data.ErrNotExist) {
		return m, errNoMeta
	}
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return ScanMeta{ScanType: fact.ScanFull}, fmt.Errorf("not a scan record: %v", err)
	}
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

// readScanFile reads the SARIF file at p into scans and findings, and
// returns the reader's notes. Results arrive in batches and a run too
// large to buffer is read again (open is called twice), so memory holds
// the findings, not the file.
func readScanFile(o Options, open func(string) (io.ReadCloser, error), intern func(string) string, p string, sp data.ScanPath, meta ScanMeta, root string, commits *commitTimes) (scanFile, []sarif.Note, error) {
	rc, err := open(p)
	if err != nil {
		return scanFile{}, nil, err
	}
	defer rc.Close()
	var roots []string
	if meta.Root != "" {
		roots = append(roots, meta.Root)
	}
	if root != "" {
		roots = append(roots, root)
	}
	ref := ""
	if len(meta.Refs) > 0 {
		ref = meta.Refs[0]
		if slices.Contains(meta.Refs, o.Config.Trunk) {
			ref = o.Config.Trunk
		}
	}
	var sf scanFile
	var extra []sarif.Note
	var fallback time.Time // scan time when a run has no invocation end time
	var fallbackErr error
	fallbackDone := false
	now := data.Now()
	base := func(r *sarif.Run) (fact.Scan, error) {
		// An invocation time before 1970 or in the future (stored before
		// ingest checked them) is no scan time.
		for _, t := range []*time.Time{&r.Start, &r.End} {
			if !t.IsZero() && data.CheckWhen(*t, now) != nil {
				extra = append(extra, sarif.Note{Path: fmt.Sprintf("$.runs[%d].invocations", r.Index),
					Msg: fmt.Sprintf("invocation time %s is before 1970 or in the future; ignored", t.Format(time.RFC3339)), Count: 1})
				*t = time.Time{}
			}
		}
		if !r.Start.IsZero() && !r.End.IsZero() {
			if d := r.End.Sub(r.Start); d < 0 || d.Seconds() > data.MaxSeconds {
				extra = append(extra, sarif.Note{Path: fmt.Sprintf("$.runs[%d].invocations", r.Index),
					Msg: fmt.Sprintf("the invocation ends (%s) before it starts, or more than a year after (%s); no duration", r.End.Format(time.RFC3339), r.Start.Format(time.RFC3339)), Count: 1})
				r.Start = time.Time{}
			}
		}
		b := fact.Scan{ID: fmt.Sprintf("%s#%d", p, r.Index), Tool: sp.Tool, Commit: sp.SHA, Ref: ref, Type: fact.ScanFull, File: p}
		if meta.ScanType == fact.ScanIncremental {
			b.Type = fact.ScanIncremental
		}
		if r.End.IsZero() {
			if !fallbackDone {
				fallback, fallbackErr = scanTime(meta, sp.SHA, commits, now)
				fallbackDone = true
				if fallbackErr != nil {
					// Last resort: the month folder the file is filed in.
					t, err := time.Parse("2006-01", sp.Month)
					if err != nil {
						return b, fallbackErr
					}
					fallback = t
					extra = append(extra, sarif.Note{Path: "$", Msg: "no scan time (no invocation end time, --at or known commit); the start of the month it is filed in is used", Count: 1})
				}
			}
			b.Time = fallback
		}
		return scanOf(b, r), nil
	}
	pending := map[int]*scanFindings{}
	opts := sarif.Options{
		Limits:    sarif.Limits{Bytes: int64(o.Config.Limits.SARIFBytes), Ratio: o.Config.Limits.DecompressionRatio},
		Roots:     roots,
		Overrides: o.Config.Severity.Overrides,
		Intern:    intern,
		Reopen:    func() (io.ReadCloser, error) { return open(p) },
		Results: func(r *sarif.Run, batch []sarif.Result) error {
			pc := pending[r.Index]
			if pc == nil {
				s, err := base(r)
				if err != nil {
					return err
				}
				pc = &scanFindings{scan: s, findings: make([]fact.Finding, 0, r.Count)}
				pending[r.Index] = pc
			}
			pc.add(batch)
			return nil
		},
	}
	log, err := sarif.Read(rc, opts, func(r *sarif.Run) error {
		pc := pending[r.Index]
		delete(pending, r.Index)
		if pc == nil {
			s, err := base(r)
			if err != nil {
				return err
			}
			pc = &scanFindings{scan: s}
		}
		pc.scan.Results = len(pc.findings)
		sf.scans = append(sf.scans, pc.scan)
		sf.findings = append(sf.findings, pc.findings)
		return nil
	})
	var le *sarif.LimitError
	if errors.As(err, &le) && le.Ratio > 0 {
		return scanFile{}, nil, fmt.Errorf("a gzip file that inflates to more than limits.decompression_ratio (%d) times its size; skipped", le.Ratio)
	}
	if errors.As(err, &le) {
		return scanFile{}, nil, fmt.Errorf("more than limits.sarif_bytes (%s) of SARIF; skipped", o.Config.Limits.SARIFBytes)
	}
	if err != nil {
		return scanFile{}, nil, err
	}
	return sf, append(log.Notes, extra...), nil
}

// scanFindings is a scan and its findings while its run is read.
type scanFindings struct {
	scan     fact.Scan
	findings []fact.Finding // allocated for the run's result count
	classes  classes
}

// add adds a batch of the run's results.
func (pc *scanFindings) add(batch []sarif.Result) {
	pc.findings = pc.classes.add(pc.findings, &pc.scan, batch)
	for i := range batch {
		if batch[i].Suppressed {
			pc.scan.Suppressed++
		}
	}
}

// scanOf is the fact.Scan of a run (without its result counts).
func scanOf(base fact.Scan, r *sarif.Run) fact.Scan {
	s := base
	if r.Tool != "" {
		s.Tool = r.Tool
	}
	s.ToolVersion = r.ToolVersion
	if !r.End.IsZero() {
		s.Time = r.End
	}
	if !r.Start.IsZero() && !r.End.IsZero() {
		d := r.End.Sub(r.Start).Seconds()
		s.Duration = &d
	}
	if i := strings.LastIndexByte(r.AutomationID, '/'); i >= 0 {
		s.Category = r.AutomationID[:i+1]
	}
	if r.Incremental {
		s.Type = fact.ScanIncremental
	}
	if s.Type == fact.ScanIncremental {
		s.Covers = r.Artifacts
	}
	s.NoResults = !r.HasResults
	return s
}

// classes gives the findings of one scan their Class: one per rule,
// severity and CWE; and keeps their texts compact (see fact.Batch).
type classes struct {
	by    map[classKey]*fact.Class
	last  *fact.Class // results of one rule often come in a row
	batch fact.Batch
}

// add appends the findings of a batch of results of scan s to fs, their
// texts in one string for the batch (see fact.Batch).
func (cs *classes) add(fs []fact.Finding, s *fact.Scan, batch []sarif.Result) []fact.Finding {
	cs.batch.Begin(fs)
	for i := range batch {
		x := &batch[i]
		c := cs.of(s, x)
		f := fact.Finding{Class: c, URI: x.URI, ContentHash: x.ContentHash, Line: int32(x.Line), Suppressed: x.Suppressed,
			Absent: x.Absent()}
		fs = cs.batch.Add(fs, f, x.Fingerprint, x.Message)
	}
	cs.batch.End(fs)
	return fs
}

// classKey is a class's rule, severity and CWEs (joined by commas).
type classKey struct{ rule, severity, cwes string }

// of returns the Class of result x of scan s.
func (cs *classes) of(s *fact.Scan, x *sarif.Result) *fact.Class {
	if c := cs.last; c != nil && c.RuleID == x.RuleID && c.Severity == fact.Severity(x.Severity) && slices.Equal(c.CWEs, x.CWEs) {
		return c
	}
	k := classKey{x.RuleID, x.Severity, strings.Join(x.CWEs, ",")}
	c := cs.by[k]
	if c == nil {
		c = &fact.Class{ScanID: s.ID, Tool: s.Tool, RuleID: x.RuleID, Severity: fact.Severity(x.Severity), CWE: x.CWE, CWEs: x.CWEs}
		if cs.by == nil {
			cs.by = map[classKey]*fact.Class{}
		}
		cs.by[k] = c
	}
	cs.last = c
	return c
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
