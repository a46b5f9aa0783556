package collect

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"

	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/git"
)

// graph is the part of the history gitdora has read: commits reached
// from deployments, their parents, and (once decoded) their authors,
// dates and subjects. Topology comes from the commit-graph file when the
// repository has one (no object is inflated to walk it), else from the
// commit objects themselves.
type graph struct {
	cr      *codeRepo
	cg      *git.CommitGraph // nil without a commit-graph file
	pbuf    []git.GraphParent
	ns      nodeStore
	byHash  map[git.Hash]int32
	byGraph map[uint32]int32
	zones   zones

	progress io.Writer
	loaded   int
	pf       *prefetcher // without a commit-graph, on more than one core
	pipe     *pipeline   // with a commit-graph, on more than one core
}

// node states
const (
	nodeNew     = iota // hash known
	nodeLinked         // parents known
	nodeDecoded        // author, dates and message known
)

type node struct {
	hash    git.Hash
	parents []int32
	owner   int32 // index of the first deployment (in time order) that ships it; -1 none
	state   uint8
	gidx    int64 // index in the commit-graph; -1 when not in it or not looked up
	info    commitInfo
}

// nodeStore holds the nodes in blocks of a fixed size, so that adding one
// never copies the others (a history of a million commits would be copied
// about twenty times while its slice doubled) and a pointer to a node stays
// valid.
type nodeStore struct {
	blocks [][]node
	n      int32
}

const nodeBlock = 1 << 12

// at is node i (from 0, below len).
func (s *nodeStore) at(i int32) *node { return &s.blocks[i/nodeBlock][i%nodeBlock] }

// len is the number of nodes.
func (s *nodeStore) len() int32 { return s.n }

// add appends n and returns its index.
func (s *nodeStore) add(n node) int32 {
	if s.n%nodeBlock == 0 {
		s.blocks = append(s.blocks, make([]node, 0, nodeBlock))
	}
	b := &s.blocks[len(s.blocks)-1]
	*b = append(*b, n)
	s.n++
	return s.n - 1
}

func newGraph(cr *codeRepo, progress io.Writer) *graph {
	g := &graph{cr: cr, byHash: map[git.Hash]int32{}, byGraph: map[uint32]int32{}, zones: zones{}, progress: progress}
	g.cg = cr.h.CommitGraph()
	switch procs := runtime.GOMAXPROCS(0); {
	case procs == 1:
	case g.cg == nil:
		g.pf = newPrefetcher(cr.objects, min(procs-1, 3))
	default:
		g.pipe = newPipeline(cr.objects, min(procs, 4))
	}
	return g
}

func (g *graph) close() {
	g.stopPrefetch()
	if g.pipe != nil {
		g.pipe.finish(g)
		g.pipe = nil
	}
	if g.cg != nil {
		g.cg.Close()
	}
}

func (g *graph) stopPrefetch() {
	if g.pf != nil {
		g.pf.close()
		g.pf = nil
	}
}

// node returns the index of the node of h, adding it when new.
func (g *graph) node(h git.Hash) int32 {
	if i, ok := g.byHash[h]; ok {
		return i
	}
	i := g.ns.add(node{hash: h, owner: -1, gidx: -2})
	g.byHash[h] = i
	return i
}

// graphNode returns the node of the commit-graph entry gi whose hash is h.
func (g *graph) graphNode(gi uint32, h git.Hash) int32 {
	if i, ok := g.byGraph[gi]; ok {
		return i
	}
	i := g.node(h)
	g.ns.at(i).gidx = int64(gi)
	g.byGraph[gi] = i
	return i
}

// missingError says what to run when the history is incomplete. It
// names the code repository's input, repo (fact.Worded).
type missingError struct {
	repo      string
	hash      git.Hash
	childOf   git.Hash
	shallow   bool
	unreadErr error
}

func (e *missingError) Error() string { return e.Word(nil) }

