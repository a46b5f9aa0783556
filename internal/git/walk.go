package git

import (
	"container/heap"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// History walks. Data branches grow by one commit per recorded event, so
// these walk only the part of the history where two tips differ, newest
// commit first (git's paint-down), instead of the whole history as go-git's
// MergeBase and IsAncestor do.

// walkCommit is what a walk reads of a commit.
type walkCommit struct {
	Hash     plumbing.Hash
	Parents  []plumbing.Hash
	When     time.Time // committer date
	TreeHash plumbing.Hash
}

type walkItem struct {
	c *walkCommit
}

type commitQueue []walkItem

func (q commitQueue) Len() int { return len(q) }
func (q commitQueue) Less(i, j int) bool {
	return q[i].c.When.After(q[j].c.When)
}
func (q commitQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *commitQueue) Push(x any)   { *q = append(*q, x.(walkItem)) }
func (q *commitQueue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}

const (
	fromA = 1 << iota
	fromB
	stale
	found
)

// walker paints commits from two tips in commit-date order.
type walker struct {
	st    *goGitObjects
	flags map[plumbing.Hash]int
	q     commitQueue
	// read are the commits read by this walk; cache, when not nil, those
	// of earlier walks too (at most walkCacheSize).
	read  map[plumbing.Hash]*walkCommit
	cache *walkCache
}

// walkCache keeps the commits walks read, so that walks over the same
// part of the history (the squash merges of one branch, each walked to
// its pull request's fork point) read each commit once.
type walkCache struct {
	mu      sync.Mutex
	commits map[plumbing.Hash]*walkCommit
}

// walkCacheSize bounds a walkCache: a few tens of megabytes.
const walkCacheSize = 1 << 18

func (c *walkCache) get(h plumbing.Hash) *walkCommit {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.commits[h]
}

func (c *walkCache) put(wc *walkCommit) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.commits == nil {
		c.commits = map[plumbing.Hash]*walkCommit{}
	}
	if len(c.commits) < walkCacheSize {
		c.commits[wc.Hash] = wc
	}
}

func newWalker(st *goGitObjects) *walker {
	return &walker{st: st, flags: map[plumbing.Hash]int{}, read: map[plumbing.Hash]*walkCommit{}}
}

// commit reads commit h, once per walk (and once per cache).
func (w *walker) commit(h plumbing.Hash) (*walkCommit, error) {
	if c, ok := w.read[h]; ok {
		return c, nil
	}
	if w.cache != nil {
		if c := w.cache.get(h); c != nil {
			w.read[h] = c
			return c, nil
		}
	}
	oc, err := object.GetCommit(w.st, h)
	if err != nil {
		return nil, fmt.Errorf("commit %s: %w", h, err)
	}
	c := &walkCommit{Hash: oc.Hash, Parents: oc.ParentHashes, When: oc.Committer.When, TreeHash: oc.TreeHash}
	w.read[h] = c
	if w.cache != nil {
		w.cache.put(c)
	}
	return c, nil
}

func (w *walker) add(h plumbing.Hash, f int) error {
	if w.flags[h]&f == f {
		return nil
	}
	w.flags[h] |= f
	c, err := w.commit(h)
	if err != nil {
		return err
	}
	heap.Push(&w.q, walkItem{c})
	return nil
}

// MergeBases returns the common ancestors of commits a and b that the
// paint-down meets first (the best one first); none for unrelated
// histories.
func (r *Repository) MergeBases(a, b Hash) ([]Hash, error) {
	bases, err := mergeBases(r.objs, plumbing.Hash(a), plumbing.Hash(b))
	out := make([]Hash, len(bases))
	for i, h := range bases {
		out[i] = Hash(h)
	}
	return out, fromGoGit(err)
}

