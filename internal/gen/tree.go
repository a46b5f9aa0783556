package gen

import (
	"crypto/sha1"
	"fmt"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// node is an immutable directory of a tree: writing a file returns a new
// node that shares every untouched subdirectory, so keeping the state of
// many branches costs little.
type node struct {
	entries []entry // in git's tree order
	id      plumbing.Hash
	hashed  bool
}

type entry struct {
	name string
	blob plumbing.Hash // for a file
	sub  *node         // for a directory; nil for a file
}

// sortKey is the name git sorts a tree entry by: directories as "name/".
func (e entry) sortKey() string {
	if e.sub != nil {
		return e.name + "/"
	}
	return e.name
}

// with returns n with the file at path (slash-separated) set to blob.
func (n *node) with(path string, blob plumbing.Hash) *node {
	first, rest, isDir := strings.Cut(path, "/")
	out := &node{}
	if n != nil {
		out.entries = make([]entry, len(n.entries), len(n.entries)+1)
		copy(out.entries, n.entries)
	}
	for i := range out.entries {
		e := &out.entries[i]
		if e.name != first || (e.sub != nil) != isDir {
			continue
		}
		if isDir {
			e.sub = e.sub.with(rest, blob)
		} else {
			e.blob = blob
		}
		return out
	}
	e := entry{name: first, blob: blob}
	if isDir {
		e.sub = (*node)(nil).with(rest, blob)
		e.blob = plumbing.ZeroHash
	}
	out.entries = append(out.entries, e)
	sort.Slice(out.entries, func(i, j int) bool { return out.entries[i].sortKey() < out.entries[j].sortKey() })
	return out
}

// hash returns the tree's id, hashing the directories not hashed yet and
// handing each new tree object to emit (nil: hash only).
func (n *node) hash(emit func(id plumbing.Hash, body []byte)) plumbing.Hash {
	if n.hashed {
		return n.id
	}
	var b []byte
	for _, e := range n.entries {
		id := e.blob
		mode := "100644"
		if e.sub != nil {
			id = e.sub.hash(emit)
			mode = "40000"
		}
		b = append(b, mode...)
		b = append(b, ' ')
		b = append(b, e.name...)
		b = append(b, 0)
		b = append(b, id[:]...)
	}
	n.id = objectHash(plumbing.TreeObject, b)
	n.hashed = true
	if emit != nil {
		emit(n.id, b)
	}
	return n.id
}

// apply returns root with files written, handing new blobs to emit (nil: hash only).
func apply(root *node, files []File, emitBlob func(id plumbing.Hash, content []byte)) *node {
	for _, f := range files {
		id := objectHash(plumbing.BlobObject, []byte(f.Content))
		if emitBlob != nil {
			emitBlob(id, []byte(f.Content))
		}
		root = root.with(f.Path, id)
	}
	return root
}

// commitBody is the commit object's content as git writes it.
func commitBody(tree string, parents []string, author, committer Signature, msg string) []byte {
	var b strings.Builder
	b.WriteString("tree " + tree + "\n")
	for _, p := range parents {
		b.WriteString("parent " + p + "\n")
	}
	b.WriteString("author " + author.git() + "\n")
	b.WriteString("committer " + committer.git() + "\n\n")
	b.WriteString(msg)
	return []byte(b.String())
}

// tagBody is the annotated tag object's content as git writes it.
func tagBody(object, name string, tagger Signature, msg string) []byte {
	return []byte("object " + object + "\ntype commit\ntag " + name + "\ntagger " + tagger.git() + "\n\n" + msg)
}

// objectHash is the git object name of content b of type t (SHA-1, as
// git computes it, without go-git's slower collision detection).
func objectHash(t plumbing.ObjectType, b []byte) plumbing.Hash {
	d := sha1.New()
	fmt.Fprintf(d, "%s %d\x00", t, len(b))
	d.Write(b)
	var h plumbing.Hash
	d.Sum(h[:0])
	return h
}
