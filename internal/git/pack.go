package git

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
)

// pack is one pack file and its version 2 index (never loaded whole: a
// look-up binary-searches it). Both are read with ReadAt until the pack
// has served mapAfter look-ups, then mapped into memory where the system
// allows: a walk over the history then reads without a system call per
// object, while a command reading a few objects maps nothing (the pages
// a mapping touches count in the process's memory, and the kernel maps
// 64 KiB around each).
type pack struct {
	name    string // the .pack file, for messages
	idx     region
	data    region
	n       int64 // objects
	fanout  [256]uint32
	lookups atomic.Int32
}

// mapAfter is how many look-ups in a pack make it mapped into memory.
var mapAfter int32 = 64

// useMmap is false in tests of the ReadAt path.
var useMmap = true

// region is an open file, and its mapping into memory once made.
type region struct {
	f       *os.File
	size    int64
	m       atomic.Pointer[[]byte]
	cleanup runtime.Cleanup
}

func openRegion(path string) (region, error) {
	f, err := os.Open(path)
	if err != nil {
		return region{}, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return region{}, err
	}
	return region{f: f, size: fi.Size()}, nil
}

// mapped is the region mapped into memory, or nil.
func (r *region) mapped() []byte {
	if m := r.m.Load(); m != nil {
		return *m
	}
	return nil
}

// mapIn maps the region into memory, to be unmapped once nothing refers
// to owner (or on close).
func (r *region) mapIn(owner *pack) {
	if !useMmap {
		return
	}
	if b := mapFile(r.f, r.size); b != nil {
		r.cleanup = runtime.AddCleanup(owner, unmapFile, b)
		r.m.Store(&b)
	}
}

// readAt reads len(p) bytes at off, or fewer at the end of the file.
func (r *region) readAt(p []byte, off int64) (int, error) {
	if off < 0 || off >= r.size {
		return 0, errors.New("offset beyond the end of the file")
	}
	if b := r.mapped(); b != nil {
		return copy(p, b[off:]), nil
	}
	n, err := r.f.ReadAt(p, off)
	if n > 0 {
		err = nil
	}
	return n, err
}

// close unmaps and closes the region now.
func (r *region) close() {
	if b := r.mapped(); b != nil {
		r.cleanup.Stop()
		r.m.Store(nil)
		unmapFile(b)
	}
	r.f.Close()
}

const (
	idxHeader = 8 + 256*4
	hashLen   = 20
)

func openPack(idxPath string) (*pack, error) {
	p := &pack{name: strings.TrimSuffix(idxPath, ".idx") + ".pack"}
	var err error
	if p.idx, err = openRegion(idxPath); err != nil {
		return nil, err
	}
	var hdr [idxHeader]byte
	if n, _ := p.idx.readAt(hdr[:], 0); n != len(hdr) {
		return nil, fmt.Errorf("%s: not a pack index", idxPath)
	}
	if !bytes.Equal(hdr[:4], []byte{0xff, 't', 'O', 'c'}) || binary.BigEndian.Uint32(hdr[4:8]) != 2 {
		return nil, fmt.Errorf("%s: not a version 2 pack index", idxPath)
	}
	for i := range p.fanout {
		p.fanout[i] = binary.BigEndian.Uint32(hdr[8+4*i:])
		if i > 0 && p.fanout[i] < p.fanout[i-1] {
			return nil, fmt.Errorf("%s: corrupt fan-out table", idxPath)
		}
	}
	p.n = int64(p.fanout[255])
	if p.idx.size < idxHeader+p.n*(hashLen+8)+2*hashLen {
		return nil, fmt.Errorf("%s: truncated pack index", idxPath)
	}
	if p.data, err = openRegion(p.name); err != nil {
		p.idx.close()
		return nil, err
	}
	var ph [12]byte
	if n, _ := p.data.readAt(ph[:], 0); n != len(ph) || string(ph[:4]) != "PACK" {
		return nil, fmt.Errorf("%s: not a pack file", p.name)
	}
	return p, nil
}

// nameAt is the name of index entry i: in m, the index mapped, or read
// into scratch when m is nil.
func (p *pack) nameAt(m []byte, i int64, scratch *[hashLen]byte) ([]byte, error) {
	off := idxHeader + i*hashLen
	if m != nil {
		return m[off : off+hashLen], nil
	}
	if n, err := p.idx.readAt(scratch[:], off); n != hashLen {
		return nil, fmt.Errorf("%s: %v", p.name, err)
	}
	return scratch[:], nil
}

