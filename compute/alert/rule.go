package alert

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gitdora/gitdora/config"
)

// Severities of alerts, least severe first.
const (
	Info     = "info"
	Warning  = "warning"
	Critical = "critical"
)

// Severities lists the severities a rule may have, least severe first.
var Severities = []string{Info, Warning, Critical}

// SeverityRank orders severities: info 1, warning 2, critical 3, else 0.
func SeverityRank(s string) int {
	for i, v := range Severities {
		if s == v {
			return i + 1
		}
	}
	return 0
}

// Day is the spacing of evaluation points.
const Day = 24 * time.Hour

// Rule is a checked alert rule, ready to evaluate.
type Rule struct {
	Name     string
	Severity string // info, warning or critical (default warning)
	Message  string // default: the condition and its for
	Cond     config.Expr
	For      time.Duration // how long the condition must hold
	Window   time.Duration // span each metric is computed over (default For)
	Source   config.AlertRule
}

// Points is the number of daily evaluation points in For: ceil(For / 24h).
func (r *Rule) Points() int { return int((r.For + Day - 1) / Day) }

// Compile checks every rule and returns them ready to evaluate, or an
// error with one line per bad rule (its first mistake), each naming the
// file, the line, the rule and, for a condition, the column in it.
func Compile(rules []config.AlertRule) ([]Rule, error) {
	out := make([]Rule, 0, len(rules))
	var errs []error
	seen := map[string]int{}
	for i := range rules {
		src := &rules[i]
		r, line, err := compileRule(src)
		if err == nil {
			if prev, dup := seen[src.Name]; dup {
				line, err = src.LineOf("name"), fmt.Errorf("another rule of this name is at line %d", prev)
			}
			seen[src.Name] = src.Line
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: line %d: %s: %w", src.File, line, src.Label(), err))
			continue
		}
		out = append(out, r)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// compileRule checks one rule; an error comes with the line it is about.
func compileRule(src *config.AlertRule) (Rule, int, error) {
	if src.Name == "" {
		return Rule{}, src.Line, errors.New("name is missing (every rule needs a unique name)")
	}
	if strings.TrimSpace(src.Condition) == "" {
		return Rule{}, src.Line, errors.New("condition is missing (want e.g. condition: deployments_per_day < 1)")
	}
	cond, err := Parse(src.Condition)
	if err != nil {
		line := src.CondAt.Line
		if line == 0 {
			line = src.Line
		}
		var ce *config.CondError
		if errors.As(err, &ce) {
			return Rule{}, line, &condError{src.Condition, ce}
		}
		return Rule{}, line, fmt.Errorf("condition %q: %v", src.Condition, err)
	}
	if src.For <= 0 {
		return Rule{}, src.Line, errors.New("for is missing (want how long the condition must hold, e.g. for: 7d)")
	}
	sev := src.Severity
	if sev == "" {
		sev = Warning
	}
	if SeverityRank(sev) == 0 {
		return Rule{}, src.LineOf("severity"), fmt.Errorf("severity %q is not one of %s", src.Severity, strings.Join(Severities, ", "))
	}
	r := Rule{Name: src.Name, Severity: sev, Message: src.Message, Cond: cond, For: src.For.D(), Window: src.Window.D(), Source: *src}
	if r.Window == 0 {
		r.Window = r.For
	}
	if r.Message == "" {
		r.Message = strings.TrimSpace(src.Condition) + " for " + config.FormatDuration(r.For)
	}
	return r, 0, nil
}

// CompileFile reads a rules file (config.ParseRules: an alerts: list or a
// bare list) and compiles its rules. name is used in messages.
func CompileFile(b []byte, name string) ([]Rule, error) {
	rs, err := config.ParseRules(b, name)
	if err != nil {
		return nil, err
	}
	return Compile(rs)
}
