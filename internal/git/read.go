package git

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
)

// reader reads whole objects of an odb with buffers of its own, reused
// from one object to the next: it is for one goroutine at a time (take
// one per worker; odb.Read shares a pool of them).
type reader struct {
	db    *odb
	zr    io.ReadCloser // zlib, reset for each object
	mr    bytes.Reader  // over a mapped pack
	br    *bufio.Reader // over a file read with ReadAt, or a loose object
	buf   []byte        // the last object read
	delta []byte        // the delta being applied
	chain []link
	one   [1]byte  // to see a stream end
	hdr   [64]byte // a loose object's header
}

// link is a delta of a chain being resolved.
type link struct {
	p   *pack
	off int64
	e   entry
}

// newReader returns a reader of db's objects.
func (db *odb) newReader() *reader {
	return &reader{db: db, br: bufio.NewReaderSize(nil, 16<<10)}
}

// Read returns the type and content of object h. The content is valid
// until the next call and must not be modified.
func (r *reader) Read(h Hash) (ObjectType, []byte, error) {
	l, err := r.locate(r.db, h)
	if err != nil {
		return 0, nil, err
	}
	if l.pack != nil {
		return r.readPacked(l.db, l.pack, l.off, l.e)
	}
	return r.readLoose(&l)
}

// location is where an object is: an entry of a pack, or a loose object
// of db, open, its header read.
type location struct {
	db   *odb
	pack *pack
	off  int64
	e    entry
	// a loose object: r.zr reads on after the header
	f    *os.File
	name Hash
	typ  ObjectType
	size int64
}

// close closes a loose object's file.
func (l *location) close() {
	if l.f != nil {
		l.f.Close()
		l.f = nil
	}
}

// locate finds h in the packs of db, as a loose object, in packs added
// since the last look, then in db's alternates.
func (r *reader) locate(db *odb, h Hash) (location, error) {
	for _, rescan := range []bool{false, true} {
		p, off, ok, err := findIn(db, h, rescan)
		if err != nil {
			return location{}, err
		}
		if ok {
			e, err := p.entryAt(off)
			return location{db: db, pack: p, off: off, e: e, size: e.size}, err
		}
		if !rescan {
			l, err := r.openLoose(db, h)
			if !errors.Is(err, ErrNotFound) {
				return l, err
			}
		}
	}
	for _, a := range db.alternates() {
		l, err := r.locate(a, h)
		if !errors.Is(err, ErrNotFound) {
			return l, err
		}
	}
	return location{}, db.missing()
}

// inflate reads the compressed data of e (of p) into dst, which it grows
// as needed, and checks that the stream holds exactly e.size bytes.
func (r *reader) inflate(p *pack, e entry, dst []byte) ([]byte, error) {
	var src io.Reader
	if m := p.data.mapped(); m != nil {
		r.mr.Reset(m[e.data:])
		src = &r.mr
	} else {
		r.br.Reset(io.NewSectionReader(p.data.f, e.data, p.data.size-e.data))
		src = r.br
	}
	if err := r.resetZlib(src); err != nil {
		return nil, fmt.Errorf("%s: offset %d: %w", p.name, e.data, err)
	}
	dst, err := r.readExactly(dst, e.size)
	if err != nil {
		return nil, fmt.Errorf("%s: offset %d: %w", p.name, e.data, err)
	}
	return dst, nil
}

func (r *reader) resetZlib(src io.Reader) error {
	if r.zr == nil {
		zr, err := zlib.NewReader(src)
		if err != nil {
			return err
		}
		r.zr = zr
		return nil
	}
	return r.zr.(zlib.Resetter).Reset(src, nil)
}

// readExactly reads size bytes of r.zr into dst and checks the stream
// ends there (which also checks its checksum).
func (r *reader) readExactly(dst []byte, size int64) ([]byte, error) {
	zr := r.zr
	if int64(cap(dst)) < size {
		dst = make([]byte, size)
	}
	dst = dst[:size]
	if _, err := io.ReadFull(zr, dst); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	switch n, err := zr.Read(r.one[:]); {
	case n > 0:
		return nil, fmt.Errorf("more data than the %d bytes the header gives", size)
	case err != io.EOF:
		if err == nil {
			err = errors.New("compressed stream does not end")
		}
		return nil, err
	}
	return dst, nil
}

// maxChain is the longest delta chain followed (git makes them at most
// 50 long by default, 4095 at most).
const maxChain = 10000

