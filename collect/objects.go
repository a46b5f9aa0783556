package collect

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/internal/git"
)

// codeRepo is the code repository opened for reading history.
type codeRepo struct {
	path    string
	repo    *git.Repository
	objects *objectReader // for the walk's goroutine
}

// openCodeRepo opens the repository at path (or a folder above it).
func openCodeRepo(path string) (*codeRepo, error) {
	r, err := data.OpenRepo(path)
	if err != nil {
		return nil, err
	}
	return &codeRepo{path: path, repo: r, objects: &objectReader{repo: r, fn: r.NewReader()}}, nil
}

// close unmaps the repository's pack files: the walk is over.
func (cr *codeRepo) close() { cr.repo.Close() }

// objectReader reads objects for one goroutine; fork gives another.
type objectReader struct {
	repo *git.Repository
	fn   git.ReadFunc
}

// fork returns a reader for another goroutine, sharing the packs and the
// cache of delta bases.
func (o *objectReader) fork() *objectReader {
	return &objectReader{repo: o.repo, fn: o.repo.NewReader()}
}

// errMissing is an object that is not in the repository.
var errMissing = errors.New("object not found")

// anyType asks readAny for an object of any type.
const anyType = git.InvalidObject

// read returns the content of the object h of type t. The bytes are valid
// until the next call.
func (o *objectReader) read(h git.Hash, t git.ObjectType) ([]byte, error) {
	b, _, err := o.readAny(h, t)
	return b, err
}

// readAny is read for t or anyType, and says the object's type.
func (o *objectReader) readAny(h git.Hash, t git.ObjectType) ([]byte, git.ObjectType, error) {
	typ, b, err := o.fn(h)
	switch {
	case errors.Is(err, git.ErrNotFound):
		return nil, 0, errMissing
	case err != nil:
		what := t.String()
		if t == anyType {
			what = "any"
		}
		return nil, 0, fmt.Errorf("%s %s: %w", what, h, err)
	case t != anyType && typ != t:
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
