package data

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// Objects returns a reader of r's objects that suits commands reading a few
// objects of a large repository: it finds a packed object by binary search
// in each pack's .idx file, where go-git first loads every pack index into
// memory and maps every offset of a pack back to its hash, work that grows
// with the repository (about 0.35 s for 900,000 objects) before the first
// object is read. Writes, and anything it does not handle (alternates, old
// index formats), go to go-git's storage.
func Objects(r *git.Repository) storer.EncodedObjectStorer {
	st, ok := r.Storer.(*filesystem.Storage)
	if !ok {
		return r.Storer
	}
	gitDir := st.Filesystem().Root()
	if b, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		common := strings.TrimSpace(string(b))
		if !filepath.IsAbs(common) {
			common = filepath.Join(gitDir, common)
		}
		gitDir = common
	}
	o := &odb{EncodedObjectStorer: st, dir: filepath.Join(gitDir, "objects"), seen: map[string]bool{}}
	if _, err := os.Stat(filepath.Join(o.dir, "info", "alternates")); err == nil {
		o.fallback = true
	}
	return o
}

// odb reads loose and packed objects itself and delegates the rest.
type odb struct {
	storer.EncodedObjectStorer
	dir      string // the objects folder
	fallback bool   // ask go-git on a miss (alternates, an index it cannot read)

	mu    sync.Mutex
	packs []*pack
	seen  map[string]bool // .idx files looked at
	zw    *zlib.Writer    // reused: a new one allocates about 1 MB
}

// EncodedObject returns the object h of type t (AnyObject: any type).
func (o *odb) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	typ, b, err := o.read(h)
	if errors.Is(err, plumbing.ErrObjectNotFound) && o.fallback {
		return o.EncodedObjectStorer.EncodedObject(t, h)
	}
	if err != nil {
		return nil, err
	}
	if t != plumbing.AnyObject && typ != t {
		return nil, plumbing.ErrObjectNotFound
	}
	return &rawObject{h: h, t: typ, b: b}, nil
}

// SetEncodedObject stores obj as a loose object, unless the repository
// has it already, and returns its hash. It writes as git does (a
// temporary file renamed into place) and compresses for speed: git gc
// repacks loose objects anyway.
func (o *odb) SetEncodedObject(obj plumbing.EncodedObject) (plumbing.Hash, error) {
	if obj.Type() == plumbing.OFSDeltaObject || obj.Type() == plumbing.REFDeltaObject {
		return plumbing.ZeroHash, plumbing.ErrInvalidType
	}
	rd, err := obj.Reader()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	b, err := io.ReadAll(rd)
	rd.Close()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	h := hashObject(obj.Type(), b)
	return h, o.writeLoose(obj.Type(), b, h)
}

// writeLoose stores content b of type t, named h, as a loose object
// unless the repository has it already.
func (o *odb) writeLoose(t plumbing.ObjectType, b []byte, h plumbing.Hash) error {
	if o.HasEncodedObject(h) == nil {
		return nil
	}
	dir := filepath.Dir(o.loosePath(h))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "tmp_obj_")
	if err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.zw == nil {
		o.zw, _ = zlib.NewWriterLevel(f, zlib.BestSpeed)
	} else {
		o.zw.Reset(f)
	}
	zw := o.zw
	_, err = fmt.Fprintf(zw, "%s %d\x00", t, len(b))
	if err == nil {
		_, err = zw.Write(b)
	}
	if err == nil {
		err = zw.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		_ = os.Chmod(f.Name(), 0o444)
		err = os.Rename(f.Name(), o.loosePath(h))
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write object %s: %w", h, err)
	}
	return nil
}

// hashObject is the git object name of content b of type t.
func hashObject(t plumbing.ObjectType, b []byte) plumbing.Hash {
	d := sha1.New()
	fmt.Fprintf(d, "%s %d\x00", t, len(b))
	d.Write(b)
	var h plumbing.Hash
	d.Sum(h[:0])
	return h
}

// rawObject is an object read by odb: its name is known, so it is not
// hashed again as go-git's MemoryObject would be.
type rawObject struct {
	h plumbing.Hash
	t plumbing.ObjectType
	b []byte
}

func (r *rawObject) Hash() plumbing.Hash            { return r.h }
func (r *rawObject) Type() plumbing.ObjectType      { return r.t }
func (r *rawObject) SetType(t plumbing.ObjectType)  { r.t = t }
func (r *rawObject) Size() int64                    { return int64(len(r.b)) }
func (r *rawObject) SetSize(int64)                  {}
func (r *rawObject) Reader() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(r.b)), nil }
func (r *rawObject) Writer() (io.WriteCloser, error) {
	return nil, errors.New("objects read from the repository are read-only")
}

