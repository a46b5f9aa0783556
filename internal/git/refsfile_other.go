//go:build !unix

package git

import (
	"io"
	"io/fs"
)

// looseRefNames lists the loose ref files below dir.
func (r *Repository) looseRefNames(dir string) ([]string, error) {
	fsys := r.st.Filesystem()
	return refFiles(dir, func(d string) ([]fs.DirEntry, error) {
		infos, err := fsys.ReadDir(d)
		out := make([]fs.DirEntry, len(infos))
		for i, fi := range infos {
			out[i] = fs.FileInfoToDirEntry(fi)
		}
		return out, err
	})
}

// readLooseRef reads the hash in the loose ref file name, or says false:
// a symbolic ref or a file that does not hold a hash.
func (r *Repository) readLooseRef(name string) (Hash, bool) {
	f, err := r.st.Filesystem().Open(name)
	if err != nil {
		return Hash{}, false
	}
	defer f.Close()
	var b [40]byte
	n, _ := io.ReadFull(f, b[:])
	return parseRefFile(b[:n])
}
