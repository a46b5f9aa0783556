package data

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/gitdora/gitdora/config"
	"github.com/gocarina/gocsv"

	"github.com/gitdora/gitdora/internal/git"
)

// Tx is one write to the data branch, inside Store.Update: it reads the tip
// plus what was staged, and stages writes that Update then commits together.
type Tx struct {
	repo   *git.Repository     // repository of the branch; nil for a plain directory
	tree   *git.Tree           // the tip's tree; nil when the branch has no commit yet
	dir    string              // plain-directory root
	where  func(string) string // names a file for messages
	staged map[string][]byte
	// sources are the staged files whose content is read when it is
	// stored, not held (WriteSource); staged holds nil for them.
	sources map[string]Source
	gone    map[string]bool   // files to remove (only the merge of two histories removes any)
	dirs    map[string]bool   // the folders of the staged files
	read    map[string][]byte // files read from the tip, kept for repeated id checks
	out     *git.Batch        // objects build creates
}

func newTreeTx(s *Store, t *git.Tree) *Tx {
	return &Tx{repo: s.repo, tree: t, where: s.where, staged: map[string][]byte{}}
}

func newDirTx(s *Store) *Tx {
	return &Tx{dir: s.dir, where: s.where, staged: map[string][]byte{}}
}

// IsEmpty reports whether the tip holds no files at all: the branch (or
// directory) does not exist yet, and nothing was staged.
func (tx *Tx) IsEmpty() bool {
	if len(tx.staged) > 0 {
		return false
	}
	if tx.dir != "" {
		ents, err := os.ReadDir(tx.dir)
		return err == nil && !slices.ContainsFunc(ents, func(e os.DirEntry) bool { return e.Name() != ".git" && !isTemp(e.Name()) })
	}
	return tx.tree == nil || len(tx.tree.Entries) == 0
}

// ReadFile returns the content of the file at p as staged, else as on the
// tip. A missing file gives an error that matches ErrNotExist.
func (tx *Tx) ReadFile(p string) ([]byte, error) {
	if err := checkPath(p); err != nil {
		return nil, err
	}
	if src, ok := tx.sources[p]; ok {
		return src.read()
	}
	if b, ok := tx.staged[p]; ok {
		return slices.Clone(b), nil
	}
	return tx.readBase(p)
}

func (tx *Tx) readBase(p string) ([]byte, error) {
	if tx.dir != "" {
		f, err := openInDir(tx.dir, p, nil)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return io.ReadAll(f)
	}
	e, err := tx.entry(p)
	if err != nil {
		return nil, err
	}
	b, err := tx.repo.ReadBlob(e.Hash)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tx.where(p), err)
	}
	return b, nil
}

// Open opens the file at p as staged, else as on the tip, for reading
// as it streams (a large file on the tip is never held whole). A missing
// file gives an error that matches ErrNotExist.
func (tx *Tx) Open(p string) (io.ReadCloser, error) {
	if err := checkPath(p); err != nil {
		return nil, err
	}
	if src, ok := tx.sources[p]; ok {
		return src.Open()
	}
	if b, ok := tx.staged[p]; ok {
		return io.NopCloser(bytes.NewReader(b)), nil
	}
	if tx.dir != "" {
		return openInDir(tx.dir, p, nil)
	}
	e, err := tx.entry(p)
	if err != nil {
		return nil, err
	}
	t, _, rc, err := tx.repo.Stream(e.Hash)
	if err == nil && t != git.BlobObject {
		rc.Close()
		err = fmt.Errorf("object %s is a %s, not a file's content", e.Hash, t)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tx.where(p), err)
	}
	return rc, nil
}

// Blob is the git name of the content of the file at p on the tip ("" for
// a staged file, a missing one, or a plain directory): files with the
// same Blob have the same content.
func (tx *Tx) Blob(p string) string {
	if _, ok := tx.staged[p]; ok || tx.dir != "" || checkPath(p) != nil {
		return ""
	}
	e, err := tx.entry(p)
	if err != nil {
		return ""
	}
	return e.Hash.String()
}

// entry is the tree entry of the file at p on the tip.
func (tx *Tx) entry(p string) (*git.TreeEntry, error) {
	if tx.tree == nil {
		return nil, fmt.Errorf("%s: %w", p, ErrNotExist)
	}
	e, err := tx.tree.FindEntry(p)
	if errors.Is(err, git.ErrEntryNotFound) || errors.Is(err, git.ErrDirectoryNotFound) || errors.Is(err, git.ErrNotFound) || err == nil && !e.Mode.IsFile() {
		return nil, fmt.Errorf("%s: %w", p, ErrNotExist)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tx.where(p), err)
	}
	return e, nil
}

