package app

import (
	"fmt"

	"github.com/gitdora/gitdora/fact"
)

// InputError is a request value that cannot be used: Input names the
// request field as the user gave it (rules, echarts-js, webhook), so that
// the command line can name its flag. It is the one type of the layers
// below, fact.InputError.
type InputError = fact.InputError

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
