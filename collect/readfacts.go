package collect

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gitdora/gitdora/fact"
)

// MaxFactsFile bounds one facts CSV ReadFacts reads.
const MaxFactsFile = 4 << 30

// ReadFacts reads the facts `gitdora collect --out` wrote into dir:
// deployments.csv, changes.csv, incidents.csv, scans.csv and findings.csv
// (a file that is not there has no rows), as exactly as they were
// gathered, so that they compute the figures the repository computed.
// Columns are found by their header, so files with more columns are read
// too; a file that lacks a column read is an error naming it. A row that
// does not parse is left out and reported in Facts.Problems with its file
// and line; the rest is read.
func ReadFacts(dir string) (*fact.Facts, error) {
	f, sets, err := readFacts(dir)
	if err != nil {
		return nil, err
	}
	attachSets(f.Scans, sets)
	return f, nil
}

// readFacts is ReadFacts with the findings of each scan id apart, not
// attached to the scans.
func readFacts(dir string) (*fact.Facts, map[string]*fact.FindingSet, error) {
	f := &fact.Facts{}
	sets := map[string]*fact.FindingSet{}
	if st, err := os.Lstat(filepath.Join(dir, "changes.csv")); err == nil {
		// A row takes some 150 bytes: grow the list once, not twenty times.
		f.Changes = make([]fact.Change, 0, min(st.Size()/120, 1<<20))
	}
	readers := []struct {
		name string
		cols []string
		row  func(r *factRow) error
	}{
		{"deployments.csv", []string{"id", "time", "sha", "environment", "status", "source", "changes", "baseline", "scan_seconds", "scan_seconds_from",
			"pipeline_seconds", "gate_blocked", "critical", "high", "medium", "low", "service", "production"}, func(r *factRow) error {
			d := fact.Deployment{ID: r.text("id"), Time: r.time("time"), SHA: r.text("sha"), Environment: r.shared("environment"),
				Status: fact.Status(r.oneOf("status", fact.Names(fact.Statuses))), Source: fact.Source(r.oneOf("source", fact.Names(fact.Sources))),
				Changes: r.count("changes"), Baseline: r.bool("baseline"), ScanSeconds: r.optNum("scan_seconds"),
				ScanSecondsFrom: r.oneOf("scan_seconds_from", []string{"", "event", "ci", "sarif"}), PipelineSeconds: r.optNum("pipeline_seconds"),
				GateBlocked: r.bool("gate_blocked"), Critical: r.count("critical"), High: r.count("high"), Medium: r.count("medium"), Low: r.count("low"),
				Services: r.list("service"), Production: r.bool("production")}
			if r.err == nil {
				f.Deployments = append(f.Deployments, d)
			}
			return r.err
		}},
		{"changes.csv", []string{"sha", "deployment_id", "author", "authored", "committed", "lead_time_seconds", "counted", "subject", "revert", "reverts",
			"started_by", "service", "teams", "touched"}, func(r *factRow) error {
			c := fact.Change{SHA: r.text("sha"), DeploymentID: r.shared("deployment_id"), Author: r.shared("author"), Authored: r.time("authored"),
				Committed: r.time("committed"), LeadTime: r.duration("lead_time_seconds"),
				Counted: fact.Counted(r.oneOf("counted", []string{string(fact.CountedYes), string(fact.CountedFirstDeployment), string(fact.CountedNegative), string(fact.CountedBot), string(fact.CountedBadDate)})),
				Subject: r.text("subject"), Revert: r.bool("revert"), Reverts: r.text("reverts"), StartedBy: r.text("started_by"), Services: r.list("service"), Teams: r.list("teams"),
				Touched: r.bool("touched")}
			if r.err == nil {
				f.Changes = append(f.Changes, c)
			}
			return r.err
		}},
		{"incidents.csv", []string{"id", "opened", "resolved", "severity", "category", "deployment_id", "attribution", "environment", "production",
			"commit", "fixed_by", "cwe", "title", "service"}, func(r *factRow) error {
			in := fact.Incident{ID: r.text("id"), Opened: r.time("opened"), Resolved: r.optTime("resolved"),
				Severity: fact.Severity(r.oneOf("severity", fact.Names(fact.Severities))), Category: fact.Category(r.oneOf("category", fact.Names(fact.Categories))),
				DeploymentID: r.shared("deployment_id"), Environment: r.shared("environment"), Production: r.bool("production"), Commit: r.text("commit"),
				FixedBy: r.text("fixed_by"), CWE: r.text("cwe"), Title: r.text("title"), Service: r.text("service"),
				Attribution: fact.Attribution(r.oneOf("attribution", []string{string(fact.AttrCommit), string(fact.AttrDeployment), string(fact.AttrTime), string(fact.AttrRevert), string(fact.AttrNone)}))}
			if r.err == nil {
				f.Incidents = append(f.Incidents, in)
			}
			return r.err
		}},
		{"scans.csv", []string{"scan_id", "tool", "commit", "ref", "time", "duration_seconds", "scan_type", "results", "file", "tool_version", "category",
			"suppressed", "no_results", "covered", "trunk"}, func(r *factRow) error {
			s := fact.Scan{ID: r.text("scan_id"), Tool: r.text("tool"), Commit: r.text("commit"), Ref: r.text("ref"), Time: r.time("time"),
				Duration: r.optNum("duration_seconds"), Type: fact.ScanType(r.oneOf("scan_type", []string{string(fact.ScanFull), string(fact.ScanIncremental)})),
				Results: r.count("results"), File: r.text("file"), ToolVersion: r.text("tool_version"), Category: r.text("category"),
				Suppressed: r.count("suppressed"), NoResults: r.bool("no_results")}
			if c := r.text("covered"); c != "" && r.err == nil {
				if err := json.Unmarshal([]byte(c), &s.Covers); err != nil {
					r.fail("covered", "not a JSON list of paths")
				}
			}
			if t := r.text("trunk"); t != "" {
				f.Trunk = t
			}
			if r.err == nil {
				f.Scans = append(f.Scans, s)
			}
			return r.err
		}},
		{"findings.csv", []string{"scan_id", "tool", "rule_id", "severity", "fingerprint", "uri", "line", "cwe", "suppressed", "content_hash", "absent",
			"message", "cwes"}, readFindings(sets)},
		{"pulls.csv", PullsHeader, func(r *factRow) error {
			at := func(col string) time.Time {
				if t := r.optTime(col); t != nil {
					return *t
				}
				return time.Time{}
			}
			p := fact.Pull{ID: r.text("id"), Number: int64(r.count("number")), Opened: r.time("opened"), Ready: at("ready"), FirstCommit: at("first_commit"),
				FirstReview: at("first_review"), Approved: at("approved"), Merged: at("merged"), MergeSHA: r.text("merge_sha"), HeadSHA: r.text("head_sha"),
				Author: r.shared("author"), Draft: r.bool("draft"), Source: r.shared("source")}
			if r.err == nil {
				f.Pulls = append(f.Pulls, p)
			}
			return r.err
		}},
	}
	for _, rd := range readers {
		probs, err := readFactsFile(filepath.Join(dir, rd.name), rd.cols, rd.row)
		if err != nil {
			return nil, nil, err
		}
		f.Problems = append(f.Problems, probs...)
	}
	return f, sets, nil
}

