package gen

import (
	"fmt"
	"sort"
	"strings"
)

// monoTrees are the top-level trees of the monorepo layout (Options.Monorepo):
// services, front ends, shared libraries, documentation and tooling, each
// with folders of files below.
var monoTrees = []struct {
	path, ext string
	weight    int // how often a commit starts in it
}{
	{"services/api", "go", 8}, {"services/billing", "go", 5}, {"services/search", "go", 3},
	{"web/app", "ts", 7}, {"web/admin", "ts", 3},
	{"libs/common", "go", 3}, {"libs/proto", "proto", 2},
	{"docs", "md", 2}, {"tools/ci", "sh", 1}, {"infra/k8s", "yaml", 1},
}

const (
	monoFolders = 8  // folders of each tree
	monoFiles   = 12 // files of each folder
)

// monoPath is file f of folder d of tree t.
func monoPath(t, d, f int) string {
	tr := monoTrees[t]
	return fmt.Sprintf("%s/pkg%02d/file%02d.%s", tr.path, d, f, tr.ext)
}

// monoInitial is every file of the monorepo layout, at its first version.
func monoInitial() []File {
	out := []File{{Path: CodeownersPath, Content: monoOwners}}
	for t := range monoTrees {
		for d := 0; d < monoFolders; d++ {
			for f := 0; f < monoFiles; f++ {
				out = append(out, File{Path: monoPath(t, d, f), Content: fmt.Sprintf("// %s\n", monoPath(t, d, f))})
			}
		}
	}
	return out
}

// monoEdit is the files a commit of the monorepo layout writes: one to
// five files of one folder of a tree (weighted), a quarter of the time
// one of them in another tree (a change that touches two services, or a
// service and a library).
func (g *generator) monoEdit(subject string) []File {
	pick := func() int {
		total := 0
		for _, t := range monoTrees {
			total += t.weight
		}
		n := g.rnd.IntN(total)
		for i, t := range monoTrees {
			if n < t.weight {
				return i
			}
			n -= t.weight
		}
		return 0
	}
	tree, dir := pick(), g.rnd.IntN(monoFolders)
	n := 1 + g.rnd.IntN(5)
	seen := map[string]bool{}
	var out []File
	add := func(t, d, f int) {
		p := monoPath(t, d, f)
		if seen[p] {
			return
		}
		seen[p] = true
		out = append(out, File{Path: p, Content: fmt.Sprintf("// %s\n// %s\nconst v%d = %d\n", p, strings.TrimSpace(subject), len(g.m.Commits), g.rnd.IntN(1<<30))})
	}
	for len(out) < n {
		add(tree, dir, g.rnd.IntN(monoFiles))
	}
	if g.rnd.IntN(4) == 0 {
		add(pick(), g.rnd.IntN(monoFolders), g.rnd.IntN(monoFiles))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// MonoPath is the path the monorepo layout gives file file of module mod
// of the default layout (src/modMM/fileFF.go), so that what names a file
// of one layout names a file of the other.
func MonoPath(mod, file int) string {
	t := mod % len(monoTrees)
	return monoPath(t, (mod/len(monoTrees))%monoFolders, file%monoFiles)
}

// CodeownersPath is where the monorepo layout keeps its CODEOWNERS file.
const CodeownersPath = ".github/CODEOWNERS"

// monoOwners is the monorepo's CODEOWNERS at first, and after the commit
// half way through its history that moves web/admin to the billing team
// and gives search a team of its own.
const (
	monoOwners = "# Who reviews what (GitHub reads the last matching line).\n" +
		"/services/api/ @acme/api\n/services/billing/ @acme/billing\n/services/search/ @acme/api\n" +
		"/web/ @acme/frontend\n/libs/ @acme/platform\n/docs/ @acme/docs\n/tools/ @acme/platform\n/infra/ @acme/platform\n"
	monoOwnersLater = monoOwners + "/web/admin/ @acme/billing\n/services/search/ @acme/search\n"
)

// ownersStep is the trunk commit that hands web/admin to the billing team,
// once the history is half written; it reports whether it made it.
func (g *generator) ownersStep() bool {
	if !g.o.Monorepo || g.ownersMoved || len(g.m.Commits) < g.o.Commits/2 {
		return false
	}
	g.ownersMoved = true
	p := g.person()
	g.head, g.root = g.emit(Commit{Parents: []int{g.head}, Author: g.sig(p), Committer: g.sig(p), Message: "Hand web/admin to the billing team\n",
		Files: []File{{Path: CodeownersPath, Content: monoOwnersLater}}, Kind: Direct, Reverts: -1}, g.root)
	g.trunk = append(g.trunk, g.head)
	return true
}