// readPacked reads the object at off of p, whose header is e, resolving
// deltas: it follows the chain down to an object stored whole or a base
// in the cache, then applies the deltas back up, keeping each base in the
// cache.
func (r *reader) readPacked(db *odb, p *pack, off int64, e entry) (ObjectType, []byte, error) {
	if !e.isDelta() {
		b, err := r.inflate(p, e, r.buf)
		if err != nil {
			return 0, nil, err
		}
		r.buf = b
		return e.typ, b, nil
	}
	if t, b, ok := r.db.cache.get(p, off); ok {
		return t, b, nil
	}
	chain := append(r.chain[:0], link{p, off, e})
	var baseType ObjectType
	var base []byte
	for {
		last := chain[len(chain)-1]
		bp, boff := last.p, last.e.baseOff
		if last.e.typ == REFDeltaObject {
			var found bool
			var err error
			bp, boff, found, err = findIn(db, last.e.baseHash, false)
			if err == nil && !found {
				bp, boff, found, err = findIn(db, last.e.baseHash, true)
			}
			if err != nil {
				return 0, nil, err
			}
			if !found { // a base outside the packs of db: read it whole
				t, b, err := db.Read(last.e.baseHash)
				if err != nil {
					return 0, nil, fmt.Errorf("%s: delta base %s: %w", last.p.name, last.e.baseHash, err)
				}
				baseType, base = t, b
				break
			}
		}
		if t, b, ok := r.db.cache.get(bp, boff); ok {
			baseType, base = t, b
			break
		}
		be, err := bp.entryAt(boff)
		if err != nil {
			return 0, nil, err
		}
		if !be.isDelta() {
			b, err := r.inflate(bp, be, nil)
			if err != nil {
				return 0, nil, err
			}
			baseType, base = be.typ, b
			r.db.cache.add(bp, boff, be.typ, b)
			break
		}
		if len(chain) >= maxChain {
			return 0, nil, fmt.Errorf("%s: offset %d: delta chain too long", p.name, off)
		}
		chain = append(chain, link{bp, boff, be})
	}
	r.chain = chain[:0]
	for i := len(chain) - 1; i >= 0; i-- {
		l := chain[i]
		d, err := r.inflate(l.p, l.e, r.delta)
		if err != nil {
			return 0, nil, err
		}
		r.delta = d
		var dst []byte
		if i == 0 {
			dst = r.buf
		}
		out, err := applyDelta(dst, base, d)
		if err != nil {
			return 0, nil, fmt.Errorf("%s: offset %d: %w", l.p.name, l.off, err)
		}
		if i == 0 {
			r.buf = out
			return baseType, out, nil
		}
		r.db.cache.add(l.p, l.off, baseType, out)
		base = out
	}
	panic("unreachable")
}

// findIn finds h in the packs of db, looking for new packs first when
// rescan is set.
func findIn(db *odb, h Hash, rescan bool) (*pack, int64, bool, error) {
	for _, p := range db.packList(rescan) {
		off, ok, err := p.find(h)
		if err != nil || ok {
			return p, off, ok, err
		}
	}
	return nil, 0, false, nil
}

// openLoose opens the loose object h of db and reads its header: what
// followed the header in the same read is left in r.buf.
func (r *reader) openLoose(db *odb, h Hash) (location, error) {
	f, err := os.Open(db.loosePath(h))
	if errors.Is(err, os.ErrNotExist) {
		return location{}, ErrNotFound
	}
	if err != nil {
		return location{}, err
	}
	r.br.Reset(f)
	if err := r.resetZlib(r.br); err != nil {
		f.Close()
		return location{}, fmt.Errorf("object %s: %w", h, err)
	}
	var rest []byte
	l := location{db: db, f: f, name: h}
	l.typ, l.size, rest, err = readLooseHeader(r.zr, r.hdr[:])
	if err != nil {
		f.Close()
		return location{}, fmt.Errorf("object %s: %w", h, err)
	}
	r.buf = append(r.buf[:0], rest...)
	return l, nil
}

// readLooseHeader reads "<type> <size>\x00" from the start of a loose
// object and returns what followed it in the same read.
// hdr is a buffer of 64 bytes.
func readLooseHeader(zr io.Reader, hdr []byte) (ObjectType, int64, []byte, error) {
	n := 0
	for {
		m, err := zr.Read(hdr[n:])
		n += m
		if i := bytes.IndexByte(hdr[:n], 0); i >= 0 {
			typ, size, ok := bytes.Cut(hdr[:i], []byte(" "))
			t, terr := parseObjectType(string(typ))
			s, serr := strconv.ParseInt(string(size), 10, 64)
			if !ok || terr != nil || serr != nil || s < 0 || s > maxObject || t == OFSDeltaObject || t == REFDeltaObject {
				return 0, 0, nil, fmt.Errorf("bad header %q", hdr[:i])
			}
			return t, s, hdr[i+1 : n], nil
		}
		if n == len(hdr) || err != nil {
			return 0, 0, nil, fmt.Errorf("bad header %q (%v)", hdr[:n], err)
		}
	}
}

// readLoose reads the rest of the loose object l and closes it.
func (r *reader) readLoose(l *location) (ObjectType, []byte, error) {
	defer l.close()
	n := int64(len(r.buf)) // read with the header
	if n > l.size {
		return 0, nil, fmt.Errorf("object %s: more data than the %d bytes the header gives", l.name, l.size)
	}
	b := r.buf
	if int64(cap(b)) < l.size {
		b = append(make([]byte, 0, l.size), b...)
	}
	if _, err := r.readExactly(b[n:n], l.size-n); err != nil {
		return 0, nil, fmt.Errorf("object %s: %w", l.name, err)
	}
	r.buf = b[:l.size]
	return l.typ, r.buf, nil
}
