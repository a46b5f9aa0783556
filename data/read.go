package data

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/gitdora/gitdora/fact"
	"github.com/gocarina/gocsv"
)

// Deployments reads every deployment event, in file order. Rows that
// cannot be read are left out and reported (a time before 1970 or in the
// future included), and so are rows whose id an earlier row has (files in
// path order, rows in file order); the rest is read.
func (s *Store) Deployments() ([]Deployment, []fact.Problem, error) {
	spec := deploymentRows
	now := Now()
	spec.check = func(d *Deployment) error { return d.checkNow(now) }
	return readEvents(s, DeploymentsDir, spec)
}

// Incidents reads every incident event, in file order. Rows that cannot be
// read are left out and reported, and so are rows whose id an earlier row
// has; the rest is read.
func (s *Store) Incidents() ([]Incident, []fact.Problem, error) {
	spec := incidentRows
	now := Now()
	spec.check = func(in *Incident) error { return in.checkNow(now) }
	return readEvents(s, IncidentsDir, spec)
}

// MaxEventFile bounds a month's event file: over it, readers skip the file.
const MaxEventFile = 256 << 20

// rowSpec says how the rows of one kind of event file are read.
type rowSpec[T any] struct {
	header []string
	counts []int             // columns that hold counts: whole numbers, nothing else
	fix    func(*T) []string // repairs what can be read another way, saying what (nil: none)
	check  func(*T) error    // the row is valid (as Check says)
	id     func(*T) string   // the row's id
}

var (
	deploymentRows = rowSpec[Deployment]{header: DeploymentHeader, counts: countColumns(DeploymentHeader),
		fix: (*Deployment).fixSeconds, check: (*Deployment).Check, id: func(d *Deployment) string { return d.ID }}
	incidentRows = rowSpec[Incident]{header: IncidentHeader, fix: (*Incident).fixTitle, check: (*Incident).Check, id: func(in *Incident) string { return in.ID }}
)

// countColumns are the indexes of the columns of header that hold counts
// of findings.
func countColumns(header []string) []int {
	var out []int
	for _, n := range []string{"critical", "high", "medium", "low"} {
		if i := slices.Index(header, n); i >= 0 {
			out = append(out, i)
		}
	}
	return out
}

