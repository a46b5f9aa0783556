package data

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/gitdora/gitdora/internal/git"
)

// errConflict is a difference between two histories of the data branch
// that gitdora cannot reconcile on its own.
var errConflict = errors.New("both changed it differently")

// mergeTrees merges ours and theirs (their common ancestor: base; zero
// hashes for absent trees) and stores the result. Each side's additions
// are kept; a file only one side changed takes that side's content; an
// event CSV both sides appended to gets the rows of both (by id, theirs
// first). Anything else both changed differently is a conflict, reported
// with its path.
func mergeTrees(repo *git.Repository, base, ours, theirs git.Hash) (git.Hash, error) {
	w := repo.NewBatch()
	h, err := mergeTree(repo, w, "", base, ours, theirs)
	if err == nil {
		err = w.Flush()
	}
	return h, err
}

func mergeTree(repo *git.Repository, w *git.Batch, prefix string, base, ours, theirs git.Hash) (git.Hash, error) {
	if strings.Count(prefix, "/") > git.MaxTreeDepth {
		return git.ZeroHash, fmt.Errorf("%s: folders nested more than %d deep", strings.TrimSuffix(prefix, "/"), git.MaxTreeDepth)
	}
	entries := func(h git.Hash) (map[string]git.TreeEntry, error) {
		m := map[string]git.TreeEntry{}
		if h.IsZero() {
			return m, nil
		}
		t, err := repo.TreeObject(h)
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
		return git.ZeroHash, err
	}
	o, err := entries(ours)
	if err != nil {
		return git.ZeroHash, err
	}
	t, err := entries(theirs)
	if err != nil {
		return git.ZeroHash, err
	}
	names := map[string]bool{}
	for _, m := range []map[string]git.TreeEntry{b, o, t} {
		for n := range m {
			names[n] = true
		}
	}
	var out []git.TreeEntry
	for n := range names {
		eb, inB := b[n]
		eo, inO := o[n]
		et, inT := t[n]
		same := func(x git.TreeEntry, inX bool, y git.TreeEntry, inY bool) bool {
			return inX == inY && (!inX || x.Hash == y.Hash && x.Mode == y.Mode)
		}
		var pick git.TreeEntry
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
		case eo.Mode == git.ModeDir && et.Mode == git.ModeDir:
			bh := git.ZeroHash
			if inB && eb.Mode == git.ModeDir {
				bh = eb.Hash
			}
			h, err := mergeTree(repo, w, prefix+n+"/", bh, eo.Hash, et.Hash)
			if err != nil {
				return git.ZeroHash, err
			}
			pick, keep = git.TreeEntry{Name: n, Mode: git.ModeDir, Hash: h}, true
		case eo.Mode.IsFile() && et.Mode.IsFile() && isEventCSV(prefix+n):
			var bb []byte
			if inB && eb.Mode.IsFile() {
				if bb, err = repo.ReadBlob(eb.Hash); err != nil {
					return git.ZeroHash, err
				}
			}
			ob, err := repo.ReadBlob(eo.Hash)
			if err != nil {
				return git.ZeroHash, err
			}
			tb, err := repo.ReadBlob(et.Hash)
			if err != nil {
				return git.ZeroHash, err
			}
			merged, err := mergeRows(bb, ob, tb)
			if err != nil {
				return git.ZeroHash, fmt.Errorf("%s: %w", prefix+n, err)
			}
			h := git.HashObject(git.BlobObject, merged)
			if err := w.Add(git.BlobObject, merged, h); err != nil {
				return git.ZeroHash, err
			}
			pick, keep = git.TreeEntry{Name: n, Mode: git.ModeRegular, Hash: h}, true
		default:
			return git.ZeroHash, fmt.Errorf("%s: %w", prefix+n, errConflict)
		}
		if keep {
			out = append(out, pick)
		}
	}
	return w.AddTree(out)
}

func isEventCSV(p string) bool {
	return strings.HasSuffix(p, ".csv") && (strings.HasPrefix(p, DeploymentsDir+"/") || strings.HasPrefix(p, IncidentsDir+"/") || strings.HasPrefix(p, CorrectionsDir+"/"))
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
	case oh != nil && !bytes.Equal(sameHeader(oh), sameHeader(th)):
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

// sameHeader is a header record as readers compare it: without a byte
// order mark or the line break.
func sameHeader(h []byte) []byte {
	return bytes.TrimRight(bytes.TrimPrefix(h, []byte(bom)), "\r\n")
}

// ErrEventConflict is an event id that the local data branch and the
// remote's both recorded since they parted, with different content.
var ErrEventConflict = errors.New("an event is recorded differently here and on the remote")

// dedupEvents returns the tree ours less the events it added since base
// that theirs holds too, in any month's file: an event id is stored once,
// also when the two copies are in different months (their times differ).
// Identical copies are dropped from ours; copies that differ are reported
// by id (ErrEventConflict) and nothing is merged. where names theirs.
func (s *Store) dedupEvents(base, ours, theirs git.Hash, where string) (git.Hash, error) {
	trees := make([]*git.Tree, 3)
	for i, h := range []git.Hash{base, ours, theirs} {
		if h.IsZero() {
			continue
		}
		t, err := s.repo.TreeObject(h)
		if err != nil {
			return git.ZeroHash, err
		}
		trees[i] = t
	}
	type row struct {
		file string
		raw  []byte
	}
	rows := func(t *git.Tree, dir string) (map[string][]csvRow, []string, error) {
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
			b, err := s.repo.ReadBlob(e.Hash)
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
	tx := newTreeTx(s, trees[1])
	tx.gone = map[string]bool{}
	var conflicts []string
	for _, dir := range []string{DeploymentsDir, IncidentsDir} {
		baseRows, _, err := rows(trees[0], dir)
		if err != nil {
			return git.ZeroHash, err
		}
		inBase := map[string]bool{}
		for _, rs := range baseRows {
			for _, r := range rs {
				inBase[r.id] = true
			}
		}
		theirRows, _, err := rows(trees[2], dir)
		if err != nil {
			return git.ZeroHash, err
		}
		theirs := map[string][]row{}
		for f, rs := range theirRows {
			for _, r := range rs {
				theirs[r.id] = append(theirs[r.id], row{f, r.raw})
			}
		}
		ourRows, names, err := rows(trees[1], dir)
		if err != nil {
			return git.ZeroHash, err
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
			b, err := s.repo.ReadBlob(mustEntry(trees[1], f))
			if err != nil {
				return git.ZeroHash, err
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
		return git.ZeroHash, fmt.Errorf("%w: event %s; neither branch was changed: remove or rename one of them (the local branch is %s), then run gitdora again",
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

func hasFile(t *git.Tree, p string) bool {
	e, err := t.FindEntry(p)
	return err == nil && e.Mode.IsFile()
}

func mustEntry(t *git.Tree, p string) git.Hash {
	e, err := t.FindEntry(p)
	if err != nil {
		return git.ZeroHash
	}
	return e.Hash
}