// SlicesHeader is the header of slices.csv: the services and teams whose
// facts `gitdora collect --out` wrote into folders of their own.
var SlicesHeader = []string{"kind", "name", "path"}

// WriteSlicesCSV writes the slices of f, each with the folder its facts
// are in (path(kind, name)).
func WriteSlicesCSV(w io.Writer, slices []fact.Slice, path func(kind, name string) string) error {
	return writeCSV(w, SlicesHeader, len(slices), func(i int) []string {
		return []string{string(slices[i].Kind), slices[i].Name, path(string(slices[i].Kind), slices[i].Name)}
	})
}

// ReadExport reads the facts of a repository that `gitdora collect --out`
// wrote into dir (ReadFacts), with its services and teams (slices.csv and
// the folders it names, whose scans are the repository's).
func ReadExport(dir string) (*fact.Facts, error) {
	f, err := ReadFacts(dir)
	if err != nil {
		return nil, err
	}
	type entry struct {
		kind fact.SliceKind
		name string
		path string
	}
	var entries []entry
	probs, err := readFactsFile(filepath.Join(dir, "slices.csv"), SlicesHeader, func(r *factRow) error {
		e := entry{kind: fact.SliceKind(r.oneOf("kind", []string{string(fact.SliceService), string(fact.SliceTeam)})), name: r.text("name"), path: r.text("path")}
		clean := filepath.ToSlash(filepath.Clean(filepath.FromSlash(e.path)))
		if r.err == nil && (e.path == "" || filepath.IsAbs(e.path) || clean == "." || clean == ".." || strings.HasPrefix(clean, "../") || strings.Contains(e.path, "\\")) {
			r.fail("path", fmt.Sprintf("%q is not a folder inside %s", e.path, dir))
		}
		if r.err == nil {
			entries = append(entries, entry{e.kind, e.name, clean})
		}
		return r.err
	})
	if err != nil {
		return nil, err
	}
	f.Problems = append(f.Problems, probs...)
	for _, e := range entries {
		sf, sets, err := readFacts(filepath.Join(dir, filepath.FromSlash(e.path)))
		if err != nil {
			return nil, err
		}
		// A slice's scans are the repository's, with the findings that are
		// the slice's.
		sf.Scans, sf.Trunk = slices.Clone(f.Scans), f.Trunk
		attachSets(sf.Scans, sets)
		f.Problems = append(f.Problems, sf.Problems...)
		sf.Problems = nil
		f.Slices = append(f.Slices, fact.Slice{Kind: e.kind, Name: e.name, Facts: sf})
	}
	return f, nil
}