// Exists reports whether there is a file at p, staged or on the tip.
func (tx *Tx) Exists(p string) bool {
	if checkPath(p) != nil {
		return false
	}
	if _, ok := tx.staged[p]; ok {
		return true
	}
	if tx.dir != "" {
		fi, err := os.Lstat(filepath.Join(tx.dir, filepath.FromSlash(p)))
		return err == nil && fi.Mode().IsRegular()
	}
	if tx.tree == nil {
		return false
	}
	e, err := tx.tree.FindEntry(p)
	return err == nil && e.Mode.IsFile()
}

// List returns the paths of the files under dir ("" for all), staged or on
// the tip, sorted.
func (tx *Tx) List(dir string) ([]string, error) {
	dir = strings.Trim(dir, "/")
	var base []string
	var err error
	if tx.dir != "" {
		base, err = listDir(tx.dir, dir)
	} else {
		base, err = listTree(tx.tree, dir, tx.where)
	}
	if err != nil {
		return nil, err
	}
	out := base
	for p := range tx.staged {
		if dir == "" || strings.HasPrefix(p, dir+"/") {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return slices.Compact(out), nil
}

// WriteFile stages b as the content of the file at p. It refuses paths
// that would leave the data branch's root, and a path that is a folder of
// another file of the write, or below one (no write can hold both).
func (tx *Tx) WriteFile(p string, b []byte) error {
	if err := checkNewPath(p); err != nil {
		return err
	}
	if tx.dirs[p] {
		return fmt.Errorf("cannot write %s: it is a folder of another file of this write", p)
	}
	for d := path.Dir(p); d != "."; d = path.Dir(d) {
		if _, ok := tx.staged[d]; ok {
			return fmt.Errorf("cannot write %s: %s is a file of this write", p, d)
		}
	}
	tx.stage(p, slices.Clone(b))
	return nil
}

// Source is the content of a file to stage without holding it: its size,
// and a way to read it from its start, as often as needed.
type Source struct {
	Size int64
	Open func() (io.ReadCloser, error)
}

// read reads the whole content, Size bytes.
func (src Source) read() ([]byte, error) {
	rc, err := src.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, src.Size+1))
	if err == nil && int64(len(b)) != src.Size {
		err = fmt.Errorf("%d bytes read, %d expected (the file changed?)", len(b), src.Size)
	}
	return b, err
}

// WriteSource stages what src reads as the content of the file at p, as
// WriteFile does: the content is read when the write names and stores
// it, never held whole, so that a file of hundreds of megabytes costs no
// memory. src must read the same bytes each time; a write whose source
// changed meanwhile fails.
func (tx *Tx) WriteSource(p string, src Source) error {
	if err := tx.WriteFile(p, nil); err != nil {
		return err
	}
	if tx.sources == nil {
		tx.sources = map[string]Source{}
	}
	tx.sources[p] = src
	return nil
}

// stage stages b, which the Tx owns from now on, as the file at p.
func (tx *Tx) stage(p string, b []byte) {
	delete(tx.sources, p)
	if tx.dirs == nil {
		tx.dirs = map[string]bool{}
	}
	for d := path.Dir(p); d != "." && !tx.dirs[d]; d = path.Dir(d) {
		tx.dirs[d] = true
	}
	tx.staged[p] = b
}

// AppendDeployment appends d to the CSV of its month, after checking it
// (its time too: not before 1970, not in the future).
// It writes nothing and returns false when a deployment with d's id is
// already recorded in any month's file.
func (tx *Tx) AppendDeployment(d Deployment) (added bool, err error) {
	if err := d.checkNow(Now()); err != nil {
		return false, fmt.Errorf("deployment %q: %w", d.ID, err)
	}
	return appendEvent(tx, DeploymentsDir, DeploymentFile(d.Time.Time), DeploymentHeader, d.ID, d)
}

// AppendIncident appends in to the CSV of the month it opened in, after
// checking it. It writes nothing and returns false when an incident with
// in's id is already recorded in any month's file.
func (tx *Tx) AppendIncident(in Incident) (added bool, err error) {
	if err := in.checkNow(Now()); err != nil {
		return false, fmt.Errorf("incident %q: %w", in.ID, err)
	}
	return appendEvent(tx, IncidentsDir, IncidentFile(in.Opened.Time), IncidentHeader, in.ID, in)
}

