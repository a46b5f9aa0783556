package data

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/gitdora/gitdora/fact"
	"github.com/gocarina/gocsv"
)

// CorrectionsDir holds the corrections of recorded events, one file per
// month of the correction time (docs/corrections.md).
const CorrectionsDir = "events/corrections"

// CorrectionHeader is the CSV columns of a corrections file, in order.
var CorrectionHeader = []string{"id", "time", "kind", "target", "field", "value", "reason", "author"}

// Kinds of events a correction targets.
const (
	KindDeployment = "deployment"
	KindIncident   = "incident"
	KindPull       = "pull"
)

// Kinds lists the kinds a correction may name.
var Kinds = []string{KindDeployment, KindIncident, KindPull}

// FieldVoid is the field of a correction that voids its target: the event
// then counts nowhere, and no later correction of it applies.
const FieldVoid = "void"

// Correction is one row of events/corrections/YYYY-MM.csv: an amendment
// of one field of a recorded event (Field a column of its CSV, Value its
// new content as that column holds it), or its void (Field "void", no
// Value). Recorded events are never rewritten: readers apply corrections.
type Correction struct {
	ID     string `csv:"id"`
	Time   Time   `csv:"time"`
	Kind   string `csv:"kind"`
	Target string `csv:"target"`
	Field  string `csv:"field"`
	Value  string `csv:"value"`
	Reason string `csv:"reason"`
	Author string `csv:"author"`
}

// CorrectionFile is the CSV that holds a correction made at t.
func CorrectionFile(t time.Time) string {
	return path.Join(CorrectionsDir, t.Format("2006-01")+".csv")
}

// Columns are the fields a correction of kind may amend: the columns of
// its event CSV except id; nil for a kind with no event type.
func Columns(kind string) []string {
	switch kind {
	case KindDeployment:
		return DeploymentHeader[1:]
	case KindIncident:
		return IncidentHeader[1:]
	case KindPull:
		return PullHeader[1:]
	}
	return nil
}

// Header is the CSV header of the event file of kind (its id first); nil
// for a kind with no event type.
func Header(kind string) []string {
	switch kind {
	case KindDeployment:
		return DeploymentHeader
	case KindIncident:
		return IncidentHeader
	case KindPull:
		return PullHeader
	}
	return nil
}

// Check reports the first field of c that is not valid.
func (c *Correction) Check() error {
	switch {
	case c.ID == "":
		return errors.New("id is empty")
	case c.Time.IsZero():
		return errors.New("time is empty, want an RFC 3339 time")
	case c.Target == "":
		return errors.New("target is empty")
	case strings.TrimSpace(c.Reason) == "":
		return errors.New("reason is empty: every correction says why")
	}
	if err := oneOf("kind", c.Kind, Kinds); err != nil {
		return err
	}
	if c.Field == FieldVoid {
		if c.Value != "" {
			return fmt.Errorf("a void has no value, got %q", clip(c.Value))
		}
		return nil
	}
	if c.Field == "id" {
		return errors.New("field is id: an event's id is not amended (void it and record it again)")
	}
	if !slices.Contains(Columns(c.Kind), c.Field) {
		return fmt.Errorf("field is %q, want void or one of %s", clip(c.Field), strings.Join(Columns(c.Kind), ", "))
	}
	return nil
}

// CorrectionID is the id of a correction with c's content: the same
// correction made twice (a retried push) has the same id, so it is
// written once.
func CorrectionID(c Correction) string {
	h := sha256.New()
	for _, s := range []string{c.Time.String(), c.Kind, c.Target, c.Field, c.Value, c.Reason, c.Author} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "c-" + hex.EncodeToString(h.Sum(nil))[:16]
}

// Corrections reads every correction, in file order. Rows that cannot be
// read are left out and reported; the rest is read.
func (s *Store) Corrections() ([]Correction, []fact.Problem, error) {
	return readEvents(s, CorrectionsDir, correctionRows)
}

