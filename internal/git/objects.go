package git

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// ReadFunc reads the object h: its type and content, valid until the
// next call and not to be modified; an error matching ErrNotFound when the
// repository does not have it.
type ReadFunc func(h Hash) (ObjectType, []byte, error)

// NewReader returns a reader of the repository's objects with buffers of
// its own, reused from one object to the next: it is for one goroutine at
// a time (take one per worker), and reads without allocating.
func (r *Repository) NewReader() ReadFunc { return r.db.newReader().Read }

// Read returns the type and content of object h; the content is the
// caller's. It is safe for concurrent use.
func (r *Repository) Read(h Hash) (ObjectType, []byte, error) { return r.db.Read(h) }

// Stream opens object h for reading and returns its type and size. An
// object stored whole (loose, or packed but not as a delta) larger than
// 256 KiB is inflated as it is read, so that a 500 MB file is never held
// whole; a delta is rebuilt in memory, as is anything small.
func (r *Repository) Stream(h Hash) (ObjectType, int64, io.ReadCloser, error) {
	return r.db.Stream(h)
}

// Has reports whether the repository has object h (looking for pack files
// added since the last look on a miss: another process may have fetched).
func (r *Repository) Has(h Hash) (bool, error) { return r.db.Has(h) }

// CommitObject reads and decodes commit h.
func (r *Repository) CommitObject(h Hash) (*Commit, error) {
	c, err := object.GetCommit(r.objs, plumbing.Hash(h))
	if err != nil {
		return nil, fromGoGit(err)
	}
	return commitOf(c), nil
}

func commitOf(c *object.Commit) *Commit {
	out := &Commit{Hash: Hash(c.Hash), Tree: Hash(c.TreeHash), Author: Signature(c.Author), Committer: Signature(c.Committer), Message: c.Message}
	if len(c.ParentHashes) > 0 {
		out.Parents = make([]Hash, len(c.ParentHashes))
		for i, p := range c.ParentHashes {
			out.Parents[i] = Hash(p)
		}
	}
	return out
}

// ReadBlob returns the content of blob h (ErrNotFound when h is not a
// blob), for the caller to keep.
func (r *Repository) ReadBlob(h Hash) ([]byte, error) {
	t, b, err := r.db.Read(h)
	if err != nil {
		return nil, err
	}
	if t != BlobObject {
		return nil, ErrNotFound
	}
	return b, nil
}

// ParseTag decodes the content of a tag object.
func ParseTag(b []byte) (*Tag, error) {
	obj := &plumbing.MemoryObject{}
	obj.SetType(plumbing.TagObject)
	obj.Write(b)
	t := &object.Tag{}
	if err := t.Decode(obj); err != nil {
		return nil, err
	}
	return tagOf(t), nil
}

func tagOf(t *object.Tag) *Tag {
	return &Tag{Name: t.Name, Target: Hash(t.Target), TargetType: ObjectType(t.TargetType), Tagger: Signature(t.Tagger), Message: t.Message}
}

// Tree is a tree object: a folder's entries. Its methods look below it,
// reading the trees of its folders.
type Tree struct {
	Hash    Hash
	Entries []TreeEntry
	t       *object.Tree // go-git's, which reads and keeps the folders below
}

// TreeEntry is an entry of a tree: a file, a folder or a submodule.
type TreeEntry struct {
	Name string
	Mode Mode
	Hash Hash
}

// TreeObject reads and decodes tree h.
func (r *Repository) TreeObject(h Hash) (*Tree, error) {
	t, err := object.GetTree(r.objs, plumbing.Hash(h))
	if err != nil {
		return nil, fromGoGit(err)
	}
	return treeOf(t), nil
}

func treeOf(t *object.Tree) *Tree {
	out := &Tree{Hash: Hash(t.Hash), Entries: make([]TreeEntry, len(t.Entries)), t: t}
	for i, e := range t.Entries {
		out.Entries[i] = TreeEntry{Name: e.Name, Mode: Mode(e.Mode), Hash: Hash(e.Hash)}
	}
	return out
}

// FindEntry returns the entry at the slash-separated path p below t:
// ErrDirectoryNotFound when a folder on the way is missing, else
// ErrEntryNotFound when the entry is.
func (t *Tree) FindEntry(p string) (*TreeEntry, error) {
	e, err := t.t.FindEntry(p)
	if err != nil {
		return nil, treeError(err)
	}
	return &TreeEntry{Name: e.Name, Mode: Mode(e.Mode), Hash: Hash(e.Hash)}, nil
}

// Tree returns the tree of the folder at path p below t, or
// ErrDirectoryNotFound.
func (t *Tree) Tree(p string) (*Tree, error) {
	sub, err := t.t.Tree(p)
	if err != nil {
		return nil, treeError(err)
	}
	return treeOf(sub), nil
}

// File is a file of a tree, to read.
type File struct {
	Name string
	Mode Mode
	Hash Hash
	Size int64
	f    *object.File
}

