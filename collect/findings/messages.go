package findings

import "encoding/binary"

// messages is the message table of a run as it is read, until its
// results have their texts: the messages one after the other, each
// coded as the length of the prefix it shares with the one before, and
// the rest (the table is sorted: a dense log's 81 MB of distinct messages
// take 29 MB). Every group of groupSize messages starts afresh, so that
// one is decoded from at most groupSize entries.
type messages struct {
	chunks [][]byte // entries, in chunks that never move
	groups []msgAt  // where each group starts
	prev   []byte   // the last message added
	n      int      // messages added
	size   int      // bytes of entries written
}

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
	pre := 0
	if t.n%groupSize != 0 {
		for pre < len(m) && pre < len(t.prev) && m[pre] == t.prev[pre] {
			pre++
		}
	}
	rest := m[pre:]
	n := 2*binary.MaxVarintLen64 + len(rest)
	if len(t.chunks) == 0 || cap(t.chunks[len(t.chunks)-1])-len(t.chunks[len(t.chunks)-1]) < n {
		t.chunks = append(t.chunks, make([]byte, 0, max(min(max(t.size, minMsgChunk), maxMsgChunk), n)))
	}
	c := &t.chunks[len(t.chunks)-1]
	if t.n%groupSize == 0 {
		t.groups = append(t.groups, msgAt{uint32(len(t.chunks) - 1), uint32(len(*c))})
	}
	before := len(*c)
	*c = binary.AppendUvarint(*c, uint64(pre))
	*c = binary.AppendUvarint(*c, uint64(len(rest)))
	*c = append(*c, rest...)
	t.size += len(*c) - before
	t.prev = append(t.prev[:pre], rest...)
	t.n++
}

// get appends message i (0 ≤ i < t.n) to buf[:0].
func (t *messages) get(i int, buf []byte) []byte {
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
		size, n2 := binary.Uvarint(c[at+n1:])
		at += n1 + n2
		buf = append(buf[:pre], c[at:at+int(size)]...)
		at += int(size)
		if k == i {
			return buf
		}
	}
}
