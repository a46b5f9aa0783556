package gen

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// Options shape a generated history. DefaultOptions gives a typical team;
// Generate uses the values as given.
type Options struct {
	Seed     uint64
	Commits  int       // commits to generate (the result has about this many)
	Releases int       // release tags v1.M.P along the trunk
	Start    time.Time // time of the first commit
	PerDay   float64   // commits a working day, on average
	Authors  int       // human authors

	FeatureShare     float64 // share of work done on feature branches
	RebaseShare      float64 // share of feature branches rebased onto the trunk instead of merged
	BotShare         float64 // share of new branches that are a bot's dependency bump
	RevertShare      float64 // share of direct trunk commits that revert a recent commit
	LightweightShare float64 // share of release tags that are lightweight
	OtherTags        int     // tags that do not match v* (nightly-…, docs-…)
	OpenBranches     int     // feature branches worked on at once, at most
	// Monorepo lays the files out as a monorepo (layout.go): several
	// top-level trees (services/…, web/…, libs/…, docs, tools, infra),
	// commits writing one to five files, some in two trees.
	Monorepo bool
}

// DefaultOptions is a team of 12 committing 20 times a working day, with
// a release every 50 commits.
func DefaultOptions() Options {
	return Options{
		Seed:             1,
		Commits:          1000,
		Releases:         20,
		Start:            time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC),
		PerDay:           20,
		Authors:          12,
		FeatureShare:     0.6,
		RebaseShare:      0.25,
		BotShare:         0.08,
		RevertShare:      0.01,
		LightweightShare: 0.2,
		OtherTags:        3,
		OpenBranches:     4,
	}
}

// Trunk is the branch Generate develops on.
const Trunk = "refs/heads/main"

var (
	firstNames = []string{"Ada", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger", "Radia", "Donald", "Shafi", "Tim", "Hedy", "Alan", "Katherine", "John", "Sophie", "Guido", "Anita"}
	lastNames  = []string{"Lovelace", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen", "Dijkstra", "Perlman", "Knuth", "Goldwasser", "Berners-Lee", "Lamarr", "Turing", "Johnson", "Backus", "Wilson", "van Rossum", "Borg"}
	zones      = []int{0, 3600, 7200, -5 * 3600, 19800, -8 * 3600, 32400}
	verbs      = []string{"Fix", "Add", "Refactor", "Remove", "Speed up", "Document", "Test", "Handle", "Validate", "Log"}
	objects    = []string{"retry in HTTP client", "nil check in parser", "cache eviction", "login rate limit", "CSV export", "config reload", "metrics endpoint", "session timeout", "input sanitising", "error wrapping", "pagination", "TLS settings", "SQL query builder", "webhook signature", "audit log"}
	libraries  = []string{"golang.org/x/net", "golang.org/x/crypto", "github.com/stretchr/testify", "google.golang.org/grpc", "github.com/prometheus/client_golang"}
	bots       = []Person{
		{Name: "dependabot[bot]", Email: "49699333+dependabot[bot]@users.noreply.github.com", Zone: time.UTC},
		{Name: "renovate[bot]", Email: "29139614+renovate[bot]@users.noreply.github.com", Zone: time.UTC},
	}
)

const (
	modules        = 24
	filesPerModule = 16
)

type pending struct {
	author Signature
	msg    string
	files  []File
}

type branch struct {
	name     string
	author   Person
	kind     Kind // Feature or Bot
	base     int
	baseRoot *node
	planned  int
	pending  []pending
	changed  []File // last version of every file the branch wrote, in first-write order
	slot     map[string]int
}

func (b *branch) ready() bool { return len(b.pending) >= b.planned }

type generator struct {
	o        Options
	rnd      *rand.Rand
	m        *Model
	now      time.Time
	people   []Person
	head     int // trunk tip
	root     *node
	trunk    []int // trunk commits that may be reverted, oldest first
	reverted map[int]bool
	open     []*branch
	pr       int
	zones    map[int]*time.Location
	// ownersMoved: the monorepo's CODEOWNERS changed (layout.go).
	ownersMoved bool
}

// Generate makes a history as o describes. The same o gives the same Model.
func Generate(o Options) (*Model, error) {
	if o.Commits < 1 {
		return nil, fmt.Errorf("gen: Commits is %d, want at least 1", o.Commits)
	}
	if o.PerDay <= 0 || o.Authors < 1 || o.OpenBranches < 1 {
		return nil, fmt.Errorf("gen: PerDay, Authors and OpenBranches must be positive")
	}
	g := &generator{
		o:        o,
		rnd:      rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15)),
		m:        &Model{},
		now:      o.Start,
		reverted: map[int]bool{},
		zones:    map[int]*time.Location{},
	}
	for i := 0; i < o.Authors; i++ {
		first := firstNames[i%len(firstNames)]
		last := lastNames[(i/len(firstNames)+i*7)%len(lastNames)]
		name := first + " " + last
		email := strings.ToLower(strings.ReplaceAll(first+"."+last, " ", "")) + "@example.com"
		if i >= len(firstNames) {
			email = fmt.Sprintf("%s.%d@example.com", strings.ToLower(first), i)
		}
		g.people = append(g.people, Person{Name: name, Email: email, Zone: g.zone(zones[g.rnd.IntN(len(zones))])})
	}
	g.initial()
	for len(g.m.Commits) < o.Commits {
		g.tick()
		if g.rnd.Float64() < o.FeatureShare {
			g.featureStep()
		} else {
			g.directStep()
		}
	}
	g.m.Refs = append(g.m.Refs, Ref{Name: Trunk, Commit: g.head})
	for _, b := range g.open { // work in progress stays on its branch
		if len(b.pending) > 0 {
			tip, _ := g.emitBranch(b)
			g.m.Refs = append(g.m.Refs, Ref{Name: "refs/heads/" + b.name, Commit: tip})
		}
	}
	g.tags()
	return g.m, nil
}