// correctionRows says how the rows of a corrections file are read.
var correctionRows = rowSpec[Correction]{header: CorrectionHeader, check: (*Correction).Check, id: func(c *Correction) string { return c.ID }}

// AppendCorrection appends c to the CSV of its month, after checking it.
// It writes nothing and returns false when a correction with c's id is
// already recorded.
func (tx *Tx) AppendCorrection(c Correction) (added bool, err error) {
	if err := c.Check(); err != nil {
		return false, fmt.Errorf("correction of %s %q: %w", c.Kind, c.Target, err)
	}
	return appendEvent(tx, CorrectionsDir, CorrectionFile(c.Time.Time), CorrectionHeader, c.ID, c)
}

// Outcome is what applying one correction did.
type Outcome struct {
	Correction
	// Applied says the correction took effect; otherwise Problem says why not.
	Applied bool
	Problem string
}

// Recorded are the events of the data branch as recorded, before any
// correction: what corrections apply to.
type Recorded struct {
	Deployments []Deployment
	Incidents   []Incident
	Pulls       []Pull
}

// Corrected are the recorded events with every correction applied: the
// voided ones left out, the amended ones as amended.
type Corrected struct {
	Deployments []Deployment
	Incidents   []Incident
	Pulls       []Pull
	// Outcomes are the corrections in the order they were applied (by
	// time, then as read), each with what it did.
	Outcomes []Outcome
	// Voided and Amended map a kind to the ids of its events voided, and
	// amended (and not voided).
	Voided, Amended map[string]map[string]bool
	// Original maps a kind and an id to the event (Deployment, Incident
	// or Pull) as it was recorded, for the events a correction applied to.
	Original map[string]map[string]any
}

// Correct applies the corrections cs to the recorded deployments and
// incidents, as Recorded.Correct does (with no pull recorded).
func Correct(deps []Deployment, incs []Incident, cs []Correction) Corrected {
	return Recorded{Deployments: deps, Incidents: incs}.Correct(cs)
}

// Correct applies the corrections cs to the recorded events r, in time
// order (the latest correction of a field wins; corrections of the same
// time in the order given): a void takes an event out and is final; an
// amendment replaces one field, read as the CSV column is read, and
// applies only when the corrected event is still valid, its times from
// 1970 to now (see CheckWhen). A correction
// that does not apply (an unknown target, after a void, a value the
// column does not take) is kept in Outcomes with its problem. r is not
// changed.
func (r Recorded) Correct(cs []Correction) Corrected {
	order := slices.Clone(cs)
	slices.SortStableFunc(order, func(a, b Correction) int { return a.Time.Compare(b.Time.Time) })
	out := Corrected{
		Voided:   map[string]map[string]bool{KindDeployment: {}, KindIncident: {}, KindPull: {}},
		Amended:  map[string]map[string]bool{KindDeployment: {}, KindIncident: {}, KindPull: {}},
		Original: map[string]map[string]any{KindDeployment: {}, KindIncident: {}, KindPull: {}},
	}
	out.Outcomes = make([]Outcome, len(order))
	for i, c := range order {
		out.Outcomes[i] = Outcome{Correction: c}
	}
	now := Now()
	out.Deployments = correct(r.Deployments, KindDeployment, DeploymentHeader, func(d *Deployment) error { return d.checkNow(now) }, &out)
	out.Incidents = correct(r.Incidents, KindIncident, IncidentHeader, func(in *Incident) error { return in.checkNow(now) }, &out)
	out.Pulls = correct(r.Pulls, KindPull, PullHeader, func(p *Pull) error { return p.checkNow(now) }, &out)
	return out
}

// eventID is the id of an event row (its first column).
func eventID[T any](row *T) string {
	switch r := any(row).(type) {
	case *Deployment:
		return r.ID
	case *Incident:
		return r.ID
	case *Pull:
		return r.ID
	}
	return ""
}

