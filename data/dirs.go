package data

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
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
	sort.Strings(out)
	return slices.Compact(out), nil
}

func dirsOfTree(t *object.Tree, dir string, depth int, where func(string) string) ([]string, error) {
	if t == nil {
		return nil, nil
	}
	if dir != "" {
		sub, err := t.Tree(dir)
		if errors.Is(err, object.ErrDirectoryNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where(dir), err)
		}
		t = sub
	}
	var out []string
	for _, e := range t.Entries {
		if e.Mode != filemode.Dir {
			continue
		}
		p := path.Join(dir, e.Name)
		if depth == 1 {
			out = append(out, p)
			continue
		}
		sub, err := t.Tree(e.Name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where(p), err)
		}
		below, err := dirsOfTree(sub, "", depth-1, where)
		if err != nil {
			return nil, err
		}
		for _, b := range below {
			out = append(out, path.Join(p, b))
		}
	}
	return out, nil
}

func dirsOfDir(root, dir string, depth int) ([]string, error) {
	full := filepath.Join(root, filepath.FromSlash(dir))
	if fi, err := os.Stat(full); errors.Is(err, fs.ErrNotExist) || err == nil && !fi.IsDir() {
		return nil, nil
	}
	ents, err := os.ReadDir(full)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() || e.Name() == ".git" {
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
