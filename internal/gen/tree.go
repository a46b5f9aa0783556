package gen

import (
	"crypto/sha1"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
)

// objectID is a git object hash.
type objectID [20]byte

func (id objectID) String() string { return hex.EncodeToString(id[:]) }

// hashObject is the git hash of an object of kind with body.
func hashObject(kind string, body []byte) objectID {
	h := sha1.New()
	h.Write([]byte(kind + " " + strconv.Itoa(len(body)) + "\x00"))
	h.Write(body)
	var id objectID
	h.Sum(id[:0])
	return id
}

// node is an immutable directory of a tree: writing a file returns a new
// node that shares every untouched subdirectory, so keeping the state of
// many branches costs little.
type node struct {
	entries []entry // in git's tree order
	id      objectID
	hashed  bool
}

type entry struct {
	name string
	blob objectID // for a file
	sub  *node    // for a directory; nil for a file
}

// sortKey is the name git sorts a tree entry by: directories as "name/".
func (e entry) sortKey() string {
	if e.sub != nil {
		return e.name + "/"
	}
	return e.name
}

// with returns n with the file at path (slash-separated) set to blob.
func (n *node) with(path string, blob objectID) *node {
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
		e.blob = objectID{}
	}
	out.entries = append(out.entries, e)
	sort.Slice(out.entries, func(i, j int) bool { return out.entries[i].sortKey() < out.entries[j].sortKey() })
	return out
}

// hash returns the tree's id, hashing the directories not hashed yet and
// handing each new tree object to emit (nil: hash only).
func (n *node) hash(emit func(id objectID, body []byte)) objectID {
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
	n.id = hashObject("tree", b)
	n.hashed = true
	if emit != nil {
		emit(n.id, b)
	}
	return n.id
}

// apply returns root with files written, handing new blobs to emit (nil: hash only).
func apply(root *node, files []File, emitBlob func(id objectID, content []byte)) *node {
	for _, f := range files {
		id := hashObject("blob", []byte(f.Content))
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
