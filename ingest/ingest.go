// Package ingest stores SARIF files and GitHub Actions run records on the
// data branch (SPEC §2), after checking that each is what it claims to be:
// SARIF 2.1.0 JSON, or a run the CI reader understands. Checking happens
// before anything is written, so a bad file leaves the data branch as it
// was; storing is idempotent by content.
//
// It reads the code repository only to resolve --sha and --ref, through
// go-git, and never touches its work tree, index or HEAD.
package ingest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/collect/ci"
	"github.com/gitdora/gitdora/collect/sarif"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/internal/par"
)

// SARIF is one checked SARIF input.
type SARIF struct {
	Name    string    // as given
	Data    []byte    // the SARIF JSON, decompressed: what is stored
	Tool    string    // the first run's tool, for the stored file name
	Time    time.Time // the first invocation end time of its runs, zero when none
	Runs    int
	Results int
	Notes   []sarif.Note // what was odd but readable
}

// ReadSARIF reads and checks one input file: SARIF 2.1.0 JSON, plain or
// gzip. The error names the file and the JSON path of the first problem.
func ReadSARIF(name string) (*SARIF, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return CheckSARIF(name, b)
}

// ReadSARIFFiles reads and checks the files named, one per CPU. When any
// fails it returns no file, and an error with one line per failing file,
// in the order given.
func ReadSARIFFiles(names []string) ([]*SARIF, error) {
	out := make([]*SARIF, len(names))
	errs := make([]error, len(names))
	par.Each(len(names), func(i int) { out[i], errs[i] = ReadSARIF(names[i]) })
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// CheckSARIF checks the content b of the input file name.
func CheckSARIF(name string, b []byte) (*SARIF, error) {
	if len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b {
		z, err := gzip.NewReader(bytes.NewReader(b))
		if err == nil {
			b, err = io.ReadAll(z)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: not a readable gzip file: %v", name, err)
		}
	}
	s := &SARIF{Name: name, Data: b}
	// Results are counted, not kept: they come in batches.
	opts := sarif.Options{Results: func(*sarif.Run, []sarif.Result) error { return nil }}
	log, err := sarif.Read(bytes.NewReader(b), opts, func(r *sarif.Run) error {
		if s.Tool == "" {
			s.Tool = r.Tool
		}
		if s.Time.IsZero() {
			s.Time = r.End
		}
		return nil
	})
	if err != nil {
		var e *sarif.Error
		if errors.As(err, &e) {
			return nil, fmt.Errorf("%s: not SARIF 2.1.0: %s: %s", name, e.Path, e.Msg)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	s.Runs, s.Results, s.Notes = log.Runs, log.Results, log.Notes
	return s, nil
}

// Scan says what `ingest sarif` knows about the scans beyond the files.
type Scan struct {
	SHA        string    // full hash of the commit scanned
	CommitTime time.Time // zero when the commit is not in --repo
	Ref        string
	At         string // --at as given, validated
	ScanType   string // full or incremental
	Root       string // absolute path of --repo
	Now        time.Time
}

// Outcome is what happened to one input.
type Outcome struct {
	Name  string
	Path  string // data-branch path
	What  string // "stored", "already stored", "ref added"
	Notes []string
}

// StageSARIF stages files on tx with their scan records: a file whose
// content is already stored for the commit, in any month, is not stored
// again (its record gains the ref when it is new). Its writes depend only
// on tx, and what it reads on what it stages: the commit folders of the
// stored scans, not the scans.
func StageSARIF(tx *data.Tx, files []*SARIF, sc Scan) ([]Outcome, error) {
	if err := data.CheckRef(sc.Ref); err != nil {
		return nil, fmt.Errorf("--ref: %w", err)
	}
	if err := data.CheckHash(sc.SHA); err != nil {
		return nil, fmt.Errorf("--sha: %w", err)
	}
	st := storedScans{tx: tx}
	var out []Outcome
	for _, f := range files {
		p := data.ScanFile(scanMonth(f, sc), sc.SHA, toolName(f.Tool), f.Data)
		if !tx.Exists(p) {
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
		if !tx.Exists(p) {
			if err := tx.WriteFile(p, f.Data); err != nil {
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
		if err := writeMeta(tx, metaPath, m); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
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
		if q := dirs[i] + "/" + name; s.tx.Exists(q) {
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
// time, else --at, else the commit time, else now.
func scanMonth(f *SARIF, sc Scan) time.Time {
	if !f.Time.IsZero() {
		return f.Time
	}
	if t, err := time.Parse(time.RFC3339Nano, sc.At); err == nil {
		return t
	}
	if !sc.CommitTime.IsZero() {
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
	if !sc.CommitTime.IsZero() {
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
	return p
}

// StageCI stages runs (with their jobs) on tx: a run already stored is
// merged with the new record (jobs of both; the run's own fields from the
// record that has them), and written only when that changes it.
func StageCI(tx *data.Tx, runs []ci.Run) ([]Outcome, error) {
	var out []Outcome
	for i := range runs {
		r := &runs[i]
		if r.Time().IsZero() {
			return nil, fmt.Errorf("run %d: no time to file it by (no run_started_at, created_at or job times)", r.ID)
		}
		p := CIFile(r)
		// A record made from jobs alone may sit in the month next to the run's.
		for _, d := range []int{0, -1, 1} {
			q := CIFile(&ci.Run{ID: r.ID, Attempt: r.Attempt, Started: r.Time().AddDate(0, d, 0)})
			if tx.Exists(q) {
				p = q
				break
			}
		}
		rec := ci.Record(r)
		o := Outcome{Name: fmt.Sprintf("run %d", r.ID), Path: p, What: "stored"}
		if r.Attempt > 1 {
			o.Name = fmt.Sprintf("run %d attempt %d", r.ID, r.Attempt)
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
		return "", time.Time{}, false, fmt.Errorf("--sha %q: --repo %s is not a git repository, so only a full commit hash can be given", rev, repoPath)
	}
	sha, err = data.ResolveCommit(r, rev)
	if errors.Is(err, data.ErrUnknownCommit) {
		if data.IsFullHash(rev) {
			return strings.ToLower(rev), time.Time{}, false, nil
		}
		return "", time.Time{}, false, fmt.Errorf("--sha %q: not a commit of %s (want a commit hash, branch or tag)", rev, repoPath)
	}
	if err != nil {
		return "", time.Time{}, false, fmt.Errorf("--sha %q: %v", rev, err)
	}
	c, err := object.GetCommit(data.Objects(r), plumbing.NewHash(sha))
	if err != nil {
		return "", time.Time{}, false, fmt.Errorf("--sha %q: commit %s: %v", rev, sha, err)
	}
	return sha, c.Committer.When, true, nil
}

// Branch is the branch checked out in the code repository r; with a
// detached HEAD (as CI checkouts often are) it is $GITHUB_REF_NAME when
// set, else an error asking for --ref.
func Branch(r *git.Repository, getenv func(string) string) (string, error) {
	head, err := r.Reference(plumbing.HEAD, false)
	if err == nil && head.Type() == plumbing.SymbolicReference && head.Target().IsBranch() {
		return head.Target().Short(), nil
	}
	if err != nil && !errors.Is(err, plumbing.ErrReferenceNotFound) {
		return "", err
	}
	if v := getenv("GITHUB_REF_NAME"); v != "" {
		return v, nil
	}
	return "", errors.New("--ref: HEAD of --repo is detached (no branch checked out); give --ref, e.g. --ref main")
}

// writeMeta stages a scan record (two-space indented JSON, a final newline).
func writeMeta(tx *data.Tx, p string, m collect.ScanMeta) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return tx.WriteFile(p, append(b, '\n'))
}
