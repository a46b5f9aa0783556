package data

import (
	"slices"
	"strings"

	"github.com/gitdora/gitdora/internal/git"
)

// MonthObjects names the file each month folder of scans/ carries on a
// branch: the month's commit folders and scan records as one set of git
// objects (git.ObjectSet), so that a reader reads the month in two reads
// rather than two a scan (docs/data-branch.md). Readers trust none of it:
// an object is used only when it is what the month's tree names, so a
// set that is stale, missing or edited by hand makes reading slower,
// never different.
const MonthObjects = "month.objects"

// monthObjectsLimit bounds what a reader reads of a MonthObjects file.
const monthObjectsLimit = 64 << 20

// carriedRecordLimit is the largest scan record a MonthObjects file
// carries; a larger one is read from the object store.
const carriedRecordLimit = 64 << 10

// isScanMonth reports whether prefix is a month folder of scans/, as
// "scans/2025/12/".
func isScanMonth(prefix string) bool {
	rest, ok := strings.CutPrefix(prefix, ScansDir+"/")
	if !ok || len(rest) != len("2025/12/") || rest[4] != '/' || rest[7] != '/' {
		return false
	}
	for i, c := range []byte(rest) {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// monthObjects encodes the MonthObjects file of a month folder whose
// entries (its own set aside) are given: each commit folder's tree, then
// its scan records (.json files), in git's order, each read with get;
// what get does not give is left out. It returns nil when the month has
// no folder.
func monthObjects(entries []git.TreeEntry, get func(git.Hash) (git.Object, bool)) []byte {
	entries = slices.Clone(entries)
	slices.SortFunc(entries, func(a, b git.TreeEntry) int { return strings.Compare(a.Name, b.Name) })
	var objs []git.Object
	for _, e := range entries {
		if e.Mode != git.ModeDir || e.Name == "" {
			continue
		}
		t, ok := get(e.Hash)
		if !ok || t.Type != git.TreeObject {
			continue
		}
		objs = append(objs, t)
		files, err := git.ParseTree(t.Data)
		if err != nil {
			continue
		}
		for _, f := range files {
			if !f.Mode.IsFile() || !strings.HasSuffix(f.Name, ".json") {
				continue
			}
			if b, ok := get(f.Hash); ok && b.Type == git.BlobObject && len(b.Data) <= carriedRecordLimit {
				objs = append(objs, b)
			}
		}
	}
	if len(objs) == 0 {
		return nil
	}
	return git.EncodeObjectSet(objs)
}

// objectGetter reads objects for monthObjects: those queued in w, those
// of the set old, else the repository's.
func objectGetter(repo *git.Repository, w *git.Batch, old *git.ObjectSet) func(git.Hash) (git.Object, bool) {
	return func(h git.Hash) (git.Object, bool) {
		if w != nil {
			if o, ok := w.Object(h); ok {
				return o, true
			}
		}
		for _, t := range []git.ObjectType{git.TreeObject, git.BlobObject} {
			if b, ok := old.Get(h, t); ok {
				return git.Object{Type: t, Data: b}, true
			}
		}
		t, b, err := repo.Read(h)
		if err != nil {
			return git.Object{}, false
		}
		return git.Object{Type: t, Data: b}, true
	}
}

// holdsFolder reports whether entries (indexed by at) hold a folder
// named name: a month.objects made a folder by hand is left alone.
func holdsFolder(entries []git.TreeEntry, at map[string]int, name string) bool {
	i, ok := at[name]
	return ok && entries[i].Mode == git.ModeDir
}

// readObjectSet reads the MonthObjects file among entries, nil when there
// is none or it cannot be read.
func readObjectSet(repo *git.Repository, entries []git.TreeEntry) *git.ObjectSet {
	for _, e := range entries {
		if e.Name != MonthObjects || !e.Mode.IsFile() {
			continue
		}
		t, b, err := repo.Read(e.Hash)
		if err != nil || t != git.BlobObject || len(b) > monthObjectsLimit {
			return nil
		}
		s, _ := git.ParseObjectSet(b)
		return s
	}
	return nil
}

// RefreshMonthObjects has every month folder of scans/ carry the
// MonthObjects file of what it holds once the write is built: a branch
// written by an older gitdora has none (gitdora reindex). A file that is
// current is left as it is. A plain directory has none.
func (tx *Tx) RefreshMonthObjects() error {
	if tx.dir != "" {
		return nil
	}
	months, err := tx.Dirs(ScansDir, 2)
	if err != nil {
		return err
	}
	if tx.gone == nil {
		tx.gone = map[string]bool{}
	}
	for _, m := range months {
		if isScanMonth(m + "/") {
			tx.gone[m+"/"+MonthObjects] = true
		}
	}
	return nil
}
