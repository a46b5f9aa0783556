package collect

import (
	"bytes"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/gen"
	"github.com/gitdora/gitdora/internal/git"
	"github.com/gitdora/gitdora/internal/gittest"
)

func generated(t *testing.T, commits, releases int) (string, *gen.Model) {
	t.Helper()
	gittest.New(t) // skips without git
	o := gen.DefaultOptions()
	o.Commits, o.Releases = commits, releases
	m, err := gen.Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := gen.ImportWithGit(dir, m); err != nil {
		t.Fatal(err)
	}
	return dir, m
}

// The change set of each deployment is what `git rev-list D --not <every
// earlier deployment>` lists (`git rev-list D ^prev` on a linear
// history), with and without a commit-graph file, and after a repack that
// stores commits as deltas.
func TestChangeSetsMatchRevList(t *testing.T) {
	dir, m := generated(t, 600, 15)
	check := func(name string) {
		f := gather(t, dir, t.TempDir(), "", time.UTC)
		got := map[string][]string{}
		for _, c := range f.Changes {
			got[c.DeploymentID] = append(got[c.DeploymentID], c.SHA)
		}
		var earlier []string
		rels := m.Releases()
		if len(f.Deployments) != len(rels) {
			t.Fatalf("%s: %d deployments, want %d release tags", name, len(f.Deployments), len(rels))
		}
		for _, d := range f.Deployments {
			args := append([]string{"rev-list", d.SHA, "--not"}, earlier...)
			want := strings.Fields(gittest.MustRun(t, dir, args...))
			have := got[d.ID]
			sort.Strings(want)
			sort.Strings(have)
			if !slices.Equal(have, want) {
				t.Errorf("%s: %s shipped %d commits, git rev-list lists %d", name, d.ID, len(have), len(want))
			}
			earlier = append(earlier, d.SHA)
		}
	}
	check("objects")
	gittest.MustRun(t, dir, "commit-graph", "write", "--reachable")
	check("commit-graph")
	// commits newer than the commit-graph are read from their objects
	tip := gittest.MustRun(t, dir, "rev-parse", "main")
	for i := 0; i < 3; i++ {
		tip, _ = gittest.Run(dir, []string{"GIT_AUTHOR_DATE=2026-01-0" + string(rune('1'+i)) + "T10:00:00Z", "GIT_COMMITTER_DATE=2026-01-01T10:00:00Z"}, "late", "commit-tree", tip+"^{tree}", "-p", tip)
	}
	gittest.MustRun(t, dir, "tag", "v9.9.9", tip)
	m.Tags = append(m.Tags, gen.Tag{Name: "v9.9.9", Release: true})
	check("stale commit-graph")
	gittest.MustRun(t, dir, "repack", "-adf", "-q", "--window=50")
	check("repacked")
	gittest.MustRun(t, dir, "commit-graph", "write", "--reachable", "--split")
	check("split commit-graph")
}

