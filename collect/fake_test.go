package collect

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/git"
)

// fakeHistory is a code history held in memory: commit objects by name,
// refs and tags, and no repository behind them.
type fakeHistory struct {
	objects map[git.Hash][]byte // commits
	trees   map[git.Hash][]byte // trees and blobs (files), when a commit has files
	blobs   map[git.Hash]bool
	refs    map[string]git.Hash
	tags    []git.Ref
	shallow []git.Hash
	reads   int
}

var _ History = (*fakeHistory)(nil)

func newFakeHistory() *fakeHistory {
	return &fakeHistory{objects: map[git.Hash][]byte{}, trees: map[git.Hash][]byte{}, blobs: map[git.Hash]bool{}, refs: map[string]git.Hash{}}
}

// emptyTree is the name of the tree with no entries.
var emptyTree = git.HashObject(git.TreeObject, nil)

// commit adds a commit with the message msg, authored at authored and
// committed at committed (RFC 3339), with parents, and returns its name.
func (f *fakeHistory) commit(msg, author, authored, committed string, parents ...git.Hash) git.Hash {
	var b strings.Builder
	fmt.Fprintf(&b, "tree %s\n", emptyTree)
	for _, p := range parents {
		fmt.Fprintf(&b, "parent %s\n", p)
	}
	sig := func(at string) string {
		t, err := time.Parse(time.RFC3339, at)
		if err != nil {
			panic(err)
		}
		return fmt.Sprintf("%s %d %s", author, t.Unix(), t.Format("-0700"))
	}
	fmt.Fprintf(&b, "author %s\ncommitter %s\n\n%s\n", sig(authored), sig(committed), msg)
	h := git.HashObject(git.CommitObject, []byte(b.String()))
	f.objects[h] = []byte(b.String())
	return h
}

func (f *fakeHistory) NewReader() git.ReadFunc {
	return func(h git.Hash) (git.ObjectType, []byte, error) {
		f.reads++
		if h == emptyTree {
			return git.TreeObject, nil, nil
		}
		if b, ok := f.trees[h]; ok {
			if f.blobs[h] {
				return git.BlobObject, b, nil
			}
			return git.TreeObject, b, nil
		}
		b, ok := f.objects[h]
		if !ok {
			return 0, nil, git.ErrNotFound
		}
		return git.CommitObject, b, nil
	}
}

func (f *fakeHistory) Stream(h git.Hash) (git.ObjectType, int64, io.ReadCloser, error) {
	t, b, err := f.NewReader()(h)
	return t, int64(len(b)), io.NopCloser(bytes.NewReader(b)), err
}

func (f *fakeHistory) CommitGraph() *git.CommitGraph { return nil }

// DiffTrees diffs the trees the fake wrote (commitFiles), as a repository does.
func (f *fakeHistory) DiffTrees(read git.ReadFunc, cache *git.TreeCache, from, to git.Hash, fn func(path string) error) error {
	return git.DiffTreesCached(read, cache, from, to, fn)
}

// tree writes the tree of files (path → content) and the blobs and
// folders below it, as git would, and returns its name.
func (f *fakeHistory) tree(files map[string]string) git.Hash {
	type dir struct {
		files map[string]git.Hash
		dirs  map[string]*dir
	}
	root := &dir{files: map[string]git.Hash{}, dirs: map[string]*dir{}}
	for p, content := range files {
		d := root
		parts := strings.Split(p, "/")
		for _, name := range parts[:len(parts)-1] {
			if d.dirs[name] == nil {
				d.dirs[name] = &dir{files: map[string]git.Hash{}, dirs: map[string]*dir{}}
			}
			d = d.dirs[name]
		}
		h := git.HashObject(git.BlobObject, []byte(content))
		f.trees[h], f.blobs[h] = []byte(content), true
		d.files[parts[len(parts)-1]] = h
	}
	var write func(d *dir) git.Hash
	write = func(d *dir) git.Hash {
		type ent struct {
			key, line string
		}
		var es []ent
		for name, h := range d.files {
			es = append(es, ent{name, "100644 " + name + "\x00" + string(h[:])})
		}
		for name, sub := range d.dirs {
			h := write(sub)
			es = append(es, ent{name + "/", "40000 " + name + "\x00" + string(h[:])})
		}
		sort.Slice(es, func(i, j int) bool { return es[i].key < es[j].key })
		var b strings.Builder
		for _, e := range es {
			b.WriteString(e.line)
		}
		h := git.HashObject(git.TreeObject, []byte(b.String()))
		f.trees[h] = []byte(b.String())
		return h
	}
	return write(root)
}

