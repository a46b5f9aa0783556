package sarif

import (
	"math/rand/v2"
	"testing"
)

// TestCounts checks counts against a map: keys drawn from a small range
// (many repeats) and the whole range, 0 among them, from a set sized too
// small (so that it grows).
func TestCounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, size := range []int{0, 1000} {
		c := newCounts(size)
		want := map[uint64]uint32{}
		for i := 0; i < 20000; i++ {
			k := rng.Uint64()
			if i%2 == 0 {
				k = rng.Uint64N(500) // 0 included
			}
			if got := c.add(k); got != want[k] {
				t.Fatalf("size %d: add(%d) = %d, want %d", size, k, got, want[k])
			}
			want[k]++
			if j := rng.Uint64(); c.has(j) != (want[j] > 0) {
				t.Fatalf("size %d: has(%d) = %v", size, j, c.has(j))
			}
		}
		for k := range want {
			if !c.has(k) {
				t.Fatalf("size %d: %d lost", size, k)
			}
		}
		if c.set.n+len(c.more) == 0 || c.set.n > len(c.set.slots)*3/4 {
			t.Errorf("size %d: %d keys in %d slots", size, c.set.n, len(c.set.slots))
		}
	}
}
