package git

import (
	"bytes"
	"errors"
	"io"
	"path"

	"github.com/go-git/go-git/v5/plumbing"
	cgraph "github.com/go-git/go-git/v5/plumbing/format/commitgraph/v2"
)

// CommitGraph is the repository's commit-graph file (or chain of them),
// read into memory: the parents of every commit it lists, found without
// inflating a single object. Commits made since it was written are not in
// it.
type CommitGraph struct {
	idx cgraph.Index
}

// GraphParent is a parent of a commit of the commit-graph: its position in
// the graph and its name.
type GraphParent struct {
	Index uint32
	Hash  Hash
}

// errBadGraphEntry is an entry of the commit-graph that does not agree
// with itself.
var errBadGraphEntry = errors.New("commit-graph entry with parents not all in the graph")

// CommitGraph reads the commit-graph file (or chain): nil when there is
// none or it cannot be read (the objects are then walked instead). It is
// read whole into memory (go-git would read it with a system call per
// look-up otherwise); Close releases it.
func (r *Repository) CommitGraph() *CommitGraph {
	fs := r.st.Filesystem()
	read := func(p string) (cgraph.ReaderAtCloser, bool) {
		f, err := fs.Open(p)
		if err != nil {
			return nil, false
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		if err != nil {
			return nil, false
		}
		return memFile{bytes.NewReader(b)}, true
	}
	if f, ok := read(path.Join("objects", "info", "commit-graph")); ok {
		idx, err := cgraph.OpenFileIndex(f)
		if err == nil {
			return &CommitGraph{idx}
		}
	}
	cf, err := fs.Open(path.Join("objects", "info", "commit-graphs", "commit-graph-chain"))
	if err != nil {
		return nil
	}
	chain, err := cgraph.OpenChainFile(cf)
	cf.Close()
	if err != nil || len(chain) == 0 {
		return nil
	}
	var idx cgraph.Index
	for _, h := range chain {
		f, ok := read(path.Join("objects", "info", "commit-graphs", "graph-"+h+".graph"))
		if !ok {
			return nil
		}
		if idx, err = cgraph.OpenFileIndexWithParent(f, idx); err != nil {
			return nil
		}
	}
	return &CommitGraph{idx}
}

type memFile struct{ *bytes.Reader }

func (memFile) Close() error { return nil }

// Index is the position of commit h in the graph; false when the graph
// does not list it.
func (g *CommitGraph) Index(h Hash) (uint32, bool) {
	i, err := g.idx.GetIndexByHash(plumbing.Hash(h))
	return i, err == nil
}

// Parents appends the parents of the commit at position i of the graph to
// buf, first parent first, and returns it; an error when the entry cannot
// be read (the commit object is then to be read instead).
func (g *CommitGraph) Parents(i uint32, buf []GraphParent) ([]GraphParent, error) {
	d, err := g.idx.GetCommitDataByIndex(i)
	if err != nil {
		return buf, err
	}
	if len(d.ParentIndexes) != len(d.ParentHashes) {
		return buf, errBadGraphEntry
	}
	for k, pi := range d.ParentIndexes {
		buf = append(buf, GraphParent{Index: pi, Hash: Hash(d.ParentHashes[k])})
	}
	return buf, nil
}

// Close releases the graph.
func (g *CommitGraph) Close() { g.idx.Close() }
