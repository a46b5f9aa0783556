package sarif

import (
	"math/bits"
	"strconv"
)

// dedup gives identities their :2, :3 … suffixes within a run. It keys
// by a 64-bit hash of rule id and fingerprint, so that a run of half a
// million results costs megabytes, not tens of them.
type dedup struct{ counts }

// give returns fp, or fp with :n appended for its n-th use in the run
// (skipping a suffix that a tool's own fingerprint already took).
func (d dedup) give(ruleID, fp string) string {
	n := d.add(pairHash(ruleID, fp))
	if n == 0 {
		return fp
	}
	for i := n + 1; ; i++ {
		cand := fp + ":" + strconv.FormatUint(uint64(i), 10)
		if ck := pairHash(ruleID, cand); !d.has(ck) {
			d.add(ck)
			return cand
		}
	}
}

// counts counts the uses of 64-bit keys. Most keys are used once: they
// cost a slot in an open-addressing set (8 bytes, at most three quarters
// full; a Go map takes about 30 bytes a key), the others a count beside
// it as well.
type counts struct {
	set  *set64
	more map[uint64]uint32 // uses after the first
}

func newCounts(n int) counts { return counts{set: newSet64(n), more: map[uint64]uint32{}} }

// add counts a use of k and returns how many there were before.
func (c counts) add(k uint64) uint32 {
	if c.set.add(k) {
		return 0
	}
	n := c.more[k] + 1
	c.more[k] = n
	return n
}

// has reports whether k was used.
func (c counts) has(k uint64) bool { return c.set.has(k) }

// set64 is a set of 64-bit keys: open addressing with linear probing,
// 0 marking an empty slot (the key 0 is kept aside).
type set64 struct {
	slots []uint64 // a power of two
	n     int
	zero  bool
}

func newSet64(n int) *set64 {
	size := 16
	for size*3/4 < n {
		size *= 2
	}
	return &set64{slots: make([]uint64, size)}
}

// slot is where the search for k starts (Fibonacci hashing).
func (s *set64) slot(k uint64) int {
	return int((k * 0x9e3779b97f4a7c15) >> (64 - bits.TrailingZeros(uint(len(s.slots)))))
}

// add puts k in the set and reports whether it was new.
func (s *set64) add(k uint64) bool {
	if k == 0 {
		was := s.zero
		s.zero = true
		return !was
	}
	if (s.n+1)*4 > len(s.slots)*3 {
		s.grow()
	}
	i, ok := s.find(k)
	if !ok {
		s.slots[i] = k
		s.n++
	}
	return !ok
}

// has reports whether k is in the set.
func (s *set64) has(k uint64) bool {
	if k == 0 {
		return s.zero
	}
	_, ok := s.find(k)
	return ok
}

// find returns the slot of k (k ≠ 0) and whether it holds k, else the
// empty slot where k would go.
func (s *set64) find(k uint64) (int, bool) {
	mask := len(s.slots) - 1
	for i := s.slot(k); ; i = (i + 1) & mask {
		switch s.slots[i] {
		case k:
			return i, true
		case 0:
			return i, false
		}
	}
}

func (s *set64) grow() {
	old := s.slots
	s.slots, s.n = make([]uint64, 2*len(old)), 0
	for _, k := range old {
		if k != 0 {
			s.add(k)
		}
	}
}
