package collect

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/gitdora/gitdora/internal/git"
)

// changedPaths reads the paths each commit of cs changes against its
// first parent (every file of a root commit), diffing trees by hash so
// that folders no commit touched are never read, on every CPU: visit is
// called once for each k with the paths of cs[k], from several goroutines
// at once, with the reader of the calling goroutine. The first error
// stops the work and is returned.
func (g *graph) changedPaths(cs []int32, visit func(k int, read git.ReadFunc, paths []string) error) error {
	type pair struct{ from, to git.Hash }
	pairs := make([]pair, len(cs))
	for k, c := range cs {
		if err := g.decoded(c); err != nil {
			return err
		}
		n := g.ns.at(c)
		pairs[k].to = n.info.tree
		if len(n.parents) > 0 {
			p := n.parents[0]
			if err := g.decoded(p); err != nil {
				return err
			}
			pairs[k].from = g.ns.at(p).info.tree
		}
	}
	workers := min(runtime.GOMAXPROCS(0), max(1, len(cs)/64))
	// Work goes out in blocks of neighbouring commits (a commit and its
	// parent are mostly next to each other in cs), so that a worker's
	// cache holds the parent's trees when it diffs the child.
	const block = 64
	var next atomic.Int64
	var stop atomic.Bool
	var once sync.Once
	var first error
	fail := func(err error) {
		once.Do(func() { first = err })
		stop.Store(true)
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			read, cache := g.cr.h.NewReader(), git.NewTreeCache(4096)
			var paths []string
			for !stop.Load() {
				first := int(next.Add(block) - block)
				if first >= len(cs) {
					return
				}
				for k := first; k < min(first+block, len(cs)); k++ {
					paths = paths[:0]
					err := g.cr.h.DiffTrees(read, cache, pairs[k].from, pairs[k].to, func(p string) error {
						paths = append(paths, p)
						return nil
					})
					if err == nil {
						err = visit(k, read, paths)
					}
					if err != nil {
						fail(wrapMissing(err, g.cr.path, g.ns.at(cs[k]).hash))
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// decoded makes sure node i's commit is decoded.
func (g *graph) decoded(i int32) error {
	if g.ns.at(i).state >= nodeDecoded {
		return nil
	}
	return g.decode(i)
}

// assignOwned is assign with an ownership of its own: every commit
// reachable from starts[d] and from no earlier start belongs to d, as
// owner records (owner is grown to the nodes read, -1 for none), leaving
// the nodes' own owner (the repository's change sets) as it was. It
// returns the commits of each start.
func (g *graph) assignOwned(starts []int32, owner *[]int32) ([][]int32, error) {
	grow := func() {
		for len(*owner) < int(g.ns.len()) {
			*owner = append(*owner, -1)
		}
	}
	out := make([][]int32, len(starts))
	var stack []int32
	for d, s := range starts {
		grow()
		if s < 0 || (*owner)[s] >= 0 {
			continue
		}
		(*owner)[s] = int32(d)
		stack = append(stack[:0], s)
		for len(stack) > 0 {
			c := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			out[d] = append(out[d], c)
			if err := g.link(c); err != nil {
				return nil, err
			}
			if err := g.decoded(c); err != nil {
				return nil, err
			}
			grow()
			ps := g.ns.at(c).parents
			for k := len(ps) - 1; k >= 0; k-- {
				if p := ps[k]; (*owner)[p] < 0 {
					(*owner)[p] = int32(d)
					stack = append(stack, p)
				}
			}
		}
	}
	return out, nil
}
