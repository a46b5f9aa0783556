package git

import (
	"bytes"
	"errors"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// goGitObjects is go-git's view of a repository's objects read through the
// odb, for the go-git code this package uses (decoding trees, commits and
// tags, packing objects to push). It suits commands reading a few objects
// of a large repository: it finds a packed object by binary search in the
// pack's .idx file, where go-git first loads every pack index into memory,
// work that grows with the repository (BenchmarkObjectReadOpen: 0.16 s and
// 92 MB for a pack of 900,000 objects, against 0.06 ms) before the first
// object is read. An object stored on its own is written loose; the rest
// (references, iteration) is go-git's storage.
type goGitObjects struct {
	storer.EncodedObjectStorer
	db *odb
}

// EncodedObject returns the object h of type t (AnyObject: any type).
func (o *goGitObjects) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	typ, b, err := o.db.Read(Hash(h))
	if err != nil {
		return nil, toGoGit(err)
	}
	if t != plumbing.AnyObject && plumbing.ObjectType(typ) != t {
		return nil, plumbing.ErrObjectNotFound
	}
	return &rawObject{h: h, t: plumbing.ObjectType(typ), b: b}, nil
}

// SetEncodedObject stores obj as a loose object, unless the repository
// has it already, and returns its hash.
func (o *goGitObjects) SetEncodedObject(obj plumbing.EncodedObject) (plumbing.Hash, error) {
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
	h := HashObject(ObjectType(obj.Type()), b)
	return plumbing.Hash(h), toGoGit(o.db.WriteLoose(ObjectType(obj.Type()), b, h))
}

// HasEncodedObject returns nil when the object exists, else ErrObjectNotFound.
func (o *goGitObjects) HasEncodedObject(h plumbing.Hash) error {
	ok, err := o.db.Has(Hash(h))
	if err == nil && !ok {
		err = plumbing.ErrObjectNotFound
	}
	return toGoGit(err)
}

// EncodedObjectSize returns the size of the object h.
func (o *goGitObjects) EncodedObjectSize(h plumbing.Hash) (int64, error) {
	n, err := o.db.Size(Hash(h))
	return n, toGoGit(err)
}

// HashesWithPrefix lists the objects whose hash starts with prefix.
func (o *goGitObjects) HashesWithPrefix(prefix []byte) ([]plumbing.Hash, error) {
	hs, err := o.db.WithPrefix(prefix)
	out := make([]plumbing.Hash, len(hs))
	for i, h := range hs {
		out[i] = plumbing.Hash(h)
	}
	return out, toGoGit(err)
}

// rawObject is an object read through the odb: its name is known, so it
// is not hashed again as go-git's MemoryObject would be.
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

// alsoIs is an error that matches a second sentinel too: an error of this
// package as go-git's code must recognise it, or one of go-git's as this
// package's callers do. Its message is the error's own.
type alsoIs struct {
	error
	target error
}

func (e alsoIs) Unwrap() error        { return e.error }
func (e alsoIs) Is(target error) bool { return target == e.target }

// goGitErrors pairs this package's sentinel errors with go-git's.
var goGitErrors = [][2]error{
	{ErrNotFound, plumbing.ErrObjectNotFound},
	{ErrRefNotFound, plumbing.ErrReferenceNotFound},
}

// toGoGit turns an error of the odb into the one go-git's code expects:
// ErrNotFound becomes plumbing.ErrObjectNotFound (itself, when it is
// exactly that: go-git compares errors with ==).
func toGoGit(err error) error {
	if err == nil {
		return nil
	}
	for _, p := range goGitErrors {
		if err == p[0] {
			return p[1]
		}
		if errors.Is(err, p[0]) {
			return alsoIs{err, p[1]}
		}
	}
	return err
}

// fromGoGit turns an error of go-git's code into this package's:
// plumbing.ErrObjectNotFound becomes ErrNotFound, and so on.
func fromGoGit(err error) error {
	if err == nil {
		return nil
	}
	for _, p := range goGitErrors {
		if err == p[1] {
			return p[0]
		}
		if errors.Is(err, p[1]) && !errors.Is(err, p[0]) {
			return alsoIs{err, p[0]}
		}
	}
	return err
}
