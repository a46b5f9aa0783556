package gen

import (
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage"
)

// WriteStorer writes m into s through go-git, without the git binary:
// every blob, tree, commit and annotated tag, the branches and tags, and
// HEAD pointing at the trunk. The objects are the ones WriteFastImport
// gives git (the Model's hashes are checked as they are written). The
// objects are written one by one (loose, for a repository on disk): fine
// for a demo's thousands of commits; use WriteFastImport for benchmarks.
func WriteStorer(s storage.Storer, m *Model) error {
	written := map[plumbing.Hash]bool{}
	var werr error
	put := func(t plumbing.ObjectType, id plumbing.Hash, body []byte) {
		if werr != nil || written[id] {
			return
		}
		obj := s.NewEncodedObject()
		obj.SetType(t)
		obj.SetSize(int64(len(body)))
		w, err := obj.Writer()
		if err == nil {
			_, err = w.Write(body)
			if cerr := w.Close(); err == nil {
				err = cerr
			}
		}
		if err == nil {
			var h plumbing.Hash
			h, err = s.SetEncodedObject(obj)
			if err == nil && h != plumbing.Hash(id) {
				err = fmt.Errorf("%s %s was stored as %s", t, id, h)
			}
		}
		if err != nil {
			werr = fmt.Errorf("gen: write %s %s: %w", t, id, err)
			return
		}
		written[id] = true
	}
	// A commit's tree is its first parent's with its files written; keep
	// each tree only until its last child is written.
	lastChild := make([]int, len(m.Commits))
	for i := range m.Commits {
		if ps := m.Commits[i].Parents; len(ps) > 0 {
			lastChild[ps[0]] = i
		}
	}
	roots := map[int]*node{}
	for i := range m.Commits {
		c := &m.Commits[i]
		var base *node
		if len(c.Parents) > 0 {
			base = roots[c.Parents[0]]
			if lastChild[c.Parents[0]] == i {
				delete(roots, c.Parents[0])
			}
		}
		root := apply(base, c.Files, func(id plumbing.Hash, b []byte) { put(plumbing.BlobObject, id, b) })
		tree := root.hash(func(id plumbing.Hash, b []byte) { put(plumbing.TreeObject, id, b) })
		if tree.String() != c.Tree {
			return fmt.Errorf("gen: commit %d: tree %s, the model says %s", i, tree, c.Tree)
		}
		if lastChild[i] > i {
			roots[i] = root
		}
		parents := make([]string, len(c.Parents))
		for k, p := range c.Parents {
			parents[k] = m.Commits[p].Hash
		}
		put(plumbing.CommitObject, plumbing.NewHash(c.Hash), commitBody(c.Tree, parents, c.Author, c.Committer, c.Message))
		if werr != nil {
			return werr
		}
	}
	for _, t := range m.Tags {
		target := plumbing.NewHash(m.Commits[t.Commit].Hash)
		if t.Annotated {
			put(plumbing.TagObject, plumbing.NewHash(t.Hash), tagBody(m.Commits[t.Commit].Hash, t.Name, t.Tagger, t.Message))
			target = plumbing.NewHash(t.Hash)
		}
		if werr != nil {
			return werr
		}
		if err := s.SetReference(plumbing.NewHashReference(plumbing.NewTagReferenceName(t.Name), target)); err != nil {
			return fmt.Errorf("gen: tag %s: %w", t.Name, err)
		}
	}
	for _, r := range m.Refs {
		if err := s.SetReference(plumbing.NewHashReference(plumbing.ReferenceName(r.Name), plumbing.NewHash(m.Commits[r.Commit].Hash))); err != nil {
			return fmt.Errorf("gen: %s: %w", r.Name, err)
		}
	}
	return s.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, plumbing.ReferenceName(Trunk)))
}
