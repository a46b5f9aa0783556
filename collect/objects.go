package collect

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"

	"github.com/gitdora/gitdora/data"
)

// codeRepo is the code repository opened for reading history: go-git
// with pack files kept open (go-git's default reopens the pack for every
// object), and a fast reader of commit objects.
type codeRepo struct {
	path    string
	repo    *git.Repository
	storage *filesystem.Storage // nil for a repository not on disk
	objects *objectReader
}

// openCodeRepo opens the repository at path (or a folder above it).
func openCodeRepo(path string) (*codeRepo, error) {
	r, err := data.OpenRepo(path)
	if err != nil {
		return nil, err
	}
	cr := &codeRepo{path: path, repo: r}
	if st, ok := r.Storer.(*filesystem.Storage); ok {
		fast := filesystem.NewStorageWithOptions(st.Filesystem(), cache.NewObjectLRU(16*cache.MiByte), filesystem.Options{KeepDescriptors: true})
		if r2, err := git.Open(fast, nil); err == nil {
			cr.repo, cr.storage = r2, fast
		}
	}
	cr.objects, err = newObjectReader(cr)
	if err != nil {
		return nil, fmt.Errorf("--repo %s: %w", path, err)
	}
	return cr, nil
}

func (cr *codeRepo) close() {
	cr.objects.close()
	if cr.storage != nil {
		cr.storage.Close()
	}
}

// objectReader reads objects by hash. Objects stored whole in a pack
// file (almost every commit) are found with the pack's index and inflated
// straight from the file; anything else (deltas, loose objects,
// alternates) is read through go-git's object storage. A reader is not
// safe for concurrent use; fork gives another one sharing the packs.
type objectReader struct {
	packs    []*packFile
	fallback *git.Repository
	mu       *sync.Mutex // guards fallback, shared by forks
	br       *bufio.Reader
	mr       bytes.Reader // over a mapped pack
	zr       io.ReadCloser
	buf      bytes.Buffer
}

type packFile struct {
	idx   *idxfile.MemoryIndex
	f     io.ReaderAt
	c     io.Closer
	data  []byte // the pack mapped into memory; nil when it is read with ReadAt
	unmap func()
}

func newObjectReader(cr *codeRepo) (*objectReader, error) {
	o := &objectReader{fallback: cr.repo, mu: &sync.Mutex{}, br: bufio.NewReaderSize(nil, 1024)}
	if cr.storage == nil {
		return o, nil
	}
	dg := dotgit.New(cr.storage.Filesystem())
	hashes, err := dg.ObjectPacks()
	if err != nil {
		return nil, fmt.Errorf("list pack files: %w", err)
	}
	for _, h := range hashes {
		// A pack that cannot be indexed here is left to go-git's storage.
		fi, err := dg.ObjectPackIdx(h)
		if err != nil {
			continue
		}
		idx := idxfile.NewMemoryIndex()
		err = idxfile.NewDecoder(bufio.NewReaderSize(fi, 1<<16)).Decode(idx)
		fi.Close()
		if err != nil {
			continue
		}
		fp, err := dg.ObjectPack(h)
		if err != nil {
			continue
		}
		p := &packFile{idx: idx, f: fp, c: fp}
		if dir := objectsDir(cr.storage.Filesystem()); dir != "" {
			p.data, p.unmap = mapFile(filepath.Join(dir, "pack", "pack-"+h.String()+".pack"))
		}
		o.packs = append(o.packs, p)
	}
	return o, nil
}

// objectsDir is the objects folder on disk of a repository's git folder
// (following commondir for a linked worktree); "" when it is not on disk.
func objectsDir(fs billy.Filesystem) string {
	r, ok := fs.(interface{ Root() string })
	if !ok || r.Root() == "" {
		return ""
	}
	root := r.Root()
	if b, err := os.ReadFile(filepath.Join(root, "commondir")); err == nil {
		c := strings.TrimSpace(string(b))
		if !filepath.IsAbs(c) {
			c = filepath.Join(root, c)
		}
		root = c
	}
	dir := filepath.Join(root, "objects")
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return ""
	}
	return dir
}

// fork returns a reader for another goroutine, sharing the open packs.
func (o *objectReader) fork() *objectReader {
	return &objectReader{packs: o.packs, fallback: o.fallback, mu: o.mu, br: bufio.NewReaderSize(nil, 1024)}
}

func (o *objectReader) close() {
	for _, p := range o.packs {
		if p.unmap != nil {
			p.unmap()
		}
		p.c.Close()
	}
	o.packs = nil
}

