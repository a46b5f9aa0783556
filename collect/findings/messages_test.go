package findings

import (
	"encoding/base64"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The message table gives back every message added, whatever its place
// in a group or a chunk: sorted messages sharing prefixes, the empty
// message, messages longer than a chunk, and unsorted ones.
func TestMessages(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var sorted []string
	for i := 0; i < 5000; i++ {
		sorted = append(sorted, "This value "+strings.Repeat("9", rng.IntN(8))+" reaches line "+strings.Repeat("1", rng.IntN(4))+strings.Repeat(" of this function.", rng.IntN(2)))
	}
	sorted = append(sorted, "", strings.Repeat("x", maxMsgChunk+7), strings.Repeat("x", maxMsgChunk+8)+"y")
	slices.Sort(sorted)
	unsorted := slices.Clone(sorted)
	rng.Shuffle(len(unsorted), func(i, j int) { unsorted[i], unsorted[j] = unsorted[j], unsorted[i] })
	for _, tc := range []struct {
		name string
		msgs []string
	}{
		{"none but one", []string{""}},
		{"one group and one more", []string{"a", "ab", "abc", "abd", "b", "b", "ba", "c", "d", "e", "f", "g", "h", "i", "j", "k", "kk"}},
		{"prefixes and suffixes that meet", []string{"aXa", "aXXa", "aa", "aaa", "aaaa", "aba", "abba", "abbba", "ba", "bab", "baab", "", "b", "bb"}},
		{"sorted", sorted},
		{"unsorted", unsorted},
	} {
		var m messages
		for _, s := range tc.msgs {
			m.add(s)
		}
		if m.n != len(tc.msgs) {
			t.Fatalf("%s: %d messages, want %d", tc.name, m.n, len(tc.msgs))
		}
		// Decoded from their groups, and (at most flatMessages bytes of
		// them) all decoded once.
		var buf, spare []byte
		for _, i := range rng.Perm(len(tc.msgs)) {
			if buf, spare = m.decode(i, buf, spare); string(buf) != tc.msgs[i] {
				t.Fatalf("%s: message %d is %.40q, want %.40q", tc.name, i, buf, tc.msgs[i])
			}
		}
		for _, i := range rng.Perm(len(tc.msgs)) {
			if buf, spare = m.get(i, buf, spare); string(buf) != tc.msgs[i] {
				t.Fatalf("%s: message %d is %.40q, want %.40q", tc.name, i, buf, tc.msgs[i])
			}
		}
		if flat := m.whole <= flatMessages; (m.ends != nil) != flat {
			t.Errorf("%s: decoded once for all %v, want %v", tc.name, m.ends != nil, flat)
		}
	}
}

// decode64 reads what base64.RawURLEncoding writes, and refuses what it
// refuses or what does not fit.
func FuzzDecode64(f *testing.F) {
	for _, s := range []string{"", "A", "AA", "AAA", "AAAA", "_-_-", "ab+c", "ab=c", "abc\r", strings.Repeat("A", 171), strings.Repeat("A", 172)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var buf [128]byte
		n, ok := decode64(buf[:], s)
		want, err := base64.RawURLEncoding.DecodeString(s)
		stdOK := err == nil && len(want) <= len(buf) && !strings.ContainsAny(s, "\r\n")
		if ok != stdOK || ok && string(buf[:n]) != string(want) {
			t.Fatalf("decode64(%q) = %x, %v; base64: %x, %v", s, buf[:n], ok, want, err)
		}
	})
}

// parseInt is strconv.ParseInt in base 10, for every input.
func FuzzParseInt(f *testing.F) {
	for _, s := range []string{"", "0", "7", "007", "-1", "-0", "+5", "123456789", "999999999", "1234567890", "2147483647", "2147483648", "9223372036854775808", "1a", " 1", "١"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, wide bool) {
		bits := 32
		if wide {
			bits = 64
		}
		got, err := parseInt(s, bits)
		want, werr := strconv.ParseInt(s, 10, bits)
		if got != want || (err == nil) != (werr == nil) {
			t.Fatalf("parseInt(%q, %d) = %d, %v; strconv: %d, %v", s, bits, got, err, want, werr)
		}
	})
}
