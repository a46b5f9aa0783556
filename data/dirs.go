package data

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/gitdora/gitdora/internal/git"
)

// Dirs returns the paths of the folders depth levels under dir ("" for
// the root; depth 1: its subfolders), staged or on the tip, sorted. It
// reads the folders above them, not their files: Dirs(ScansDir, 3) finds
// every scans/YYYY/MM/<sha> folder without reading a scan.
func (tx *Tx) Dirs(dir string, depth int) ([]string, error) {
	dir = strings.Trim(dir, "/")
	if depth < 1 {
		return nil, fmt.Errorf("Dirs %q: depth %d, want 1 or more", dir, depth)
	}
	var out []string
	var err error
	if tx.dir != "" {
		out, err = dirsOfDir(tx.dir, dir, depth)
	} else {
		out, err = dirsOfTree(tx.tree, dir, depth, tx.where)
	}
	if err != nil {
		return nil, err
	}
	prefix := dir + "/"
	if dir == "" {
		prefix = ""
	}
	for p := range tx.staged {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok {
			continue
		}
		parts := strings.SplitN(rest, "/", depth+1)
		if len(parts) == depth+1 { // a file below a folder at that depth
			out = append(out, path.Join(dir, strings.Join(parts[:depth], "/")))
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func dirsOfTree(t *git.Tree, dir string, depth int, where func(string) string) ([]string, error) {
	t, err := subtree(t, dir, where)
	if t == nil || err != nil {
		return nil, err
	}
	below, err := treeDirs(t, t.Hash, depth)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where(dir), err)
	}
	out := make([]string, len(below))
	for i, b := range below {
		out[i] = path.Join(dir, b)
	}
	return out, nil
}

// subtree is the tree of the folder dir of t ("" for t), nil when there
// is none.
func subtree(t *git.Tree, dir string, where func(string) string) (*git.Tree, error) {
	if t == nil || dir == "" {
		return t, nil
	}
	sub, err := t.Tree(dir)
	if errors.Is(err, git.ErrDirectoryNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where(dir), err)
	}
	return sub, nil
}

// treeDirs lists the folders depth levels under the tree h (relative to
// it), reading t when it is given and the list is not known yet.
func treeDirs(t *git.Tree, h git.Hash, depth int) ([]string, error) {
	if got, ok := seenDirs.get(h, depth); ok {
		return got, nil
	}
	var out []string
	for _, e := range t.Entries {
		if e.Mode != git.ModeDir {
			continue
		}
		if depth == 1 {
			out = append(out, e.Name)
			continue
		}
		below, ok := seenDirs.get(e.Hash, depth-1)
		if !ok {
			sub, err := t.Tree(e.Name)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", e.Name, err)
			}
			if below, err = treeDirs(sub, e.Hash, depth-1); err != nil {
				return nil, fmt.Errorf("%s/%w", e.Name, err)
			}
		}
		for _, b := range below {
			out = append(out, e.Name+"/"+b)
		}
	}
	seenDirs.put(h, depth, out)
	return out, nil
}

// seenDirs remembers the folders found in trees: a tree's hash names its
// content, so what was found stays true, and a process that stages many
// times (gitdora demo) reads each unchanged folder once.
var seenDirs = &dirCache{m: map[dirKey][]string{}}

type dirKey struct {
	h     git.Hash
	depth int
}

type dirCache struct {
	mu sync.Mutex
	m  map[dirKey][]string
}

func (c *dirCache) get(h git.Hash, depth int) ([]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[dirKey{h, depth}]
	return v, ok
}

func (c *dirCache) put(h git.Hash, depth int, v []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= 1<<14 { // bounded: start again
		clear(c.m)
	}
	c.m[dirKey{h, depth}] = v
}

func dirsOfDir(root, dir string, depth int) ([]string, error) {
	full := filepath.Join(root, filepath.FromSlash(dir))
	if fi, err := os.Lstat(full); errors.Is(err, fs.ErrNotExist) || err == nil && !fi.IsDir() { // a symbolic link is not followed, as listDir does not
		return nil, nil
	}
	ents, err := os.ReadDir(full)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() || e.Name() == ".git" || isTemp(e.Name()) {
			continue
		}
		p := path.Join(dir, e.Name())
		if depth == 1 {
			out = append(out, p)
			continue
		}
		below, err := dirsOfDir(root, p, depth-1)
		if err != nil {
			return nil, err
		}
		out = append(out, below...)
	}
	return out, nil
}