// HasEncodedObject returns nil when the object exists, else ErrObjectNotFound.
func (o *odb) HasEncodedObject(h plumbing.Hash) error {
	if _, err := os.Stat(o.loosePath(h)); err == nil {
		return nil
	}
	for _, p := range o.packList(false) {
		if _, ok, err := p.find(h); err != nil || ok {
			return err
		}
	}
	for _, p := range o.packList(true) {
		if _, ok, err := p.find(h); err != nil || ok {
			return err
		}
	}
	if o.fallback {
		return o.EncodedObjectStorer.HasEncodedObject(h)
	}
	return plumbing.ErrObjectNotFound
}

// EncodedObjectSize returns the size of the object h.
func (o *odb) EncodedObjectSize(h plumbing.Hash) (int64, error) {
	obj, err := o.EncodedObject(plumbing.AnyObject, h)
	if err != nil {
		return 0, err
	}
	return obj.Size(), nil
}

// HashesWithPrefix lists the objects whose hash starts with prefix.
func (o *odb) HashesWithPrefix(prefix []byte) ([]plumbing.Hash, error) {
	var out []plumbing.Hash
	if len(prefix) == 0 {
		return nil, errors.New("empty hash prefix")
	}
	ents, _ := os.ReadDir(filepath.Join(o.dir, hex.EncodeToString(prefix[:1])))
	for _, e := range ents {
		h, err := hex.DecodeString(hex.EncodeToString(prefix[:1]) + e.Name())
		if err == nil && len(h) == 20 && bytes.HasPrefix(h, prefix) {
			out = append(out, plumbing.Hash(h))
		}
	}
	for _, p := range o.packList(true) {
		hs, err := p.withPrefix(prefix)
		if err != nil {
			return nil, err
		}
		out = append(out, hs...)
	}
	return out, nil
}

func (o *odb) loosePath(h plumbing.Hash) string {
	s := h.String()
	return filepath.Join(o.dir, s[:2], s[2:])
}

// read returns the type and content of object h.
func (o *odb) read(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	if t, b, err := o.readLoose(h); !errors.Is(err, plumbing.ErrObjectNotFound) {
		return t, b, err
	}
	for _, rescan := range []bool{false, true} {
		for _, p := range o.packList(rescan) {
			off, ok, err := p.find(h)
			if err != nil {
				return 0, nil, err
			}
			if ok {
				return p.readAt(o, off, 0)
			}
		}
	}
	return 0, nil, plumbing.ErrObjectNotFound
}

func (o *odb) readLoose(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	f, err := os.Open(o.loosePath(h))
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil, plumbing.ErrObjectNotFound
	}
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	zr, err := zlib.NewReader(bufio.NewReader(f))
	if err != nil {
		return 0, nil, fmt.Errorf("object %s: %w", h, err)
	}
	br := bufio.NewReader(zr)
	hdr, err := br.ReadString(0)
	if err != nil {
		return 0, nil, fmt.Errorf("object %s: bad header: %w", h, err)
	}
	typ, size, ok := strings.Cut(strings.TrimSuffix(hdr, "\x00"), " ")
	t, terr := plumbing.ParseObjectType(typ)
	n, nerr := strconv.ParseInt(size, 10, 64)
	if !ok || terr != nil || nerr != nil || n < 0 {
		return 0, nil, fmt.Errorf("object %s: bad header %q", h, hdr)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(br, b); err != nil {
		return 0, nil, fmt.Errorf("object %s: %w", h, err)
	}
	return t, b, nil
}

// packList returns the packs, looking for new ones first when rescan is
// set (another process may have fetched since).
func (o *odb) packList(rescan bool) []*pack {
	o.mu.Lock()
	defer o.mu.Unlock()
	if rescan || len(o.seen) == 0 {
		names, _ := filepath.Glob(filepath.Join(o.dir, "pack", "*.idx"))
		for _, n := range names {
			if o.seen[n] {
				continue
			}
			o.seen[n] = true
			p, err := openPack(n)
			if err != nil {
				o.fallback = true // let go-git try what this reader cannot
				continue
			}
			o.packs = append(o.packs, p)
		}
	}
	return o.packs
}

