package git

import (
	"crypto/sha1"
	"fmt"
	"io"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// packThreshold is how many new objects make a write store them as one
// pack file rather than as loose objects (one file each).
const packThreshold = 32

// Batch collects the objects one write creates and stores them together
// on Flush: as loose objects when they are few, as one pack file with its
// index when they are many (a batch ingest of a thousand files, or a
// generated history, creates two files, not thousands).
type Batch struct {
	db      *odb
	objs    []encoded
	streams []streamed
	seen    map[Hash]bool
}

// streamed is an object whose content is read from its source when the
// batch is stored.
type streamed struct {
	t    ObjectType
	size int64
	h    Hash
	open func() (io.ReadCloser, error)
}

// NewBatch returns an empty batch of objects to store in r.
func (r *Repository) NewBatch() *Batch {
	return &Batch{db: r.db, seen: map[Hash]bool{}}
}

// Add queues content b (kept, not copied) of type t, named h (HashObject),
// unless the repository has it.
func (w *Batch) Add(t ObjectType, b []byte, h Hash) error {
	if w.seen[h] {
		return nil
	}
	w.seen[h] = true
	if ok, err := w.db.Has(h); err == nil && ok {
		return nil
	}
	w.objs = append(w.objs, encoded{Type: t, Data: b, Hash: h})
	return nil
}

// AddStream queues an object of type t whose content (size bytes, named
// h: HashStream) open reads from its start, unless the repository has it.
// Flush stores it as a loose object, reading it as it compresses it, so
// that a file of hundreds of megabytes is never held; content that is
// not what h names (the source changed) fails the Flush.
func (w *Batch) AddStream(t ObjectType, size int64, h Hash, open func() (io.ReadCloser, error)) error {
	if w.seen[h] {
		return nil
	}
	w.seen[h] = true
	if ok, err := w.db.Has(h); err == nil && ok {
		return nil
	}
	w.streams = append(w.streams, streamed{t: t, size: size, h: h, open: open})
	return nil
}

// HashStream names the content of size bytes that r reads, as HashObject
// names content held whole; it fails when r reads another number of
// bytes.
func HashStream(t ObjectType, size int64, r io.Reader) (Hash, error) {
	d := sha1.New()
	fmt.Fprintf(d, "%s %d\x00", t, size)
	n, err := io.Copy(d, io.LimitReader(r, size+1))
	if err != nil {
		return ZeroHash, err
	}
	if n != size {
		return ZeroHash, fmt.Errorf("%d bytes read, %d expected (the file changed?)", n, size)
	}
	var h Hash
	d.Sum(h[:0])
	return h, nil
}

// AddNew queues content b (kept, not copied) of type t and returns its
// name. It does not look whether the repository has the object already
// (that costs a look-up per object): it is for objects known to be new,
// such as a repository being created. An object added twice is stored
// once.
func (w *Batch) AddNew(t ObjectType, b []byte) Hash {
	h := HashObject(t, b)
	if !w.seen[h] {
		w.seen[h] = true
		w.objs = append(w.objs, encoded{Type: t, Data: b, Hash: h})
	}
	return h
}

// AddTree sorts entries in git's order (in place) and adds the tree
// they make, as Add does.
func (w *Batch) AddTree(entries []TreeEntry) (Hash, error) {
	sortEntries(entries)
	t := &object.Tree{Entries: make([]object.TreeEntry, len(entries))}
	for i, e := range entries {
		t.Entries[i] = object.TreeEntry{Name: e.Name, Mode: filemode.FileMode(e.Mode), Hash: plumbing.Hash(e.Hash)}
	}
	obj := &plumbing.MemoryObject{}
	if err := t.Encode(obj); err != nil {
		return ZeroHash, err
	}
	rd, _ := obj.Reader()
	b, err := io.ReadAll(rd)
	if err != nil {
		return ZeroHash, err
	}
	h := HashObject(TreeObject, b)
	return h, w.Add(TreeObject, b, h)
}

// sortEntries orders tree entries as git does: by name, a folder's name
// compared as if it ended in '/'.
func sortEntries(es []TreeEntry) {
	key := func(e TreeEntry) string {
		if e.Mode == ModeDir {
			return e.Name + "/"
		}
		return e.Name
	}
	sort.Slice(es, func(i, j int) bool { return key(es[i]) < key(es[j]) })
}

// Flush stores the queued objects.
func (w *Batch) Flush() error {
	streams := w.streams
	w.streams = nil
	for _, st := range streams {
		if err := w.db.writeLooseStream(st); err != nil {
			return err
		}
	}
	objs := w.objs
	w.objs = nil
	if len(objs) >= packThreshold {
		return w.db.WritePack(objs)
	}
	for _, ob := range objs {
		if err := w.db.WriteLoose(ob.Type, ob.Data, ob.Hash); err != nil {
			return err
		}
	}
	return nil
}

// WriteCommit stores commit c (its Hash is not read) as a loose object
// and returns its name.
func (r *Repository) WriteCommit(c *Commit) (Hash, error) {
	gc := &object.Commit{Author: object.Signature(c.Author), Committer: object.Signature(c.Committer), Message: c.Message, TreeHash: plumbing.Hash(c.Tree)}
	for _, p := range c.Parents {
		gc.ParentHashes = append(gc.ParentHashes, plumbing.Hash(p))
	}
	obj := r.objs.NewEncodedObject()
	if err := gc.Encode(obj); err != nil {
		return ZeroHash, err
	}
	h, err := r.objs.SetEncodedObject(obj)
	if err != nil {
		return ZeroHash, fmt.Errorf("store commit: %w", fromGoGit(err))
	}
	return Hash(h), nil
}