// File returns the file at path p below t, or ErrFileNotFound.
func (t *Tree) File(p string) (*File, error) {
	f, err := t.t.File(p)
	if err != nil {
		return nil, treeError(err)
	}
	return &File{Name: f.Name, Mode: Mode(f.Mode), Hash: Hash(f.Hash), Size: f.Size, f: f}, nil
}

// Reader opens the file's content.
func (f *File) Reader() (io.ReadCloser, error) {
	rc, err := f.f.Reader()
	return rc, fromGoGit(err)
}

// Walk calls fn with every entry below t, folders and files, down to
// MaxTreeDepth folders deep (deeper is an error), with its slash-separated
// path; it stops at fn's first error.
func (t *Tree) Walk(fn func(p string, e TreeEntry) error) error {
	w := object.NewTreeWalker(t.t, true, nil)
	defer w.Close()
	for {
		name, e, err := w.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return treeError(err)
		}
		if Mode(e.Mode) == ModeDir && strings.Count(name, "/") >= MaxTreeDepth {
			return fmt.Errorf("%s: folders nested more than %d deep", name, MaxTreeDepth)
		}
		if err := fn(name, TreeEntry{Name: e.Name, Mode: Mode(e.Mode), Hash: Hash(e.Hash)}); err != nil {
			return err
		}
	}
}

// treeError is fromGoGit, for go-git's tree errors too.
func treeError(err error) error {
	for _, p := range [][2]error{
		{ErrEntryNotFound, object.ErrEntryNotFound},
		{ErrDirectoryNotFound, object.ErrDirectoryNotFound},
		{ErrFileNotFound, object.ErrFileNotFound},
	} {
		if err == p[1] {
			return p[0]
		}
		if errors.Is(err, p[1]) {
			return alsoIs{err, p[0]}
		}
	}
	return fromGoGit(err)
}

// Files calls fn with the slash path (below tree h, after prefix), the
// mode and the name of every entry that is not a folder, at any depth, in
// git's order; it stops at fn's first error. It reads trees with a reader
// of its own and parses them itself: listing a data branch of thousands
// of folders costs their reading, not their decoding into objects.
func (r *Repository) Files(h Hash, prefix string, fn func(p string, e TreeEntry) error) error {
	rd := r.db.pooledReader()
	defer r.db.readers.Put(rd)
	return r.files(rd, h, prefix, 0, fn)
}

func (r *Repository) files(rd *reader, h Hash, prefix string, depth int, fn func(p string, e TreeEntry) error) error {
	if depth > MaxTreeDepth {
		return fmt.Errorf("tree %s: folders nested more than %d deep", h, MaxTreeDepth)
	}
	t, b, err := rd.Read(h)
	if err != nil {
		return fmt.Errorf("tree %s: %w", h, err)
	}
	if t != TreeObject {
		return fmt.Errorf("object %s is a %s, not a tree", h, t)
	}
	// b is the reader's until its next read (a subtree's): a copy, whose
	// entries are read in place, each name made once, within its path.
	for b = bytes.Clone(b); len(b) > 0; {
		name, mode, eh, rest, err := nextEntry(b)
		if err != nil {
			return fmt.Errorf("tree %s: %w", h, err)
		}
		b = rest
		if mode == ModeDir {
			if err := r.files(rd, eh, prefix+string(name)+"/", depth+1, fn); err != nil {
				return err
			}
			continue
		}
		p := prefix + string(name)
		if err := fn(p, TreeEntry{Name: p[len(prefix):], Mode: mode, Hash: eh}); err != nil {
			return err
		}
	}
	return nil
}

// parseTree reads the entries of a tree object's content (nextEntry).
func parseTree(b []byte) ([]TreeEntry, error) {
	// An entry takes 28 bytes at least; most names are longer.
	out := make([]TreeEntry, 0, len(b)/48+1)
	for len(b) > 0 {
		name, mode, h, rest, err := nextEntry(b)
		if err != nil {
			return nil, err
		}
		out = append(out, TreeEntry{Name: string(name), Mode: mode, Hash: h})
		b = rest
	}
	return out, nil
}

// nextEntry reads the first entry of a tree object's content b, "<octal
// mode> <name>\0<20-byte hash>", and returns the rest. A name is never
// empty.
func nextEntry(b []byte) (name []byte, mode Mode, h Hash, rest []byte, err error) {
	sp := bytes.IndexByte(b, ' ')
	if sp <= 0 || sp > 7 {
		return nil, 0, h, nil, errors.New("an entry has no mode")
	}
	for _, c := range b[:sp] {
		if c < '0' || c > '7' {
			return nil, 0, h, nil, fmt.Errorf("an entry's mode %q is not octal", b[:sp])
		}
		mode = mode<<3 | Mode(c-'0')
	}
	b = b[sp+1:]
	nul := bytes.IndexByte(b, 0)
	if nul <= 0 || len(b) < nul+1+len(h) {
		return nil, 0, h, nil, errors.New("an entry has no name or hash")
	}
	copy(h[:], b[nul+1:])
	return b[:nul], mode, h, b[nul+1+len(h):], nil
}
