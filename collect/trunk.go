package collect

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
)

// Where the name of the trunk came from (fact.Facts.TrunkFrom).
const (
	TrunkFromConfig  = "gitdora.yml"
	TrunkFromRemote  = "origin/HEAD"
	TrunkFromHEAD    = "HEAD"
	TrunkFromDefault = "default"
)

// FindTrunk is the trunk of the code repository at repoPath when
// gitdora.yml does not name one (docs/metrics.md, "The trunk"): the
// remote's default branch (refs/remotes/origin/HEAD), else the branch HEAD
// points at, else main. from says which it was.
func FindTrunk(repoPath string) (name, from string) {
	r, err := data.OpenRepo(repoPath)
	if err == nil {
		if t, ok, err := r.SymbolicRef("refs/remotes/origin/HEAD"); err == nil && ok {
			if b, ok := strings.CutPrefix(t, "refs/remotes/origin/"); ok && b != "" && b != "HEAD" {
				return b, TrunkFromRemote
			}
		}
		if t, ok, err := r.SymbolicRef("HEAD"); err == nil && ok {
			if b, ok := strings.CutPrefix(t, "refs/heads/"); ok && b != "" {
				return b, TrunkFromHEAD
			}
		}
	}
	return "main", TrunkFromDefault
}

// trunkText names the trunk and where its name came from, for messages.
func trunkText(f *fact.Facts) string {
	switch f.TrunkFrom {
	case TrunkFromRemote:
		return fmt.Sprintf("%q (the remote's default branch, origin/HEAD)", f.Trunk)
	case TrunkFromHEAD:
		return fmt.Sprintf("%q (the branch checked out in --repo; gitdora.yml names no trunk)", f.Trunk)
	case TrunkFromDefault:
		return fmt.Sprintf("%q (gitdora.yml names no trunk, and --repo has no origin/HEAD and no branch checked out)", f.Trunk)
	}
	return fmt.Sprintf("%q (trunk in gitdora.yml)", f.Trunk)
}

// offTrunkWarnings says, for each tool whose scans are all of refs other
// than the trunk, that they take part in no finding lifecycle, naming the
// refs: once for all tools when no scan at all is of the trunk.
func offTrunkWarnings(f *fact.Facts) []string {
	type tally struct {
		trunk int
		refs  map[string]int
	}
	by := map[string]*tally{}
	var tools []string
	all := &tally{refs: map[string]int{}}
	for _, s := range f.Scans {
		t := by[s.Tool]
		if t == nil {
			t = &tally{refs: map[string]int{}}
			by[s.Tool] = t
			tools = append(tools, s.Tool)
		}
		if s.Ref == f.Trunk {
			t.trunk++
			all.trunk++
		} else {
			t.refs[s.Ref]++
			all.refs[s.Ref]++
		}
	}
	fix := fmt.Sprintf("set trunk: in gitdora.yml to the branch the scans of the trunk were ingested for, or ingest them with --ref %s", f.Trunk)
	if len(f.Scans) > 0 && all.trunk == 0 {
		return []string{fmt.Sprintf("no scan is of the trunk %s: the %d scans are of %s, so no finding is tracked and the scan figures are empty; %s",
			trunkText(f), len(f.Scans), refCounts(all.refs), fix)}
	}
	sort.Strings(tools)
	var out []string
	for _, tool := range tools {
		t := by[tool]
		if t.trunk > 0 {
			continue
		}
		n := 0
		for _, c := range t.refs {
			n += c
		}
		out = append(out, fmt.Sprintf("no scan of %s is of the trunk %s: its %d scans are of %s, so none of its findings is tracked; %s",
			tool, trunkText(f), n, refCounts(t.refs), fix))
	}
	return out
}

// refCounts lists refs with their counts, most first, at most five.
func refCounts(refs map[string]int) string {
	names := make([]string, 0, len(refs))
	for r := range refs {
		names = append(names, r)
	}
	sort.Slice(names, func(i, j int) bool {
		if refs[names[i]] != refs[names[j]] {
			return refs[names[i]] > refs[names[j]]
		}
		return names[i] < names[j]
	})
	var parts []string
	for i, r := range names {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("%d more refs", len(names)-5))
			break
		}
		label := r
		if label == "" {
			label = "(no ref)"
		}
		parts = append(parts, fmt.Sprintf("%s (%d)", label, refs[r]))
	}
	return "refs " + strings.Join(parts, ", ")
}
