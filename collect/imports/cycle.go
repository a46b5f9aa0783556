package imports

import "time"

// Stages are the cycle-time stages of a pull request (docs/import.md);
// a stage is nil when a time it needs is not known, or when it would be
// negative (a review while still a draft, rewritten commit dates).
type Stages struct {
	Coding *time.Duration // first commit → ready for review
	Pickup *time.Duration // ready → first review by another person
	Review *time.Duration // first review → merged
}

// Cycle computes the stages of p.
func Cycle(p Pull) Stages {
	return Stages{
		Coding: span(p.FirstCommit, p.Ready),
		Pickup: span(p.Ready, p.FirstReview),
		Review: span(p.FirstReview, p.Merged),
	}
}

// span is to − from, nil when either is zero or to is before from.
func span(from, to time.Time) *time.Duration {
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return nil
	}
	d := to.Sub(from)
	return &d
}