// readFindings reads the rows of findings.csv into sets, a set for each
// scan id in the order of the file, the findings with the same tool,
// rule, severity and CWEs sharing their fact.Class.
func readFindings(sets map[string]*fact.FindingSet) func(r *factRow) error {
	// A class is keyed by its fields, each apart: joined by any separator,
	// fields holding it would meet another class's.
	type classKey struct {
		tool, rule string
		sev        fact.Severity
		cwe, cwes  string
	}
	classes := map[classKey]*fact.Class{}
	sevs := append(fact.Names(fact.Severities), string(fact.SeverityInfo))
	return func(r *factRow) error {
		scan := r.text("scan_id")
		c := fact.Class{Tool: r.text("tool"), RuleID: r.text("rule_id"), Severity: fact.Severity(r.oneOf("severity", sevs)),
			CWE: r.text("cwe"), CWEs: r.list("cwes")}
		key := classKey{c.Tool, c.RuleID, c.Severity, c.CWE, strings.Join(c.CWEs, listSep)}
		line := r.count("line")
		hash := r.contentHash("content_hash")
		if r.err != nil {
			return r.err
		}
		if line > math.MaxInt32 {
			r.fail("line", "too large")
			return r.err
		}
		cl := classes[key]
		if cl == nil {
			cl = &c
			classes[key] = cl
		}
		x := fact.NewFinding(cl, r.text("fingerprint"), r.text("uri"), int32(line), r.text("message"))
		x.ContentHash, x.Suppressed, x.Absent = hash, r.bool("suppressed"), r.bool("absent")
		if r.err != nil {
			return r.err
		}
		set := sets[scan]
		if set == nil {
			set = &fact.FindingSet{}
			sets[scan] = set
		}
		set.List = append(set.List, x)
		if x.Suppressed {
			set.Suppressed++
		}
		return nil
	}
}

// attachSets gives each scan of scans its findings of sets (none: an
// empty set).
func attachSets(scans []fact.Scan, sets map[string]*fact.FindingSet) {
	for i := range scans {
		set := sets[scans[i].ID]
		if set == nil {
			set = &fact.FindingSet{}
		}
		scans[i].Set = set
	}
}

// readFactsFile reads one facts CSV, calling row for each record; a file
// that is not there has no rows.
func readFactsFile(path string, cols []string, row func(r *factRow) error) ([]fact.Problem, error) {
	if st, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() || st.Size() > MaxFactsFile {
		return nil, fmt.Errorf("%s: not a regular file of at most %d bytes (a symbolic link is not read)", path, int64(MaxFactsFile))
	}
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	cr := csv.NewReader(bufio.NewReaderSize(file, 1<<16))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: the header is not CSV: %v", path, err)
	}
	r := &factRow{index: map[string]int{}, seen: map[string]string{}, lists: map[string][]string{}}
	for i, h := range header {
		if _, dup := r.index[h]; !dup {
			r.index[h] = i
		}
	}
	var missing []string
	for _, c := range cols {
		if _, ok := r.index[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: no column %s (is it a file of the facts gitdora collect writes?)", path, strings.Join(missing, ", "))
	}
	var probs []fact.Problem
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return probs, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return probs, fmt.Errorf("%s: %w", path, err)
			}
			probs = append(probs, fact.Problem{File: path, Line: pe.StartLine, Msg: pe.Err.Error()})
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			probs = append(probs, fact.Problem{File: path, Line: line, Msg: fmt.Sprintf("has %d fields, want %d", len(rec), len(header))})
			continue
		}
		r.rec, r.err = rec, nil
		if err := row(r); err != nil {
			probs = append(probs, fact.Problem{File: path, Line: line, Msg: err.Error()})
		}
	}
}

