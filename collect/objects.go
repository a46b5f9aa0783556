package collect

import (
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/internal/odb"
)

// codeRepo is the code repository opened for reading history: go-git for
// its references, package odb for its objects.
type codeRepo struct {
	path    string
	repo    *git.Repository
	storage *filesystem.Storage // its shallow file and commit-graph
	objects *objectReader       // for the walk's goroutine
}

// openCodeRepo opens the repository at path (or a folder above it).
func openCodeRepo(path string) (*codeRepo, error) {
	r, err := data.OpenRepo(path)
	if err != nil {
		return nil, err
	}
	db := odb.ForRepo(r)
	if db == nil {
		return nil, fmt.Errorf("--repo %s: not a repository on disk", path)
	}
	st, _ := r.Storer.(*filesystem.Storage)
	return &codeRepo{path: path, repo: r, storage: st, objects: &objectReader{db: db, r: db.NewReader()}}, nil
}

// close unmaps the repository's pack files: the walk is over.
func (cr *codeRepo) close() { cr.objects.db.Close() }

// objectReader reads objects for one goroutine; fork gives another.
type objectReader struct {
	db *odb.DB
	r  *odb.Reader
}

// fork returns a reader for another goroutine, sharing the packs and the
// cache of delta bases.
func (o *objectReader) fork() *objectReader {
	return &objectReader{db: o.db, r: o.db.NewReader()}
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
	typ, b, err := o.r.Read(h)
	switch {
	case errors.Is(err, odb.ErrNotFound):
		return nil, 0, errMissing
	case err != nil:
		return nil, 0, fmt.Errorf("%s %s: %w", t, h, err)
	case t != plumbing.AnyObject && typ != t:
		return nil, 0, fmt.Errorf("%s %s: is a %s", t, h, typ)
	}
	return b, typ, nil
}

// isHex reports whether s is a (possibly abbreviated) lower-case hex object name.
func isHex(s string) bool {
	if len(s) < 4 || len(s) > 40 {
		return false
	}
	return strings.Trim(s, "0123456789abcdef") == ""
}
