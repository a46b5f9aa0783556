//go:build unix

package collect

import (
	"os"
	"syscall"
)

// mapFile maps the file at path read-only into memory, so objects are
// read without a system call each; nil when it cannot be mapped.
func mapFile(path string) ([]byte, func()) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil
	}
	defer f.Close() // the mapping outlives the descriptor
	fi, err := f.Stat()
	if err != nil || fi.Size() <= 0 || fi.Size() != int64(int(fi.Size())) {
		return nil, nil
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil
	}
	return b, func() { syscall.Munmap(b) }
}