// factRow reads the fields of one record by column name; the first field
// that does not parse is its error.
type factRow struct {
	index map[string]int
	rec   []string
	err   error
	seen  map[string]string   // shared
	lists map[string][]string // list
}

func (r *factRow) fail(col, msg string) {
	if r.err == nil {
		r.err = fmt.Errorf("column %s: %s", col, msg)
	}
}

// text is the field of col, copied out of the reused record.
func (r *factRow) text(col string) string { return strings.Clone(r.rec[r.index[col]]) }

// shared is text for a field whose values repeat (a deployment id, an
// author): one copy of each value.
func (r *factRow) shared(col string) string {
	v := r.rec[r.index[col]]
	if s, ok := r.seen[v]; ok {
		return s
	}
	s := strings.Clone(v)
	if len(r.seen) < 1<<16 {
		r.seen[s] = s
	}
	return s
}

func (r *factRow) raw(col string) string { return r.rec[r.index[col]] }

func (r *factRow) oneOf(col string, ok []string) string {
	v := r.raw(col)
	if i := slices.Index(ok, v); i >= 0 {
		return ok[i]
	}
	r.fail(col, fmt.Sprintf("%q is none of %s", v, strings.Join(ok, ", ")))
	return ""
}

func (r *factRow) time(col string) time.Time {
	v := r.raw(col)
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		r.fail(col, fmt.Sprintf("%q is not an RFC 3339 time", v))
	}
	return t
}

func (r *factRow) optTime(col string) *time.Time {
	if r.raw(col) == "" {
		return nil
	}
	t := r.time(col)
	return &t
}

func (r *factRow) bool(col string) bool {
	switch r.raw(col) {
	case "true":
		return true
	case "false", "":
		return false
	}
	r.fail(col, fmt.Sprintf("%q is not true or false", r.raw(col)))
	return false
}

func (r *factRow) count(col string) int {
	v := r.raw(col)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		r.fail(col, fmt.Sprintf("%q is not a count", v))
	}
	return n
}

func (r *factRow) optNum(col string) *float64 {
	v := r.raw(col)
	if v == "" {
		return nil
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
		r.fail(col, fmt.Sprintf("%q is not a finite number, 0 or more", v))
		return nil
	}
	return &x
}

// duration reads seconds written by seconds(): an integer, and up to nine
// decimals, exactly.
func (r *factRow) duration(col string) time.Duration {
	v := r.raw(col)
	neg := strings.HasPrefix(v, "-")
	whole, frac, _ := strings.Cut(strings.TrimPrefix(v, "-"), ".")
	s, err := strconv.ParseInt(whole, 10, 64)
	bad := err != nil || len(frac) > 9 || s > math.MaxInt64/int64(time.Second)-1 || strings.HasPrefix(whole, "+") || strings.HasPrefix(whole, "-")
	var ns int64
	if !bad && frac != "" {
		ns, err = strconv.ParseInt(frac+strings.Repeat("0", 9-len(frac)), 10, 64)
		bad = err != nil || strings.HasPrefix(frac, "+") || strings.HasPrefix(frac, "-")
	}
	if bad {
		r.fail(col, fmt.Sprintf("%q is not a number of seconds", v))
		return 0
	}
	d := time.Duration(s)*time.Second + time.Duration(ns)
	if neg {
		d = -d
	}
	return d
}

// list is a field of values joined by listSep; rows with the same list
// share one (it is not to be changed).
func (r *factRow) list(col string) []string {
	v := r.raw(col)
	if v == "" {
		return nil
	}
	if l, ok := r.lists[v]; ok {
		return l
	}
	c := strings.Clone(v)
	l := strings.Split(c, listSep)
	if len(r.lists) < 1<<12 {
		r.lists[c] = l
	}
	return l
}

// contentHash reads a fact.Hash as it writes itself: 16 hex digits, and
// :N from the second result with the sum on.
func (r *factRow) contentHash(col string) fact.Hash {
	v := r.raw(col)
	sum, n, hasN := strings.Cut(v, ":")
	var h fact.Hash
	x, err := strconv.ParseUint(sum, 16, 64)
	if err != nil || len(sum) != 16 {
		r.fail(col, fmt.Sprintf("%q is not a content hash", v))
		return h
	}
	h.Sum, h.N = x, 1
	if x == 0 {
		h.N = 0
	}
	if hasN {
		k, err := strconv.ParseUint(n, 10, 32)
		if err != nil || k < 2 {
			r.fail(col, fmt.Sprintf("%q is not a content hash", v))
			return h
		}
		h.N = uint32(k)
	}
	return h
}