// HasEvent reports whether an event with id is recorded under dir
// (DeploymentsDir or IncidentsDir), in any month's file.
func (tx *Tx) HasEvent(dir, id string) (bool, error) {
	files, err := tx.List(dir)
	if err != nil {
		return false, err
	}
	for _, f := range files {
		if !strings.HasSuffix(f, ".csv") {
			continue
		}
		b, err := tx.cachedRead(f)
		if err != nil {
			return false, err
		}
		if !mayRecord(b, id) {
			continue
		}
		found := false
		scanIDs(b, func(x string) bool {
			found = x == id
			return !found
		})
		if found {
			return true, nil
		}
	}
	return false, nil
}

// mayRecord reports whether the event CSV b may hold a record whose id is
// id: a record starts on a new line with its id, as is or quoted (quotes
// doubled), and a comma. Most files do not, so HasEvent parses only those
// that do.
func mayRecord(b []byte, id string) bool {
	return bytes.Contains(b, []byte("\n"+id+",")) ||
		bytes.Contains(b, []byte("\n\""+strings.ReplaceAll(id, `"`, `""`)+"\","))
}

// cachedRead is ReadFile without the copy, keeping what it read from the tip.
func (tx *Tx) cachedRead(p string) ([]byte, error) {
	if src, ok := tx.sources[p]; ok {
		return src.read()
	}
	if b, ok := tx.staged[p]; ok {
		return b, nil
	}
	if b, ok := tx.read[p]; ok {
		return b, nil
	}
	b, err := tx.readBase(p)
	if err != nil {
		return nil, err
	}
	if tx.read == nil {
		tx.read = map[string][]byte{}
	}
	tx.read[p] = b
	return b, nil
}

func appendEvent[T any](tx *Tx, dir, file string, header []string, id string, row T) (bool, error) {
	if dup, err := tx.HasEvent(dir, id); err != nil || dup {
		return false, err
	}
	return true, appendRow(tx, file, header, id, row)
}

// appendRow appends row to the CSV file under header, creating it (or
// widening an older file's columns) as needed.
func appendRow[T any](tx *Tx, file string, header []string, id string, row T) error {
	var line bytes.Buffer
	if err := gocsv.MarshalWithoutHeaders([]T{row}, &line); err != nil {
		return fmt.Errorf("encode %s: %w", id, err)
	}
	b, err := tx.cachedRead(file)
	switch {
	case errors.Is(err, ErrNotExist):
		h, l, err := fitNew(line.Bytes(), header)
		if err != nil {
			return fmt.Errorf("encode %s: %w", id, err)
		}
		b = []byte(strings.Join(h, ",") + "\n")
		line.Reset()
		line.Write(l)
	case err != nil:
		return err
	default:
		first, _, _ := bytes.Cut(bytes.TrimPrefix(b, []byte(bom)), []byte("\n"))
		got, err := csv.NewReader(bytes.NewReader(first)).Read()
		if err == nil && olderHeader(got, header) {
			fitted, l, err := fitOlder(b, line.Bytes(), got, header)
			if err != nil {
				return fmt.Errorf("%s: %w; fix the file before recording into it", tx.where(file), err)
			}
			b = fitted
			line.Reset()
			line.Write(l)
		} else if err != nil || !slices.Equal(got, header) {
			return fmt.Errorf("%s: header is %q, want %q; fix the file before recording into it", tx.where(file), clip(string(bytes.TrimSpace(first))), strings.Join(header, ","))
		}
		b = slices.Clip(b)
		if len(b) > 0 && b[len(b)-1] != '\n' {
			b = append(b, '\n')
		}
	}
	tx.stage(file, append(b, line.Bytes()...))
	return nil
}

// scanIDs calls fn with the first field of every record of an event CSV
// after its header, until fn returns false. Records that do not parse are
// skipped, as readers skip them.
func scanIDs(b []byte, fn func(id string) bool) {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header := true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				header = false
				continue
			}
			return
		}
		if header {
			header = false
			continue
		}
		if len(rec) > 0 && rec[0] != "" && !fn(rec[0]) {
			return
		}
	}
}

// build writes the staged files' blobs and the trees above them, and
// returns the new root tree. changed is false when nothing staged differs
// from the tip.
func (tx *Tx) build() (root git.Hash, changed bool, err error) {
	tx.out = tx.repo.NewBatch()
	root, changed, _, err = tx.buildTree(tx.tree, "", tx.staged, tx.gone)
	if err == nil {
		err = tx.out.Flush()
	}
	return root, changed, err
}

