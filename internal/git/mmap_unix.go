//go:build unix

package git

import (
	"os"
	"syscall"
)

// mapFile maps f read-only into memory, so objects are read without a
// system call each; nil when it cannot be mapped.
func mapFile(f *os.File, size int64) []byte {
	if size <= 0 || size != int64(int(size)) {
		return nil
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil
	}
	return b
}

func unmapFile(b []byte) { syscall.Munmap(b) }
