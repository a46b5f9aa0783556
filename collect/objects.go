package collect

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/internal/git"
)

// History is the code history collect reads: the objects of the code
// repository (with a reader per goroutine), its commit-graph, tags and
// refs. A *git.Repository is one; the tests of the walk give an in-memory
// fake, without a repository.
type History interface {
	// NewReader returns a reader of objects for one goroutine.
	NewReader() git.ReadFunc
	// Stream opens object h for reading, and says its type and size.
	Stream(h git.Hash) (git.ObjectType, int64, io.ReadCloser, error)
	// CommitGraph reads the commit-graph; nil when there is none. The
	// caller closes it.
	CommitGraph() *git.CommitGraph
	// Tags lists the tags, by name.
	Tags() ([]git.Ref, error)
	// Ref returns the commit a ref points at, following symbolic refs.
	Ref(name string) (git.Hash, error)
	// Refs lists the refs under a folder (refs/pull), by name.
	Refs(dir string) ([]git.Ref, error)
	// Shallow lists the commits where a shallow clone's history stops.
	Shallow() ([]git.Hash, error)
	// ResolveCommit returns the full name of the commit rev names (an
	// abbreviated one), or an error matching git.ErrUnknownCommit.
	ResolveCommit(rev string) (string, error)
	// RevList returns the commits reachable from tip and not from exclude
	// (git.ZeroHash: none), as git rev-list tip ^exclude lists them;
	// beyond limit commits read, an error matching git.ErrWalkLimit.
	RevList(tip, exclude git.Hash, limit int) ([]git.Hash, error)
	// DiffTrees calls fn with every file path at which tree from and tree
	// to differ (from zero: every file of to), skipping equal folders by
	// their hash, reading objects with read and keeping the trees read in
	// cache (one ReadFunc and one cache per goroutine; nil: none).
	DiffTrees(read git.ReadFunc, cache *git.TreeCache, from, to git.Hash, fn func(path string) error) error
}

var _ History = (*git.Repository)(nil)

// codeRepo is the code history opened for reading.
type codeRepo struct {
	path    string // --repo, for messages
	h       History
	objects *objectReader // for the walk's goroutine
	done    func()        // releases what reading took
}

// openCodeRepo opens the repository at path (or a folder above it).
func openCodeRepo(path string) (*codeRepo, error) {
	r, err := data.OpenRepo(path)
	if err != nil {
		return nil, err
	}
	cr := newCodeRepo(path, r)
	cr.done = r.Close
	return cr, nil
}

// newCodeRepo reads the history h of the repository at path.
func newCodeRepo(path string, h History) *codeRepo {
	return &codeRepo{path: path, h: h, objects: &objectReader{h: h, fn: h.NewReader()}, done: func() {}}
}

// close unmaps the repository's pack files: the walk is over.
func (cr *codeRepo) close() { cr.done() }

// objectReader reads objects for one goroutine; fork gives another.
type objectReader struct {
	h  History
	fn git.ReadFunc
}

// fork returns a reader for another goroutine, sharing the packs and the
// cache of delta bases.
func (o *objectReader) fork() *objectReader {
	return &objectReader{h: o.h, fn: o.h.NewReader()}
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