func (tx *Tx) buildTree(base *git.Tree, prefix string, writes map[string][]byte, removes map[string]bool) (h git.Hash, changed, empty bool, err error) {
	files := map[string][]byte{}
	subs := map[string]map[string][]byte{}
	subGone := map[string]map[string]bool{}
	for p, b := range writes {
		if name, rest, ok := strings.Cut(p, "/"); ok {
			if subs[name] == nil {
				subs[name] = map[string][]byte{}
			}
			subs[name][rest] = b
		} else {
			files[p] = b
		}
	}
	var gone []string
	for p := range removes {
		if name, rest, ok := strings.Cut(p, "/"); ok {
			if subGone[name] == nil {
				subGone[name] = map[string]bool{}
			}
			subGone[name][rest] = true
			if subs[name] == nil {
				subs[name] = map[string][]byte{}
			}
		} else {
			gone = append(gone, p)
		}
	}
	var entries []git.TreeEntry
	at := map[string]int{}
	baseHash := git.ZeroHash
	if base != nil {
		baseHash = base.Hash
		entries = slices.Clone(base.Entries)
		for i, e := range entries {
			at[e.Name] = i
		}
	}
	set := func(name string, mode git.Mode, h git.Hash) {
		if i, ok := at[name]; ok {
			entries[i] = git.TreeEntry{Name: name, Mode: mode, Hash: h}
			return
		}
		at[name] = len(entries)
		entries = append(entries, git.TreeEntry{Name: name, Mode: mode, Hash: h})
	}
	drop := func(name string) {
		if i, ok := at[name]; ok {
			entries[i].Name = "" // removed below
			delete(at, name)
			changed = true
		}
	}
	for _, name := range gone {
		if i, ok := at[name]; ok && entries[i].Mode.IsFile() {
			drop(name)
		}
	}
	for name, b := range files {
		src, streamed := tx.sources[prefix+name]
		var h git.Hash
		if streamed {
			rc, err := src.Open()
			if err != nil {
				return git.ZeroHash, false, false, fmt.Errorf("read %s: %w", prefix+name, err)
			}
			h, err = git.HashStream(git.BlobObject, src.Size, rc)
			rc.Close()
			if err != nil {
				return git.ZeroHash, false, false, fmt.Errorf("read %s: %w", prefix+name, err)
			}
		} else {
			h = git.HashObject(git.BlobObject, b)
		}
		if i, ok := at[name]; ok {
			if !entries[i].Mode.IsFile() {
				return git.ZeroHash, false, false, fmt.Errorf("cannot write %s: it is a folder on the data branch", prefix+name)
			}
			if entries[i].Hash == h {
				continue
			}
		}
		var err error
		if streamed {
			err = tx.out.AddStream(git.BlobObject, src.Size, h, src.Open)
		} else {
			err = tx.out.Add(git.BlobObject, b, h)
		}
		if err != nil {
			return git.ZeroHash, false, false, err
		}
		set(name, git.ModeRegular, h)
		changed = true
	}
	for name, w := range subs {
		var sub *git.Tree
		if i, ok := at[name]; ok {
			if entries[i].Mode != git.ModeDir {
				return git.ZeroHash, false, false, fmt.Errorf("cannot write under %s/: it is a file on the data branch", prefix+name)
			}
			t, err := tx.repo.TreeObject(entries[i].Hash)
			if err != nil {
				return git.ZeroHash, false, false, fmt.Errorf("read tree %s: %w", prefix+name, err)
			}
			sub = t
		} else if len(w) == 0 {
			continue // only removals under a folder that does not exist
		}
		h, ch, none, err := tx.buildTree(sub, prefix+name+"/", w, subGone[name])
		if err != nil {
			return git.ZeroHash, false, false, err
		}
		switch {
		case none:
			drop(name)
		case ch:
			set(name, git.ModeDir, h)
			changed = true
		}
	}
	if !changed {
		return baseHash, false, base != nil && len(base.Entries) == 0, nil
	}
	entries = slices.DeleteFunc(entries, func(e git.TreeEntry) bool { return e.Name == "" })
	if len(entries) == 0 && prefix != "" {
		return git.ZeroHash, true, true, nil
	}
	h, err = tx.out.AddTree(entries)
	return h, err == nil, false, err
}

// listTree lists the files under dir of tree t ("" for all), sorted.
func listTree(t *git.Tree, dir string, where func(string) string) ([]string, error) {
	t, err := subtree(t, dir, where)
	if t == nil || err != nil {
		return nil, err
	}
	var out []string
	err = t.Walk(func(name string, e git.TreeEntry) error {
		if e.Mode.IsFile() {
			out = append(out, path.Join(dir, name))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where(dir), err)
	}
	sort.Strings(out)
	return out, nil
}

// WriteDefaultConfig stages gitdora.yml with the commented defaults
// (config.DefaultYAML) unless the tip has a gitdora.yml; it reports whether
// it did.
func (tx *Tx) WriteDefaultConfig() (bool, error) {
	if tx.Exists(ConfigFile) {
		return false, nil
	}
	return true, tx.WriteFile(ConfigFile, config.DefaultYAML)
}