// Word is the message with the repository's input worded by n.
func (e *missingError) Word(n fact.Naming) string {
	repo := n.Of("repo") + " " + e.repo
	what := fmt.Sprintf("commit %s", e.hash)
	if !e.childOf.IsZero() {
		what = fmt.Sprintf("commit %s (a parent of %s)", e.hash, e.childOf)
	}
	if e.unreadErr != nil {
		return fmt.Sprintf("%s: cannot read %s: %v", repo, what, e.unreadErr)
	}
	if e.shallow {
		return fmt.Sprintf("%s is a shallow clone (its history stops at %s), so what each deployment shipped cannot be known. "+
			"Fetch the full history first: git fetch --unshallow (in GitHub Actions: actions/checkout with fetch-depth: 0)", repo, e.hash.String()[:12])
	}
	return fmt.Sprintf("%s: %s is missing, the history is incomplete. "+
		"Fetch it: git fetch --unshallow if the clone is shallow, else git fetch origin (a partial clone also needs its history: git fetch --refetch)", repo, what)
}

// wrapMissing says what went wrong reading commit h of repo.
func wrapMissing(err error, repo string, h git.Hash) error {
	if errors.Is(err, errMissing) {
		return &missingError{repo: repo, hash: h}
	}
	return &missingError{repo: repo, hash: h, unreadErr: err}
}

// link makes the parents of node i known.
func (g *graph) link(i int32) error {
	n := g.ns.at(i)
	if n.state >= nodeLinked {
		return nil
	}
	if g.cg != nil && n.gidx == -2 {
		n.gidx = -1
		if gi, ok := g.cg.Index(n.hash); ok {
			n.gidx = int64(gi)
			g.byGraph[gi] = i
		}
	}
	if n.gidx >= 0 {
		ps, err := g.cg.Parents(uint32(n.gidx), g.pbuf[:0])
		g.pbuf = ps
		if err == nil {
			parents := make([]int32, len(ps))
			for k, p := range ps {
				parents[k] = g.graphNode(p.Index, p.Hash)
			}
			n = g.ns.at(i)
			n.parents, n.state = parents, nodeLinked
			g.tick()
			return nil
		}
		n.gidx = -1 // unreadable entry: read the object
	}
	return g.decode(i)
}

// decode reads node i's commit object.
func (g *graph) decode(i int32) error {
	h := g.ns.at(i).hash
	var info commitInfo
	var err error
	fetched := false
	if g.pf != nil {
		info, err, fetched = g.pf.take(h)
	}
	if !fetched {
		var b []byte
		if b, err = g.cr.objects.read(h, git.CommitObject); err == nil {
			info, err = parseCommit(b, g.zones)
		}
	}
	if err != nil {
		return wrapMissing(err, g.cr.path, h)
	}
	g.attach(i, info)
	return nil
}

// decodeFrom decodes node i from b, its commit object already read.
func (g *graph) decodeFrom(i int32, b []byte) error {
	info, err := parseCommit(b, g.zones)
	if err != nil {
		return wrapMissing(err, g.cr.path, g.ns.at(i).hash)
	}
	g.attach(i, info)
	return nil
}

// attach records node i's decoded commit and links its parents.
func (g *graph) attach(i int32, info commitInfo) {
	if g.pf != nil {
		for _, p := range info.parents[min(1, len(info.parents)):] {
			g.pf.submit(p) // the branches a merge brought in
		}
	}
	var parents []int32
	if g.ns.at(i).state < nodeLinked {
		parents = make([]int32, len(info.parents))
		for k, p := range info.parents {
			parents[k] = g.node(p)
		}
	}
	n := g.ns.at(i)
	if n.state < nodeLinked {
		n.parents = parents
		g.tick()
	}
	info.parents = nil
	n.info, n.state = info, nodeDecoded
}

