package git

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	gogit "github.com/go-git/go-git/v5"
	gitcache "github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// repoDirs is where the parts of a repository are, found as git finds
// them: a work tree's .git folder or .git file (a linked worktree or a
// submodule), or a bare repository (git clone --bare or --mirror).
type repoDirs struct {
	gitDir    string // the git folder: a linked worktree's own one (HEAD, index)
	commonDir string // objects, refs and config, shared by every worktree
	workTree  string // top of the work tree; "" for a bare repository
}

// ErrNoRepo is a folder that neither holds nor is inside a repository.
var ErrNoRepo = errors.New("not a git repository")

// findRepo finds the repository at p: p/.git (a folder, or a file naming
// the git folder), or p itself when it is a git folder (a bare
// repository). With up, the folders above p are tried too, as git does
// when run in a subdirectory of a work tree.
func findRepo(p string, up bool) (repoDirs, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return repoDirs{}, err
	}
	if fi, err := os.Stat(abs); err != nil {
		return repoDirs{}, err
	} else if !fi.IsDir() {
		return repoDirs{}, fmt.Errorf("%s is not a folder", p)
	}
	for dir := abs; ; {
		d, ok, err := repoAt(dir)
		if err != nil || ok {
			return d, err
		}
		parent := filepath.Dir(dir)
		if !up || parent == dir {
			return repoDirs{}, ErrNoRepo
		}
		dir = parent
	}
}

// repoAt looks for a repository in dir: dir/.git, then dir itself.
func repoAt(dir string) (repoDirs, bool, error) {
	dot := filepath.Join(dir, ".git")
	fi, err := os.Lstat(dot)
	switch {
	case err == nil && fi.IsDir() && isGitDir(dot):
		return withCommon(repoDirs{gitDir: dot, workTree: dir})
	case err == nil && fi.Mode().IsRegular():
		b, err := readSmall(dot)
		if err != nil {
			return repoDirs{}, false, err
		}
		target, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir:")
		if !ok {
			return repoDirs{}, false, fmt.Errorf("%s: want a line \"gitdir: PATH\"", dot)
		}
		target = strings.TrimSpace(target)
		if !filepath.IsAbs(target) {
			target = filepath.Join(dir, target)
		}
		if !isGitDir(target) {
			return repoDirs{}, false, fmt.Errorf("%s names %s, which is not a git folder", dot, target)
		}
		return withCommon(repoDirs{gitDir: filepath.Clean(target), workTree: dir})
	}
	if isGitDir(dir) {
		d := repoDirs{gitDir: dir}
		if filepath.Base(dir) == ".git" {
			d.workTree = filepath.Dir(dir) // --repo naming a work tree's .git folder
		}
		return withCommon(d)
	}
	return repoDirs{}, false, nil
}

// withCommon fills in the common folder (commondir of a linked worktree)
// and what the configuration says of the work tree: core.bare, core.worktree.
func withCommon(d repoDirs) (repoDirs, bool, error) {
	d.commonDir = d.gitDir
	if b, err := readSmall(filepath.Join(d.gitDir, "commondir")); err == nil {
		c := strings.TrimSpace(string(b))
		if !filepath.IsAbs(c) {
			c = filepath.Join(d.gitDir, c)
		}
		d.commonDir = filepath.Clean(c)
	}
	if d.gitDir == d.commonDir {
		bare, wt := coreSettings(filepath.Join(d.commonDir, "config"))
		switch {
		case wt != "":
			if !filepath.IsAbs(wt) {
				wt = filepath.Join(d.gitDir, wt)
			}
			d.workTree = filepath.Clean(wt)
		case bare == "true":
			d.workTree = ""
		}
	}
	return d, true, nil
}

// isGitDir reports whether dir looks like a git folder, as git checks it:
// a HEAD file, and objects and refs folders (or a commondir file naming
// where they are).
func isGitDir(dir string) bool {
	if fi, err := os.Stat(filepath.Join(dir, "HEAD")); err != nil || !fi.Mode().IsRegular() {
		return false
	}
	if _, err := os.Stat(filepath.Join(dir, "commondir")); err == nil {
		return true
	}
	for _, sub := range []string{"objects", "refs"} {
		if fi, err := os.Stat(filepath.Join(dir, sub)); err != nil || !fi.IsDir() {
			return false
		}
	}
	return true
}