// pack is one pack file and its version 2 index, read on demand.
type pack struct {
	idx, data *os.File
	n         int64
	fanout    [256]uint32

	mu         sync.Mutex
	cache      map[int64]cached // inflated delta bases by offset
	cacheBytes int
}

type cached struct {
	t plumbing.ObjectType
	b []byte
}

const idxHeader = 8 + 256*4

func openPack(idxPath string) (*pack, error) {
	idx, err := os.Open(idxPath)
	if err != nil {
		return nil, err
	}
	data, err := os.Open(strings.TrimSuffix(idxPath, ".idx") + ".pack")
	if err != nil {
		idx.Close()
		return nil, err
	}
	p := &pack{idx: idx, data: data, cache: map[int64]cached{}}
	var hdr [idxHeader]byte
	if _, err := idx.ReadAt(hdr[:], 0); err != nil {
		p.close()
		return nil, err
	}
	if !bytes.Equal(hdr[:4], []byte{0xff, 't', 'O', 'c'}) || binary.BigEndian.Uint32(hdr[4:8]) != 2 {
		p.close()
		return nil, fmt.Errorf("%s: not a version 2 pack index", idxPath)
	}
	for i := range p.fanout {
		p.fanout[i] = binary.BigEndian.Uint32(hdr[8+4*i:])
	}
	p.n = int64(p.fanout[255])
	return p, nil
}

func (p *pack) close() {
	p.idx.Close()
	p.data.Close()
}

func (p *pack) name(i int64) (plumbing.Hash, error) {
	var h plumbing.Hash
	_, err := p.idx.ReadAt(h[:], idxHeader+i*20)
	return h, err
}

// bucket is the range of index entries whose hash starts with byte b.
func (p *pack) bucket(b byte) (lo, hi int64) {
	if b > 0 {
		lo = int64(p.fanout[b-1])
	}
	return lo, int64(p.fanout[b])
}

