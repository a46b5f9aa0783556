package main

import (
	"testing"
	"time"
)

// compute reports bad months without flag names; the command names the
// flags the user gave.
func TestComputePeriodsNameTheFlags(t *testing.T) {
	for _, tc := range []struct {
		c    ComputeCmd
		want string
	}{
		{ComputeCmd{Month: "2026-13"}, `--month 2026-13: want YYYY-MM`},
		{ComputeCmd{From: "March", To: "2026-04"}, `--from "March": want YYYY-MM`},
		{ComputeCmd{From: "2026-03", To: "2026-4x"}, `--to "2026-4x": want YYYY-MM`},
		{ComputeCmd{From: "2026-03", To: "2026-01"}, `--to 2026-01 is before --from 2026-03`},
	} {
		_, err := tc.c.periods(time.UTC)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%+v: %v, want %s", tc.c, err, tc.want)
		}
	}
}
