package compute

import (
	"math"
	"slices"
)

// Percentile is the p-th percentile (0 ≤ p ≤ 100) of the ascending values
// sorted, computed exactly as numpy.percentile(sorted, p) with its default
// method "linear": the virtual index (n−1)·p/100 between the closest
// ranks, interpolated as numpy's _lerp does (from the upper value when the
// fraction is ≥ 0.5), so the last digit matches too. It is nil when sorted
// is empty.
func Percentile(sorted []float64, p float64) *float64 {
	n := len(sorted)
	if n == 0 {
		return nil
	}
	var v float64
	switch i, t := position(n, p); {
	case i >= n-1:
		v = sorted[n-1]
	default:
		a, b := sorted[i], sorted[i+1]
		d := b - a
		// float64() rounds each product before the add, as numpy does: Go
		// may otherwise fuse them (FMA on arm64, GOAMD64=v3), which changes
		// the last digit.
		if t >= 0.5 {
			v = b - float64(d*(1-t))
		} else {
			v = a + float64(d*t)
		}
	}
	return &v
}

// position is where the p-th percentile of n ascending values lies: at
// index i (0-based) and the fraction t of the way to index i+1 (t is 0
// when it falls on one value; i is n-1 at the top).
func position(n int, p float64) (i int, t float64) {
	q := p / 100
	virtual := float64(float64(n-1) * q) // rounded before t is taken from it (no FMA)
	switch {
	case virtual < 0:
		return 0, 0
	case virtual >= float64(n-1):
		return n - 1, 0
	}
	lo := math.Floor(virtual)
	return int(lo), virtual - lo
}

// PercentileOf is Percentile of values in any order (values is not changed).
func PercentileOf(values []float64, p float64) *float64 {
	s := slices.Clone(values)
	slices.Sort(s)
	return Percentile(s, p)
}

// Mean is the arithmetic mean of values, summed in the order given; nil
// when values is empty.
func Mean(values []float64) *float64 {
	if len(values) == 0 {
		return nil
	}
	var sum float64
	for _, v := range values {
		sum += v
	}
	m := sum / float64(len(values))
	return &m
}