// readSmall reads a small file of a git folder (HEAD, commondir, gitdir,
// a .git file), refusing a large one.
func readSmall(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, 4097)
	n, err := f.Read(b)
	if n == len(b) {
		return nil, fmt.Errorf("%s: more than 4 KiB, not a git file", p)
	}
	if n > 0 {
		err = nil
	}
	return b[:n], err
}

// coreSettings reads core.bare and core.worktree of a git config file
// (the last value wins, as in git).
func coreSettings(p string) (bare, worktree string) {
	f, err := os.Open(p)
	if err != nil {
		return "", ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	section := ""
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			name, _, _ := strings.Cut(strings.Trim(line, "[]"), " ")
			section = strings.ToLower(strings.TrimSpace(name))
			continue
		}
		if section != "core" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		v = strings.Trim(strings.TrimSpace(v), "\"")
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "bare":
			bare = strings.ToLower(v)
		case "worktree":
			worktree = v
		}
	}
	return bare, worktree
}

// openDirs opens the repository d describes with go-git: its storage
// reads refs and objects from the common folder and HEAD and the index
// from the worktree's own; a bare repository has no work tree.
func openDirs(d repoDirs) (*gogit.Repository, error) {
	dot := osfs.New(d.gitDir)
	var fs billy.Filesystem = dot
	if d.commonDir != d.gitDir {
		fs = dotgit.NewRepositoryFilesystem(dot, osfs.New(d.commonDir))
	}
	// Alternates are absolute paths (git clone --shared, --reference) or
	// relative to the objects folder; the odb reads them both, go-git the former.
	st := filesystem.NewStorageWithOptions(fs, gitcache.NewObjectLRUDefault(), filesystem.Options{AlternatesFS: osfs.New("/")})
	var wt billy.Filesystem
	if d.workTree != "" {
		wt = osfs.New(d.workTree)
	}
	return gogit.Open(st, wt)
}

// Repository is a git repository on disk, of any shape: a clone, a
// linked worktree, a submodule, a bare repository or a mirror. It reads
// objects through the odb, references and configuration through go-git.
// It is safe for concurrent use, but for NewReader's readers.
type Repository struct {
	path string // as opened, for messages
	dirs repoDirs
	gg   *gogit.Repository
	st   *filesystem.Storage
	db   *odb
	objs *goGitObjects // go-git's view of the odb
	// walks are the commits RevList read, for the next ones.
	walks walkCache
}

// openRepo opens the repository at p (or, with up, in a folder above it).
func openRepo(p string, up bool) (*Repository, error) {
	d, err := findRepo(p, up)
	if err != nil {
		return nil, err
	}
	gg, err := openDirs(d)
	if err != nil {
		return nil, err
	}
	st := gg.Storer.(*filesystem.Storage)
	db := openODB(filepath.Join(d.commonDir, "objects"))
	return &Repository{path: p, dirs: d, gg: gg, st: st, db: db, objs: &goGitObjects{EncodedObjectStorer: st, db: db}}, nil
}

// Open opens the git repository at path or in a folder above it, as git
// finds it when run there: a clone, a subdirectory of its work tree, a
// linked worktree (git worktree add), or a bare repository or mirror (git
// clone --bare/--mirror). A folder in no repository gives ErrNoRepo.
func Open(p string) (*Repository, error) { return openRepo(p, true) }

// OpenDir opens the git repository at path itself (path/.git, or path
// when it is a git folder), not one above it.
func OpenDir(p string) (*Repository, error) { return openRepo(p, false) }

// Close unmaps and closes the repository's pack files now rather than
// when it is collected. No read may be under way, nor any stream open; a
// later read opens them again.
func (r *Repository) Close() { r.db.Close() }

// Path is the path the repository was opened from.
func (r *Repository) Path() string { return r.path }

// WorkTree is the top of the work tree of the repository at p (a folder
// above p when p is a subdirectory), or "" when it has none (a bare
// repository) or is not a repository.
func WorkTree(p string) string {
	d, err := findRepo(p, true)
	if err != nil {
		return ""
	}
	return d.workTree
}
