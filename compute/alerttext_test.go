package compute

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/config"
)

// Each default alert rule's message says what its condition says — the
// direction and the number, in the units a reader sees — and claims no
// benchmark class or target, so it stays true whichever benchmark is in
// use (dora-2023, dora-2021) and whatever the targets. And each default
// rule agrees with the default target of its metric: it fires only when
// that target is missed.
func TestDefaultAlertTextsAgree(t *testing.T) {
	cfg := config.Default()
	names := make([]string, len(Metrics))
	for i, m := range Metrics {
		names[i] = m.Name
	}
	claims := regexp.MustCompile(`(?i)\b(dora|elite|benchmark|target)\b`)
	if len(cfg.Alerts) == 0 {
		t.Fatal("no default alert rules")
	}
	for _, r := range cfg.Alerts {
		if r.Message == "" {
			t.Errorf("%s: no message", r.Name)
			continue
		}
		if m := claims.FindString(r.Message); m != "" {
			t.Errorf("%s: message %q names %q: true of one benchmark or one set of targets only", r.Name, r.Message, m)
		}
		e, err := config.ParseCondition(r.Condition, names)
		if err != nil {
			t.Fatalf("%s: %v", r.Name, err)
		}
		for _, c := range config.Compares(e) {
			shown, unit := c.Value, ""
			switch {
			case c.Operand.Change > 0, strings.HasSuffix(c.Operand.Metric, "_pct"):
				unit = "%"
			case strings.HasSuffix(c.Operand.Metric, "_rate"):
				shown, unit = 100*c.Value, "%"
			case strings.HasSuffix(c.Operand.Metric, "_hours"):
				unit = "hour"
			}
			num := strconv.FormatFloat(shown, 'f', -1, 64)
			says := regexp.MustCompile(`(^|[^0-9.])` + regexp.QuoteMeta(num) + `\s*` + regexp.QuoteMeta(unit))
			if shown == 1 && unit == "" {
				says = regexp.MustCompile(`(?i)\b(1|one)\b`)
			}
			if !says.MatchString(r.Message) {
				t.Errorf("%s: message %q does not say %s %s (condition %s)", r.Name, r.Message, num, unit, c)
			}
			dir := map[string]string{">": `(?i)\b(above|more than|over)\b`, ">=": `(?i)\b(above|more than|over|at least)\b`,
				"<": `(?i)\b(below|fewer than|less than|under)\b`, "<=": `(?i)\b(below|fewer than|less than|under|at most)\b`}[c.Op]
			if dir == "" || !regexp.MustCompile(dir).MatchString(r.Message) {
				t.Errorf("%s: message %q does not say the direction of %s", r.Name, r.Message, c)
			}
			if c.Operand.Change > 0 {
				continue
			}
			target, ok := cfg.Targets[c.Operand.Metric]
			if !ok {
				continue
			}
			op, v, err := config.ParseTarget(target)
			if err != nil {
				t.Fatal(err)
			}
			// The rule holds only where the target is missed.
			missed := (c.Op == ">" || c.Op == ">=") && (op == "<" || op == "<=") && c.Value >= v ||
				(c.Op == "<" || c.Op == "<=") && (op == ">" || op == ">=") && c.Value <= v
			if !missed {
				t.Errorf("%s: condition %s can hold where the target %s %s is met", r.Name, c, c.Operand.Metric, target)
			}
		}
	}
}