func (g *generator) zone(off int) *time.Location {
	if z, ok := g.zones[off]; ok {
		return z
	}
	z := time.FixedZone(fmt.Sprintf("UTC%+03d%02d", off/3600, abs(off)%3600/60), off)
	g.zones[off] = z
	return z
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// tick moves the clock to the next moment of work: weekdays, 08:00-19:00 UTC.
func (g *generator) tick() {
	gap := time.Duration(g.rnd.ExpFloat64() * float64(11*time.Hour) / g.o.PerDay)
	g.now = g.now.Add(gap + time.Second)
	for {
		wd := g.now.Weekday()
		switch {
		case wd == time.Saturday || wd == time.Sunday:
			g.now = nextMorning(g.now)
		case g.now.Hour() >= 19:
			g.now = nextMorning(g.now)
		case g.now.Hour() < 8:
			g.now = time.Date(g.now.Year(), g.now.Month(), g.now.Day(), 8, 0, 0, 0, time.UTC).Add(time.Duration(g.rnd.IntN(3600)) * time.Second)
		default:
			return
		}
	}
}

func nextMorning(t time.Time) time.Time {
	d := t.AddDate(0, 0, 1)
	return time.Date(d.Year(), d.Month(), d.Day(), 8, 0, 0, 0, time.UTC)
}

func (g *generator) person() Person { return g.people[g.rnd.IntN(len(g.people))] }

func (g *generator) sig(p Person) Signature { return Signature{Person: p, When: g.now} }

func (g *generator) subject() string {
	return verbs[g.rnd.IntN(len(verbs))] + " " + objects[g.rnd.IntN(len(objects))]
}

func filePath(mod, file int) string { return fmt.Sprintf("src/mod%02d/file%02d.go", mod, file) }

// edit is the files a commit with subject writes: one to three files of one module.
func (g *generator) edit(subject string) []File {
	if g.o.Monorepo {
		return g.monoEdit(subject)
	}
	mod := g.rnd.IntN(modules)
	n := 1 + g.rnd.IntN(3)
	var out []File
	seen := map[int]bool{}
	for len(out) < n {
		f := g.rnd.IntN(filesPerModule)
		if seen[f] {
			continue
		}
		seen[f] = true
		out = append(out, File{Path: filePath(mod, f), Content: fmt.Sprintf("package mod%02d\n\n// %s\nconst v%d = %d\n", mod, subject, len(g.m.Commits), g.rnd.IntN(1<<30))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// emit appends a commit written over root and returns its index and tree.
func (g *generator) emit(c Commit, root *node) (int, *node) {
	root = apply(root, c.Files, nil)
	c.Tree = root.hash(nil).String()
	parents := make([]string, len(c.Parents))
	for i, p := range c.Parents {
		parents[i] = g.m.Commits[p].Hash
	}
	c.Hash = objectHash(plumbing.CommitObject, commitBody(c.Tree, parents, c.Author, c.Committer, c.Message)).String()
	g.m.Commits = append(g.m.Commits, c)
	return len(g.m.Commits) - 1, root
}

func (g *generator) initial() {
	var files []File
	files = append(files, File{Path: "README.md", Content: "# service\n\nA generated repository.\n"}, File{Path: "go.mod", Content: "module example.com/service\n\ngo 1.22\n"})
	for mod := 0; mod < modules && !g.o.Monorepo; mod++ {
		for f := 0; f < filesPerModule; f++ {
			files = append(files, File{Path: filePath(mod, f), Content: fmt.Sprintf("package mod%02d\n", mod)})
		}
	}
	if g.o.Monorepo {
		files = append(files, monoInitial()...)
	}
	p := g.person()
	g.head, g.root = g.emit(Commit{Author: g.sig(p), Committer: g.sig(p), Message: "Initial commit\n", Files: files, Kind: Direct, Reverts: -1}, nil)
}

func (g *generator) directStep() {
	if g.ownersStep() {
		return
	}
	p := g.person()
	if len(g.trunk) > 0 && g.rnd.Float64() < g.o.RevertShare {
		if g.revert(p) {
			return
		}
	}
	s := g.subject()
	g.head, g.root = g.emit(Commit{Parents: []int{g.head}, Author: g.sig(p), Committer: g.sig(p), Message: s + "\n", Files: g.edit(s), Kind: Direct, Reverts: -1}, g.root)
	g.trunk = append(g.trunk, g.head)
}

// revert reverts one of the last trunk commits not reverted yet.
func (g *generator) revert(p Person) bool {
	lo := max(0, len(g.trunk)-30)
	t := g.trunk[lo+g.rnd.IntN(len(g.trunk)-lo)]
	if g.reverted[t] {
		return false
	}
	g.reverted[t] = true
	target := &g.m.Commits[t]
	msg := fmt.Sprintf("Revert %q\n\nThis reverts commit %s.\n", target.Subject(), target.Hash)
	if g.rnd.IntN(5) == 0 { // some people delete the body
		msg = fmt.Sprintf("Revert %q\n", target.Subject())
	}
	var files []File
	for _, f := range target.Files {
		files = append(files, File{Path: f.Path, Content: f.Content + "// reverted\n"})
	}
	g.head, g.root = g.emit(Commit{Parents: []int{g.head}, Author: g.sig(p), Committer: g.sig(p), Message: msg, Files: files, Kind: Revert, Reverts: t}, g.root)
	return true
}

func (g *generator) featureStep() {
	if len(g.open) == 0 || (len(g.open) < g.o.OpenBranches && g.rnd.Float64() < 0.3) {
		g.openBranch()
		return
	}
	i := g.rnd.IntN(len(g.open))
	b := g.open[i]
	if b.ready() {
		g.open = append(g.open[:i], g.open[i+1:]...)
		g.land(b)
		return
	}
	g.work(b)
}

func (g *generator) openBranch() {
	g.pr++
	b := &branch{base: g.head, baseRoot: g.root, slot: map[string]int{}, kind: Feature, planned: 1 + g.rnd.IntN(6)}
	if g.rnd.Float64() < g.o.BotShare {
		bot := bots[g.rnd.IntN(len(bots))]
		lib := libraries[g.rnd.IntN(len(libraries))]
		minor := 1 + g.rnd.IntN(40)
		s := fmt.Sprintf("Bump %s from 0.%d.0 to 0.%d.0", lib, minor, minor+1)
		b.name = fmt.Sprintf("dependabot/go_modules/%s-0.%d.0", lib, minor+1)
		b.author, b.kind, b.planned = bot, Bot, 1
		b.pending = append(b.pending, pending{author: g.sig(bot), msg: s + "\n\nBumps " + lib + ".\n", files: []File{{Path: "go.mod", Content: fmt.Sprintf("module example.com/service\n\ngo 1.22\n\nrequire %s v0.%d.0\n", lib, minor+1)}}})
		b.record(b.pending[0].files)
	} else {
		b.author = g.person()
		b.name = fmt.Sprintf("feature/%d-%s", g.pr, strings.ToLower(strings.Fields(b.author.Name)[0]))
		g.work(b)
	}
	g.open = append(g.open, b)
}

func (b *branch) record(files []File) {
	for _, f := range files {
		if i, ok := b.slot[f.Path]; ok {
			b.changed[i] = f
			continue
		}
		b.slot[f.Path] = len(b.changed)
		b.changed = append(b.changed, f)
	}
}

func (g *generator) work(b *branch) {
	s := g.subject()
	files := g.edit(s)
	b.pending = append(b.pending, pending{author: g.sig(b.author), msg: s + "\n", files: files})
	b.record(files)
}

// emitBranch writes a branch's commits on top of its base.
func (g *generator) emitBranch(b *branch) (int, *node) {
	tip, root := b.base, b.baseRoot
	for _, p := range b.pending {
		tip, root = g.emit(Commit{Parents: []int{tip}, Author: p.author, Committer: p.author, Message: p.msg, Files: p.files, Kind: b.kind, Reverts: -1}, root)
	}
	return tip, root
}

// land merges a ready branch into the trunk: a merge commit, or its
// commits replayed onto the trunk (author dates kept, committed now).
func (g *generator) land(b *branch) {
	merger := g.person()
	if b.kind == Bot || g.rnd.Float64() >= g.o.RebaseShare {
		tip, _ := g.emitBranch(b)
		login := strings.ToLower(strings.Fields(b.author.Name)[0])
		msg := fmt.Sprintf("Merge pull request #%d from %s/%s\n\n%s", g.pr, login, b.name, strings.SplitN(b.pending[0].msg, "\n", 2)[0]+"\n")
		files := append([]File(nil), b.changed...)
		sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
		g.head, g.root = g.emit(Commit{Parents: []int{g.head, tip}, Author: g.sig(merger), Committer: g.sig(merger), Message: msg, Files: files, Kind: Merge, Reverts: -1}, g.root)
		return
	}
	for i, p := range b.pending {
		c := Commit{Parents: []int{g.head}, Author: p.author, Committer: Signature{Person: merger, When: g.now.Add(time.Duration(i) * time.Second)}, Message: p.msg, Files: p.files, Kind: Rebased, Reverts: -1}
		g.head, g.root = g.emit(c, g.root)
		g.trunk = append(g.trunk, g.head)
	}
}

// tags puts release tags evenly along the trunk's first-parent line, and a
// few tags that are not releases.
func (g *generator) tags() {
	var line []int
	for c := g.head; ; {
		line = append(line, c)
		if len(g.m.Commits[c].Parents) == 0 {
			break
		}
		c = g.m.Commits[c].Parents[0]
	}
	for i, j := 0, len(line)-1; i < j; i, j = i+1, j-1 {
		line[i], line[j] = line[j], line[i]
	}
	n := min(g.o.Releases, len(line)-1)
	releaser := Person{Name: "Release Bot", Email: "releases@example.com", Zone: time.UTC}
	var last time.Time
	for k := 1; k <= n; k++ {
		c := line[k*(len(line)-1)/n]
		name := fmt.Sprintf("v1.%d.%d", (k-1)/10, (k-1)%10)
		t := Tag{Name: name, Commit: c, Release: true}
		if g.rnd.Float64() >= g.o.LightweightShare {
			when := g.m.Commits[c].Committer.When.Add(time.Duration(5+g.rnd.IntN(85)) * time.Minute)
			if !when.After(last) {
				when = last.Add(time.Minute)
			}
			t.Annotated, t.Tagger, t.Message = true, Signature{Person: releaser, When: when}, "Release "+name+"\n"
			t.Hash = objectHash(plumbing.TagObject, tagBody(g.m.Commits[c].Hash, name, t.Tagger, t.Message)).String()
		}
		last = g.m.TagTime(t)
		g.m.Tags = append(g.m.Tags, t)
	}
	for k := 0; k < g.o.OtherTags; k++ {
		c := line[g.rnd.IntN(len(line))]
		when := g.m.Commits[c].Committer.When
		t := Tag{Name: "nightly-" + when.Format("20060102") + fmt.Sprintf("-%d", k), Commit: c}
		if k%2 == 1 {
			t.Name = fmt.Sprintf("docs-%d", k)
			t.Annotated, t.Tagger, t.Message = true, Signature{Person: releaser, When: when.Add(time.Hour)}, "Docs snapshot\n"
			t.Hash = objectHash(plumbing.TagObject, tagBody(g.m.Commits[c].Hash, t.Name, t.Tagger, t.Message)).String()
		}
		g.m.Tags = append(g.m.Tags, t)
	}
}
