package collect

import (
	"sync"

	"github.com/gitdora/gitdora/internal/git"
)

// prefetcher decodes commits ahead of the walk on other cores when the
// repository has no commit-graph file (without one, a commit's parents
// are known only once it is inflated, so a single walk cannot spread).
// The walk goes through deployments from the earliest and follows first
// parents; the prefetcher is handed the deployments' commits from the
// latest, then the branches that merges bring in, and its workers decode
// each down its first parents until they meet a commit someone has
// claimed, or for at most prefetchChain commits.
// Decoding is pure, so what is read does not depend on who read it.
type prefetcher struct {
	mu    sync.Mutex
	slots map[git.Hash]*slot
	queue chan git.Hash
	stop  chan struct{}
	wg    sync.WaitGroup
}

type slot struct {
	done chan struct{}
	info commitInfo
	err  error
}

// taken marks a commit the walk decoded itself or has collected.
var taken = &slot{}

const prefetchChain = 64

func newPrefetcher(objs *objectReader, workers int) *prefetcher {
	p := &prefetcher{slots: map[git.Hash]*slot{}, queue: make(chan git.Hash, 1<<12), stop: make(chan struct{})}
	for w := 0; w < workers; w++ {
		r, z := objs.fork(), zones{}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for {
				select {
				case h := <-p.queue:
					p.chain(r, z, h)
				case <-p.stop:
					return
				}
			}
		}()
	}
	return p
}

func (p *prefetcher) chain(r *objectReader, z zones, h git.Hash) {
	for n := 0; n < prefetchChain; n++ {
		select {
		case <-p.stop:
			return
		default:
		}
		p.mu.Lock()
		if _, ok := p.slots[h]; ok {
			p.mu.Unlock()
			return
		}
		s := &slot{done: make(chan struct{})}
		p.slots[h] = s
		p.mu.Unlock()
		b, err := r.read(h, git.CommitObject)
		if err == nil {
			s.info, err = parseCommit(b, z)
		}
		s.err = err
		close(s.done)
		if err != nil || len(s.info.parents) == 0 {
			return
		}
		h = s.info.parents[0]
	}
}

// take returns commit h as a worker decoded it, waiting if it is being
// decoded; ok is false when no worker has it, and then it is the caller's.
func (p *prefetcher) take(h git.Hash) (info commitInfo, err error, ok bool) {
	p.mu.Lock()
	s, found := p.slots[h]
	p.slots[h] = taken
	p.mu.Unlock()
	if !found || s == taken {
		return commitInfo{}, nil, false
	}
	<-s.done
	return s.info, s.err, true
}

// submit asks for h and its first parents to be decoded; dropped when busy.
func (p *prefetcher) submit(h git.Hash) {
	select {
	case p.queue <- h:
	default:
	}
}

func (p *prefetcher) close() {
	close(p.stop)
	p.wg.Wait()
}

// pipeline decodes commits on other cores while the walk goes on: with a
// commit-graph file the walk needs no object, so each commit it reaches
// is handed over and decoded meanwhile. Workers keep their results apart
// from the graph, which finish copies in once the walk is done.
type pipeline struct {
	in      chan pipeJob
	wg      sync.WaitGroup
	results [][]pipeResult
	errs    []error
}

type pipeJob struct {
	i int32
	h git.Hash
}

type pipeResult struct {
	i    int32
	info commitInfo
}

func newPipeline(objs *objectReader, workers int) *pipeline {
	p := &pipeline{in: make(chan pipeJob, 1<<10), results: make([][]pipeResult, workers), errs: make([]error, workers)}
	for w := 0; w < workers; w++ {
		r, z := objs.fork(), zones{}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for j := range p.in {
				if p.errs[w] != nil {
					continue
				}
				b, err := r.read(j.h, git.CommitObject)
				var info commitInfo
				if err == nil {
					info, err = parseCommit(b, z)
				}
				if err != nil {
					p.errs[w] = wrapMissing(err, "", j.h)
					continue
				}
				info.parents = nil
				p.results[w] = append(p.results[w], pipeResult{j.i, info})
			}
		}()
	}
	return p
}

func (p *pipeline) add(i int32, h git.Hash) { p.in <- pipeJob{i, h} }

// finish waits for the workers and gives the graph what they decoded.
func (p *pipeline) finish(g *graph) error {
	close(p.in)
	p.wg.Wait()
	for _, rs := range p.results {
		for _, r := range rs {
			n := g.ns.at(r.i)
			if n.state < nodeDecoded {
				n.info, n.state = r.info, nodeDecoded
			}
		}
	}
	for _, err := range p.errs {
		if err != nil {
			if me, ok := err.(*missingError); ok {
				me.repo = g.cr.path
			}
			return err
		}
	}
	return nil
}