// offset finds h in the pack's index (the lookup of idxfile.MemoryIndex,
// without the reverse map it fills on every call).
func (p *packFile) offset(h plumbing.Hash) (int64, bool) {
	idx := p.idx
	k := idx.FanoutMapping[h[0]]
	if k < 0 || k >= len(idx.Names) {
		return 0, false
	}
	names := idx.Names[k]
	lo, hi := 0, len(names)/20
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		switch c := bytes.Compare(h[:], names[mid*20:mid*20+20]); {
		case c == 0:
			off := binary.BigEndian.Uint32(idx.Offset32[k][mid*4:])
			if off&(1<<31) == 0 {
				return int64(off), true
			}
			i := 8 * int(off&^(1<<31))
			if i+8 > len(idx.Offset64) {
				return 0, false
			}
			return int64(binary.BigEndian.Uint64(idx.Offset64[i:])), true
		case c < 0:
			hi = mid
		default:
			lo = mid + 1
		}
	}
	return 0, false
}

// errMissing is an object that is not in the repository.
var errMissing = errors.New("object not found")

// read returns the content of the object h of type t. The bytes are valid
// until the next call.
func (o *objectReader) read(h plumbing.Hash, t plumbing.ObjectType) ([]byte, error) {
	b, _, err := o.readAny(h, t)
	return b, err
}

// readAny is read for t or plumbing.AnyObject, and says the object's type.
func (o *objectReader) readAny(h plumbing.Hash, t plumbing.ObjectType) ([]byte, plumbing.ObjectType, error) {
	for _, p := range o.packs {
		off, ok := p.offset(h)
		if !ok {
			continue
		}
		b, typ, err := o.readPacked(p, off, t)
		if err != nil {
			return nil, 0, fmt.Errorf("%s %s: %w", t, h, err)
		}
		if typ != 0 {
			return b, typ, nil
		}
		break
	}
	return o.readFallback(h, t)
}

// readPacked inflates a whole (non-delta) object at off and returns its
// type; the type is 0 for a delta, which readFallback resolves.
func (o *objectReader) readPacked(p *packFile, off int64, t plumbing.ObjectType) ([]byte, plumbing.ObjectType, error) {
	var src interface {
		io.Reader
		io.ByteReader
	}
	if p.data != nil {
		if off >= int64(len(p.data)) {
			return nil, 0, errors.New("offset beyond the pack's end")
		}
		o.mr.Reset(p.data[off:])
		src = &o.mr
	} else {
		o.br.Reset(io.NewSectionReader(p.f, off, 1<<62))
		src = o.br
	}
	c, err := src.ReadByte()
	if err != nil {
		return nil, 0, err
	}
	typ := plumbing.ObjectType((c >> 4) & 7)
	size := int64(c & 15)
	for shift := 4; c&0x80 != 0; shift += 7 {
		if shift > 56 {
			return nil, 0, errors.New("corrupt pack entry header")
		}
		if c, err = src.ReadByte(); err != nil {
			return nil, 0, err
		}
		size |= int64(c&0x7f) << shift
	}
	switch typ {
	case plumbing.OFSDeltaObject, plumbing.REFDeltaObject:
		return nil, 0, nil
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
		if t != plumbing.AnyObject && t != typ {
			return nil, 0, fmt.Errorf("is a %s", typ)
		}
	default:
		return nil, 0, fmt.Errorf("unknown pack entry type %d", typ)
	}
	if o.zr == nil {
		o.zr, err = zlib.NewReader(src)
	} else {
		err = o.zr.(zlib.Resetter).Reset(src, nil)
	}
	if err != nil {
		return nil, 0, err
	}
	o.buf.Reset()
	o.buf.Grow(int(size))
	if _, err := io.Copy(&o.buf, o.zr); err != nil {
		return nil, 0, err
	}
	if int64(o.buf.Len()) != size {
		return nil, 0, fmt.Errorf("inflated %d bytes, the pack says %d", o.buf.Len(), size)
	}
	return o.buf.Bytes(), typ, nil
}

func (o *objectReader) readFallback(h plumbing.Hash, t plumbing.ObjectType) ([]byte, plumbing.ObjectType, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	obj, err := o.fallback.Storer.EncodedObject(t, h)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return nil, 0, errMissing
	}
	if err != nil {
		return nil, 0, fmt.Errorf("%s %s: %w", t, h, err)
	}
	rd, err := obj.Reader()
	if err != nil {
		return nil, 0, fmt.Errorf("%s %s: %w", t, h, err)
	}
	defer rd.Close()
	o.buf.Reset()
	if _, err := io.Copy(&o.buf, rd); err != nil {
		return nil, 0, fmt.Errorf("%s %s: %w", t, h, err)
	}
	return o.buf.Bytes(), obj.Type(), nil
}

// isHex reports whether s is a (possibly abbreviated) lower-case hex object name.
func isHex(s string) bool {
	if len(s) < 4 || len(s) > 40 {
		return false
	}
	return strings.Trim(s, "0123456789abcdef") == ""
}