func correct[T any](rows []T, kind string, header []string, check func(*T) error, out *Corrected) []T {
	rows = slices.Clone(rows)
	at := map[string]int{}
	for i := range rows {
		if _, dup := at[eventID(&rows[i])]; !dup {
			at[eventID(&rows[i])] = i
		}
	}
	voided := out.Voided[kind]
	for i := range out.Outcomes {
		o := &out.Outcomes[i]
		if o.Kind != kind {
			continue
		}
		j, ok := at[o.Target]
		switch {
		case !ok:
			o.Problem = fmt.Sprintf("no %s with id %s is recorded", kind, o.Target)
			continue
		case voided[o.Target]:
			o.Problem = fmt.Sprintf("%s %s was voided before (a void is final)", kind, o.Target)
			continue
		}
		keep := func() {
			if _, kept := out.Original[kind][o.Target]; !kept {
				out.Original[kind][o.Target] = rows[j]
			}
		}
		if o.Field == FieldVoid {
			keep()
			voided[o.Target] = true
			delete(out.Amended[kind], o.Target)
			o.Applied = true
			continue
		}
		row, err := SetColumn(rows[j], header, o.Field, o.Value)
		if err == nil {
			err = check(&row)
		}
		if err != nil {
			o.Problem = fmt.Sprintf("%s %s: %v", kind, o.Target, err)
			continue
		}
		keep()
		rows[j] = row
		out.Amended[kind][o.Target] = true
		o.Applied = true
	}
	if len(voided) == 0 {
		return rows
	}
	kept := rows[:0]
	for i := range rows {
		if !voided[eventID(&rows[i])] {
			kept = append(kept, rows[i])
		}
	}
	return kept
}

// SetColumn returns row with the CSV column field set to value, read as
// a reader of the event file reads that column (header names the
// columns of T's file).
func SetColumn[T any](row T, header []string, field, value string) (T, error) {
	col := slices.Index(header, field)
	if col < 0 {
		return row, fmt.Errorf("no column %s (want one of %s)", field, strings.Join(header[1:], ", "))
	}
	var line bytes.Buffer
	if err := gocsv.MarshalWithoutHeaders([]T{row}, &line); err != nil {
		return row, err
	}
	rec, err := csv.NewReader(&line).Read()
	if err != nil || len(rec) != len(header) {
		return row, fmt.Errorf("re-encode the row: %v", err)
	}
	rec[col] = value
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(header)
	w.Write(rec)
	w.Flush()
	got, _, probs := decodeRows(b.Bytes(), "", rowSpec[T]{header: header, counts: countColumns(header), check: func(*T) error { return nil }})
	if len(probs) > 0 {
		msg := probs[0].Msg
		msg = strings.TrimPrefix(msg, "column "+field+": ")
		return row, fmt.Errorf("%s: %s", field, msg)
	}
	if len(got) != 1 {
		return row, fmt.Errorf("%s: %q is not a value of the column", field, value)
	}
	return got[0], nil
}

// Column is the content of the CSV column field of row, as its file
// holds it.
func Column[T any](row T, header []string, field string) (string, error) {
	col := slices.Index(header, field)
	if col < 0 {
		return "", fmt.Errorf("no column %s", field)
	}
	var line bytes.Buffer
	if err := gocsv.MarshalWithoutHeaders([]T{row}, &line); err != nil {
		return "", err
	}
	rec, err := csv.NewReader(&line).Read()
	if err != nil || len(rec) != len(header) {
		return "", fmt.Errorf("re-encode the row: %v", err)
	}
	return rec[col], nil
}

// Events reads, inside a write, the recorded deployments, incidents and
// pulls with the corrections of the tip (and what was staged) applied,
// so that a new correction is checked against what readers see.
func (tx *Tx) Events() (Corrected, error) {
	r, cs, err := tx.Recorded()
	if err != nil {
		return Corrected{}, err
	}
	return r.Correct(cs), nil
}

