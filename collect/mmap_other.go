//go:build !unix

package collect

// mapFile does not map files on this system: objects are read with ReadAt.
func mapFile(path string) ([]byte, func()) { return nil, nil }
