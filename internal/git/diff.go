package git

import (
	"bytes"
	"fmt"
)

// MaxTreeDepth bounds how deep the package follows folders (DiffTrees,
// Files, Tree.Walk, the update of a work tree): a tree nested deeper is an
// error, never a stack overflow (a tree cannot hold itself, but a hostile
// pack could nest millions).
const MaxTreeDepth = 200

// DiffTrees calls fn with every path (slash-separated, relative to the
// root) at which the trees from and to differ: a file added, removed, or
// changed in content or mode, and each file of a folder that was added,
// removed or replaced by a file (or the other way round). A zero from is
// the empty tree, so every file of to is reported (a root commit's
// change). Folders whose hashes are equal are skipped without being read;
// a submodule is reported as one path. Paths come in git's tree order;
// fn's error stops the walk and is returned. read reads the objects (a
// ReadFunc is for one goroutine: take one per worker).
func DiffTrees(read ReadFunc, from, to Hash, fn func(path string) error) error {
	return DiffTreesCached(read, nil, from, to, fn)
}

// DiffTreesCached is DiffTrees keeping the trees it reads in cache (nil:
// none), for the next diff: the trees of a commit's parent are those the
// parent's own diff read. A cache is for one goroutine, as read is.
func DiffTreesCached(read ReadFunc, cache *TreeCache, from, to Hash, fn func(path string) error) error {
	d := differ{read: read, fn: fn, cache: cache}
	return d.diff(from, to, nil, 0)
}

// DiffTrees is the package's DiffTreesCached over r's objects, read with
// read (nil: a reader of its own).
func (r *Repository) DiffTrees(read ReadFunc, cache *TreeCache, from, to Hash, fn func(path string) error) error {
	if read == nil {
		read = r.NewReader()
	}
	return DiffTreesCached(read, cache, from, to, fn)
}

// TreeCache keeps trees read by DiffTreesCached, parsed, up to a bound
// (then it starts again). It is for one goroutine.
type TreeCache struct {
	trees map[Hash][]rawEntry
	max   int
}

// NewTreeCache returns a cache of up to max trees.
func NewTreeCache(max int) *TreeCache {
	return &TreeCache{trees: make(map[Hash][]rawEntry, max), max: max}
}

type differ struct {
	read  ReadFunc
	fn    func(string) error
	cache *TreeCache
}

// rawEntry is an entry of a tree object, its name pointing into the
// copy of the object the differ keeps while it compares.
type rawEntry struct {
	name []byte
	mode Mode
	hash Hash
}

func (e *rawEntry) isDir() bool { return e.mode == ModeDir }

// entries reads tree h (the empty tree when h is zero) and returns its
// entries, over a copy of its content.
func (d *differ) entries(h Hash) ([]rawEntry, error) {
	if h.IsZero() {
		return nil, nil
	}
	if d.cache != nil {
		if es, ok := d.cache.trees[h]; ok {
			return es, nil
		}
	}
	t, b, err := d.read(h)
	if err != nil {
		return nil, fmt.Errorf("tree %s: %w", h, err)
	}
	if t != TreeObject {
		return nil, fmt.Errorf("tree %s: is a %s", h, t)
	}
	es, err := parseTreeEntries(bytes.Clone(b))
	if err == nil && d.cache != nil {
		if len(d.cache.trees) >= d.cache.max {
			clear(d.cache.trees)
		}
		d.cache.trees[h] = es
	}
	return es, err
}

// parseTreeEntries reads the entries of a tree object's content
// (nextEntry); their names point into b. A name holding a slash is
// refused (git fsck refuses it): a path of the diff made with it would
// name folders that are not there. A listing (Files) gives such a name
// as it is, for its reader to refuse as it refuses any odd path.
func parseTreeEntries(b []byte) ([]rawEntry, error) {
	out := make([]rawEntry, 0, bytes.Count(b, []byte{0}))
	for len(b) > 0 {
		name, mode, h, rest, err := nextEntry(b)
		if err != nil {
			return nil, err
		}
		if bytes.IndexByte(name, '/') >= 0 {
			return nil, fmt.Errorf("an entry's name %q holds a slash", name)
		}
		out = append(out, rawEntry{name: name, mode: mode, hash: h})
		b = rest
	}
	return out, nil
}