func readEvents[T any](s *Store, dir string, spec rowSpec[T]) ([]T, []fact.Problem, error) {
	files, err := s.List(dir)
	if err != nil {
		return nil, nil, err
	}
	var all []T
	var probs []fact.Problem
	first := map[string]string{} // id → where its first row is
	for _, f := range files {
		if !strings.HasSuffix(f, ".csv") {
			continue
		}
		where := s.Where(f)
		b, err := s.readLimited(f, MaxEventFile)
		if errors.Is(err, errTooLarge) {
			probs = append(probs, fact.Problem{File: where, Msg: fmt.Sprintf("more than %d MiB; skipped (a month of events is a few MB)", MaxEventFile>>20)})
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		rows, lines, p := decodeRows(b, where, spec)
		probs = append(probs, p...)
		for i := range rows {
			id := spec.id(&rows[i])
			if at, dup := first[id]; dup {
				probs = append(probs, fact.Problem{File: where, Line: lines[i], Msg: fmt.Sprintf("id %q is already recorded (%s); this row is left out", id, at)})
				continue
			}
			first[id] = fmt.Sprintf("%s:%d", where, lines[i])
			all = append(all, rows[i])
		}
	}
	return all, probs, nil
}

// bom is the UTF-8 byte order mark that spreadsheet programs write at the
// start of a CSV file ("CSV UTF-8" in Excel).
const bom = "\xef\xbb\xbf"

// decodeRows decodes one event CSV, leaving out and reporting rows that
// are not CSV, do not have one field per column, do not parse (a count
// that is not a whole number included) or do not pass spec.check; every
// other row is read, and lines says on which line each starts. Problems
// name the row's first line in the file. A UTF-8 byte order mark at the
// start of the file is skipped.
func decodeRows[T any](b []byte, where string, spec rowSpec[T]) (rows []T, lines []int, probs []fact.Problem) {
	header := spec.header
	b = bytes.TrimPrefix(b, []byte(bom))
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, nil, nil
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1 // checked here, row by row
	got, err := r.Read()
	cols := len(header)
	if err == nil && olderHeader(got, header) {
		cols = len(got) // a file an older gitdora wrote: the missing columns are empty
	} else if err != nil || !slices.Equal(got, header) {
		first, _, _ := bytes.Cut(b, []byte("\n"))
		return nil, nil, []fact.Problem{{File: where, Line: 1, Msg: fmt.Sprintf("header is %q, want %q", clip(string(bytes.TrimSpace(first))), strings.Join(header, ","))}}
	}
	// The good records go to gocsv re-encoded, one after another: its
	// record index i stands for read[i].
	var read []int
	var good bytes.Buffer
	w := csv.NewWriter(&good)
	w.Write(header)
records:
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				probs = append(probs, fact.Problem{File: where, Msg: "not a readable CSV file: " + err.Error()})
				break
			}
			probs = append(probs, fact.Problem{File: where, Line: pe.StartLine, Msg: pe.Err.Error()})
			continue
		}
		line, _ := r.FieldPos(0)
		if len(rec) != cols {
			probs = append(probs, fact.Problem{File: where, Line: line, Msg: fmt.Sprintf("has %d fields, want %d (%s)", len(rec), cols, strings.Join(header[:cols], ","))})
			continue
		}
		for _, c := range spec.counts {
			if c >= len(rec) {
				continue
			}
			if v := strings.TrimSpace(rec[c]); v != "" && !isDigits(v) {
				probs = append(probs, fact.Problem{File: where, Line: line, Msg: fmt.Sprintf("column %s: %q is not a whole number", header[c], v)})
				continue records
			}
		}
		read = append(read, line)
		w.Write(padded(rec, len(header)))
	}
	w.Flush()
	if len(read) == 0 {
		return nil, nil, probs
	}
	bad := map[int]bool{}
	var all []T
	err = gocsv.UnmarshalWithErrorHandler(&good, func(e *csv.ParseError) bool {
		i := e.Line - 2
		bad[i] = true
		probs = append(probs, fact.Problem{File: where, Line: read[i], Msg: fmt.Sprintf("column %s: %v", header[min(max(e.Column-1, 0), len(header)-1)], e.Err)})
		return true
	}, &all)
	if err != nil {
		// Every record has a field per column: only a bug gets here.
		return nil, nil, append(probs, fact.Problem{File: where, Msg: "not a readable CSV file: " + err.Error()})
	}
	for i := range all {
		if bad[i] {
			continue
		}
		if spec.fix != nil {
			for _, msg := range spec.fix(&all[i]) {
				probs = append(probs, fact.Problem{File: where, Line: read[i], Msg: msg})
			}
		}
		if err := spec.check(&all[i]); err != nil {
			probs = append(probs, fact.Problem{File: where, Line: read[i], Msg: err.Error()})
			continue
		}
		rows = append(rows, all[i])
		lines = append(lines, read[i])
	}
	slices.SortStableFunc(probs, func(a, b fact.Problem) int { return a.Line - b.Line })
	return rows, lines, probs
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// oneOf reports v when it is none of ok.
func oneOf[T ~string](field, v string, ok []T) error {
	want := fact.Names(ok)
	if slices.Contains(want, v) {
		return nil
	}
	return fmt.Errorf("%s is %q, want one of %s", field, clip(v), strings.Join(want, ", "))
}

// texts checks one-line text fields: name, value and length bound, in turn.
func texts(fields ...any) error {
	for i := 0; i+2 < len(fields); i += 3 {
		if err := CheckText(fields[i+1].(string), fields[i+2].(int)); err != nil {
			return fmt.Errorf("%s: %w", fields[i], err)
		}
	}
	return nil
}

