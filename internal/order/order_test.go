package order

import (
	"cmp"
	"slices"
	"testing"
)

type item struct {
	key, place int
	pad        [96]byte
}

// Stable gives the order of a stable sort: by key, then by place (100
// items, more than a sort keeps stable by chance), and leaves s alone.
func TestStable(t *testing.T) {
	for _, n := range []int{0, 1, 2, 13, 100} {
		var s []item
		for i := range n {
			s = append(s, item{key: i * 7 % 5, place: i})
		}
		before := slices.Clone(s)
		got := Stable(s, func(a, b *item) int { return cmp.Compare(a.key, b.key) })
		want := slices.Clone(s)
		slices.SortStableFunc(want, func(a, b item) int { return cmp.Compare(a.key, b.key) })
		if !slices.Equal(got, want) {
			t.Errorf("%d items: %v, want %v", n, places(got), places(want))
		}
		if !slices.Equal(s, before) {
			t.Errorf("%d items: s was changed", n)
		}
	}
}

func places(s []item) []int {
	var out []int
	for _, x := range s {
		out = append(out, x.place)
	}
	return out
}

// A slice in order already (ties included) is returned itself, not copied.
func TestStableInOrder(t *testing.T) {
	s := []item{{key: 1, place: 0}, {key: 1, place: 1}, {key: 2, place: 2}}
	got := Stable(s, func(a, b *item) int { return cmp.Compare(a.key, b.key) })
	if &got[0] != &s[0] || !slices.Equal(places(got), []int{0, 1, 2}) {
		t.Errorf("got %v (a copy: %v)", places(got), &got[0] != &s[0])
	}
}
