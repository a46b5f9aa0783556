//go:build !unix

package git

import "os"

// mapFile does not map files on this system: they are read with ReadAt.
func mapFile(f *os.File, size int64) []byte { return nil }

func unmapFile(b []byte) {}
