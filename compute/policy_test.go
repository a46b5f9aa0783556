package compute

import "testing"

func TestScanBudget(t *testing.T) {
	for _, tc := range []struct {
		loc     int
		seconds float64
	}{
		{0, 0}, {-1, 0}, {8_000, 60}, {10_000, 60}, {10_001, 180}, {50_000, 180}, {84_000, 300}, {100_000, 300}, {400_000, 1200}, {2_000_000, 1200},
	} {
		if got, _ := ScanBudget(tc.loc); got != tc.seconds {
			t.Errorf("ScanBudget(%d) = %v s, want %v s", tc.loc, got, tc.seconds)
		}
	}
}
