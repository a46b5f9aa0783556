// Package ingest stores SARIF files and GitHub Actions run records on the
// data branch (docs/data-branch.md), after checking that each is what it claims to be:
// SARIF 2.1.0 JSON, or a run the CI reader understands. Checking happens
// before anything is written, so a bad file leaves the data branch as it
// was; storing is idempotent by content.
//
// It reads the code repository only to resolve --sha and --ref, through
// internal/git, and never touches its work tree, index or HEAD.
package ingest

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/collect/ci"
	"github.com/gitdora/gitdora/collect/findings"
	"github.com/gitdora/gitdora/collect/sarif"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/git"
	"github.com/gitdora/gitdora/internal/par"
)

// SARIF is one checked SARIF input.
type SARIF struct {
	Name string // as given
	// Size and Sum are the size and sha256 of its content, the SARIF
	// JSON decompressed: what is stored (Content reads it again).
	Size    int64
	Sum     [32]byte
	Tool    string    // the first run's tool, for the stored file name
	Time    time.Time // the first invocation end time of its runs, zero when none
	Runs    int
	Results int
	Notes   []sarif.Note // what was odd but readable
	// Root is the repository root its normalised findings were made
	// with (collect/findings).
	Root  string
	norm  data.Source                   // its normalised findings
	tmp   string                        // the file that holds them, when they are large
	times []runTimes                    // the invocation times of each run that has any
	open  func() (io.ReadCloser, error) // its content again
}

// Close removes what s keeps on disk (the normalised findings of a large
// file). Staging s again after Close fails.
func (s *SARIF) Close() error {
	if s.tmp == "" {
		return nil
	}
	err := os.Remove(s.tmp)
	s.tmp = ""
	return err
}

// Normalised reads its normalised findings.
func (s *SARIF) Normalised() ([]byte, error) {
	rc, err := s.norm.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// inMemory is the size of SARIF whose normalised findings are kept in
// memory until they are stored; a larger file's go to a temporary file.
const inMemory = 32 << 20

// Content reads the SARIF JSON again, decompressed, whole: what is
// stored. It fails when the input changed since it was checked.
func (s *SARIF) Content() ([]byte, error) {
	rc, err := s.open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// source is the content of s to stage: read when it is stored, never held.
func (s *SARIF) source() data.Source { return data.Source{Size: s.Size, Open: s.open} }

// runTimes are the invocation times of run index.
type runTimes struct {
	index      int
	start, end time.Time
}

// checkTimes reports an invocation time before 1970 or in the future: a
// scan in year 9999 (or 0000) would be filed and read there.
func (s *SARIF) checkTimes(now time.Time) error {
	for _, t := range s.times {
		for _, x := range []struct {
			name string
			t    time.Time
		}{{"startTimeUtc", t.start}, {"endTimeUtc", t.end}} {
			if x.t.IsZero() {
				continue
			}
			if err := data.CheckWhen(x.t, now); err != nil {
				return fmt.Errorf("%s: $.runs[%d].invocations: %s %v", s.Name, t.index, x.name, err)
			}
		}
	}
	return nil
}

// Limits are the bounds of config.Default's gitdora.yml, for callers that
// read no configuration.
func Limits() config.Limits { return defaultLimits() }

var defaultLimits = sync.OnceValue(func() config.Limits { return config.Default().Limits })

// sarifLimits are the bounds lim sets on reading a SARIF file.
func sarifLimits(lim config.Limits) sarif.Limits {
	return sarif.Limits{Bytes: int64(lim.SARIFBytes), Ratio: lim.DecompressionRatio}
}

// ReadSARIF reads and checks one input file: SARIF 2.1.0 JSON, plain or
// gzip, within lim, and normalises its findings with root (the absolute
// path of the repository's work tree, the scan record's Root; "" for
// none) as the root of their paths. It refuses what is not a regular file (a device, a
// pipe) and reads as it parses, so that input that is not SARIF is refused
// at its first bad byte, not after it was read whole. The error names the
// file and the JSON path of the first problem.
func ReadSARIF(name string, lim config.Limits, root string) (*SARIF, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file (%s), want a SARIF file", name, fileKind(fi.Mode()))
	}
	if fi.Size() > int64(lim.SARIFBytes) {
		return nil, fmt.Errorf("%s: %d bytes, more than limits.sarif_bytes (%s)", name, fi.Size(), lim.SARIFBytes)
	}
	return checkSARIF(name, f, lim, root, func() (io.ReadCloser, error) { return os.Open(name) })
}

// fileKind names what a file that is not a regular one is.
func fileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&os.ModeCharDevice != 0:
		return "a character device"
	case m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return m.Type().String()
}

