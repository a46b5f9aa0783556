// Package order sorts slices of large values by their places.
package order

import (
	"cmp"
	"slices"
)

// Stable returns the elements of s in the order cmp gives, those cmp
// finds equal in their order in s. It sorts their places and then copies
// each element once into a new slice, rather than moving elements at
// every step of a sort: for values of a hundred bytes and more (a scan, a
// row of explain) that is several times faster. s is left as it was; when
// it is in order already, it is returned itself (found without copying
// an element).
func Stable[T any](s []T, by func(a, b *T) int) []T {
	sorted := true
	for i := 1; i < len(s) && sorted; i++ {
		sorted = by(&s[i-1], &s[i]) <= 0
	}
	if sorted {
		return s
	}
	at := make([]int32, len(s))
	for i := range at {
		at[i] = int32(i)
	}
	slices.SortFunc(at, func(a, b int32) int {
		if c := by(&s[a], &s[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	out := make([]T, len(s))
	for i, j := range at {
		out[i] = s[j]
	}
	return out
}