// The object reader gives every commit and tree byte for byte as git
// reads it, after a repack that stores many as deltas.
func TestObjectReaderMatchesGit(t *testing.T) {
	dir, m := generated(t, 300, 5)
	gittest.MustRun(t, dir, "repack", "-adf", "-q", "--window=250", "--depth=50")
	want := gittest.CatAll(t, dir)
	cr, err := openCodeRepo(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer cr.close()
	for _, c := range m.Commits {
		for _, obj := range []struct {
			h git.Hash
			t git.ObjectType
		}{{git.NewHash(c.Hash), git.CommitObject}, {git.NewHash(c.Tree), git.TreeObject}} {
			got, err := cr.objects.read(obj.h, obj.t)
			if err != nil {
				t.Fatal(err)
			}
			w := want[plumbing.Hash(obj.h)]
			if w.Type != obj.t.String() || !bytes.Equal(got, w.Data) {
				t.Fatalf("%s %s differs from git's", obj.t, obj.h)
			}
		}
	}
	if _, err := cr.objects.read(git.NewHash(c0(m)), git.TreeObject); err == nil || err == errMissing {
		t.Errorf("a commit read as a tree: %v, want an error naming its type", err)
	}
	if _, err := cr.objects.read(git.NewHash(strings.Repeat("ab", 20)), git.CommitObject); err != errMissing {
		t.Errorf("missing object: %v, want errMissing", err)
	}
}

// c0 is the first commit of m.
func c0(m *gen.Model) string { return m.Commits[0].Hash }

// Reading ahead (without a commit-graph) or decoding alongside the walk
// (with one) on other cores gives exactly the facts of a single walk.
func TestPrefetchGivesTheSameFacts(t *testing.T) {
	dir, _ := generated(t, 800, 10)
	var objects *fact.Facts
	for _, graph := range []bool{false, true} {
		if graph {
			gittest.MustRun(t, dir, "commit-graph", "write", "--reachable")
		}
		prev := runtime.GOMAXPROCS(1)
		single := gather(t, dir, t.TempDir(), "", time.UTC)
		runtime.GOMAXPROCS(max(prev, 2))
		parallel := gather(t, dir, t.TempDir(), "", time.UTC)
		runtime.GOMAXPROCS(prev)
		if !reflect.DeepEqual(single.Changes, parallel.Changes) || !reflect.DeepEqual(single.Deployments, parallel.Deployments) {
			t.Errorf("commit-graph %v: the walk on several cores gave other facts than the single walk", graph)
		}
		if len(single.Changes) < 700 {
			t.Errorf("commit-graph %v: only %d changes", graph, len(single.Changes))
		}
		if objects == nil {
			objects = single
		} else if !reflect.DeepEqual(objects.Changes, single.Changes) {
			t.Error("the commit-graph walk gave other facts than the walk of the objects")
		}
	}
}

func BenchmarkGatherHistory(b *testing.B) {
	gittest.New(b)
	o := gen.DefaultOptions()
	o.Commits, o.Releases, o.PerDay = 20000, 400, 100
	m, err := gen.Generate(o)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if err := gen.ImportWithGit(dir, m); err != nil {
		b.Fatal(err)
	}
	for _, graph := range []bool{false, true} {
		if graph {
			gittest.MustRun(b, dir, "commit-graph", "write", "--reachable")
		}
		b.Run(map[bool]string{false: "objects", true: "commit-graph"}[graph], func(b *testing.B) {
			store, cfg := openStoreB(b, dir)
			for i := 0; i < b.N; i++ {
				if _, err := Gather(Options{RepoPath: dir, Store: store, Config: cfg}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Every revert the generator wrote, with or without the "This reverts
// commit" body, is found reverting the commit it meant, and every bot
// commit counts as a bot's (outside the first deployment, left out
// anyway). A subject-only revert whose subject names several earlier
// commits may name the latest of them: that is all its message says.
func TestRevertsAndBotsMatchTheModel(t *testing.T) {
	o := gen.DefaultOptions()
	o.Commits, o.Releases, o.RevertShare = 1500, 20, 0.05
	m, err := gen.Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	gittest.New(t) // skips without git
	dir := t.TempDir()
	if err := gen.ImportWithGit(dir, m); err != nil {
		t.Fatal(err)
	}
	idx := m.Index()
	f := gather(t, dir, t.TempDir(), "", time.UTC)
	first := f.Deployments[0].ID
	var reverts, subjectOnly, bots int
	for _, ch := range f.Changes {
		c := &m.Commits[idx[ch.SHA]]
		if c.Kind == gen.Bot && ch.DeploymentID != first {
			bots++
			if ch.Counted != fact.CountedBot {
				t.Errorf("bot commit %s %q counted %s, want bot", ch.SHA[:12], ch.Subject, ch.Counted)
			}
		}
		if c.Kind != gen.Revert {
			if ch.Revert || ch.Reverts != "" {
				t.Errorf("%s %q: Revert %v Reverts %q, want no revert", ch.SHA[:12], ch.Subject, ch.Revert, ch.Reverts)
			}
			continue
		}
		reverts++
		want := m.Commits[c.Reverts]
		if !strings.Contains(c.Message, "This reverts commit") {
			subjectOnly++
			if ch.Reverts != want.Hash && ch.Reverts != "" {
				// acceptable only when a commit with the same subject lies
				// between the intended one and the revert
				got := m.Commits[idx[ch.Reverts]]
				if got.Subject() != want.Subject() || !got.Committer.When.After(want.Committer.When) || got.Committer.When.After(c.Committer.When) {
					t.Errorf("subject-only revert %s reverts %s, want %s", ch.SHA[:12], ch.Reverts[:12], want.Hash[:12])
				}
				continue
			}
		}
		if !ch.Revert || ch.Reverts != want.Hash {
			t.Errorf("revert %s %q: Revert %v Reverts %q, want %s", ch.SHA[:12], ch.Subject, ch.Revert, ch.Reverts, want.Hash[:12])
		}
	}
	if reverts < 20 || subjectOnly < 3 || bots < 20 {
		t.Errorf("only %d reverts (%d by subject alone) and %d bot commits: too few to test", reverts, subjectOnly, bots)
	}
}
