package data

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/gitdora/gitdora/fact"
	"github.com/gocarina/gocsv"
)

// Deployments reads every deployment event, in file order. Rows that
// cannot be read are left out and reported; the rest is read.
func (s *Store) Deployments() ([]Deployment, []fact.Problem, error) {
	return readEvents(s, DeploymentsDir, DeploymentHeader, (*Deployment).Check)
}

// Incidents reads every incident event, in file order. Rows that cannot be
// read are left out and reported; the rest is read.
func (s *Store) Incidents() ([]Incident, []fact.Problem, error) {
	return readEvents(s, IncidentsDir, IncidentHeader, (*Incident).Check)
}

func readEvents[T any](s *Store, dir string, header []string, check func(*T) error) ([]T, []fact.Problem, error) {
	files, err := s.List(dir)
	if err != nil {
		return nil, nil, err
	}
	var all []T
	var probs []fact.Problem
	for _, f := range files {
		if !strings.HasSuffix(f, ".csv") {
			continue
		}
		b, err := s.ReadFile(f)
		if err != nil {
			return nil, nil, err
		}
		rows, p := decodeRows(b, s.Where(f), header, check)
		all = append(all, rows...)
		probs = append(probs, p...)
	}
	return all, probs, nil
}

// decodeRows decodes one event CSV, leaving out and reporting rows that
// are not CSV, do not have one field per column, do not parse or do not
// pass check; every other row is read. Problems name the row's first line
// in the file.
func decodeRows[T any](b []byte, where string, header []string, check func(*T) error) ([]T, []fact.Problem) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, nil
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1 // checked here, row by row
	got, err := r.Read()
	cols := len(header)
	if err == nil && olderHeader(got, header) {
		cols = len(got) // a file an older gitdora wrote: the missing columns are empty
	} else if err != nil || !slices.Equal(got, header) {
		first, _, _ := bytes.Cut(b, []byte("\n"))
		return nil, []fact.Problem{{File: where, Line: 1, Msg: fmt.Sprintf("header is %q, want %q", string(bytes.TrimSpace(first)), strings.Join(header, ","))}}
	}
	// The good records go to gocsv re-encoded, one after another: its
	// record index i stands for lines[i].
	var probs []fact.Problem
	var lines []int
	var good bytes.Buffer
	w := csv.NewWriter(&good)
	w.Write(header)
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
		lines = append(lines, line)
		w.Write(padded(rec, len(header)))
	}
	w.Flush()
	if len(lines) == 0 {
		return nil, probs
	}
	bad := map[int]bool{}
	var rows []T
	err = gocsv.UnmarshalWithErrorHandler(&good, func(e *csv.ParseError) bool {
		i := e.Line - 2
		bad[i] = true
		probs = append(probs, fact.Problem{File: where, Line: lines[i], Msg: fmt.Sprintf("column %s: %v", header[min(max(e.Column-1, 0), len(header)-1)], e.Err)})
		return true
	}, &rows)
	if err != nil {
		// Every record has a field per column: only a bug gets here.
		return nil, append(probs, fact.Problem{File: where, Msg: "not a readable CSV file: " + err.Error()})
	}
	out := rows[:0]
	for i := range rows {
		if bad[i] {
			continue
		}
		if err := check(&rows[i]); err != nil {
			probs = append(probs, fact.Problem{File: where, Line: lines[i], Msg: err.Error()})
			continue
		}
		out = append(out, rows[i])
	}
	slices.SortStableFunc(probs, func(a, b fact.Problem) int { return a.Line - b.Line })
	return out, probs
}

// oneOf reports v when it is none of ok.
func oneOf[T ~string](field, v string, ok []T) error {
	want := fact.Names(ok)
	if slices.Contains(want, v) {
		return nil
	}
	return fmt.Errorf("%s is %q, want one of %s", field, v, strings.Join(want, ", "))
}

// Check reports the first field of d that is not valid.
func (d *Deployment) Check() error {
	if d.ID == "" {
		return errors.New("id is empty")
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
	if d.Critical < 0 || d.High < 0 || d.Medium < 0 || d.Low < 0 {
		return errors.New("finding counts must not be negative")
	}
	return oneOf("status", d.Status, fact.Statuses)
}

// Check reports the first field of in that is not valid.
func (in *Incident) Check() error {
	if in.ID == "" {
		return errors.New("id is empty")
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