// ReadSARIFFiles reads and checks the files named, one per CPU, within
// lim, as ReadSARIF does. When any fails it returns no file, and an error with one line per
// failing file, in the order given.
func ReadSARIFFiles(names []string, lim config.Limits, root string) ([]*SARIF, error) {
	out := make([]*SARIF, len(names))
	errs := make([]error, len(names))
	par.Each(len(names), func(i int) { out[i], errs[i] = ReadSARIF(names[i], lim, root) })
	if err := errors.Join(errs...); err != nil {
		for _, s := range out {
			if s != nil {
				s.Close()
			}
		}
		return nil, err
	}
	return out, nil
}

// CheckSARIF checks the content b of the input file name, within the
// default limits, as ReadSARIF does.
func CheckSARIF(name string, b []byte, root string) (*SARIF, error) {
	return checkSARIF(name, bytes.NewReader(b), Limits(), root, func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil })
}

// checkSARIF reads and checks the input file name from in, within lim
// (reopen opens it again from its start: the reader reads a run too large
// to buffer twice). Nothing of the file is kept but its normalised
// findings: its size and sha256 are taken as it is read, and its content
// is read again, through reopen, when it is stored.
func checkSARIF(name string, in io.Reader, lim config.Limits, root string, reopen func() (io.ReadCloser, error)) (*SARIF, error) {
	s := &SARIF{Name: name, Root: metaRoot(root)}
	sum := sha256.New()
	n := &counter{}
	w, opts := normaliser(s.Root, lim, reopen, io.MultiWriter(sum, n))
	log, err := sarif.Read(in, opts, func(r *sarif.Run) error {
		if err := w.Run(r); err != nil {
			return err
		}
		if s.Tool == "" {
			s.Tool = r.Tool
		}
		if s.Time.IsZero() {
			s.Time = r.End
		}
		if !r.Start.IsZero() || !r.End.IsZero() {
			s.times = append(s.times, runTimes{r.Index, r.Start, r.End})
		}
		return nil
	})
	if err != nil {
		return nil, sarifError(name, err, lim)
	}
	if log.Runs == 0 {
		return nil, fmt.Errorf("%s: nothing to store: $.runs: the log has no runs (no tool ran, so there are no results)", name)
	}
	s.Size = n.n
	sum.Sum(s.Sum[:0])
	s.Runs, s.Results, s.Notes = log.Runs, log.Results, log.Notes
	if s.norm, s.tmp, err = findingsSource(w, log, s.Size, "", "gitdora-*"); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	gz := log.Gzip
	s.open = func() (io.ReadCloser, error) { return content(name, reopen, gz, s.Size, s.Sum) }
	return s, nil
}

// normaliser is the reader of SARIF that makes normalised findings
// with the repository root root (as metaRoot keeps it), within lim;
// reopen opens the file again, content sees every byte read.
func normaliser(root string, lim config.Limits, reopen func() (io.ReadCloser, error), content io.Writer) (*findings.Writer, sarif.Options) {
	// Results come in batches, kept compact by the normalised findings.
	w := &findings.Writer{Root: root}
	opts := sarif.Options{Limits: sarifLimits(lim), Content: content, Results: w.Results, Reopen: reopen}
	if root != "" {
		opts.Roots = []string{root}
	}
	return w, opts
}

// findingsSource is the normalised findings w gathered of log, made of
// size bytes of SARIF, to stage: in memory for a small file, else in a
// new temporary file in dir (pattern as os.CreateTemp takes it), whose
// name is tmp; the caller removes it.
func findingsSource(w *findings.Writer, log *sarif.Log, size int64, dir, pattern string) (src data.Source, tmp string, err error) {
	if size <= inMemory {
		b := w.Bytes(log)
		return data.Source{Size: int64(len(b)), Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }}, "", nil
	}
	f, err := os.CreateTemp(dir, pattern+findings.Ext)
	if err != nil {
		return data.Source{}, "", err
	}
	n, err := w.WriteTo(f, log)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return data.Source{}, "", err
	}
	name := f.Name()
	return data.Source{Size: n, Open: func() (io.ReadCloser, error) { return os.Open(name) }}, name, nil
}

