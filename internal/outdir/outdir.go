// Package outdir guards the folders gitdora writes its output into (site,
// report, collect, demo): it writes only into a new or empty folder, or one
// it built itself, which it marks with a file of its own. It never writes
// into a git repository, the repository or data it reads, or any folder
// holding them, and never through a symbolic link.
package outdir

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/gitdora/gitdora/fact"
)

// Marker is the file every build writes into its folder: a folder that
// holds it was built by gitdora and may be rebuilt.
const Marker = ".gitdora-output"

// markerText is the content of Marker.
const markerText = "gitdora built this folder and replaces or rewrites it on the next build: keep no files of your own here.\n"

// Mode says how a command writes its folder.
type Mode int

const (
	// Replace builds the folder anew and swaps it in as a whole: whatever
	// the old one held is deleted (gitdora site, demo).
	Replace Mode = iota
	// Fill writes files into the folder, each replacing the file of its
	// name (gitdora report, collect).
	Fill
)

// Path is a path gitdora reads and must not lose, and what it is, for
// messages ("the repository (--repo)").
type Path struct {
	Path, What string
}

// Guard holds the paths of a command an output folder must leave alone.
type Guard struct {
	// Keep are paths the output folder must not be, nor hold: the
	// repository, a configuration or template the command reads. A
	// folder inside them is fine (public/ in the work tree).
	Keep []Path
	// Within are folders the output folder must not be, hold, nor be
	// inside: the data directory.
	Within []Path
}

// Check says why dir, the folder given for input (e.g. "out"), must not
// be written as m writes it (a *fact.InputError of input), or returns nil. Whatever the guard holds,
// it refuses a symbolic link, a file, a folder inside a git directory or
// holding .git, and a folder that holds anything but is not one gitdora
// built (no Marker). A missing or empty folder is fine. With Replace, the
// current folder and the folders above it are refused too.
func (g Guard) Check(input, dir string, m Mode) error {
	fail := func(err error) error { return &fact.InputError{Input: input, Value: dir, Err: err} }
	refuse := func(why string) error {
		if m == Replace {
			return fail(fmt.Errorf("refusing to replace it: %s", why))
		}
		return fail(fmt.Errorf("refusing to write into it: %s", why))
	}
	if dir == "" {
		return fail(errors.New("empty; name a folder"))
	}
	// Cleaned first: Lstat of "link/" follows the link.
	fi, err := os.Lstat(filepath.Clean(dir))
	exists := err == nil
	switch {
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fail(err)
	case exists && fi.Mode()&fs.ModeSymlink != 0:
		return refuse("it is a symbolic link, and gitdora never writes through one; name the folder it points to, or remove it")
	case exists && !fi.IsDir():
		return refuse("it exists and is not a folder")
	}
	real, err := resolve(dir)
	if err != nil {
		return fail(err)
	}
	keep := g.Keep
	if m == Replace {
		keep = append(keep[:len(keep):len(keep)], Path{".", "the current folder"})
	}
	for _, p := range keep {
		if holds(real, p.Path) {
			return refuse(fmt.Sprintf("it is or holds %s %s", p.What, p.Path))
		}
	}
	for _, p := range g.Within {
		if holds(real, p.Path) || inside(real, p.Path) {
			return refuse(fmt.Sprintf("it is, holds or is inside %s %s", p.What, p.Path))
		}
	}
	if gd := gitDirAbove(real); gd != "" {
		return refuse("it is inside the git directory " + gd)
	}
	if !exists {
		return nil
	}
	entries, err := os.ReadDir(filepath.Clean(dir))
	if err != nil {
		return fail(err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
		return refuse("it holds .git, a git repository")
	}
	if mi, err := os.Lstat(filepath.Join(dir, Marker)); err != nil || !mi.Mode().IsRegular() {
		what := "it is not a site gitdora built"
		if m == Fill {
			what = "it is not a folder gitdora wrote"
		}
		return refuse(fmt.Sprintf("%s (it holds other files and no %s); remove it or name a new or empty folder", what, Marker))
	}
	return nil
}

// Mark writes Marker into dir, a folder Check allowed.
func Mark(dir string) error {
	return WriteFile(dir, Marker, func(w io.Writer) error {
		_, err := io.WriteString(w, markerText)
		return err
	})
}

// WriteFile writes the file name of dir through write: into a new
// temporary file beside it (which cannot be a link), renamed over name
// once complete. A name that is a symbolic link or not a regular file is
// refused: the rename would replace the link, but gitdora says so instead.
func WriteFile(dir, name string, write func(io.Writer) error) error {
	path := filepath.Join(dir, name)
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		what := "not a regular file"
		if fi.Mode()&fs.ModeSymlink != 0 {
			what = "a symbolic link, and gitdora never writes through one"
		}
		return fmt.Errorf("%s: refusing to write it: it is %s; remove it", path, what)
	}
	f, err := os.CreateTemp(dir, "."+name+".tmp-")
	if err != nil {
		return err
	}
	tmp := f.Name()
	bw := bufio.NewWriterSize(f, 256<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// MkdirAll creates dir (and the folders above it) unless it exists, and
// refuses it when it is a symbolic link.
func MkdirAll(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	fi, err := os.Lstat(filepath.Clean(dir))
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("%s: refusing to write into it: it is a symbolic link, and gitdora never writes through one", dir)
	}
	return nil
}

// resolve makes p absolute with every symbolic link of its existing part
// resolved: two names of one folder compare equal.
func resolve(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for cur := abs; ; {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(r, rest), nil
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = parent
	}
}

// holds reports whether folder dir is p or a folder above it.
func holds(dir, p string) bool {
	rp, err := resolve(p)
	if err != nil {
		return false
	}
	return rp == dir || strings.HasPrefix(rp, withSep(dir))
}

// inside reports whether dir is below folder p.
func inside(dir, p string) bool {
	rp, err := resolve(p)
	if err != nil {
		return false
	}
	return strings.HasPrefix(dir, withSep(rp))
}

func withSep(p string) string {
	if strings.HasSuffix(p, string(filepath.Separator)) {
		return p
	}
	return p + string(filepath.Separator)
}

// gitDirAbove returns the git directory dir is in (or is), or "".
func gitDirAbove(dir string) string {
	for cur := dir; ; {
		if filepath.Base(cur) == ".git" || isGitDir(cur) {
			return cur
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return ""
		}
		cur = parent
	}
}

// isGitDir reports whether dir looks like a git directory (a .git folder
// or a bare repository): HEAD, objects/ and refs/.
func isGitDir(dir string) bool {
	for _, e := range []struct {
		name string
		dir  bool
	}{{"HEAD", false}, {"objects", true}, {"refs", true}} {
		fi, err := os.Stat(filepath.Join(dir, e.name))
		if err != nil || fi.IsDir() != e.dir {
			return false
		}
	}
	return true
}

// Append appends s to the file at path, created if missing, as GitHub's
// $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY files are written. A path that
// is a symbolic link, or not a regular file, is refused.
func Append(path, s string) error {
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		what := "not a regular file"
		if fi.Mode()&fs.ModeSymlink != 0 {
			what = "a symbolic link, and gitdora never writes through one"
		}
		return fmt.Errorf("%s: refusing to write it: it is %s", path, what)
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(s)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
