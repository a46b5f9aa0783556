package data

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/git"
	"github.com/gitdora/gitdora/internal/par"
)

// DefaultBranch is the data branch used when --data names none.
const DefaultBranch = "dora-data"

// ErrNotExist is returned when a file is not on the data branch.
var ErrNotExist = fs.ErrNotExist

// Store is a data branch: a branch of a git repository, read at one commit
// straight from the object store, or a plain directory with the same layout.
type Store struct {
	dir      string          // plain directory root; "" for a git branch
	repo     *git.Repository // repository holding the branch
	repoPath string
	branch   string // short branch name
	ref      string // full ref read, "" when the branch does not exist yet
	commit   *git.Commit
	tree     *git.Tree
	pinned   bool // read at an earlier commit (At): read-only
	// pend are the files of a batch a killed writer committed to the
	// plain directory but did not move into place (see pending).
	pend map[string]string
}

// Open resolves --data spec against --repo repoPath (docs/data-branch.md): an existing
// directory is a plain directory, or a git repository if it holds one
// (PATH#branch selects its branch); anything else is a branch of repoPath.
// A branch that does not exist yet is not an error: the Store reads as
// empty (Exists reports false) and a writer creates it.
func Open(repoPath, spec string) (*Store, error) {
	if repoPath == "" {
		repoPath = "."
	}
	if spec != "" {
		p, branch, _ := strings.Cut(spec, "#")
		if fi, err := os.Stat(spec); err == nil && fi.IsDir() {
			p, branch = spec, "" // a folder whose name holds a #
		}
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			r, err := git.OpenDir(p)
			if err == nil {
				if branch == "" {
					branch = DefaultBranch
				}
				return openBranch(r, p, branch)
			}
			if !errors.Is(err, git.ErrNoRepo) {
				return nil, specError(spec, err)
			}
			if branch != "" {
				return nil, specError(spec, fmt.Errorf("%s is not a git repository, so #%s cannot select a branch", p, branch))
			}
			abs, err := filepath.Abs(p)
			if err != nil {
				return nil, err
			}
			s := &Store{dir: abs}
			if err := s.Refresh(); err != nil {
				return nil, err
			}
			return s, nil
		}
	}
	if looksLikePath(spec) {
		p, _, _ := strings.Cut(spec, "#")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return nil, specError(spec, fmt.Errorf("%s is not a directory (want a directory, or a branch name)", p))
		}
		if p, _, ok := strings.Cut(spec, "#"); ok && !strings.ContainsAny(p, `/\`) && !strings.HasPrefix(p, ".") {
			// feat#x: a branch whose name holds '#' is named with its repository.
			e := specError(spec, fmt.Errorf("no such directory %s", p))
			e.Hint = func(n fact.Naming) string {
				return fmt.Sprintf("PATH#BRANCH names a branch of the repository at PATH; for a branch named %s of %s, write %s REPO#%s", spec, n.Of("repo"), n.Of("data"), spec)
			}
			return nil, e
		}
		return nil, specError(spec, errors.New("no such directory (create it, or name a branch)"))
	}
	r, err := git.Open(repoPath)
	if err != nil {
		return nil, repoError(repoPath, err)
	}
	branch := spec
	if branch == "" {
		branch = DefaultBranch
	}
	return openBranch(r, repoPath, branch)
}

// specError is a data spec (Open) that cannot be used.
func specError(spec string, err error) *fact.InputError {
	return &fact.InputError{Input: "data", Value: spec, Err: err}
}

// looksLikePath reports whether a --data spec can only be a directory: it
// selects a branch with #, or starts like a path (no branch name starts
// with / or .).
func looksLikePath(spec string) bool {
	return strings.Contains(spec, "#") || strings.HasPrefix(spec, ".") || strings.HasPrefix(spec, "/") || filepath.IsAbs(spec)
}

func openBranch(r *git.Repository, repoPath, branch string) (*Store, error) {
	branch = strings.TrimPrefix(branch, "refs/heads/")
	if err := git.CheckBranchName(branch); err != nil {
		return nil, specError(branch, fmt.Errorf("%w (and not an existing directory)", err))
	}
	s := &Store{repo: r, repoPath: repoPath, branch: branch}
	if err := s.Refresh(); err != nil {
		return nil, err
	}
	return s, nil
}

// Refresh re-reads the branch tip, so the Store sees commits made since
// Open (for a plain directory: the batch an interrupted write left).
func (s *Store) Refresh() error {
	if s.dir != "" {
		p, err := pending(s.dir)
		s.pend = p
		return err
	}
	if s.repo == nil {
		return nil
	}
	s.ref, s.commit, s.tree = "", nil, nil
	for _, name := range []string{"refs/heads/" + s.branch, "refs/remotes/origin/" + s.branch} {
		ref, err := s.repo.Ref(name)
		if errors.Is(err, git.ErrRefNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("data branch %s: %w", s.branch, err)
		}
		c, err := s.repo.CommitObject(ref)
		if err != nil {
			return fmt.Errorf("data branch %s: commit %s: %w (fetch the data branch again: git fetch origin %s:%s)", s.branch, ref, err, s.branch, s.branch)
		}
		t, err := s.repo.TreeObject(c.Tree)
		if err != nil {
			return fmt.Errorf("data branch %s: tree of %s: %w", s.branch, ref, err)
		}
		s.ref, s.commit, s.tree = name, c, t
		return nil
	}
	return nil
}

// IsDir reports whether the Store is a plain directory.
func (s *Store) IsDir() bool { return s.dir != "" }

// Dir is the root of a plain-directory Store ("" for a branch).
func (s *Store) Dir() string { return s.dir }

// Repo is the repository holding the data branch (nil for a plain directory).
func (s *Store) Repo() *git.Repository { return s.repo }

// RepoPath is the path the repository was opened from.
func (s *Store) RepoPath() string { return s.repoPath }

// Branch is the data branch's short name ("" for a plain directory).
func (s *Store) Branch() string { return s.branch }

// Exists reports whether there is anything to read: the branch exists,
// or the directory does.
func (s *Store) Exists() bool {
	if s.dir != "" {
		return true
	}
	return s.commit != nil
}

// Commit is the hash of the data-branch commit read ("" for a plain
// directory or a branch that does not exist yet).
func (s *Store) Commit() string {
	if s.commit == nil {
		return ""
	}
	return s.commit.Hash.String()
}

// String names the Store for messages: "branch dora-data of ." or "directory /x".
func (s *Store) String() string {
	if s.dir != "" {
		return "directory " + s.dir
	}
	return "branch " + s.branch + " of " + s.repoPath
}

// List returns the paths of the files under dir (a slash-separated folder
// of the layout, "" for all), sorted.
func (s *Store) List(dir string) ([]string, error) {
	dir = strings.Trim(dir, "/")
	if s.dir != "" {
		out, err := listDir(s.dir, dir)
		return withPending(out, s.pend, dir), err
	}
	return listTree(s.tree, dir, s.where)
}

// Entry is a file of the Store and the name of its content.
type Entry struct {
	Path string
	// Blob is the git name of the file's content on a branch (files with
	// the same content have the same Blob); zero in a plain directory.
	Blob git.Hash
}

// Entries lists the files under dir as List does, each with the name of
// its content on a branch: a reader can tell files of the same content
// apart from the others without reading them.
func (s *Store) Entries(dir string) ([]Entry, error) {
	dir = strings.Trim(dir, "/")
	if s.dir != "" {
		paths, err := s.List(dir)
		out := make([]Entry, len(paths))
		for i, p := range paths {
			out[i] = Entry{Path: p}
		}
		return out, err
	}
	t, err := subtree(s.tree, dir, s.where)
	if t == nil || err != nil {
		return nil, err
	}
	prefix := dir + "/"
	if dir == "" {
		prefix = ""
	}
	// The folders two levels down (scans/YYYY/MM) are listed in parallel.
	var out []Entry
	type job struct {
		prefix string
		h      git.Hash
		out    []Entry
		err    error
	}
	var jobs []*job
	var level func(t *git.Tree, prefix string, depth int) error
	level = func(t *git.Tree, prefix string, depth int) error {
		for _, e := range t.Entries {
			switch {
			case e.Mode.IsFile():
				out = append(out, Entry{Path: prefix + e.Name, Blob: e.Hash})
			case e.Mode != git.ModeDir:
			case depth == 2:
				jobs = append(jobs, &job{prefix: prefix + e.Name + "/", h: e.Hash})
			default:
				sub, err := s.repo.TreeObject(e.Hash)
				if err != nil {
					return err
				}
				if err := level(sub, prefix+e.Name+"/", depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := level(t, prefix, 1); err != nil {
		return nil, fmt.Errorf("%s: %w", s.where(dir), err)
	}
	par.Each(len(jobs), func(i int) {
		j := jobs[i]
		j.err = s.repo.Files(j.h, j.prefix, func(p string, e git.TreeEntry) error {
			if e.Mode.IsFile() {
				j.out = append(j.out, Entry{Path: p, Blob: e.Hash})
			}
			return nil
		})
	})
	n := len(out)
	for _, j := range jobs {
		if j.err != nil {
			return nil, fmt.Errorf("%s: %w", s.where(dir), j.err)
		}
		n += len(j.out)
	}
	out = slices.Grow(out, n-len(out))
	for _, j := range jobs {
		out = append(out, j.out...)
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// OpenEntry opens the file of e, an Entry of this Store: on a branch by
// the name of its content, without looking its path up again. It gives
// the file's size, -1 when it is not known.
func (s *Store) OpenEntry(e Entry) (io.ReadCloser, int64, error) {
	if s.dir != "" || e.Blob.IsZero() {
		rc, err := s.Open(e.Path)
		if err != nil {
			return nil, -1, err
		}
		size := int64(-1)
		if f, ok := rc.(*os.File); ok {
			if fi, err := f.Stat(); err == nil {
				size = fi.Size()
			}
		}
		return rc, size, nil
	}
	t, size, rc, err := s.repo.Stream(e.Blob)
	if err == nil && t != git.BlobObject {
		rc.Close()
		err = fmt.Errorf("object %s is a %s, not a file's content", e.Blob, t)
	}
	if err != nil {
		return nil, -1, fmt.Errorf("data branch %s: %s: %w", s.branch, e.Path, err)
	}
	return rc, size, nil
}

// listDir lists the regular files under dir of the plain directory root
// ("" for all), sorted, leaving out .git folders and gitdora's own
// temporary files and folders.
func listDir(root, dir string) ([]string, error) {
	var out []string
	top := filepath.Join(root, filepath.FromSlash(dir))
	err := filepath.WalkDir(top, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == top {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" || isTemp(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && !isTemp(d.Name()) {
			rel, _ := filepath.Rel(root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", top, err)
	}
	sort.Strings(out)
	return out, nil
}

// Open opens the file at p (a slash-separated path of the layout).
// A missing file gives an error that matches ErrNotExist.
func (s *Store) Open(p string) (io.ReadCloser, error) {
	if err := checkPath(p); err != nil {
		return nil, err
	}
	if s.dir != "" {
		return openInDir(s.dir, p, s.pend)
	}
	if s.tree == nil {
		return nil, fmt.Errorf("%s: %w", p, ErrNotExist)
	}
	e, err := s.tree.FindEntry(p)
	if errors.Is(err, git.ErrEntryNotFound) || errors.Is(err, git.ErrDirectoryNotFound) || errors.Is(err, git.ErrNotFound) || err == nil && !e.Mode.IsFile() {
		return nil, fmt.Errorf("%s: %w", p, ErrNotExist)
	}
	if err != nil {
		return nil, fmt.Errorf("data branch %s: %s: %w", s.branch, p, err)
	}
	// Streamed: a SARIF file can be hundreds of megabytes.
	t, _, rc, err := s.repo.Stream(e.Hash)
	if err == nil && t != git.BlobObject {
		rc.Close()
		err = fmt.Errorf("object %s is a %s, not a file's content", e.Hash, t)
	}
	if err != nil {
		return nil, fmt.Errorf("data branch %s: %s: %w", s.branch, p, err)
	}
	return rc, nil
}

// ReadFile returns the content of the file at p.
func (s *Store) ReadFile(p string) ([]byte, error) {
	rc, err := s.Open(p)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var b bytes.Buffer
	if _, err := io.Copy(&b, rc); err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	return b.Bytes(), nil
}

// errTooLarge is what readLimited returns for a file over its bound.
var errTooLarge = errors.New("too large")

// readLimited returns the content of the file at p, or an error matching
// errTooLarge once more than limit bytes were read (a huge file is not
// read whole).
func (s *Store) readLimited(p string, limit int64) ([]byte, error) {
	rc, err := s.Open(p)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: more than %d bytes: %w", s.where(p), limit, errTooLarge)
	}
	return b, nil
}

// maxConfigFile bounds gitdora.yml on the data branch.
const maxConfigFile = 1 << 20

// checkNewPath checks the path of a file to write: a path inside the data
// branch (checkPath) whose name is UTF-8 text without control characters,
// as every name of the layout is. A name of other bytes could not be
// recorded as it is (the journal of a plain directory is JSON, and git
// tree entries end at NUL), nor printed safely.
func checkNewPath(p string) error {
	if err := checkPath(p); err != nil {
		return err
	}
	if !utf8.ValidString(p) || strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return fmt.Errorf("%q is not a name to write: want UTF-8 text without control characters", p)
	}
	return nil
}

// checkPath refuses paths that would leave the data branch's root.
func checkPath(p string) error {
	if p == "" || path.IsAbs(p) || strings.Contains(p, "\\") || path.Clean(p) != p || p == ".." || strings.HasPrefix(p, "../") {
		return fmt.Errorf("%q is not a path inside the data branch", p)
	}
	return nil
}

// Config reads the configuration: the file at override if given, else
// gitdora.yml of the data branch, else the defaults.
func (s *Store) Config(override string) (*config.Settings, error) {
	if override != "" {
		return ReadConfigFile(override)
	}
	b, err := s.readLimited(ConfigFile, maxConfigFile)
	if errors.Is(err, fs.ErrNotExist) {
		return config.Default(), nil
	}
	if err != nil {
		return nil, err
	}
	return config.Parse(b, s.where(ConfigFile))
}

// where names a file of the Store for messages.
func (s *Store) where(p string) string {
	if s.dir != "" {
		return filepath.Join(s.dir, filepath.FromSlash(p))
	}
	return s.branch + ":" + p
}

// Where names the file at p for messages: "dora-data:events/…" or a path on disk.
func (s *Store) Where(p string) string { return s.where(p) }