// counter counts the bytes written to it.
type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// content opens the content of the input file name again (reopen),
// inflated when it is gzip, and fails at its end unless it is size bytes
// of sha256 sum: what was checked.
func content(name string, reopen func() (io.ReadCloser, error), gz bool, size int64, sum [32]byte) (io.ReadCloser, error) {
	rc, err := reopen()
	if err != nil {
		return nil, err
	}
	var r io.Reader = rc
	if gz {
		z, err := gzip.NewReader(rc)
		if err != nil {
			rc.Close()
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		r = z
	}
	return &checked{name: name, r: io.LimitReader(r, size+1), c: rc, h: sha256.New(), size: size, sum: sum}, nil
}

// checked reads the content of an input file and fails at its end when
// it is not what was checked.
type checked struct {
	name string
	r    io.Reader
	c    io.Closer
	h    hash.Hash
	n    int64
	size int64
	sum  [32]byte
}

func (c *checked) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	if errors.Is(err, io.EOF) {
		var got [32]byte
		if c.h.Sum(got[:0]); c.n != c.size || got != c.sum {
			return n, fmt.Errorf("%s: changed since it was checked; nothing was stored", c.name)
		}
	}
	return n, err
}

func (c *checked) Close() error { return c.c.Close() }

// metaRoot is a repository root as a scan record keeps it.
func metaRoot(root string) string { return data.OneLine(root, 4096) }