func (g *graph) tick() {
	g.loaded++
	if g.progress != nil && g.loaded%10000 == 0 {
		fmt.Fprintf(g.progress, "\rgitdora: reading history: %d commits", g.loaded)
	}
}

func (g *graph) doneProgress() {
	if g.progress != nil && g.loaded >= 10000 {
		fmt.Fprintf(g.progress, "\rgitdora: reading history: %d commits\n", g.loaded)
	}
}

// assign walks the history once: every commit reachable from starts[d]
// and from no earlier start belongs to d (starts are in deployment time
// order; -1 is skipped). It returns the commits of each start, every one
// decoded.
func (g *graph) assign(starts []int32) ([][]int32, error) {
	defer g.stopPrefetch()
	if g.pf != nil { // the latest deployments' commits are read while the earliest are walked
		for k := len(starts) - 1; k >= 0; k-- {
			if s := starts[k]; s >= 0 && g.ns.at(s).owner < 0 {
				g.pf.submit(g.ns.at(s).hash)
			}
		}
	}
	out := make([][]int32, len(starts))
	var stack []int32
	for d, s := range starts {
		if s < 0 || g.ns.at(s).owner >= 0 {
			continue
		}
		g.ns.at(s).owner = int32(d)
		stack = append(stack[:0], s)
		for len(stack) > 0 {
			c := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			out[d] = append(out[d], c)
			err := g.link(c)
			if err == nil && g.ns.at(c).state < nodeDecoded { // linked from the commit-graph
				if g.pipe != nil {
					g.pipe.add(c, g.ns.at(c).hash)
				} else {
					err = g.decode(c)
				}
			}
			if err != nil {
				var me *missingError
				if errors.As(err, &me) && me.unreadErr == nil {
					me.childOf = g.childOf(c, out[d])
				}
				return nil, err
			}
			ps := g.ns.at(c).parents
			for k := len(ps) - 1; k >= 0; k-- { // first parents first
				if p := ps[k]; g.ns.at(p).owner < 0 {
					g.ns.at(p).owner = int32(d)
					stack = append(stack, p)
				}
			}
		}
	}
	if g.pipe != nil {
		err := g.pipe.finish(g)
		g.pipe = nil
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// childOf finds a commit among cs whose parent is c (for messages).
func (g *graph) childOf(c int32, cs []int32) git.Hash {
	for _, x := range cs {
		for _, p := range g.ns.at(x).parents {
			if p == c {
				return g.ns.at(x).hash
			}
		}
	}
	return git.ZeroHash
}

// sortByCommitTime orders commits oldest first (then by hash).
func (g *graph) sortByCommitTime(cs []int32) {
	sort.Slice(cs, func(a, b int) bool {
		x, y := &g.ns.at(cs[a]).info, &g.ns.at(cs[b]).info
		if !x.committed.Equal(y.committed) {
			return x.committed.Before(y.committed)
		}
		return bytes.Compare(g.ns.at(cs[a]).hash[:], g.ns.at(cs[b]).hash[:]) < 0
	})
}

// resolve finds the commit named by a full or abbreviated object name among
// the nodes read; -1 when there is none or the prefix is ambiguous.
func (g *graph) resolve(name string) int32 {
	if len(name) == 40 {
		if h, ok := parseHash([]byte(name)); ok {
			if i, ok := g.byHash[h]; ok {
				return i
			}
		}
		return -1
	}
	if !isHex(name) {
		return -1
	}
	found := int32(-1)
	for i := range g.ns.len() {
		if hasHexPrefix(g.ns.at(i).hash, name) {
			if found >= 0 {
				return -1
			}
			found = int32(i)
		}
	}
	return found
}

func hasHexPrefix(h git.Hash, p string) bool {
	const digits = "0123456789abcdef"
	for k := 0; k < len(p); k++ {
		b := h[k/2]
		if k%2 == 0 {
			b >>= 4
		}
		if digits[b&15] != p[k] {
			return false
		}
	}
	return true
}
