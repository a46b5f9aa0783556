package collect

import (
	"fmt"
	"regexp"
	"sync"
	"time"

	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/git"
)

// pullSubject matches a subject that names its pull request at its end,
// as GitHub's squash merges do: "Add x (#7)".
var pullSubject = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\(#([1-9][0-9]{0,9})\)\s*$`) })

// pullRefs is the folder of the refs of pull requests.
const pullRefs = "refs/pull"

// headLimit bounds the commits read to find what a pull request's head
// adds to the history of its squash merge: a pull request of thousands
// of commits, or a head of unrelated history, is not used.
const headLimit = 10000

// startOf is where the lead time of change c (the node of commit sha)
// starts when not at its own date (docs/metrics.md, "Squash merges"):
// the earliest commit of its pull request's head (refs/pull/N/head)
// that its first parent does not reach; else the first commit of the
// imported pull request whose merge_sha it is. ok is false otherwise,
// and with lead_time.squash: off (h.starts is nil then).
func (h *history) startOf(c int32, sha string) (s start, ok bool) {
	if h.starts == nil {
		return start{}, false
	}
	if s, ok := h.headStart(c); ok {
		return s, true // the head wins over merge_sha
	}
	s, ok = h.starts[sha]
	return s, ok
}

// headStart is the start change c takes from its pull request's head,
// when the first line of its subject names the pull request and the
// repository holds the head: the earliest author date (committer date
// with lead_time.start: committer) among the head's commits not reachable
// from c's first parent. A head that cannot be read is a problem, and not
// used.
func (h *history) headStart(c int32) (start, bool) {
	g := h.g
	n := g.ns.at(c)
	m := pullSubject().FindStringSubmatch(n.info.title())
	if m == nil {
		return start{}, false
	}
	if h.heads == nil {
		// One read of every pull request's ref, rather than a look-up of
		// packed-refs per squash merge.
		h.heads = map[string]git.Hash{}
		refs, err := g.cr.h.Refs(pullRefs)
		if err != nil {
			h.f.Problems = append(h.f.Problems, fact.Problem{File: pullRefs, Msg: fmt.Sprintf("%v; squash merges start at their own date, or their imported pull's first commit", err)})
		}
		for _, r := range refs {
			h.heads[r.Name] = r.Hash
		}
	}
	ref := pullRefs + "/" + m[1] + "/head"
	head, ok := h.heads[ref]
	if !ok {
		return start{}, false
	}
	problem := func(err error) (start, bool) {
		h.f.Problems = append(h.f.Problems, fact.Problem{File: ref,
			Msg: fmt.Sprintf("%v; the lead time of %s starts at its own date", err, n.hash.String()[:12])})
		return start{}, false
	}
	var base git.Hash
	if len(n.parents) > 0 {
		base = g.ns.at(n.parents[0]).hash
	}
	commits, err := g.cr.h.RevList(head, base, headLimit)
	if err != nil {
		return problem(err)
	}
	committer := h.o.Config.LeadTime.Start == "committer"
	var at time.Time
	for _, x := range commits {
		b, err := g.cr.objects.read(x, git.CommitObject)
		if err != nil {
			return problem(err)
		}
		info, err := parseCommit(b, g.zones)
		if err != nil {
			return problem(fmt.Errorf("commit %s: %w", x, err))
		}
		t := info.authored
		if committer {
			t = info.committed
		}
		if at.IsZero() || t.Before(at) {
			at = t
		}
	}
	if at.IsZero() {
		return start{}, false // the head adds nothing: it was merged, not squashed
	}
	return start{at: at, by: ref}, true
}
