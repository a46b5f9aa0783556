package git

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/gitdora/gitdora/internal/par"
)

// tagsDir is where git keeps loose tag refs.
const tagsDir = "refs/tags"

// Tags lists the tags of the repository, by name, with the object each
// names, as Refs lists them.
func (r *Repository) Tags() ([]Ref, error) { return r.Refs(tagsDir) }

// Refs lists the refs under the folder dir (refs/tags, refs/pull), by
// name, with the object each names. It reads what git keeps on disk
// itself: packed-refs once, and the loose ref files in parallel (a
// checkout that fetched every tag, as CI does, may have one file per tag,
// and go-git reads them one by one), with a loose ref winning over a packed
// one as in git. A symbolic ref is resolved through go-git.
func (r *Repository) Refs(dir string) ([]Ref, error) {
	dir = strings.Trim(dir, "/")
	if err := checkRefName(dir + "/x"); err != nil || !strings.HasPrefix(dir, "refs/") {
		return nil, fmt.Errorf("%q is not a folder of refs", dir)
	}
	fsys := r.st.Filesystem()
	byName := map[string]Hash{}
	if f, err := fsys.Open("packed-refs"); err == nil {
		err = readPackedRefs(f, dir, byName)
		f.Close()
		if err != nil {
			return nil, err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	names, err := r.looseRefNames(dir)
	if err != nil {
		return nil, err
	}
	hashes := make([]Hash, len(names))
	odd := make([]bool, len(names)) // not a plain hash: symbolic, or unreadable
	par.Each(len(names), func(i int) {
		h, ok := r.readLooseRef(names[i])
		hashes[i], odd[i] = h, !ok
	})
	for i, name := range names {
		if !odd[i] {
			byName[name] = hashes[i]
			continue
		}
		ref, err := r.gg.Reference(plumbing.ReferenceName(name), true)
		if err != nil {
			continue // a dangling symbolic tag names nothing
		}
		byName[name] = Hash(ref.Hash())
	}
	out := make([]Ref, 0, len(byName))
	for name, h := range byName {
		out = append(out, Ref{Name: name, Hash: h})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// readPackedRefs adds the refs under dir of a packed-refs file to byName.
func readPackedRefs(r io.Reader, dir string, byName map[string]Hash) error {
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 64<<10), 1<<20)
	for s.Scan() {
		line := s.Bytes()
		if len(line) == 0 || line[0] == '#' || line[0] == '^' {
			continue // header, or the peeled object of the tag above
		}
		hexHash, name, ok := bytes.Cut(line, []byte{' '})
		if !ok || !bytes.HasPrefix(name, []byte(dir+"/")) {
			continue
		}
		if h, ok := ParseHash(string(hexHash)); ok && checkRefName(string(name)) == nil { // git ignores a broken name
			byName[string(name)] = h
		}
	}
	return s.Err()
}

// refFiles lists the ref files below dir (a slash path such as
// refs/tags) that readDir shows, by their slash paths, as git reads them:
// a name git refuses (a lock file, a line break) is left out, and so is
// anything but a file or a symbolic link (a pipe would never be read to
// its end).
func refFiles(dir string, readDir func(string) ([]fs.DirEntry, error)) ([]string, error) {
	var names []string
	var walk func(dir string) error
	walk = func(dir string) error {
		entries, err := readDir(dir)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		for _, e := range entries {
			p := path.Join(dir, e.Name())
			if e.IsDir() {
				if err := walk(p); err != nil {
					return err
				}
			} else if (e.Type().IsRegular() || e.Type()&fs.ModeSymlink != 0) && checkRefName(p) == nil {
				names = append(names, p)
			}
		}
		return nil
	}
	return names, walk(dir)
}

// parseRefFile is the hash a loose ref file's first bytes b name, if
// they are one.
func parseRefFile(b []byte) (Hash, bool) {
	if len(b) < 40 {
		return Hash{}, false
	}
	return ParseHash(string(b[:40]))
}
