package data

import (
	"errors"
	"fmt"
	"path"
	"time"

	"github.com/gitdora/gitdora/fact"
)

// PullsDir holds the pull and merge requests (docs/import.md), one file
// per month of their opening.
const PullsDir = "events/pulls"

// PullHeader is the CSV columns of a pulls file, in order.
var PullHeader = []string{"id", "number", "opened", "ready", "first_commit", "first_review", "approved", "merged", "merge_sha", "head_sha", "author", "draft", "source"}

// Pull is one row of events/pulls/YYYY-MM.csv: a pull request (GitHub) or
// merge request (GitLab) with the times its cycle-time stages run between.
type Pull struct {
	ID          string  `csv:"id"`
	Number      int64   `csv:"number"`
	Opened      Time    `csv:"opened"`
	Ready       OptTime `csv:"ready"` // left draft, else opened; empty while a draft
	FirstCommit OptTime `csv:"first_commit"`
	FirstReview OptTime `csv:"first_review"`
	Approved    OptTime `csv:"approved"`
	Merged      OptTime `csv:"merged"`
	MergeSHA    string  `csv:"merge_sha"`
	HeadSHA     string  `csv:"head_sha"`
	Author      string  `csv:"author"`
	Draft       bool    `csv:"draft"`
	Source      string  `csv:"source"`
}

// PullFile is the CSV that holds a pull opened at t.
func PullFile(t time.Time) string { return path.Join(PullsDir, t.Format("2006-01")+".csv") }

// Pulls reads every pull, in file order. Rows that cannot be read are
// left out and reported (a time before 1970 or in the future included),
// and so are rows whose id an earlier row has; the rest is read.
func (s *Store) Pulls() ([]Pull, []fact.Problem, error) {
	spec := pullRows
	now := Now()
	spec.check = func(p *Pull) error { return p.checkNow(now) }
	return readEvents(s, PullsDir, spec)
}

// Check reports the first field of p that is not valid.
func (p *Pull) Check() error {
	if p.ID == "" {
		return errors.New("id is empty")
	}
	if err := texts("id", p.ID, MaxText, "source", p.Source, MaxText); err != nil {
		return err
	}
	if p.Number < 0 {
		return fmt.Errorf("number %d is negative", p.Number)
	}
	if p.Opened.IsZero() {
		return errors.New("opened is empty, want an RFC 3339 time")
	}
	if p.MergeSHA != "" && !IsFullHash(p.MergeSHA) {
		return fmt.Errorf("merge_sha %q is not a full commit hash", p.MergeSHA)
	}
	if p.HeadSHA != "" && !IsFullHash(p.HeadSHA) {
		return fmt.Errorf("head_sha %q is not a full commit hash", p.HeadSHA)
	}
	if err := CheckText(p.Author, 255); err != nil {
		return fmt.Errorf("author: %w", err)
	}
	return nil
}

// AppendPull appends p to the CSV of the month it opened in, after
// checking it (its times too: not before 1970, not in the future). It
// writes nothing and returns false when a pull with p's id is already
// recorded in any month's file.
func (tx *Tx) AppendPull(p Pull) (added bool, err error) {
	if err := p.checkNow(Now()); err != nil {
		return false, fmt.Errorf("pull %q: %w", p.ID, err)
	}
	return appendEvent(tx, PullsDir, PullFile(p.Opened.Time), PullHeader, p.ID, p)
}

// pullRows reads events/pulls.
var pullRows = rowSpec[Pull]{header: PullHeader, check: (*Pull).Check, id: func(p *Pull) string { return p.ID }}

// checkNow is Check, and the pull's times are neither before 1970 nor
// after now (see CheckWhen).
func (p *Pull) checkNow(now time.Time) error {
	if err := p.Check(); err != nil {
		return err
	}
	if err := CheckWhen(p.Opened.Time, now); err != nil {
		return fmt.Errorf("opened %w", err)
	}
	for _, t := range []struct {
		name string
		v    OptTime
	}{{"ready", p.Ready}, {"first_commit", p.FirstCommit}, {"first_review", p.FirstReview}, {"approved", p.Approved}, {"merged", p.Merged}} {
		if t.v.Valid {
			if err := CheckWhen(t.v.Time.Time, now); err != nil {
				return fmt.Errorf("%s %w", t.name, err)
			}
		}
	}
	return nil
}
