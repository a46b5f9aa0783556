package git

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"os"
	"strings"
	"unsafe"
)

// streamAbove is the size above which Stream inflates an object as it is
// read rather than into memory first.
const streamAbove = 256 << 10

// Stream opens object h for reading and returns its type and size. An
// object stored whole (loose, or packed but not as a delta) larger than
// 256 KiB is inflated as it is read, so that a 500 MB file is never held
// whole; a delta is rebuilt in memory, as is anything small.
func (db *odb) Stream(h Hash) (ObjectType, int64, io.ReadCloser, error) {
	r := db.pooledReader()
	defer db.readers.Put(r)
	l, err := r.locate(db, h)
	if err != nil {
		return 0, 0, nil, err
	}
	var t ObjectType
	var b []byte
	switch {
	case l.pack != nil && !l.e.isDelta() && l.e.size > streamAbove:
		return l.e.typ, l.e.size, l.pack.stream(l.e), nil
	case l.pack == nil && l.size > streamAbove:
		l.close() // opened again with a zlib reader of its own
		return streamLoose(l.db, h)
	case l.pack != nil:
		t, b, err = r.readPacked(l.db, l.pack, l.off, l.e)
	default:
		t, b, err = r.readLoose(&l)
	}
	if err != nil {
		return 0, 0, nil, err
	}
	b = r.own(b)
	rc := &bytesReader{b: b}
	rc.Reset(b)
	return t, int64(len(b)), rc, nil
}

// bytesReader reads an object held whole: one allocation, where
// io.NopCloser(bytes.NewReader(b)) takes two (a data branch's scan
// records are thousands of such reads).
type bytesReader struct {
	bytes.Reader
	b []byte // the object, the reader's own
}

// ReadText reads the n bytes rc has left, rc being what Stream returned,
// into a string. An object Stream held whole becomes the string: its
// bytes are handed over, not copied (the reader then has nothing left to
// read, and nothing writes them again). Anything else is read and copied.
func ReadText(rc io.Reader, n int64) (string, error) {
	if r, ok := rc.(*bytesReader); ok && r.b != nil && int64(r.Len()) == n && r.Len() == len(r.b) {
		s := unsafe.String(unsafe.SliceData(r.b), len(r.b))
		r.b = nil
		r.Reset(nil)
		return s, nil
	}
	var text strings.Builder
	text.Grow(int(n))
	if _, err := io.CopyN(&text, rc, n); err != nil {
		return "", err
	}
	return text.String(), nil
}

// Close does nothing.
func (*bytesReader) Close() error { return nil }

// own returns b for the caller to keep: r's buffer, handed over, or a
// copy of a cached object.
func (r *reader) own(b []byte) []byte {
	if len(b) > 0 && len(r.buf) > 0 && &b[0] == &r.buf[0] {
		r.buf = nil
		return b
	}
	return bytes.Clone(b)
}

// stream inflates the entry e of p (stored whole) as it is read. It reads
// the file, never its mapping: the pages of a 500 MB file read through a
// mapping would all count in the process's memory.
func (p *pack) stream(e entry) io.ReadCloser {
	src := bufio.NewReaderSize(io.NewSectionReader(p.data.f, e.data, p.data.size-e.data), 32<<10)
	what := fmt.Sprintf("%s: offset %d", p.name, e.data)
	zr, err := zlib.NewReader(src)
	if err != nil {
		return &stream{err: fmt.Errorf("%s: %w", what, err)}
	}
	return &stream{r: zr, zr: zr, left: e.size, what: what}
}

// streamLoose opens the loose object h of db as a stream.
func streamLoose(db *odb, h Hash) (ObjectType, int64, io.ReadCloser, error) {
	f, err := os.Open(db.loosePath(h))
	if err != nil {
		return 0, 0, nil, err
	}
	zr, err := zlib.NewReader(bufio.NewReaderSize(f, 32<<10))
	if err != nil {
		f.Close()
		return 0, 0, nil, fmt.Errorf("object %s: %w", h, err)
	}
	t, size, rest, err := readLooseHeader(zr, make([]byte, 64))
	if err != nil {
		f.Close()
		return 0, 0, nil, fmt.Errorf("object %s: %w", h, err)
	}
	return t, size, &stream{r: io.MultiReader(bytes.NewReader(rest), zr), zr: zr, f: f, left: size, what: "object " + h.String()}, nil
}

// stream reads exactly left bytes of an inflating reader, then checks
// that its data ends there.
type stream struct {
	r    io.Reader
	zr   io.ReadCloser
	f    *os.File // a loose object's file
	left int64
	what string
	err  error
}

func (s *stream) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if s.left == 0 {
		var one [1]byte
		n, err := s.zr.Read(one[:])
		switch {
		case n > 0:
			s.err = fmt.Errorf("%s: more data than its header gives", s.what)
		case err == io.EOF:
			s.err = io.EOF
		case err == nil:
			s.err = fmt.Errorf("%s: compressed stream does not end", s.what)
		default:
			s.err = fmt.Errorf("%s: %w", s.what, err)
		}
		return 0, s.err
	}
	if int64(len(p)) > s.left {
		p = p[:s.left]
	}
	n, err := s.r.Read(p)
	s.left -= int64(n)
	switch {
	case err == io.EOF && s.left > 0:
		s.err = fmt.Errorf("%s: %w", s.what, io.ErrUnexpectedEOF)
	case err == io.EOF:
		err = nil
	case err != nil:
		s.err = fmt.Errorf("%s: %w", s.what, err)
	}
	return n, s.err
}

func (s *stream) Close() error {
	if s.zr != nil {
		s.zr.Close()
	}
	if s.f != nil {
		return s.f.Close()
	}
	return nil
}