// Recorded reads, inside a write, the recorded events and the
// corrections, as the transaction sees them (the tip and what is
// staged); unreadable rows are left out, as readers leave them out.
func (tx *Tx) Recorded() (Recorded, []Correction, error) {
	var r Recorded
	var err error
	now := Now()
	if r.Deployments, err = txEvents(tx, DeploymentsDir, deploymentRows, (*Deployment).checkNow, now); err != nil {
		return r, nil, err
	}
	if r.Incidents, err = txEvents(tx, IncidentsDir, incidentRows, (*Incident).checkNow, now); err != nil {
		return r, nil, err
	}
	if r.Pulls, err = txEvents(tx, PullsDir, pullRows, (*Pull).checkNow, now); err != nil {
		return r, nil, err
	}
	cs, err := txEvents(tx, CorrectionsDir, correctionRows, nil, now)
	return r, cs, err
}

// txEvents reads the rows of the event CSVs under dir as a transaction
// sees them; rows readers leave out (unreadable, dated before 1970 or
// after now by checkNow when given, an id an earlier row has) are left
// out here too.
func txEvents[T any](tx *Tx, dir string, spec rowSpec[T], checkNow func(*T, time.Time) error, now time.Time) ([]T, error) {
	if checkNow != nil {
		spec.check = func(row *T) error { return checkNow(row, now) }
	}
	files, err := tx.List(dir)
	if err != nil {
		return nil, err
	}
	var all []T
	seen := map[string]bool{}
	for _, f := range files {
		if !strings.HasSuffix(f, ".csv") {
			continue
		}
		b, err := tx.cachedRead(f)
		if err != nil {
			return nil, err
		}
		rows, _, _ := decodeRows(b, tx.where(f), spec)
		for i := range rows {
			if id := spec.id(&rows[i]); !seen[id] {
				seen[id] = true
				all = append(all, rows[i])
			}
		}
	}
	return all, nil
}

// Find returns the event of kind with id as the corrected events hold it,
// and whether it was voided; ok is false when no such event is recorded.
func (c *Corrected) Find(kind, id string) (row any, voided, ok bool) {
	if c.Voided[kind][id] {
		return c.Original[kind][id], true, true
	}
	switch kind {
	case KindDeployment:
		for i := range c.Deployments {
			if c.Deployments[i].ID == id {
				return c.Deployments[i], false, true
			}
		}
	case KindIncident:
		for i := range c.Incidents {
			if c.Incidents[i].ID == id {
				return c.Incidents[i], false, true
			}
		}
	case KindPull:
		for i := range c.Pulls {
			if c.Pulls[i].ID == id {
				return c.Pulls[i], false, true
			}
		}
	}
	return nil, false, false
}

// ErrVoided is the error of a correction, or a resolution, of an event
// that was voided: a void is final.
var ErrVoided = errors.New("it was voided, and a void is final")

// ResolveIncident resolves the recorded incident id at resolved, when it
// is open as readers see it (corrections applied), by appending a
// correction of its resolved column; c gives the correction's time,
// reason and author. It returns whether it appended one, and the
// incident as readers saw it before. A voided incident is an error that
// matches ErrVoided.
func (tx *Tx) ResolveIncident(id string, resolved Time, c Correction) (added bool, was Incident, err error) {
	ev, err := tx.Events()
	if err != nil {
		return false, Incident{}, err
	}
	row, voided, ok := ev.Find(KindIncident, id)
	if !ok {
		return false, Incident{}, nil
	}
	was, _ = row.(Incident)
	if voided {
		return false, was, fmt.Errorf("incident %s: %w", id, ErrVoided)
	}
	if was.Resolved.Valid {
		return false, was, nil
	}
	c.Kind, c.Target, c.Field, c.Value = KindIncident, id, "resolved", resolved.String()
	corrected, err := SetColumn(was, IncidentHeader, c.Field, c.Value)
	if err == nil {
		err = corrected.checkNow(Now())
	}
	if err != nil {
		return false, was, fmt.Errorf("incident %s: %w", id, err)
	}
	c.ID = CorrectionID(c)
	added, err = tx.AppendCorrection(c)
	return added, was, err
}
