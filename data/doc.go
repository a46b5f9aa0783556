// Package data owns the data branch: the event types recorded on it
// (deployments and incidents as CSV), its layout, the gitdora.yml
// configuration, and the Store that reads it from a git branch, another
// repository or a plain directory, and appends to it.
//
// Everything gitdora knows comes in through this package. It reads and
// writes the repository through internal/git: blobs straight from the
// object store (no checkout), commits moved onto the branch with a
// compare-and-swap, pushes retried on the remote's new tip. It never
// touches the work tree, the index or HEAD of the code: only a work tree
// that has the data branch itself checked out is brought along when the
// branch moves.
package data
