package findings

import "encoding/binary"

// messages is the message table of a run as it is read, until its
// results have their texts: the messages one after the other, each
// coded as the lengths of the prefix and the suffix it shares with the
// one before, and the rest (the table is sorted, and messages of one
// template share their ends: a dense log's 81 MB of distinct messages
// take 23 MB). Every group of groupSize messages starts afresh, so that
// one is decoded from at most groupSize entries.
type messages struct {
	chunks [][]byte // entries, in chunks that never move
	groups []msgAt  // where each group starts
	prev   []byte   // the last message added
	n      int      // messages added
	size   int      // bytes of entries written
	whole  int      // bytes of the messages added
	// flat holds the messages decoded, one after the other, message i at
	// flat[ends[i-1]:ends[i]]: made on the first get when they take at
	// most flatMessages bytes (most runs), so that a result's message is
	// not decoded from its group's each time.
	flat []byte
	ends []uint32
}

// flatMessages is the most bytes of messages decoded once for all.
const flatMessages = 1 << 20

// msgAt is where an entry starts.
type msgAt struct{ chunk, at uint32 }

// groupSize is how many messages are coded one after the other.
const groupSize = 16

// Sizes of the chunks: they grow with what was written, up to
// maxMsgChunk (or one entry).
const (
	minMsgChunk = 4 << 10
	maxMsgChunk = 1 << 20
)

// add appends message m (not kept).
func (t *messages) add(m string) {
	pre, suf := 0, 0
	if t.n%groupSize != 0 {
		n := min(len(m), len(t.prev))
		for pre < n && m[pre] == t.prev[pre] {
			pre++
		}
		for suf < n-pre && m[len(m)-1-suf] == t.prev[len(t.prev)-1-suf] {
			suf++
		}
	}
	mid := m[pre : len(m)-suf]
	n := 3*binary.MaxVarintLen64 + len(mid)
	if len(t.chunks) == 0 || cap(t.chunks[len(t.chunks)-1])-len(t.chunks[len(t.chunks)-1]) < n {
		t.chunks = append(t.chunks, make([]byte, 0, max(min(max(t.size, minMsgChunk), maxMsgChunk), n)))
	}
	c := &t.chunks[len(t.chunks)-1]
	if t.n%groupSize == 0 {
		t.groups = append(t.groups, msgAt{uint32(len(t.chunks) - 1), uint32(len(*c))})
	}
	before := len(*c)
	*c = binary.AppendUvarint(*c, uint64(pre))
	*c = binary.AppendUvarint(*c, uint64(suf))
	*c = binary.AppendUvarint(*c, uint64(len(mid)))
	*c = append(*c, mid...)
	t.size += len(*c) - before
	t.prev = append(t.prev[:0], m...)
	t.n++
	t.whole += len(m)
}

// get appends message i (0 ≤ i < t.n) to buf[:0], using spare (returned
// for reuse) to decode the messages before it in its group.
func (t *messages) get(i int, buf, spare []byte) ([]byte, []byte) {
	if t.ends == nil && t.whole <= flatMessages && t.n > 0 {
		t.flatten()
	}
	if t.ends != nil {
		start := uint32(0)
		if i > 0 {
			start = t.ends[i-1]
		}
		return t.flat[start:t.ends[i]:t.ends[i]], spare
	}
	return t.decode(i, buf, spare)
}

// flatten decodes every message into t.flat, each group in one pass.
func (t *messages) flatten() {
	t.flat, t.ends = make([]byte, 0, t.whole), make([]uint32, 0, t.n)
	var buf, spare []byte
	for start := 0; start < t.n; start += groupSize {
		buf, spare = t.decodeUpTo(min(start+groupSize, t.n)-1, buf, spare, func(m []byte) {
			t.flat = append(t.flat, m...)
			t.ends = append(t.ends, uint32(len(t.flat)))
		})
	}
}

// decode is get without t.flat.
func (t *messages) decode(i int, buf, spare []byte) ([]byte, []byte) {
	return t.decodeUpTo(i, buf, spare, nil)
}

// decodeUpTo decodes the messages of i's group up to i, giving each to
// each (nil: none), and returns message i as decode does.
func (t *messages) decodeUpTo(i int, buf, spare []byte, each func([]byte)) ([]byte, []byte) {
	g := t.groups[i/groupSize]
	chunk, at := g.chunk, int(g.at)
	buf = buf[:0]
	for k := i - i%groupSize; ; k++ {
		c := t.chunks[chunk]
		if at == len(c) { // the entry is in the next chunk
			chunk, at = chunk+1, 0
			c = t.chunks[chunk]
		}
		pre, n1 := binary.Uvarint(c[at:])
		suf, n2 := binary.Uvarint(c[at+n1:])
		size, n3 := binary.Uvarint(c[at+n1+n2:])
		at += n1 + n2 + n3
		mid := c[at : at+int(size)]
		at += int(size)
		if suf == 0 { // decoded in place
			buf = append(buf[:pre], mid...)
		} else {
			spare = append(append(append(spare[:0], buf[:pre]...), mid...), buf[len(buf)-int(suf):]...)
			buf, spare = spare, buf
		}
		if each != nil {
			each(buf)
		}
		if k == i {
			return buf, spare
		}
	}
}
