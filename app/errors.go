package app

import (
	"fmt"

	"github.com/gitdora/gitdora/fact"
)

// InputError is a request value that cannot be used: Input names the
// request field as the user gave it (rules, echarts-js, webhook), so that
// the command line can name its flag.
type InputError struct {
	Input string
	Err   error
}

func (e *InputError) Error() string { return e.Input + ": " + e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// ProblemsError is skipped input in a strict request.
type ProblemsError struct {
	Problems []fact.Problem
}

func (e *ProblemsError) Error() string {
	return fmt.Sprintf("%d input problem(s) in a strict run; first: %s", len(e.Problems), e.Problems[0])
}

// AlertsFiring is the outcome of an alerts request with FailOn when an
// alert of that severity or worse fires.
type AlertsFiring struct {
	Count    int
	Severity string
}

func (e *AlertsFiring) Error() string {
	return fmt.Sprintf("%d alert(s) at or above %s firing", e.Count, e.Severity)
}