// sarifError says why the file name was refused.
func sarifError(name string, err error, lim config.Limits) error {
	var le *sarif.LimitError
	if errors.As(err, &le) {
		if le.Ratio > 0 {
			return fmt.Errorf("%s: the gzip file inflates to more than limits.decompression_ratio (%d) times its size: refused as a likely gzip bomb", name, lim.DecompressionRatio)
		}
		return fmt.Errorf("%s: more than limits.sarif_bytes (%s) of SARIF once decompressed", name, lim.SARIFBytes)
	}
	var e *sarif.Error
	if errors.As(err, &e) {
		if strings.HasPrefix(e.Msg, "not a readable gzip file") || e.Msg == sarif.NestedGzip {
			return fmt.Errorf("%s: %s", name, e.Msg)
		}
		return fmt.Errorf("%s: not SARIF 2.1.0: %s: %s", name, e.Path, e.Msg)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// Scan says what `ingest sarif` knows about the scans beyond the files.
type Scan struct {
	SHA        string    // full hash of the commit scanned
	CommitTime time.Time // zero when the commit is not in --repo
	Ref        string
	At         string        // --at as given, validated
	ScanType   fact.ScanType // full or incremental
	Root       string        // absolute path of --repo
	Now        time.Time
	// NoRaw stores the normalised findings alone, not the SARIF file
	// (scans.keep_raw: false).
	NoRaw bool
}

// Check reports a ref git refuses, a sha that is no full commit hash, or
// an at that is no RFC 3339 time from 1970 to sc.Now: what StageSARIF
// refuses, for a caller to say before it reads the files.
func (sc Scan) Check() error {
	if err := data.CheckRef(sc.Ref); err != nil {
		return &fact.InputError{Input: "ref", Err: err}
	}
	if err := data.CheckHash(sc.SHA); err != nil {
		return &fact.InputError{Input: "sha", Err: err}
	}
	if sc.At != "" {
		at, err := data.ParseTime(sc.At)
		if err == nil {
			err = data.CheckWhen(at.Time, sc.Now)
		}
		if err != nil {
			return &fact.InputError{Input: "at", Err: err}
		}
	}
	return nil
}

// Outcome is what happened to one input.
type Outcome struct {
	Name  string
	Path  string // data-branch path
	What  string // "stored", "already stored", "ref added"
	Notes []string
}

// StageSARIF stages files on tx with their normalised findings and scan
// records (with sc.NoRaw, without the SARIF files): a file whose content is
// already stored for the commit, in any month, is not stored again (its
// record gains the ref when it is new, and its normalised findings are
// written when an older gitdora stored it without them). Its writes depend
// only on tx, and what it reads on what it stages: the commit folders of
// the stored scans, not the scans.
func StageSARIF(tx *data.Tx, files []*SARIF, sc Scan) ([]Outcome, error) {
	if err := sc.Check(); err != nil {
		return nil, err
	}
	for _, f := range files {
		if err := f.checkTimes(sc.Now); err != nil {
			return nil, err
		}
		if f.Root != metaRoot(sc.Root) {
			return nil, fmt.Errorf("%s: normalised with the repository root %q, not %q", f.Name, f.Root, metaRoot(sc.Root))
		}
	}
	st := storedScans{tx: tx}
	var out []Outcome
	for _, f := range files {
		p := data.ScanFileOf(scanMonth(f, sc), sc.SHA, toolName(f.Tool), f.Sum)
		if !stored(tx, p) {
			q, err := st.find(sc.SHA, path.Base(p))
			if err != nil {
				return nil, err
			}
			if q != "" {
				p = q
			}
		}
		o := Outcome{Name: f.Name, Path: p}
		metaPath := collect.ScanMetaFile(p)
		normPath := collect.FindingsFile(p)
		if !stored(tx, p) {
			if !sc.NoRaw {
				if err := tx.WriteSource(p, f.source()); err != nil {
					return nil, err
				}
			} else {
				o.Path = normPath
			}
			if err := tx.WriteSource(normPath, f.norm); err != nil {
				return nil, err
			}
			st.add(p)
			o.What = "stored"
			if err := writeMeta(tx, metaPath, newMeta(f, sc)); err != nil {
				return nil, err
			}
			out = append(out, o)
			continue
		}
		o.What = "already stored"
		b, err := tx.ReadFile(metaPath)
		var m collect.ScanMeta
		switch {
		case errors.Is(err, data.ErrNotExist):
			m = newMeta(f, sc)
			o.What = "already stored; scan record added"
		case err != nil:
			return nil, err
		default:
			if err := json.Unmarshal(b, &m); err != nil {
				return nil, fmt.Errorf("%s: not a scan record: %v", metaPath, err)
			}
			if !contains(m.Refs, sc.Ref) {
				m.Refs = append(m.Refs, sc.Ref)
				o.What = "already stored; ref " + sc.Ref + " added"
			}
			if sc.At != "" && m.At != sc.At {
				o.Notes = append(o.Notes, fmt.Sprintf("stored before with --at %q; kept", m.At))
			}
			if sc.ScanType != m.ScanType {
				o.Notes = append(o.Notes, fmt.Sprintf("stored before as a %s scan; kept", m.ScanType))
			}
		}
		// Stored by an older gitdora: its normalised findings, made with
		// the root of its record, are what reindex would write.
		if !tx.Exists(normPath) && m.Root == f.Root {
			if err := tx.WriteSource(normPath, f.norm); err != nil {
				return nil, err
			}
			o.Notes = append(o.Notes, "its normalised findings were written")
		}
		if err := writeMeta(tx, metaPath, m); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// stored reports whether the scan whose SARIF file is p is stored: its
// SARIF file, or its normalised findings alone (scans.keep_raw: false).
func stored(tx *data.Tx, p string) bool {
	return tx.Exists(p) || tx.Exists(collect.FindingsFile(p))
}

// storedScans finds the SARIF files stored for a commit in any month
// (scans/YYYY/MM/<sha>/<tool>-<hash>.sarif): it lists the commit folders
// once, on first need.
type storedScans struct {
	tx   *data.Tx
	dirs map[string][]string // commit → its folders, in path order
}

// find returns the path of the stored file named name of commit sha, ""
// when there is none (the latest month's when there are several).
func (s *storedScans) find(sha, name string) (string, error) {
	if s.dirs == nil {
		list, err := s.tx.Dirs(data.ScansDir, 3)
		if err != nil {
			return "", err
		}
		s.dirs = map[string][]string{}
		for _, d := range list {
			s.dirs[path.Base(d)] = append(s.dirs[path.Base(d)], d)
		}
	}
	dirs := s.dirs[sha]
	for i := len(dirs) - 1; i >= 0; i-- {
		if q := dirs[i] + "/" + name; stored(s.tx, q) {
			return q, nil
		}
	}
	return "", nil
}

// add notes a file just staged at p.
func (s *storedScans) add(p string) {
	if s.dirs == nil {
		return // listed on first need, with what is staged
	}
	d := path.Dir(p)
	sha := path.Base(d)
	if !slices.Contains(s.dirs[sha], d) {
		s.dirs[sha] = append(s.dirs[sha], d)
		slices.Sort(s.dirs[sha])
	}
}

// scanMonth is the time whose month files a scan: its invocation end
// time, else --at, else the commit time (unless it is before 1970 or in
// the future: a commit's date is whatever its author's clock said), else
// now.
func scanMonth(f *SARIF, sc Scan) time.Time {
	if !f.Time.IsZero() {
		return f.Time
	}
	if t, err := time.Parse(time.RFC3339Nano, sc.At); err == nil {
		return t
	}
	if !sc.CommitTime.IsZero() && data.CheckWhen(sc.CommitTime, sc.Now) == nil {
		return sc.CommitTime
	}
	return sc.Now
}

func toolName(t string) string {
	if strings.TrimSpace(t) == "" {
		return "sarif"
	}
	return t
}

func newMeta(f *SARIF, sc Scan) collect.ScanMeta {
	source := data.OneLine(path.Base(strings.ReplaceAll(f.Name, "\\", "/")), 255)
	m := collect.ScanMeta{Refs: []string{sc.Ref}, At: sc.At, ScanType: sc.ScanType, Root: data.OneLine(sc.Root, 4096), Source: source, Ingested: sc.Now.UTC().Format(time.RFC3339)}
	if !sc.CommitTime.IsZero() && data.CheckWhen(sc.CommitTime, sc.Now) == nil {
		m.CommitTime = sc.CommitTime.Format(time.RFC3339)
	}
	return m
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// ReadCI reads and checks one CI run file, a regular file of at most
// limits.ci_bytes.
func ReadCI(name string, lim config.Limits) (*ci.Doc, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file (%s), want GitHub Actions run JSON", name, fileKind(fi.Mode()))
	}
	b, err := io.ReadAll(io.LimitReader(f, int64(lim.CIBytes)+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(b)) > int64(lim.CIBytes) {
		return nil, fmt.Errorf("%s: more than limits.ci_bytes (%s)", name, lim.CIBytes)
	}
	return CheckCI(name, b)
}

// CheckCI reads and checks one CI run file.
func CheckCI(name string, b []byte) (*ci.Doc, error) {
	d, err := ci.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return d, nil
}

// CIFile is where a run attempt is stored: ci/YYYY/MM/<run-id>.json for
// the first attempt, <run-id>-<attempt>.json for re-runs (each attempt has
// its own jobs), filed by the month the run started.
func CIFile(r *ci.Run) string {
	p := data.CIFile(r.Time(), r.ID)
	if r.Attempt > 1 {
		p = strings.TrimSuffix(p, ".json") + "-" + strconv.Itoa(r.Attempt) + ".json"
	}
	if r.Source == ci.GitLab { // GitLab numbers its pipelines apart from GitHub's runs
		p = path.Join(path.Dir(p), "gitlab-"+path.Base(p))
	}
	return p
}

// StageCI stages runs (with their jobs) on tx: a run already stored is
// merged with the new record (jobs of both; the run's own fields from the
// record that has them), and written only when that changes it. A run
// with a time (of its own, of a job or of a step) before 1970 or in the
// future is refused, and nothing is staged.
func StageCI(tx *data.Tx, runs []ci.Run) ([]Outcome, error) {
	var out []Outcome
	now := data.Now()
	for i := range runs {
		if err := checkRunTimes(&runs[i], now); err != nil {
			return nil, err
		}
	}
	for i := range runs {
		r := &runs[i]
		if r.Time().IsZero() {
			return nil, fmt.Errorf("run %d: no time to file it by (no run_started_at, created_at or job times)", r.ID)
		}
		p := CIFile(r)
		// A record made from jobs alone may sit in the month next to the run's.
		for _, d := range []int{0, -1, 1} {
			q := CIFile(&ci.Run{ID: r.ID, Attempt: r.Attempt, Source: r.Source, Started: r.Time().AddDate(0, d, 0)})
			if tx.Exists(q) {
				p = q
				break
			}
		}
		rec := ci.Record(r)
		o := Outcome{Name: fmt.Sprintf("run %d", r.ID), Path: p, What: "stored"}
		if r.Source == ci.GitLab {
			o.Name = fmt.Sprintf("GitLab pipeline %d", r.ID)
		}
		if r.Attempt > 1 {
			o.Name = fmt.Sprintf("run %d attempt %d", r.ID, r.Attempt)
		}
		// Odd values are said here, once; reading commands sum them up.
		for _, n := range ci.Summarize(r, nil, nil).Notes {
			o.Notes = append(o.Notes, n.Text)
		}
		if old, err := tx.ReadFile(p); err == nil {
			o.What = "already stored"
			if od, err := ci.Parse(old); err == nil && len(od.Runs) == 1 {
				m := ci.Merge(&od.Runs[0], r)
				rec = ci.Record(&m)
			}
			if !bytes.Equal(rec, old) {
				o.What = "updated"
			}
		} else if !errors.Is(err, data.ErrNotExist) {
			return nil, err
		}
		if err := tx.WriteFile(p, rec); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// checkRunTimes reports the first time of r, its jobs or their steps that
// is before 1970 or in the future (a step completed in 9999 made its scan
// last 9.2e9 seconds).
func checkRunTimes(r *ci.Run, now time.Time) error {
	name := fmt.Sprintf("run %d", r.ID)
	if r.Attempt > 1 {
		name += fmt.Sprintf(" attempt %d", r.Attempt)
	}
	check := func(at, what string, t time.Time) error {
		if t.IsZero() {
			return nil
		}
		if err := data.CheckWhen(t, now); err != nil {
			return fmt.Errorf("%s: %s%s %v", name, at, what, err)
		}
		return nil
	}
	for _, x := range []struct {
		what string
		t    time.Time
	}{{"created_at", r.Created}, {"run_started_at", r.Started}, {"updated_at", r.Updated}} {
		if err := check("", x.what, x.t); err != nil {
			return err
		}
	}
	for _, j := range r.Jobs {
		at := fmt.Sprintf("job %d (%s): ", j.ID, data.OneLine(j.Name, 80))
		for _, x := range []struct {
			what string
			t    time.Time
		}{{"created_at", j.Created}, {"started_at", j.Started}, {"completed_at", j.Completed}} {
			if err := check(at, x.what, x.t); err != nil {
				return err
			}
		}
		for k, st := range j.Steps {
			sat := fmt.Sprintf("%sstep %d (%s): ", at, k+1, data.OneLine(st.Name, 80))
			if err := check(sat, "started_at", st.Started); err != nil {
				return err
			}
			if err := check(sat, "completed_at", st.Completed); err != nil {
				return err
			}
		}
	}
	return nil
}

// Commit resolves rev (a sha, short sha, branch or tag; HEAD by default)
// in the code repository r, opened from repoPath (nil when repoPath is not
// a git repository). A full hexadecimal hash that the repository does not
// have is accepted (the scan ran on a commit not fetched here) with known
// false.
func Commit(r *git.Repository, repoPath, rev string) (sha string, when time.Time, known bool, err error) {
	if rev == "" {
		rev = "HEAD"
	}
	if r == nil {
		if data.IsFullHash(rev) {
			return strings.ToLower(rev), time.Time{}, false, nil
		}
		return "", time.Time{}, false, shaError(rev, &noRepoError{repo: repoPath})
	}
	sha, err = r.ResolveCommit(rev)
	if errors.Is(err, git.ErrUnknownCommit) {
		if data.IsFullHash(rev) {
			return strings.ToLower(rev), time.Time{}, false, nil
		}
		return "", time.Time{}, false, shaError(rev, fmt.Errorf("not a commit of %s (want a commit hash, branch or tag)", repoPath))
	}
	if err != nil {
		return "", time.Time{}, false, shaError(rev, err)
	}
	c, err := r.CommitObject(git.NewHash(sha))
	if err != nil {
		return "", time.Time{}, false, shaError(rev, fmt.Errorf("commit %s: %v", sha, err))
	}
	return sha, c.Committer.When, true, nil
}

// Branch is the branch checked out in the code repository r; with a
// detached HEAD (as CI checkouts often are) it is $GITHUB_REF_NAME when
// set, else an error asking for --ref.
func Branch(r *git.Repository, getenv func(string) string) (string, error) {
	target, symbolic, err := r.SymbolicRef("HEAD")
	if symbolic && strings.HasPrefix(target, "refs/heads/") {
		return git.ShortName(target), nil
	}
	if err != nil {
		return "", err
	}
	if v := getenv("GITHUB_REF_NAME"); v != "" {
		return v, nil
	}
	return "", &fact.InputError{Input: "ref", Err: detachedError{}}
}

// writeMeta stages a scan record (two-space indented JSON, a final newline).
func writeMeta(tx *data.Tx, p string, m collect.ScanMeta) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return tx.WriteFile(p, append(b, '\n'))
}
