package config

import (
	"errors"
	"testing"
)

// ParseCondition knows the metrics it is given, and only those; an
// unknown one is reported with its word, so the caller can add a hint.
func TestParseConditionMetrics(t *testing.T) {
	metrics := []string{"apples", "pears_per_day"}
	e, err := ParseCondition("apples > 1 and change_pct(pears_per_day, 2w) <= -5", metrics)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := e.String(), "(apples > 1 and change_pct(pears_per_day, 2w) <= -5)"; got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
	cs := Compares(e)
	if len(cs) != 2 || cs[1].Operand.Metric != "pears_per_day" || cs[1].Operand.Change != 14*day || cs[1].Value != -5 {
		t.Errorf("Compares = %+v", cs)
	}
	for _, tc := range []struct{ in, unknown, msg string }{
		{"pears_per_dya > 1", "pears_per_dya", `unknown metric "pears_per_dya" (did you mean pears_per_day?)`},
		{"apples > 1 or bananas < 2", "bananas", `unknown metric "bananas"`},
		{"apples >", "", "expected a number after >, found the end of the condition"},
	} {
		_, err := ParseCondition(tc.in, metrics)
		var ce *CondError
		if !errors.As(err, &ce) || ce.Unknown != tc.unknown || ce.Msg != tc.msg {
			t.Errorf("ParseCondition(%q) = %+v, want unknown %q and message %q", tc.in, err, tc.unknown, tc.msg)
		}
	}
}