// lowerBound is the first entry in the bucket of key[0] whose name is not
// below key, and the bucket's end.
func (p *pack) lowerBound(key []byte) (int64, int64, error) {
	var lo int64
	if key[0] > 0 {
		lo = int64(p.fanout[key[0]-1])
	}
	hi := int64(p.fanout[key[0]])
	end := hi
	m := p.idx.mapped()
	var scratch [hashLen]byte
	for lo < hi {
		mid := int64(uint64(lo+hi) >> 1)
		name, err := p.nameAt(m, mid, &scratch)
		if err != nil {
			return 0, 0, err
		}
		if bytes.Compare(name, key) < 0 {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, end, nil
}

// find returns the offset of object h in the pack.
func (p *pack) find(h Hash) (int64, bool, error) {
	if p.data.m.Load() == nil && p.lookups.Add(1) == mapAfter { // once mapped, workers no longer share a counter
		p.idx.mapIn(p)
		p.data.mapIn(p)
	}
	i, end, err := p.lowerBound(h[:])
	if err != nil || i >= end {
		return 0, false, err
	}
	var scratch [hashLen]byte
	name, err := p.nameAt(p.idx.mapped(), i, &scratch)
	if err != nil || !bytes.Equal(name, h[:]) {
		return 0, false, err
	}
	var b [8]byte
	if n, err := p.idx.readAt(b[:4], idxHeader+p.n*(hashLen+4)+i*4); n != 4 {
		return 0, false, fmt.Errorf("%s: index: %v", p.name, err)
	}
	off := int64(binary.BigEndian.Uint32(b[:4]))
	if off&0x80000000 != 0 {
		at := idxHeader + p.n*(hashLen+8) + (off&0x7fffffff)*8
		if at+8 > p.idx.size-2*hashLen {
			return 0, false, fmt.Errorf("%s: index: large offset out of range", p.name)
		}
		if n, err := p.idx.readAt(b[:], at); n != 8 {
			return 0, false, fmt.Errorf("%s: index: %v", p.name, err)
		}
		off = int64(binary.BigEndian.Uint64(b[:]))
	}
	if off < 12 || off >= p.data.size-hashLen {
		return 0, false, fmt.Errorf("%s: index gives offset %d beyond the pack", p.name, off)
	}
	return off, true, nil
}

func (p *pack) withPrefix(prefix []byte) ([]Hash, error) {
	i, end, err := p.lowerBound(prefix)
	if err != nil {
		return nil, err
	}
	var out []Hash
	var scratch [hashLen]byte
	for ; i < end; i++ {
		name, err := p.nameAt(p.idx.mapped(), i, &scratch)
		if err != nil {
			return nil, err
		}
		if !bytes.HasPrefix(name, prefix) {
			break
		}
		out = append(out, Hash(name))
	}
	return out, nil
}

// entry is the header of a pack entry.
type entry struct {
	typ      ObjectType // as stored: the delta types included
	size     int64      // inflated size (of the delta, for a delta)
	data     int64      // offset of the compressed data
	baseOff  int64      // OFSDeltaObject: offset of the base
	baseHash Hash       // REFDeltaObject: name of the base
}

func (e *entry) isDelta() bool {
	return e.typ == OFSDeltaObject || e.typ == REFDeltaObject
}

// maxObject is the largest object read: a bigger size is taken as corrupt.
const maxObject = 1 << 40

// entryAt reads the header of the entry at off.
func (p *pack) entryAt(off int64) (entry, error) {
	bad := func(what string) error { return fmt.Errorf("%s: offset %d: %s", p.name, off, what) }
	var hdr [32]byte
	var b []byte
	if m := p.data.mapped(); m != nil {
		if off < 0 || off >= p.data.size {
			return entry{}, bad("beyond the end of the pack")
		}
		b = m[off:min(off+int64(len(hdr)), p.data.size)]
	} else {
		n, err := p.data.readAt(hdr[:], off)
		if n == 0 {
			return entry{}, bad(fmt.Sprint(err))
		}
		b = hdr[:n]
	}
	e := entry{typ: ObjectType((b[0] >> 4) & 7), size: int64(b[0] & 15)}
	i, shift := 1, 4
	for b[i-1]&0x80 != 0 {
		if i >= len(b) || shift > 56 {
			return entry{}, bad("bad entry header")
		}
		e.size |= int64(b[i]&0x7f) << shift
		shift += 7
		i++
	}
	switch e.typ {
	case CommitObject, TreeObject, BlobObject, TagObject:
	case OFSDeltaObject:
		if i >= len(b) {
			return entry{}, bad("bad delta offset")
		}
		c := b[i]
		rel := int64(c & 0x7f)
		i++
		for c&0x80 != 0 {
			if i >= len(b) || rel > 1<<48 {
				return entry{}, bad("bad delta offset")
			}
			c = b[i]
			rel = (rel+1)<<7 | int64(c&0x7f)
			i++
		}
		e.baseOff = off - rel
		if e.baseOff < 12 || rel == 0 {
			return entry{}, bad("delta base out of range")
		}
	case REFDeltaObject:
		if i+hashLen > len(b) {
			return entry{}, bad("bad delta base")
		}
		copy(e.baseHash[:], b[i:i+hashLen])
		i += hashLen
	default:
		return entry{}, bad(fmt.Sprintf("unknown entry type %d", e.typ))
	}
	e.data = off + int64(i)
	// Deflate shrinks data at most 1032 times: a larger size is corrupt
	// (and must not be allocated).
	if e.size > maxObject || e.size > (p.data.size-e.data)*1032+64 {
		return entry{}, bad(fmt.Sprintf("size %d does not fit the pack", e.size))
	}
	return e, nil
}
