package compute

import (
	"math"
	"testing"
)

// The expectations are numpy.percentile's default (linear) method worked
// by hand: virtual index (n−1)·p/100, interpolated between closest ranks.
func TestPercentileLikeNumpy(t *testing.T) {
	for _, tc := range []struct {
		name   string
		sorted []float64
		p      float64
		want   float64
	}{
		{"median of even count", []float64{1, 2, 3, 4}, 50, 2.5},
		{"median of odd count", []float64{1, 2, 3, 4, 5}, 50, 3},
		{"p95 of five", []float64{1, 2, 3, 4, 5}, 95, 4.8}, // index 3.8 → 4 + 0.8
		{"p95 of twenty", seq(1, 20), 95, 19.05},           // index 18.05 → 19 + 0.05
		{"p0 is the minimum", []float64{2, 7, 9}, 0, 2},
		{"p100 is the maximum", []float64{2, 7, 9}, 100, 9},
		{"one value", []float64{42}, 95, 42},
		{"ties", []float64{1, 1, 1, 10}, 50, 1},
		{"upper half interpolates from above", []float64{1, 3}, 75, 2.5}, // 3 − 2·0.25
		{"p90 of one to ten", seq(1, 10), 90, 9.1},
		{"hours", []float64{0.5, 1.5, 24, 100}, 50, 12.75},
	} {
		got := Percentile(tc.sorted, tc.p)
		if got == nil || math.Abs(*got-tc.want) > 1e-12 {
			t.Errorf("%s: Percentile(%v, %v) = %v, want %v", tc.name, tc.sorted, tc.p, deref(got), tc.want)
		}
	}
	if got := Percentile(nil, 50); got != nil {
		t.Errorf("Percentile(nil) = %v, want nil (no data)", *got)
	}
}

// numpy's _lerp computes b − (b−a)·(1−t) when t ≥ 0.5, which lands exactly
// on b as t reaches 1 where a + (b−a)·t may not; check the branch is taken.
func TestPercentileUpperBranchExact(t *testing.T) {
	a, b := 0.1, 1e16
	// n = 2, p = 99.99999999999999 → t just below 1
	got := *Percentile([]float64{a, b}, 99.99999999999999)
	tt := 1 * (99.99999999999999 / 100)
	if want := b - (b-a)*(1-tt); got != want {
		t.Errorf("upper branch = %v, want %v", got, want)
	}
	if got := *Percentile([]float64{a, b}, 25); got != a+(b-a)*0.25 {
		t.Errorf("lower branch = %v", got)
	}
}

func TestPercentileOfLeavesInputAlone(t *testing.T) {
	in := []float64{5, 1, 3}
	if got := *PercentileOf(in, 50); got != 3 {
		t.Errorf("PercentileOf = %v, want 3", got)
	}
	if in[0] != 5 || in[1] != 1 {
		t.Errorf("input reordered: %v", in)
	}
}

func TestMean(t *testing.T) {
	if Mean(nil) != nil {
		t.Error("Mean(nil) is not nil")
	}
	if got := *Mean([]float64{1, 2, 6}); got != 3 {
		t.Errorf("Mean = %v, want 3", got)
	}
}

func seq(from, to int) []float64 {
	var out []float64
	for i := from; i <= to; i++ {
		out = append(out, float64(i))
	}
	return out
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
