package git

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// A work tree may have a branch checked out that gitdora moves (the data
// branch: the README once advised `git worktree add dora-data dora-data`
// to edit gitdora.yml, and a clone of the data branch alone has it as
// HEAD). A writer that moved the branch under such a work tree would leave
// its index and files at the old commit, and the next commit made there
// would revert what was written. So every move of the branch updates those
// work trees as `git merge --ff-only` does (the paths the move changes, in
// the index and on disk), or, when one of those paths has local changes,
// refuses before anything moves and names the work tree, as `git branch -f`
// does. The messages call the branch the data branch: it is the only one
// gitdora moves.

// ErrCheckedOut is the error of a move refused because a work tree that
// has the branch checked out has local changes in the way.
var ErrCheckedOut = errors.New("the data branch is checked out with local changes")

// checkedOutError is ErrCheckedOut naming the work tree and the change.
type checkedOutError struct{ msg string }

func (e *checkedOutError) Error() string        { return e.msg }
func (e *checkedOutError) Is(target error) bool { return target == ErrCheckedOut }

// Checkout is a work tree that has a branch checked out.
type Checkout struct {
	Root   string // top of the work tree
	gitDir string // its git folder: HEAD, index
}

// Checkouts lists the work trees of the repository (the main one and
// those of git worktree add) whose HEAD is the branch (a short name, such
// as dora-data).
func (r *Repository) Checkouts(branch string) ([]Checkout, error) {
	common := r.dirs.commonDir
	if common == "" {
		return nil, nil
	}
	want := "ref: refs/heads/" + branch
	var out []Checkout
	head := func(gitDir string) bool {
		b, err := readSmall(filepath.Join(gitDir, "HEAD"))
		return err == nil && strings.TrimSpace(string(b)) == want
	}
	if root := mainWorkTree(common); root != "" && head(common) {
		out = append(out, Checkout{Root: root, gitDir: common})
	}
	ents, err := os.ReadDir(filepath.Join(common, "worktrees"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, e := range ents {
		gitDir := filepath.Join(common, "worktrees", e.Name())
		if !e.IsDir() || !head(gitDir) {
			continue
		}
		b, err := readSmall(filepath.Join(gitDir, "gitdir"))
		if err != nil {
			continue // not a worktree's folder
		}
		dotGit := strings.TrimSpace(string(b))
		if !filepath.IsAbs(dotGit) {
			dotGit = filepath.Join(gitDir, dotGit)
		}
		root := filepath.Dir(filepath.Clean(dotGit))
		if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
			continue // a worktree whose folder is gone (git worktree prune removes it)
		}
		out = append(out, Checkout{Root: root, gitDir: gitDir})
	}
	return out, nil
}

// mainWorkTree is the main work tree of the repository whose common
// folder is common: core.worktree, else the folder holding .git; "" for a
// bare repository.
func mainWorkTree(common string) string {
	bare, wt := coreSettings(filepath.Join(common, "config"))
	switch {
	case wt != "":
		if !filepath.IsAbs(wt) {
			wt = filepath.Join(common, wt)
		}
		return filepath.Clean(wt)
	case bare == "true":
		return ""
	case filepath.Base(common) == ".git":
		return filepath.Dir(common)
	}
	return ""
}

// change is a path whose entry differs between two trees (nil: absent).
type change struct {
	path     string
	from, to *TreeEntry
}

// diffTrees lists the file paths that differ between trees a and b (either
// may be nil), in path order.
func (r *Repository) diffTrees(a, b *Tree, prefix string, out *[]change) error {
	if strings.Count(prefix, "/") > MaxTreeDepth {
		return fmt.Errorf("%s: folders nested more than %d deep", strings.TrimSuffix(prefix, "/"), MaxTreeDepth)
	}
	ents := func(t *Tree) map[string]TreeEntry {
		m := map[string]TreeEntry{}
		if t != nil {
			for _, e := range t.Entries {
				m[e.Name] = e
			}
		}
		return m
	}
	ea, eb := ents(a), ents(b)
	names := make([]string, 0, len(ea)+len(eb))
	for n := range ea {
		names = append(names, n)
	}
	for n := range eb {
		if _, ok := ea[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		x, inA := ea[n]
		y, inB := eb[n]
		if inA && inB && x.Hash == y.Hash && x.Mode == y.Mode {
			continue
		}
		p := prefix + n
		var subA, subB *Tree
		var fileA, fileB *TreeEntry
		for _, side := range []struct {
			e   TreeEntry
			in  bool
			sub **Tree
			f   **TreeEntry
		}{{x, inA, &subA, &fileA}, {y, inB, &subB, &fileB}} {
			switch {
			case !side.in:
			case side.e.Mode == ModeDir:
				t, err := r.TreeObject(side.e.Hash)
				if err != nil {
					return fmt.Errorf("%s: %w", p, err)
				}
				*side.sub = t
			default:
				e := side.e
				*side.f = &e
			}
		}
		if fileA != nil || fileB != nil {
			*out = append(*out, change{path: p, from: fileA, to: fileB})
		}
		if subA != nil || subB != nil {
			if err := r.diffTrees(subA, subB, p+"/", out); err != nil {
				return err
			}
		}
	}
	return nil
}

// safePath reports whether p can be written in a work tree: no empty, .
// or .. part, no .git folder in any spelling git refuses (.GIT, ".git.",
// the short name git~1), no backslash or NUL.
func safePath(p string) bool {
	for _, c := range strings.Split(p, "/") {
		l := strings.ToLower(strings.TrimRight(c, ". "))
		if c == "" || c == "." || c == ".." || l == ".git" || l == "git~1" || strings.ContainsAny(c, "\\\x00") {
			return false
		}
	}
	return true
}

// CheckoutUpdate is the update of one work tree for one move of the
// branch it has checked out, planned and not yet applied.
type CheckoutUpdate struct {
	r       *Repository
	branch  string
	co      Checkout
	idx     *index.Index
	lock    *os.File // the index's lock file, held from planning to writing
	writes  []change // paths to write (to != nil) or delete (to == nil) in the index and on disk
	indexed []change // paths whose index entry already is the new one
}

// Root is the top of the work tree to update.
func (u *CheckoutUpdate) Root() string { return u.co.Root }

// Release drops the index lock without writing.
func (u *CheckoutUpdate) Release() {
	if u.lock != nil {
		u.lock.Close()
		os.Remove(u.lock.Name())
		u.lock = nil
	}
}

// dirty is the error for local changes in the way of the move.
func (u *CheckoutUpdate) dirty(branch, what string) error {
	return &checkedOutError{fmt.Sprintf("branch %s is checked out at %s, where %s; commit or stash that change there, then run gitdora again (nothing was written)",
		branch, u.co.Root, what)}
}

// PlanCheckout checks that the work tree co can follow the branch (a
// short name) from tree a to tree b (either nil) and plans the update.
// With lock, the work tree's index is locked until Apply or Release, as
// git does. It fails with ErrCheckedOut when co has local changes in the
// way.
func (r *Repository) PlanCheckout(co Checkout, branch string, a, b *Tree, lock bool) (*CheckoutUpdate, error) {
	u := &CheckoutUpdate{r: r, branch: branch, co: co}
	indexPath := filepath.Join(co.gitDir, "index")
	if lock {
		f, err := os.OpenFile(indexPath+".lock", os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if err != nil {
			if errors.Is(err, fs.ErrExist) {
				return nil, fmt.Errorf("branch %s is checked out at %s, whose index is locked (%s.lock exists): is a git command running there? If not, remove the lock file", branch, co.Root, indexPath)
			}
			return nil, fmt.Errorf("lock the index of %s: %w", co.Root, err)
		}
		u.lock = f
	}
	ok := false
	defer func() {
		if !ok {
			u.Release()
		}
	}()
	u.idx = &index.Index{Version: 2}
	if f, err := os.Open(indexPath); err == nil {
		err = index.NewDecoder(bufio.NewReader(f)).Decode(u.idx)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("branch %s is checked out at %s, whose index gitdora cannot read (%v); update that work tree with git instead", branch, co.Root, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var changes []change
	if err := r.diffTrees(a, b, "", &changes); err != nil {
		return nil, fmt.Errorf("data branch %s: %w", branch, err)
	}
	// Stage 0 is a merged entry (go-git's index.Merged is 1, which is not
	// what its decoder reads).
	entries := map[string][]*index.Entry{}
	for _, e := range u.idx.Entries {
		entries[e.Name] = append(entries[e.Name], e)
	}
	same := func(e *index.Entry, t *TreeEntry) bool {
		if e == nil || t == nil {
			return e == nil && t == nil
		}
		return e.Hash == plumbing.Hash(t.Hash) && e.Mode == filemode.FileMode(t.Mode) && !e.IntentToAdd
	}
	for _, c := range changes {
		if !safePath(c.path) {
			return nil, fmt.Errorf("data branch %s: %q cannot be written to a work tree (git refuses such a path)", branch, c.path)
		}
		es := entries[c.path]
		var e *index.Entry
		for _, x := range es {
			if x.Stage != 0 {
				return nil, u.dirty(branch, c.path+" has an unresolved merge conflict")
			}
			e = x
		}
		if under := u.entriesUnder(c.path); under {
			return nil, u.dirty(branch, "the index has files under "+c.path+"/")
		}
		switch {
		case same(e, c.from):
			// The index is at the old commit: the file must be too.
			if err := u.upToDate(c.path, e); err != nil {
				return nil, u.dirty(branch, err.Error())
			}
			u.writes = append(u.writes, c)
		case same(e, c.to):
			u.indexed = append(u.indexed, c) // already staged as the new commit has it
		default:
			return nil, u.dirty(branch, c.path+" has changes added to the index")
		}
	}
	ok = true
	return u, nil
}

// entriesUnder reports whether the index has entries inside folder p.
func (u *CheckoutUpdate) entriesUnder(p string) bool {
	for _, e := range u.idx.Entries {
		if strings.HasPrefix(e.Name, p+"/") {
			return true
		}
	}
	return false
}

// upToDate checks that the file at p matches its index entry e (nil: no
// entry, so nothing may be in the way at p).
func (u *CheckoutUpdate) upToDate(p string, e *index.Entry) error {
	if err := u.parentsAreFolders(p); err != nil {
		return err
	}
	full := filepath.Join(u.co.Root, filepath.FromSlash(p))
	fi, err := os.Lstat(full)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // deleted there: nothing is lost by writing it
	}
	if err != nil {
		return err
	}
	if e == nil {
		return fmt.Errorf("the untracked %s would be overwritten", p)
	}
	if e.SkipWorktree {
		return nil
	}
	var h plumbing.Hash
	switch {
	case e.Mode == filemode.Symlink && fi.Mode()&fs.ModeSymlink != 0:
		target, err := os.Readlink(full)
		if err != nil {
			return err
		}
		h = plumbing.Hash(HashObject(BlobObject, []byte(target)))
	case e.Mode.IsFile() && e.Mode != filemode.Symlink && fi.Mode().IsRegular():
		if uint32(fi.Size()) != e.Size {
			return fmt.Errorf("%s has changes not added to the index", p)
		}
		if h, err = hashFile(full, fi.Size()); err != nil {
			return err
		}
	default:
		return fmt.Errorf("%s is not the kind of file the index says", p)
	}
	if h != e.Hash {
		return fmt.Errorf("%s has changes not added to the index", p)
	}
	return nil
}

// parentsAreFolders checks that each folder above p in the work tree is a
// folder (or missing), never a file or a symbolic link to write through.
func (u *CheckoutUpdate) parentsAreFolders(p string) error {
	dir := u.co.Root
	parts := strings.Split(p, "/")
	for _, c := range parts[:len(parts)-1] {
		dir = filepath.Join(dir, c)
		fi, err := os.Lstat(dir)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if !fi.IsDir() {
			return fmt.Errorf("%s is in the way of %s (not a folder)", strings.TrimPrefix(dir, u.co.Root+string(filepath.Separator)), p)
		}
	}
	return nil
}

// hashFile is the blob hash of the file at p, of size n.
func hashFile(p string, n int64) (plumbing.Hash, error) {
	f, err := os.Open(p)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	defer f.Close()
	w := plumbing.NewHasher(plumbing.BlobObject, n)
	if _, err := io.Copy(w, f); err != nil {
		return plumbing.ZeroHash, err
	}
	return w.Sum(), nil
}

// Apply writes the planned files and the index, then drops the lock.
func (u *CheckoutUpdate) Apply() error {
	defer u.Release()
	byName := map[string]*index.Entry{}
	for _, e := range u.idx.Entries {
		if e.Stage == 0 {
			byName[e.Name] = e
		}
	}
	for _, c := range u.writes {
		if err := u.parentsAreFolders(c.path); err != nil {
			return err
		}
		full := filepath.Join(u.co.Root, filepath.FromSlash(c.path))
		old := byName[c.path]
		if c.to == nil {
			delete(byName, c.path)
			if old != nil && old.SkipWorktree {
				continue
			}
			if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			removeEmptyParents(u.co.Root, c.path)
			continue
		}
		e := &index.Entry{Name: c.path, Hash: plumbing.Hash(c.to.Hash), Mode: filemode.FileMode(c.to.Mode)}
		byName[c.path] = e
		if old != nil && old.SkipWorktree {
			e.SkipWorktree = true
			continue
		}
		if err := u.writeWorkFile(full, c.to); err != nil {
			return err
		}
		fi, err := os.Lstat(full)
		if err != nil {
			return err
		}
		e.Size, e.ModifiedAt = uint32(fi.Size()), fi.ModTime()
		fillStat(e, fi)
	}
	if u.lock == nil {
		return nil
	}
	idx := &index.Index{Version: u.idx.Version}
	if idx.Version < 2 || idx.Version > index.EncodeVersionSupported {
		idx.Version = 2
	}
	for _, e := range byName {
		idx.Entries = append(idx.Entries, e)
	}
	for _, e := range u.idx.Entries { // unmerged stages are kept as they were
		if e.Stage != 0 {
			idx.Entries = append(idx.Entries, e)
		}
	}
	sort.SliceStable(idx.Entries, func(i, j int) bool { return idx.Entries[i].Name < idx.Entries[j].Name })
	var buf bytes.Buffer
	if err := index.NewEncoder(&buf).Encode(idx); err != nil {
		return fmt.Errorf("index of %s: %w", u.co.Root, err)
	}
	if _, err := u.lock.Write(buf.Bytes()); err != nil {
		return err
	}
	name := u.lock.Name()
	if err := u.lock.Close(); err != nil {
		return err
	}
	u.lock = nil
	if err := os.Rename(name, filepath.Join(u.co.gitDir, "index")); err != nil {
		os.Remove(name)
		return err
	}
	return nil
}

// writeWorkFile writes the blob of e at full, replacing what is there
// (never writing through it: a temporary file is renamed over it).
func (u *CheckoutUpdate) writeWorkFile(full string, e *TreeEntry) error {
	dir := filepath.Dir(full)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if e.Mode == ModeSubmodule {
		return os.MkdirAll(full, 0o755)
	}
	b, err := u.r.ReadBlob(e.Hash)
	if err != nil {
		return fmt.Errorf("data branch %s: %s: %w", u.branch, path.Base(full), err)
	}
	tmp := filepath.Join(dir, fmt.Sprintf(".gitdora-%d-%s", os.Getpid(), e.Hash.String()[:12]))
	os.Remove(tmp)
	if e.Mode == ModeSymlink {
		err = os.Symlink(string(b), tmp)
	} else {
		perm := os.FileMode(0o644)
		if e.Mode == ModeExecutable {
			perm = 0o755
		}
		err = os.WriteFile(tmp, b, perm)
		if err == nil {
			err = os.Chmod(tmp, perm) // whatever the umask
		}
	}
	if err == nil {
		if fi, lerr := os.Lstat(full); lerr == nil && fi.IsDir() {
			err = fmt.Errorf("%s is a folder", full)
		}
	}
	if err == nil {
		err = os.Rename(tmp, full)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", full, err)
	}
	return nil
}

// removeEmptyParents removes the folders above p that a deletion left
// empty, as git does.
func removeEmptyParents(root, p string) {
	for dir := path.Dir(p); dir != "." && dir != "/"; dir = path.Dir(dir) {
		if os.Remove(filepath.Join(root, filepath.FromSlash(dir))) != nil {
			return
		}
	}
}
