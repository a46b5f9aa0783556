package alert

import (
	"errors"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/config"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"deployments_per_day < 1", "deployments_per_day < 1"},
		{"  change_failure_rate>0.15 ", "change_failure_rate > 0.15"},
		{"change_pct(scan_duration_p95_seconds, 7d) > 20", "change_pct(scan_duration_p95_seconds, 7d) > 20"},
		{"change_pct( scan_duration_p95_seconds ,36h )>=-5", "change_pct(scan_duration_p95_seconds, 36h) >= -5"},
		{"open_critical != 0", "open_critical != 0"},
		{"open_critical == 1e1", "open_critical == 1e1"},
		{"block_rate <= .5", "block_rate <= .5"},
		{"block_rate > 1e-3", "block_rate > 1e-3"},
		{"block_rate > -1e-3", "block_rate > -1e-3"},
		{"block_rate > .5e-3", "block_rate > .5e-3"},
		{"block_rate > +.5E+3", "block_rate > +.5E+3"},
		{"change_pct(block_rate, 7d) >= -2.5e-1", "change_pct(block_rate, 7d) >= -2.5e-1"},
		// and binds tighter than or, on either side.
		{"open_critical > 0 or open_high > 1 and open_low > 2", "(open_critical > 0 or (open_high > 1 and open_low > 2))"},
		{"open_critical > 0 and open_high > 1 or open_low > 2", "((open_critical > 0 and open_high > 1) or open_low > 2)"},
		{"(open_critical > 0 or open_high > 1) and open_low > 2", "((open_critical > 0 or open_high > 1) and open_low > 2)"},
		{"open_critical > 0 AND open_high > 1 Or open_low > 2", "((open_critical > 0 and open_high > 1) or open_low > 2)"},
		{"((open_critical > 0))", "open_critical > 0"},
	} {
		e, err := Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if got := e.String(); got != tc.want {
			t.Errorf("Parse(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		in   string
		col  int
		want string
	}{
		{"", 1, "empty"},
		{"deploys_per_day < 1", 1, `unknown metric "deploys_per_day" (did you mean deployments_per_day?)`},
		{"open_critical > 0 and nonsense > 1", 23, `unknown metric "nonsense"`},
		{"lead_time_p50_hours => 1", 21, `bad operator "=>"`},
		{"lead_time_p50_hours = 1", 21, "did you mean ==?"},
		{"lead_time_p50_hours 1", 21, "expected an operator"},
		{"lead_time_p50_hours >", 22, "expected a number after >"},
		{"lead_time_p50_hours > one", 23, "expected a number"},
		{"lead_time_p50_hours > 1 open_high > 2", 25, "after a complete comparison"},
		{"(lead_time_p50_hours > 1", 25, "expected ) to close the ( at column 1"},
		{"lead_time_p50_hours > 1)", 24, "unexpected ) without a matching ("},
		{"open_high > 1 && open_low > 1", 15, "join comparisons with and / or"},
		{"change_pct(scan_duration_p95_seconds, 7x) > 20", 39, `"7x" is not a duration`},
		{"change_pct(scan_duration_p95_seconds) > 20", 37, "expected , and a window"},
		{"change_pct(scan_duration_p95_seconds, 0d) > 20", 39, "longer than 0"},
		{"change_pct(nope, 7d) > 20", 12, `unknown metric "nope"`},
		{"and > 1", 1, "expected a metric name"},
		{"1 < open_high", 1, "expected a metric name"},
		{"open_high > 1 and", 18, "expected a metric name, found the end"},
		{"open_hïgh > 1 ∧ x", 7, "unexpected character"},
	} {
		_, err := Parse(tc.in)
		var ce *config.CondError
		if !errors.As(err, &ce) {
			t.Errorf("Parse(%q): error %v, want a CondError", tc.in, err)
			continue
		}
		if ce.Column != tc.col || !strings.Contains(ce.Msg, tc.want) {
			t.Errorf("Parse(%q): column %d %q, want column %d containing %q", tc.in, ce.Column, ce.Msg, tc.col, tc.want)
		}
	}
}

// FuzzParse: a condition is untrusted text. Parse never panics, an error
// points inside the condition (or just past it), and what parses writes
// back to text that parses to the same condition.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"deployments_per_day < 1",
		"change_pct(scan_duration_p95_seconds, 7d) > 20",
		"(open_critical > 0 or open_high > 1) and open_low > 2",
		"open_high => 1", "((", "1e-3 < x", "open_high > -1e+3",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Parse(s)
		if err != nil {
			var ce *config.CondError
			if !errors.As(err, &ce) || ce.Column < 1 || ce.Column > len([]rune(s))+1 {
				t.Fatalf("Parse(%q): bad error %v", s, err)
			}
			return
		}
		again, err := Parse(e.String())
		if err != nil || again.String() != e.String() {
			t.Fatalf("Parse(%q) = %s, which re-parses to %v, %v", s, e, again, err)
		}
	})
}