// treeCompare orders two entries as git sorts a tree: by name, a
// folder's name compared as if it ended in a slash.
func treeCompare(a, b *rawEntry) int {
	n := min(len(a.name), len(b.name))
	if c := bytes.Compare(a.name[:n], b.name[:n]); c != 0 {
		return c
	}
	ca, cb := byte(0), byte(0)
	if len(a.name) > n {
		ca = a.name[n]
	} else if a.isDir() {
		ca = '/'
	}
	if len(b.name) > n {
		cb = b.name[n]
	} else if b.isDir() {
		cb = '/'
	}
	switch {
	case ca < cb:
		return -1
	case ca > cb:
		return 1
	}
	return 0
}

func (d *differ) diff(from, to Hash, prefix []byte, depth int) error {
	if from == to {
		return nil
	}
	if depth > MaxTreeDepth {
		return fmt.Errorf("tree %s: folders nested more than %d deep", to, MaxTreeDepth)
	}
	a, err := d.entries(from)
	if err != nil {
		return err
	}
	b, err := d.entries(to)
	if err != nil {
		return err
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		var c int
		switch {
		case i == len(a):
			c = 1
		case j == len(b):
			c = -1
		default:
			// A folder and a file of one name sort apart (name/ vs name):
			// compare names alone to pair them.
			if bytes.Equal(a[i].name, b[j].name) {
				c = 0
			} else {
				c = treeCompare(&a[i], &b[j])
			}
		}
		switch {
		case c < 0:
			if err := d.all(&a[i], prefix, depth); err != nil {
				return err
			}
			i++
		case c > 0:
			if err := d.all(&b[j], prefix, depth); err != nil {
				return err
			}
			j++
		default:
			x, y := &a[i], &b[j]
			switch {
			case x.isDir() && y.isDir():
				if x.hash != y.hash {
					if err := d.diff(x.hash, y.hash, d.join(prefix, x.name), depth+1); err != nil {
						return err
					}
				}
			case x.isDir() || y.isDir(): // a folder replaced by a file, or the other way round
				if err := d.all(x, prefix, depth); err != nil {
					return err
				}
				if err := d.all(y, prefix, depth); err != nil {
					return err
				}
			case x.hash != y.hash || x.mode != y.mode:
				if err := d.fn(string(d.join(prefix, x.name))); err != nil {
					return err
				}
			}
			i++
			j++
		}
	}
	return nil
}

// all reports the file e, or every file below the folder e.
func (d *differ) all(e *rawEntry, prefix []byte, depth int) error {
	p := d.join(prefix, e.name)
	if !e.isDir() {
		return d.fn(string(p))
	}
	return d.diff(ZeroHash, e.hash, p, depth+1)
}

// join is prefix/name, in a buffer of its own.
func (d *differ) join(prefix, name []byte) []byte {
	out := make([]byte, 0, len(prefix)+1+len(name))
	if len(prefix) > 0 {
		out = append(append(out, prefix...), '/')
	}
	return append(out, name...)
}

// FindPath returns the entry at the slash-separated path p below tree
// (a file, a folder or a submodule), reading the folders on the way with
// read; ErrEntryNotFound when there is none.
func FindPath(read ReadFunc, tree Hash, p string) (TreeEntry, error) {
	d := differ{read: read}
	h := tree
	parts := bytes.Split([]byte(p), []byte("/"))
	for i, name := range parts {
		es, err := d.entries(h)
		if err != nil {
			return TreeEntry{}, err
		}
		found := false
		for _, e := range es {
			if !bytes.Equal(e.name, name) {
				continue
			}
			if i == len(parts)-1 {
				return TreeEntry{Name: string(e.name), Mode: e.mode, Hash: e.hash}, nil
			}
			if e.isDir() {
				h, found = e.hash, true
			}
			break
		}
		if !found {
			return TreeEntry{}, ErrEntryNotFound
		}
	}
	return TreeEntry{}, ErrEntryNotFound
}
