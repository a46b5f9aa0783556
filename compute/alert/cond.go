package alert

import (
	"fmt"

	"github.com/gitdora/gitdora/compute"
	"github.com/gitdora/gitdora/config"
)

// metricNames are the names a condition may use: those of compute.Metrics.
var metricNames = func() []string {
	out := make([]string, len(compute.Metrics))
	for i, m := range compute.Metrics {
		out[i] = m.Name
	}
	return out
}()

// Parse reads a condition over the metrics of compute.Metrics (see
// config.ParseCondition). An error is a *config.CondError.
func Parse(cond string) (config.Expr, error) { return config.ParseCondition(cond, metricNames) }

// Holds reports whether x meets the comparison c. NaN meets none.
func Holds(c *config.Compare, x float64) bool { return compute.Compare(x, c.Op, c.Value) }

// holds evaluates a condition over the values of its operands (nil:
// unknown, which meets no comparison).
func holds(e config.Expr, values func(config.Operand) *float64) bool {
	switch e := e.(type) {
	case *config.Or:
		return holds(e.L, values) || holds(e.R, values)
	case *config.And:
		return holds(e.L, values) && holds(e.R, values)
	case *config.Compare:
		x := values(e.Operand)
		return x != nil && Holds(e, *x)
	}
	return false
}

// condError is a mistake in the condition of a rule, at a column of it.
type condError struct {
	cond string
	err  *config.CondError
}

func (e *condError) Error() string {
	return fmt.Sprintf("condition %q, column %d: %s", e.cond, e.err.Column, e.err.Msg)
}

func (e *condError) Unwrap() error { return e.err }