// lowerBound is the first entry in [lo, hi) whose hash is not below key.
func (p *pack) lowerBound(lo, hi int64, key []byte) (int64, error) {
	for lo < hi {
		mid := (lo + hi) / 2
		h, err := p.name(mid)
		if err != nil {
			return 0, err
		}
		if bytes.Compare(h[:], key) < 0 {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, nil
}

// find returns the offset of object h in the pack.
func (p *pack) find(h plumbing.Hash) (int64, bool, error) {
	lo, hi := p.bucket(h[0])
	i, err := p.lowerBound(lo, hi, h[:])
	if err != nil || i >= hi {
		return 0, false, err
	}
	if got, err := p.name(i); err != nil || got != h {
		return 0, false, err
	}
	var b [8]byte
	if _, err := p.idx.ReadAt(b[:4], idxHeader+p.n*24+i*4); err != nil {
		return 0, false, err
	}
	off := int64(binary.BigEndian.Uint32(b[:4]))
	if off&0x80000000 != 0 {
		if _, err := p.idx.ReadAt(b[:], idxHeader+p.n*28+(off&0x7fffffff)*8); err != nil {
			return 0, false, err
		}
		off = int64(binary.BigEndian.Uint64(b[:]))
	}
	return off, true, nil
}

func (p *pack) withPrefix(prefix []byte) ([]plumbing.Hash, error) {
	lo, hi := p.bucket(prefix[0])
	i, err := p.lowerBound(lo, hi, prefix)
	if err != nil {
		return nil, err
	}
	var out []plumbing.Hash
	for ; i < hi; i++ {
		h, err := p.name(i)
		if err != nil {
			return nil, err
		}
		if !bytes.HasPrefix(h[:], prefix) {
			break
		}
		out = append(out, h)
	}
	return out, nil
}

// readAt inflates the object at off, resolving deltas.
func (p *pack) readAt(o *odb, off int64, depth int) (plumbing.ObjectType, []byte, error) {
	if depth > 10000 {
		return 0, nil, fmt.Errorf("%s: delta chain too long at offset %d", p.data.Name(), off)
	}
	p.mu.Lock()
	c, ok := p.cache[off]
	p.mu.Unlock()
	if ok {
		return c.t, c.b, nil
	}
	bad := func(what string) error { return fmt.Errorf("%s: offset %d: %s", p.data.Name(), off, what) }
	var hdr [32]byte
	n, err := p.data.ReadAt(hdr[:], off)
	if n == 0 {
		return 0, nil, bad(fmt.Sprint(err))
	}
	b := hdr[:n]
	typ := plumbing.ObjectType((b[0] >> 4) & 7)
	size := int64(b[0] & 15)
	i, shift := 1, 4
	for b[i-1]&0x80 != 0 {
		if i >= len(b) || shift > 56 {
			return 0, nil, bad("bad object header")
		}
		size |= int64(b[i]&0x7f) << shift
		shift += 7
		i++
	}
	var baseOff int64
	var baseHash plumbing.Hash
	switch typ {
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
	case plumbing.OFSDeltaObject:
		if i >= len(b) {
			return 0, nil, bad("bad delta offset")
		}
		c := b[i]
		rel := int64(c & 0x7f)
		i++
		for c&0x80 != 0 {
			if i >= len(b) || rel > 1<<48 {
				return 0, nil, bad("bad delta offset")
			}
			c = b[i]
			rel = (rel+1)<<7 | int64(c&0x7f)
			i++
		}
		baseOff = off - rel
		if baseOff < 0 || rel == 0 {
			return 0, nil, bad("delta base out of range")
		}
	case plumbing.REFDeltaObject:
		if i+20 > len(b) {
			return 0, nil, bad("bad delta base")
		}
		copy(baseHash[:], b[i:i+20])
		i += 20
	default:
		return 0, nil, bad(fmt.Sprintf("unknown object type %d", typ))
	}
	if size > 1<<31 {
		return 0, nil, bad("object too large")
	}
	zr, err := zlib.NewReader(bufio.NewReaderSize(io.NewSectionReader(p.data, off+int64(i), 1<<62), 16<<10))
	if err != nil {
		return 0, nil, bad(err.Error())
	}
	buf := make([]byte, size)
	if _, err := io.ReadFull(zr, buf); err != nil {
		return 0, nil, bad(err.Error())
	}
	var baseType plumbing.ObjectType
	var base []byte
	switch typ {
	case plumbing.OFSDeltaObject:
		baseType, base, err = p.readAt(o, baseOff, depth+1)
		p.remember(baseOff, baseType, base)
	case plumbing.REFDeltaObject:
		baseType, base, err = o.read(baseHash)
	default:
		return typ, buf, nil
	}
	if err != nil {
		return 0, nil, err
	}
	out, err := applyDelta(base, buf)
	if err != nil {
		return 0, nil, bad(err.Error())
	}
	return baseType, out, nil
}

// remember keeps a delta base, up to 32 MB of them.
func (p *pack) remember(off int64, t plumbing.ObjectType, b []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cacheBytes+len(b) > 32<<20 {
		p.cache, p.cacheBytes = map[int64]cached{}, 0
	}
	if _, ok := p.cache[off]; !ok {
		p.cache[off] = cached{t, b}
		p.cacheBytes += len(b)
	}
}

// applyDelta applies a git delta to base.
func applyDelta(base, d []byte) ([]byte, error) {
	varint := func() (int, bool) {
		v, shift := 0, 0
		for i, c := range d {
			v |= int(c&0x7f) << shift
			shift += 7
			if c&0x80 == 0 {
				d = d[i+1:]
				return v, true
			}
			if shift > 56 {
				break
			}
		}
		return 0, false
	}
	src, ok1 := varint()
	dst, ok2 := varint()
	if !ok1 || !ok2 || src != len(base) || dst < 0 || dst > 1<<31 {
		return nil, errors.New("delta does not fit its base")
	}
	out := make([]byte, 0, min(dst, len(base)+len(d)))
	for len(d) > 0 {
		op := d[0]
		d = d[1:]
		switch {
		case op&0x80 != 0:
			var off, n int
			for k := 0; k < 7; k++ {
				if op&(1<<k) == 0 {
					continue
				}
				if len(d) == 0 {
					return nil, errors.New("truncated delta")
				}
				if k < 4 {
					off |= int(d[0]) << (8 * k)
				} else {
					n |= int(d[0]) << (8 * (k - 4))
				}
				d = d[1:]
			}
			if n == 0 {
				n = 0x10000
			}
			if off+n > len(base) || off+n < off {
				return nil, errors.New("delta copies beyond its base")
			}
			out = append(out, base[off:off+n]...)
		case op != 0:
			if int(op) > len(d) {
				return nil, errors.New("truncated delta")
			}
			out = append(out, d[:op]...)
			d = d[op:]
		default:
			return nil, errors.New("bad delta opcode 0")
		}
		if len(out) > dst {
			return nil, errors.New("delta result has the wrong size")
		}
	}
	if len(out) != dst {
		return nil, errors.New("delta result has the wrong size")
	}
	return out, nil
}
