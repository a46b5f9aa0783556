//go:build !unix

package data

// lockDir does nothing where flock is not available: concurrent writers to
// one plain directory are not supported there.
func lockDir(dir string) (func(), error) { return func() {}, nil }
