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

// The last digit matches numpy's too. The wants are what numpy computes
// (its _lerp, in float64, never fusing a multiply and an add): each row
// differs in the last digit both when the product is fused into the
// add (FMA, which Go may emit on arm64 or GOAMD64=v3) and when the other
// branch of _lerp is taken (a + (b−a)·t where t ≥ 0.5 asks for
// b − (b−a)·(1−t), and the reverse).
func TestPercentileLastDigit(t *testing.T) {
	for _, tc := range []struct {
		sorted []float64
		p      float64
		want   float64
	}{
		{[]float64{101.046, 807.944}, 10, 171.73579999999998}, // fused 171.7358, other 171.73580000000004
		{[]float64{123.901, 449.55}, 90, 416.9851},            // fused and other 416.98510000000005
		{[]float64{16, 224, 837.6}, 90, 714.8800000000001},    // fused 714.88
		{[]float64{686.6, 841.931, 969.229}, 95, 956.4992},    // fused 956.4992000000001
		{[]float64{0.1, 1e16}, 99.99999999999999, 9999999999999998},
		// the fraction t is taken from the rounded virtual index (n−1)·p/100;
		// fused into the subtraction of its floor, these end …
		{seq(1, 27), 30, 8.8},                // 8.799999999999999
		{seq(1, 34), 95, 32.349999999999994}, // 32.35
		{seq(1, 15), 10, 2.4000000000000004}, // 2.4
	} {
		if got := Percentile(tc.sorted, tc.p); got == nil || *got != tc.want {
			t.Errorf("Percentile(%v, %v) = %v, want %v", tc.sorted, tc.p, deref(got), tc.want)
		}
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
