package collect

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/gitdora/gitdora/data"
)

// blobs streams the SARIF files of a data branch from the object store,
// so that a 500 MB SARIF file is never held whole: data.Store.Open reads a
// blob into memory. Loose objects (what a write of a few files leaves) are
// inflated as a stream; packed ones (after a fetch or gc) are read through
// a go-git storage whose LargeObjectThreshold makes it stream objects
// stored whole (a delta has to be rebuilt in memory). Anything this
// cannot open is left to data.Store.Open.
type blobs struct {
	store *data.Store
	fs    billy.Filesystem // the repository's .git
	tree  *object.Tree

	packed *filesystem.Storage // made on first need: it loads every pack index
}

// streamAbove is the size above which packed blobs are streamed.
const streamAbove = 1 << 20

func newBlobs(s *data.Store) *blobs {
	b := &blobs{store: s}
	if s.IsDir() || s.Repo() == nil || s.Commit() == "" {
		return b
	}
	fst, ok := s.Repo().Storer.(*filesystem.Storage)
	if !ok {
		return b
	}
	c, err := object.GetCommit(data.Objects(s.Repo()), plumbing.NewHash(s.Commit()))
	if err != nil {
		return b
	}
	t, err := c.Tree()
	if err != nil {
		return b
	}
	b.fs, b.tree = fst.Filesystem(), t
	return b
}

// open opens the file at p of the data branch.
func (b *blobs) open(p string) (io.ReadCloser, error) {
	if b.tree == nil {
		return b.store.Open(p)
	}
	e, err := b.tree.FindEntry(p)
	if err != nil || !e.Mode.IsFile() {
		return b.store.Open(p)
	}
	if rc, err := b.loose(e.Hash); err == nil {
		return rc, nil
	}
	if b.packed == nil {
		b.packed = filesystem.NewStorageWithOptions(b.fs, cache.NewObjectLRU(8*cache.MiByte), filesystem.Options{LargeObjectThreshold: streamAbove})
	}
	obj, err := b.packed.EncodedObject(plumbing.BlobObject, e.Hash)
	if err != nil {
		return b.store.Open(p)
	}
	return obj.Reader()
}

// loose streams a loose object's content: zlib, "blob <size>\x00", bytes.
func (b *blobs) loose(h plumbing.Hash) (io.ReadCloser, error) {
	hex := h.String()
	f, err := b.fs.Open(b.fs.Join("objects", hex[:2], hex[2:]))
	if err != nil {
		return nil, err
	}
	z, err := zlib.NewReader(bufio.NewReaderSize(f, 64<<10))
	if err != nil {
		f.Close()
		return nil, err
	}
	br := bufio.NewReaderSize(z, 64<<10)
	header, err := br.ReadBytes(0)
	if err != nil || !bytes.HasPrefix(header, []byte("blob ")) {
		f.Close()
		return nil, fmt.Errorf("object %s: not a loose blob", hex)
	}
	size, err := strconv.ParseInt(string(header[5:len(header)-1]), 10, 64)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("object %s: bad header", hex)
	}
	return &looseReader{r: io.LimitReader(br, size), size: size, f: f, z: z}, nil
}

type looseReader struct {
	r    io.Reader
	size int64
	n    int64
	f    billy.File
	z    io.ReadCloser
}

func (l *looseReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n += int64(n)
	if errors.Is(err, io.EOF) && l.n < l.size {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

func (l *looseReader) Close() error {
	l.z.Close()
	return l.f.Close()
}
