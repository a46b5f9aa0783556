package data

import (
	"bytes"
	"container/heap"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/gitdora/gitdora/internal/odb"
)

// History walks. Data branches grow by one commit per recorded event, so
// these walk only the part of the history where two tips differ, newest
// commit first (git's paint-down), instead of the whole history as go-git's
// MergeBase and IsAncestor do.

type walkItem struct {
	c *object.Commit
}

type commitQueue []walkItem

func (q commitQueue) Len() int { return len(q) }
func (q commitQueue) Less(i, j int) bool {
	return q[i].c.Committer.When.After(q[j].c.Committer.When)
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
	st    storer.EncodedObjectStorer
	flags map[plumbing.Hash]int
	q     commitQueue
}

func newWalker(st storer.EncodedObjectStorer) *walker {
	return &walker{st: st, flags: map[plumbing.Hash]int{}}
}

func (w *walker) add(h plumbing.Hash, f int) error {
	if w.flags[h]&f == f {
		return nil
	}
	w.flags[h] |= f
	c, err := object.GetCommit(w.st, h)
	if err != nil {
		return fmt.Errorf("commit %s: %w", h, err)
	}
	heap.Push(&w.q, walkItem{c})
	return nil
}

// mergeBases returns the common ancestors of a and b that the paint-down
// meets first (the best one first); none for unrelated histories.
func mergeBases(st storer.EncodedObjectStorer, a, b plumbing.Hash) ([]plumbing.Hash, error) {
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
		for _, p := range c.ParentHashes {
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

// isAncestor reports whether a is b or an ancestor of b.
func isAncestor(st storer.EncodedObjectStorer, a, b plumbing.Hash) (bool, error) {
	bases, err := mergeBases(st, a, b)
	return slices.Contains(bases, a), err
}

// missingCommits returns the commits reachable from tip and not from have
// (zero: none), as `git rev-list tip ^have` does, newest first. Clock skew
// can only make it list a commit have already reaches, never miss one.
func missingCommits(st storer.EncodedObjectStorer, tip, have plumbing.Hash) ([]*object.Commit, error) {
	w := newWalker(st)
	if err := w.add(tip, fromA); err != nil {
		return nil, err
	}
	if !have.IsZero() {
		if err := w.add(have, fromB); err != nil {
			return nil, err
		}
	}
	var out []*object.Commit
	for w.anyNot(fromB) {
		c := heap.Pop(&w.q).(walkItem).c
		f := w.flags[c.Hash] & (fromA | fromB)
		if f == fromA {
			out = append(out, c)
		}
		for _, p := range c.ParentHashes {
			if err := w.add(p, f); err != nil {
				return nil, err
			}
		}
	}
	return slices.DeleteFunc(out, func(c *object.Commit) bool { return w.flags[c.Hash]&fromB != 0 }), nil
}

// objectsToSend lists the objects of the commits reachable from tip and
// not from have: the commits, and every tree and blob of theirs that is
// not at the same path in have's tree (which the remote holds in full).
func objectsToSend(st storer.EncodedObjectStorer, tip, have plumbing.Hash) ([]plumbing.Hash, error) {
	commits, err := missingCommits(st, tip, have)
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

func treeObjects(st storer.EncodedObjectStorer, t, known plumbing.Hash, seen map[plumbing.Hash]bool, out *[]plumbing.Hash) error {
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

// errConflict is a difference between two histories of the data branch
// that gitdora cannot reconcile on its own.
var errConflict = errors.New("both changed it differently")

// mergeTrees merges ours and theirs (their common ancestor: base; zero
// hashes for absent trees) and stores the result. Each side's additions
// are kept; a file only one side changed takes that side's content; an
// event CSV both sides appended to gets the rows of both (by id, theirs
// first). Anything else both changed differently is a conflict, reported
// with its path.
func mergeTrees(st storer.EncodedObjectStorer, base, ours, theirs plumbing.Hash) (plumbing.Hash, error) {
	w := newBatch(st)
	h, err := mergeTree(st, w, "", base, ours, theirs)
	if err == nil {
		err = w.flush()
	}
	return h, err
}

func mergeTree(st storer.EncodedObjectStorer, w *batch, prefix string, base, ours, theirs plumbing.Hash) (plumbing.Hash, error) {
	entries := func(h plumbing.Hash) (map[string]object.TreeEntry, error) {
		m := map[string]object.TreeEntry{}
		if h.IsZero() {
			return m, nil
		}
		t, err := object.GetTree(st, h)
		if err != nil {
			return nil, err
		}
		for _, e := range t.Entries {
			m[e.Name] = e
		}
		return m, nil
	}
	b, err := entries(base)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	o, err := entries(ours)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	t, err := entries(theirs)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	names := map[string]bool{}
	for _, m := range []map[string]object.TreeEntry{b, o, t} {
		for n := range m {
			names[n] = true
		}
	}
	var out []object.TreeEntry
	for n := range names {
		eb, inB := b[n]
		eo, inO := o[n]
		et, inT := t[n]
		same := func(x object.TreeEntry, inX bool, y object.TreeEntry, inY bool) bool {
			return inX == inY && (!inX || x.Hash == y.Hash && x.Mode == y.Mode)
		}
		var pick object.TreeEntry
		var keep bool
		switch {
		case same(eo, inO, et, inT):
			pick, keep = eo, inO
		case same(eo, inO, eb, inB):
			pick, keep = et, inT
		case same(et, inT, eb, inB):
			pick, keep = eo, inO
		case !inO:
			pick, keep = et, true // deleted here, changed there: keep the change
		case !inT:
			pick, keep = eo, true
		case eo.Mode == filemode.Dir && et.Mode == filemode.Dir:
			bh := plumbing.ZeroHash
			if inB && eb.Mode == filemode.Dir {
				bh = eb.Hash
			}
			h, err := mergeTree(st, w, prefix+n+"/", bh, eo.Hash, et.Hash)
			if err != nil {
				return plumbing.ZeroHash, err
			}
			pick, keep = object.TreeEntry{Name: n, Mode: filemode.Dir, Hash: h}, true
		case eo.Mode.IsFile() && et.Mode.IsFile() && isEventCSV(prefix+n):
			var bb []byte
			if inB && eb.Mode.IsFile() {
				if bb, err = blobBytes(st, eb.Hash); err != nil {
					return plumbing.ZeroHash, err
				}
			}
			ob, err := blobBytes(st, eo.Hash)
			if err != nil {
				return plumbing.ZeroHash, err
			}
			tb, err := blobBytes(st, et.Hash)
			if err != nil {
				return plumbing.ZeroHash, err
			}
			merged, err := mergeRows(bb, ob, tb)
			if err != nil {
				return plumbing.ZeroHash, fmt.Errorf("%s: %w", prefix+n, err)
			}
			h := odb.Hash(plumbing.BlobObject, merged)
			if err := w.add(plumbing.BlobObject, merged, h); err != nil {
				return plumbing.ZeroHash, err
			}
			pick, keep = object.TreeEntry{Name: n, Mode: filemode.Regular, Hash: h}, true
		default:
			return plumbing.ZeroHash, fmt.Errorf("%s: %w", prefix+n, errConflict)
		}
		if keep {
			out = append(out, pick)
		}
	}
	return writeTree(w, out)
}

func isEventCSV(p string) bool {
	return strings.HasSuffix(p, ".csv") && (strings.HasPrefix(p, DeploymentsDir+"/") || strings.HasPrefix(p, IncidentsDir+"/") || strings.HasPrefix(p, CorrectionsDir+"/"))
}

func blobBytes(st storer.EncodedObjectStorer, h plumbing.Hash) ([]byte, error) {
	b, err := object.GetBlob(st, h)
	if err != nil {
		return nil, err
	}
	r, err := b.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// csvRow is one record of an event CSV: its id and its bytes as written.
type csvRow struct {
	id  string
	raw []byte
}

// splitRows splits an event CSV into its header record and its rows,
// keeping each record's bytes exactly as written.
func splitRows(b []byte) (header []byte, rows []csvRow, err error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	var start int64
	for i := 0; ; i++ {
		rec, err := r.Read()
		if err == io.EOF {
			return header, rows, nil
		}
		if err != nil {
			return nil, nil, err
		}
		end := r.InputOffset()
		raw := b[start:end]
		start = end
		if len(raw) == 0 || raw[len(raw)-1] != '\n' {
			raw = append(slices.Clone(raw), '\n')
		}
		if i == 0 {
			header = raw
			continue
		}
		rows = append(rows, csvRow{id: rec[0], raw: raw})
	}
}

// mergeRows merges two versions of an event CSV that both changed since
// base: theirs' rows, less those ours deleted, then ours' new rows.
func mergeRows(base, ours, theirs []byte) ([]byte, error) {
	_, br, err := splitRows(base)
	if err != nil {
		return nil, err
	}
	oh, or, err := splitRows(ours)
	if err != nil {
		return nil, err
	}
	th, tr, err := splitRows(theirs)
	if err != nil {
		return nil, err
	}
	header := th
	switch {
	case th == nil: // theirs has no records at all
		header = oh
	case oh != nil && !bytes.Equal(bytes.TrimRight(oh, "\r\n"), bytes.TrimRight(th, "\r\n")):
		return nil, fmt.Errorf("the headers differ: %w", errConflict)
	}
	ids := func(rows []csvRow) map[string]bool {
		m := map[string]bool{}
		for _, r := range rows {
			m[r.id] = true
		}
		return m
	}
	inB, inO, inT := ids(br), ids(or), ids(tr)
	out := slices.Clone(header)
	for _, r := range tr {
		if inB[r.id] && !inO[r.id] {
			continue // ours deleted it
		}
		out = append(out, r.raw...)
	}
	for _, r := range or {
		if !inT[r.id] && !inB[r.id] {
			out = append(out, r.raw...)
		}
	}
	return out, nil
}

// ErrEventConflict is an event id that the local data branch and the
// remote's both recorded since they parted, with different content.
var ErrEventConflict = errors.New("an event is recorded differently here and on the remote")

// dedupEvents returns the tree ours less the events it added since base
// that theirs holds too, in any month's file: an event id is stored once,
// also when the two copies are in different months (their times differ).
// Identical copies are dropped from ours; copies that differ are reported
// by id (ErrEventConflict) and nothing is merged. where names theirs.
func (s *Store) dedupEvents(base, ours, theirs plumbing.Hash, where string) (plumbing.Hash, error) {
	trees := make([]*object.Tree, 3)
	for i, h := range []plumbing.Hash{base, ours, theirs} {
		if h.IsZero() {
			continue
		}
		t, err := object.GetTree(s.st, h)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		trees[i] = t
	}
	type row struct {
		file string
		raw  []byte
	}
	rows := func(t *object.Tree, dir string) (map[string][]csvRow, []string, error) {
		files, err := listTree(t, dir, s.where)
		if err != nil {
			return nil, nil, err
		}
		out := map[string][]csvRow{}
		var names []string
		for _, f := range files {
			if !isEventCSV(f) {
				continue
			}
			e, err := t.FindEntry(f)
			if err != nil {
				return nil, nil, err
			}
			b, err := blobBytes(s.st, e.Hash)
			if err != nil {
				return nil, nil, err
			}
			if _, rs, err := splitRows(b); err == nil { // a file that does not parse is the merge's to report
				out[f] = rs
				names = append(names, f)
			}
		}
		return out, names, nil
	}
	tx := newTreeTx(s, s.st, trees[1])
	tx.gone = map[string]bool{}
	var conflicts []string
	for _, dir := range []string{DeploymentsDir, IncidentsDir} {
		baseRows, _, err := rows(trees[0], dir)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		inBase := map[string]bool{}
		for _, rs := range baseRows {
			for _, r := range rs {
				inBase[r.id] = true
			}
		}
		theirRows, _, err := rows(trees[2], dir)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		theirs := map[string][]row{}
		for f, rs := range theirRows {
			for _, r := range rs {
				theirs[r.id] = append(theirs[r.id], row{f, r.raw})
			}
		}
		ourRows, names, err := rows(trees[1], dir)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		for _, f := range names {
			var kept []csvRow
			dropped := false
			for _, r := range ourRows[f] {
				there, dup := theirs[r.id]
				if inBase[r.id] || !dup {
					kept = append(kept, r)
					continue
				}
				same := slices.ContainsFunc(there, func(x row) bool {
					return bytes.Equal(bytes.TrimRight(x.raw, "\r\n"), bytes.TrimRight(r.raw, "\r\n"))
				})
				if !same {
					conflicts = append(conflicts, fmt.Sprintf("%q (here in %s, on %s in %s)", r.id, f, where, there[0].file))
				}
				dropped = true
			}
			if !dropped {
				continue
			}
			if len(kept) == 0 && (trees[0] == nil || !hasFile(trees[0], f)) {
				tx.gone[f] = true
				continue
			}
			b, err := blobBytes(s.st, mustEntry(trees[1], f))
			if err != nil {
				return plumbing.ZeroHash, err
			}
			header, _, _ := splitRows(b)
			out := slices.Clone(header)
			for _, r := range kept {
				out = append(out, r.raw...)
			}
			tx.stage(f, out)
		}
	}
	if len(conflicts) > 0 {
		slices.Sort(conflicts)
		return plumbing.ZeroHash, fmt.Errorf("%w: event %s; neither branch was changed: remove or rename one of them (the local branch is %s), then run gitdora again",
			ErrEventConflict, strings.Join(conflicts, ", event "), s.branch)
	}
	if len(tx.staged) == 0 && len(tx.gone) == 0 {
		return ours, nil
	}
	root, changed, err := tx.build()
	if err != nil || !changed {
		return ours, err
	}
	return root, nil
}

func hasFile(t *object.Tree, p string) bool {
	e, err := t.FindEntry(p)
	return err == nil && e.Mode.IsFile()
}

func mustEntry(t *object.Tree, p string) plumbing.Hash {
	e, err := t.FindEntry(p)
	if err != nil {
		return plumbing.ZeroHash
	}
	return e.Hash
}
