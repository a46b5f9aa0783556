package data

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DeploymentHeader and IncidentHeader are the CSV columns of the event files, in order.
// A file written by an older gitdora has fewer (a prefix of these): its
// missing trailing columns read as empty.
var (
	DeploymentHeader = []string{"id", "time", "sha", "environment", "status", "scan_seconds", "pipeline_seconds", "gate_blocked", "critical", "high", "medium", "low", "source", "service"}
	IncidentHeader   = []string{"id", "opened", "resolved", "severity", "category", "environment", "commit", "deployment_id", "cwe", "title", "service", "source"}
)

// Deployment is one row of events/deployments/YYYY-MM.csv.
type Deployment struct {
	ID              string   `csv:"id"`
	Time            Time     `csv:"time"`
	SHA             string   `csv:"sha"`
	Environment     string   `csv:"environment"`
	Status          string   `csv:"status"`
	ScanSeconds     OptFloat `csv:"scan_seconds"`
	PipelineSeconds OptFloat `csv:"pipeline_seconds"`
	GateBlocked     bool     `csv:"gate_blocked"`
	Critical        int      `csv:"critical"`
	High            int      `csv:"high"`
	Medium          int      `csv:"medium"`
	Low             int      `csv:"low"`
	Source          string   `csv:"source"`
	Service         string   `csv:"service"` // "" deploys the whole repository (docs/services.md)
}

// Incident is one row of events/incidents/YYYY-MM.csv.
type Incident struct {
	ID           string  `csv:"id"`
	Opened       Time    `csv:"opened"`
	Resolved     OptTime `csv:"resolved"`
	Severity     string  `csv:"severity"`
	Category     string  `csv:"category"`
	Environment  string  `csv:"environment"`
	Commit       string  `csv:"commit"`
	DeploymentID string  `csv:"deployment_id"`
	CWE          string  `csv:"cwe"`
	Title        string  `csv:"title"`
	Service      string  `csv:"service"` // "" belongs to the services of its deployment (docs/services.md)
	Source       string  `csv:"source"`  // what recorded it: "" by hand, an importer's name
}

// Time is an instant that keeps the RFC 3339 text it was given as, so a
// row is written back exactly as recorded while comparisons use the instant.
type Time struct {
	time.Time
	text string
}

// ParseTime parses an RFC 3339 time with an offset.
func ParseTime(s string) (Time, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return Time{}, fmt.Errorf("%q is not an RFC 3339 time with an offset (want e.g. 2026-01-31T23:30:00Z)", clip(s))
	}
	return Time{Time: t, text: s}, nil
}

// NewTime returns t as a Time written in RFC 3339.
func NewTime(t time.Time) Time { return Time{Time: t, text: t.Format(time.RFC3339)} }

// String returns the time as it was given.
func (t Time) String() string {
	if t.text == "" && !t.IsZero() {
		return t.Format(time.RFC3339)
	}
	return t.text
}

// MarshalCSV implements gocsv.TypeMarshaller.
func (t Time) MarshalCSV() (string, error) { return t.String(), nil }

// UnmarshalCSV implements gocsv.TypeUnmarshaller.
func (t *Time) UnmarshalCSV(s string) error {
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// OptTime is a Time that may be absent (an empty CSV field).
type OptTime struct {
	Time
	Valid bool
}

// MarshalCSV implements gocsv.TypeMarshaller.
func (t OptTime) MarshalCSV() (string, error) {
	if !t.Valid {
		return "", nil
	}
	return t.String(), nil
}

// UnmarshalCSV implements gocsv.TypeUnmarshaller.
func (t *OptTime) UnmarshalCSV(s string) error {
	if strings.TrimSpace(s) == "" {
		*t = OptTime{}
		return nil
	}
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	*t = OptTime{Time: v, Valid: true}
	return nil
}

// OptFloat is a number that may be unknown (an empty CSV field).
type OptFloat struct {
	Value float64
	Valid bool
}

// Float returns a known number.
func Float(v float64) OptFloat { return OptFloat{Value: v, Valid: true} }

// MarshalCSV implements gocsv.TypeMarshaller.
func (f OptFloat) MarshalCSV() (string, error) {
	if !f.Valid {
		return "", nil
	}
	return strconv.FormatFloat(f.Value, 'f', -1, 64), nil
}

// UnmarshalCSV implements gocsv.TypeUnmarshaller. Any number is read,
// even one that Check refuses (NaN, Inf, 1e400, -1): readers then say
// what they make of it. Text that is not a number is an error.
func (f *OptFloat) UnmarshalCSV(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		*f = OptFloat{}
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return fmt.Errorf("%q is not a number", clip(s))
	}
	*f = Float(v)
	return nil
}

// Bounds of the figures events record.
const (
	// MaxSeconds bounds a number of seconds: a year (366 days).
	MaxSeconds = 366 * 24 * 60 * 60
	// MaxCount bounds a count of findings.
	MaxCount = 1_000_000_000
)

// Check reports a known number of seconds that is not from 0 to
// MaxSeconds: negative, larger (1e308 made every later sum infinite),
// infinite or not a number (NaN, which compares false to everything,
// fails v >= 0).
func (f OptFloat) Check() error {
	if f.Valid && !(f.Value >= 0 && f.Value <= MaxSeconds) {
		return fmt.Errorf("%v is not a number of seconds from 0 to %d (a year)", f.Value, MaxSeconds)
	}
	return nil
}