// commitFiles adds a commit whose tree holds files, as commit does.
func (f *fakeHistory) commitFiles(files map[string]string, msg, author, authored, committed string, parents ...git.Hash) git.Hash {
	tree := f.tree(files)
	h := f.commit(msg, author, authored, committed, parents...)
	b := strings.Replace(string(f.objects[h]), "tree "+emptyTree.String(), "tree "+tree.String(), 1)
	delete(f.objects, h)
	h = git.HashObject(git.CommitObject, []byte(b))
	f.objects[h] = []byte(b)
	return h
}

func (f *fakeHistory) Tags() ([]git.Ref, error) { return f.tags, nil }

func (f *fakeHistory) Ref(name string) (git.Hash, error) {
	if h, ok := f.refs[name]; ok {
		return h, nil
	}
	return git.ZeroHash, git.ErrRefNotFound
}

func (f *fakeHistory) Refs(dir string) ([]git.Ref, error) {
	var out []git.Ref
	for name, h := range f.refs {
		if strings.HasPrefix(name, dir+"/") {
			out = append(out, git.Ref{Name: name, Hash: h})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (f *fakeHistory) Shallow() ([]git.Hash, error) { return f.shallow, nil }

func (f *fakeHistory) ResolveCommit(rev string) (string, error) {
	var found []string
	for h := range f.objects {
		if strings.HasPrefix(h.String(), rev) {
			found = append(found, h.String())
		}
	}
	if len(found) != 1 {
		return "", fmt.Errorf("%s: %w", rev, git.ErrUnknownCommit)
	}
	return found[0], nil
}

// parents are the parents of commit c, read from its object.
func (f *fakeHistory) parents(c git.Hash) []git.Hash {
	var out []git.Hash
	for _, line := range strings.Split(string(f.objects[c]), "\n") {
		if p, ok := strings.CutPrefix(line, "parent "); ok {
			out = append(out, git.NewHash(p))
		} else if line == "" {
			break
		}
	}
	return out
}

// RevList is every commit reachable from tip, less every commit
// reachable from exclude, walking each whole.
func (f *fakeHistory) RevList(tip, exclude git.Hash, limit int) ([]git.Hash, error) {
	reach := func(from git.Hash) (map[git.Hash]bool, error) {
		seen := map[git.Hash]bool{}
		todo := []git.Hash{from}
		for len(todo) > 0 {
			c := todo[len(todo)-1]
			todo = todo[:len(todo)-1]
			if seen[c] || c.IsZero() {
				continue
			}
			if _, ok := f.objects[c]; !ok {
				return nil, fmt.Errorf("commit %s: %w", c, git.ErrNotFound)
			}
			seen[c] = true
			f.reads++
			if limit > 0 && len(seen) > limit {
				return nil, git.ErrWalkLimit
			}
			todo = append(todo, f.parents(c)...)
		}
		return seen, nil
	}
	in, err := reach(tip)
	if err != nil {
		return nil, err
	}
	out, err := reach(exclude)
	if err != nil {
		return nil, err
	}
	var list []git.Hash
	for c := range in {
		if !out[c] {
			list = append(list, c)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].String() < list[j].String() })
	return list, nil
}

// gatherFake runs the history gathering over h, with the deployment
// events rows (id, time, sha) on a plain-directory data store.
func gatherFake(t *testing.T, h *fakeHistory, rows ...[3]string) *fact.Facts {
	t.Helper()
	csv := strings.Join(data.DeploymentHeader, ",") + "\n"
	for _, r := range rows {
		csv += fmt.Sprintf("%s,%s,%s,production,success,,,false,0,0,0,0,cli,\n", r[0], r[1], r[2])
	}
	store := plainStore(t, map[string][]byte{"events/deployments/2026-01.csv": []byte(csv)})
	f := &fact.Facts{}
	o := Options{RepoPath: "fake", Store: store, Config: config.Default()}
	if err := gatherHistoryFrom(o, f, func() (*codeRepo, error) { return newCodeRepo("fake", h), nil }); err != nil {
		t.Fatal(err)
	}
	return f
}

// The walk over an in-memory history finds each deployment's change set
// (a merge brings its branch in), the lead time of each change from its
// author date, the first deployment's changes left out, and a revert.
func TestChangeSetsOfAFakeHistory(t *testing.T) {
	h := newFakeHistory()
	const ada = "Ada Lovelace <ada@example.com>"
	c1 := h.commit("one", ada, "2026-01-01T09:00:00Z", "2026-01-01T09:00:00Z")
	c2 := h.commit("two", ada, "2026-01-02T09:00:00Z", "2026-01-02T10:00:00Z", c1)
	side := h.commit("feature x", ada, "2026-01-03T08:00:00+01:00", "2026-01-03T08:00:00+01:00", c1)
	merge := h.commit("Merge feature x", ada, "2026-01-04T09:00:00Z", "2026-01-04T09:00:00Z", c2, side)
	c4 := h.commit("four", "dependabot[bot] <bot@example.com>", "2026-01-05T09:00:00Z", "2026-01-05T09:00:00Z", merge)
	revert := h.commit(fmt.Sprintf("Revert \"feature x\"\n\nThis reverts commit %s.", side), ada, "2026-01-06T09:00:00Z", "2026-01-06T09:00:00Z", c4)
	names := map[string]string{c1.String(): "c1", c2.String(): "c2", side.String(): "side", merge.String(): "merge", c4.String(): "c4", revert.String(): "revert"}

	f := gatherFake(t, h,
		[3]string{"d1", "2026-01-02T12:00:00Z", c2.String()},
		[3]string{"d2", "2026-01-05T12:00:00Z", c4.String()[:10]}, // abbreviated: resolved by the history
		[3]string{"d3", "2026-01-06T12:00:00Z", revert.String()},
	)
	got := map[string][]string{}
	lead := map[string]time.Duration{}
	for _, ch := range f.Changes {
		got[ch.DeploymentID] = append(got[ch.DeploymentID], names[ch.SHA]+":"+string(ch.Counted))
		lead[names[ch.SHA]] = ch.LeadTime
		if ch.Revert != (ch.SHA == revert.String()) {
			t.Errorf("%s: Revert %v", names[ch.SHA], ch.Revert)
		}
		if ch.SHA == revert.String() && ch.Reverts != side.String() {
			t.Errorf("the revert reverts %q, want side %s", names[ch.Reverts], side)
		}
	}
	for _, v := range got {
		sort.Strings(v)
	}
	want := map[string][]string{
		"d1": {"c1:first-deployment", "c2:first-deployment"},
		"d2": {"c4:bot", "merge:yes", "side:yes"},
		"d3": {"revert:yes"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("change sets:\n got %v\nwant %v", got, want)
	}
	// side was authored at 07:00Z on the 3rd, deployed at 12:00Z on the 5th.
	if lead["side"] != 53*time.Hour || lead["merge"] != 27*time.Hour || lead["revert"] != 3*time.Hour {
		t.Errorf("lead times: side %v, merge %v, revert %v", lead["side"], lead["merge"], lead["revert"])
	}
	if d := f.Deployments[1]; d.ID != "d2" || d.SHA != c4.String() || d.Changes != 3 {
		t.Errorf("d2: %s at %s with %d changes, want the full name of c4 and 3", d.ID, d.SHA, d.Changes)
	}
	if h.reads == 0 {
		t.Error("the walk read no object of the history it was given")
	}
}

// A history with a parent missing, or a shallow one, says what to fetch.
func TestFakeHistoryMissingParent(t *testing.T) {
	h := newFakeHistory()
	gone := git.HashObject(git.CommitObject, []byte("not in the history"))
	c1 := h.commit("one", "Ada <ada@example.com>", "2026-01-01T09:00:00Z", "2026-01-01T09:00:00Z", gone)
	c2 := h.commit("two", "Ada <ada@example.com>", "2026-01-02T09:00:00Z", "2026-01-02T09:00:00Z", c1)
	rows := [][3]string{{"d1", "2026-01-01T12:00:00Z", c1.String()}, {"d2", "2026-01-02T12:00:00Z", c2.String()}}
	csv := strings.Join(data.DeploymentHeader, ",") + "\n"
	for _, r := range rows {
		csv += fmt.Sprintf("%s,%s,%s,production,success,,,false,0,0,0,0,cli,\n", r[0], r[1], r[2])
	}
	store := plainStore(t, map[string][]byte{"events/deployments/2026-01.csv": []byte(csv)})
	run := func() error {
		o := Options{RepoPath: "fake", Store: store, Config: config.Default()}
		return gatherHistoryFrom(o, &fact.Facts{}, func() (*codeRepo, error) { return newCodeRepo("fake", h), nil })
	}
	var me *missingError
	if err := run(); !errors.As(err, &me) || me.hash != gone || me.childOf != c1 || !strings.Contains(err.Error(), "the history is incomplete") {
		t.Errorf("missing parent: %v", err)
	}
	h.shallow = []git.Hash{c1}
	if err := run(); err == nil || !strings.Contains(err.Error(), "shallow clone") {
		t.Errorf("shallow history: %v", err)
	}
}