// Check reports the first field of d that is not valid.
func (d *Deployment) Check() error {
	if d.ID == "" {
		return errors.New("id is empty")
	}
	if err := texts("id", d.ID, MaxText, "sha", d.SHA, 100, "environment", d.Environment, MaxText, "source", d.Source, MaxText); err != nil {
		return err
	}
	if d.Time.IsZero() {
		return errors.New("time is empty, want an RFC 3339 time")
	}
	if d.SHA == "" {
		return errors.New("sha is empty")
	}
	if d.Environment == "" {
		return errors.New("environment is empty")
	}
	if err := d.ScanSeconds.Check(); err != nil {
		return fmt.Errorf("scan_seconds: %w", err)
	}
	if err := d.PipelineSeconds.Check(); err != nil {
		return fmt.Errorf("pipeline_seconds: %w", err)
	}
	for _, c := range []struct {
		name string
		n    int
	}{{"critical", d.Critical}, {"high", d.High}, {"medium", d.Medium}, {"low", d.Low}} {
		if c.n < 0 || c.n > MaxCount {
			return fmt.Errorf("%s is %d, want a count from 0 to %d", c.name, c.n, MaxCount)
		}
	}
	return oneOf("status", d.Status, fact.Statuses)
}

// Check reports the first field of in that is not valid.
func (in *Incident) Check() error {
	if in.ID == "" {
		return errors.New("id is empty")
	}
	if err := texts("id", in.ID, MaxText, "environment", in.Environment, MaxText, "commit", in.Commit, 100,
		"deployment_id", in.DeploymentID, MaxText, "cwe", in.CWE, 20, "title", in.Title, MaxText); err != nil {
		return err
	}
	if in.Opened.IsZero() {
		return errors.New("opened is empty, want an RFC 3339 time")
	}
	if in.Resolved.Valid && in.Resolved.Before(in.Opened.Time) {
		return fmt.Errorf("resolved %s is before opened %s", in.Resolved, in.Opened)
	}
	if in.Environment == "" {
		return errors.New("environment is empty")
	}
	if err := oneOf("severity", in.Severity, fact.Severities); err != nil {
		return err
	}
	return oneOf("category", in.Category, fact.Categories)
}

// fixTitle makes a title that is too long or holds control characters fit
// to show (escaped and cut, as OneLine does): the incident is still read.
func (in *Incident) fixTitle() []string {
	err := CheckText(in.Title, MaxText)
	if err == nil {
		return nil
	}
	t := OneLine(in.Title, 4*MaxText)
	if r := []rune(t); len(r) > MaxText {
		t = string(r[:MaxText-1]) + "…"
	}
	in.Title = t
	return []string{fmt.Sprintf("column title: %v; read as %q", err, clip(t))}
}

// fixSeconds reads a number of seconds that Check refuses (NaN, Inf,
// 1e308, -1: written by hand, or before they were bounded) as unknown: the
// deployment is still read, and nothing computed from it becomes infinite.
func (d *Deployment) fixSeconds() []string {
	var msgs []string
	for _, f := range []struct {
		name string
		v    *OptFloat
	}{{"scan_seconds", &d.ScanSeconds}, {"pipeline_seconds", &d.PipelineSeconds}} {
		if err := f.v.Check(); err != nil {
			msgs = append(msgs, fmt.Sprintf("column %s: %v; read as unknown", f.name, err))
			*f.v = OptFloat{}
		}
	}
	return msgs
}

// checkNow is Check, and the deployment's time is neither before 1970 nor
// after now (see CheckWhen).
func (d *Deployment) checkNow(now time.Time) error {
	if err := d.Check(); err != nil {
		return err
	}
	if err := CheckWhen(d.Time.Time, now); err != nil {
		return fmt.Errorf("time %w", err)
	}
	return nil
}

// checkNow is Check, and the incident's times are neither before 1970
// nor after now (see CheckWhen).
func (in *Incident) checkNow(now time.Time) error {
	if err := in.Check(); err != nil {
		return err
	}
	if err := CheckWhen(in.Opened.Time, now); err != nil {
		return fmt.Errorf("opened %w", err)
	}
	if in.Resolved.Valid {
		if err := CheckWhen(in.Resolved.Time.Time, now); err != nil {
			return fmt.Errorf("resolved %w", err)
		}
	}
	return nil
}