func mergeBases(st *goGitObjects, a, b plumbing.Hash) ([]plumbing.Hash, error) {
	if a == b {
		return []plumbing.Hash{a}, nil
	}
	w := newWalker(st)
	if err := w.add(a, fromA); err != nil {
		return nil, err
	}
	if err := w.add(b, fromB); err != nil {
		return nil, err
	}
	var out []plumbing.Hash
	for w.anyNot(stale) {
		c := heap.Pop(&w.q).(walkItem).c
		f := w.flags[c.Hash] & (fromA | fromB | stale)
		if f&(fromA|fromB) == fromA|fromB {
			if w.flags[c.Hash]&found == 0 {
				w.flags[c.Hash] |= found
				out = append(out, c.Hash)
			}
			f |= stale
		}
		for _, p := range c.Parents {
			if err := w.add(p, f); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// anyNot reports whether a queued commit lacks flag f.
func (w *walker) anyNot(f int) bool {
	for _, it := range w.q {
		if w.flags[it.c.Hash]&f == 0 {
			return true
		}
	}
	return false
}

// IsAncestor reports whether commit a is b or an ancestor of b.
func (r *Repository) IsAncestor(a, b Hash) (bool, error) {
	bases, err := mergeBases(r.objs, plumbing.Hash(a), plumbing.Hash(b))
	return slices.Contains(bases, plumbing.Hash(a)), fromGoGit(err)
}

// RevList returns the commits reachable from tip and not from exclude
// (ZeroHash: none), as `git rev-list tip ^exclude` lists them, newest
// first (by committer date). Clock skew can only make it list a commit
// exclude already reaches, never leave one out. It reads at most limit
// commits (0: no limit), and is an error matching ErrWalkLimit beyond.
func (r *Repository) RevList(tip, exclude Hash, limit int) ([]Hash, error) {
	cs, err := missingCommits(r.objs, &r.walks, plumbing.Hash(tip), plumbing.Hash(exclude), limit)
	if err != nil {
		return nil, fromGoGit(err)
	}
	out := make([]Hash, len(cs))
	for i, c := range cs {
		out[i] = Hash(c.Hash)
	}
	return out, nil
}

// ErrWalkLimit is a walk of the history that would read more commits
// than its limit.
var ErrWalkLimit = errors.New("more commits than the walk's limit")

// missingCommits returns the commits reachable from tip and not from have
// (zero: none), as `git rev-list tip ^have` does, newest first. Clock skew
// can only make it list a commit have already reaches, never miss one.
// Beyond limit commits read (0: none), it stops with ErrWalkLimit.
func missingCommits(st *goGitObjects, cache *walkCache, tip, have plumbing.Hash, limit int) ([]*walkCommit, error) {
	w := newWalker(st)
	w.cache = cache
	if err := w.add(tip, fromA); err != nil {
		return nil, err
	}
	if !have.IsZero() {
		if err := w.add(have, fromB); err != nil {
			return nil, err
		}
	}
	var out []*walkCommit
	for w.anyNot(fromB) {
		if limit > 0 && len(w.flags) > limit {
			return nil, fmt.Errorf("%w (%d)", ErrWalkLimit, limit)
		}
		c := heap.Pop(&w.q).(walkItem).c
		f := w.flags[c.Hash] & (fromA | fromB)
		if f == fromA {
			out = append(out, c)
		}
		for _, p := range c.Parents {
			if err := w.add(p, f); err != nil {
				return nil, err
			}
		}
	}
	return slices.DeleteFunc(out, func(c *walkCommit) bool { return w.flags[c.Hash]&fromB != 0 }), nil
}

// objectsToSend lists the objects of the commits reachable from tip and
// not from have: the commits, and every tree and blob of theirs that is
// not at the same path in have's tree (which the remote holds in full).
func objectsToSend(st *goGitObjects, tip, have plumbing.Hash) ([]plumbing.Hash, error) {
	commits, err := missingCommits(st, nil, tip, have, 0)
	if err != nil {
		return nil, err
	}
	known := plumbing.ZeroHash
	if !have.IsZero() {
		c, err := object.GetCommit(st, have)
		if err != nil {
			return nil, err
		}
		known = c.TreeHash
	}
	seen := map[plumbing.Hash]bool{}
	var out []plumbing.Hash
	for _, c := range commits {
		out = append(out, c.Hash)
		if err := treeObjects(st, c.TreeHash, known, seen, &out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func treeObjects(st *goGitObjects, t, known plumbing.Hash, seen map[plumbing.Hash]bool, out *[]plumbing.Hash) error {
	if t == known || seen[t] {
		return nil
	}
	seen[t] = true
	*out = append(*out, t)
	tree, err := object.GetTree(st, t)
	if err != nil {
		return err
	}
	have := map[string]object.TreeEntry{}
	if !known.IsZero() {
		kt, err := object.GetTree(st, known)
		if err != nil {
			return err
		}
		for _, e := range kt.Entries {
			have[e.Name] = e
		}
	}
	for _, e := range tree.Entries {
		k, ok := have[e.Name]
		switch {
		case e.Mode == filemode.Submodule:
		case e.Mode == filemode.Dir:
			kh := plumbing.ZeroHash
			if ok && k.Mode == filemode.Dir {
				kh = k.Hash
			}
			if err := treeObjects(st, e.Hash, kh, seen, out); err != nil {
				return err
			}
		case !(ok && k.Hash == e.Hash) && !seen[e.Hash]:
			seen[e.Hash] = true
			*out = append(*out, e.Hash)
		}
	}
	return nil
}
