package git

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
)

// An ObjectSet is a bundle of small trees and blobs carried in a file of
// its own, so that a reader gets many objects from one read of the
// object store rather than one each. Nothing in it is taken on trust:
// each object is named by the hash of its content, computed as the set is
// read, so a set that was edited, or written from other objects, can only
// miss, never give a wrong object.
type ObjectSet struct {
	objs map[Hash]setObject
}

type setObject struct {
	t ObjectType
	b []byte
}

// ObjectSetHeader begins every encoded ObjectSet; the number is its
// format's version.
const ObjectSetHeader = "gitdora objects 1\n"

// An Object is an object's type and content.
type Object struct {
	Type ObjectType
	Data []byte
}

// EncodeObjectSet encodes objs, in their order: the header, then for each
// "<tree|blob> <size>\n" and its content. Objects of other types are left
// out.
func EncodeObjectSet(objs []Object) []byte {
	n := len(ObjectSetHeader)
	for _, o := range objs {
		n += len(o.Data) + 16
	}
	b := make([]byte, 0, n)
	b = append(b, ObjectSetHeader...)
	for _, o := range objs {
		if o.Type != TreeObject && o.Type != BlobObject {
			continue
		}
		b = append(b, o.Type.String()...)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(len(o.Data)), 10)
		b = append(b, '\n')
		b = append(b, o.Data...)
	}
	return b
}

// ParseObjectSet reads an encoded ObjectSet, naming each object by the
// hash of its content. The set keeps b's bytes: b must not change after.
func ParseObjectSet(b []byte) (*ObjectSet, error) {
	rest, ok := bytes.CutPrefix(b, []byte(ObjectSetHeader))
	if !ok {
		return nil, errors.New("not a set of objects of a version this gitdora reads")
	}
	// A month's set holds about an object per 250 bytes.
	s := &ObjectSet{objs: make(map[Hash]setObject, len(b)/256)}
	for len(rest) > 0 {
		nl := bytes.IndexByte(rest, '\n')
		if nl < 0 || nl > 32 {
			return nil, fmt.Errorf("at byte %d: want \"<tree|blob> <size>\\n\"", len(b)-len(rest))
		}
		kind, size, _ := bytes.Cut(rest[:nl], []byte(" "))
		var t ObjectType
		switch string(kind) {
		case "tree":
			t = TreeObject
		case "blob":
			t = BlobObject
		default:
			return nil, fmt.Errorf("at byte %d: want an object of type tree or blob", len(b)-len(rest))
		}
		n, err := strconv.Atoi(string(size))
		if err != nil || n < 0 || n > len(rest)-nl-1 || (len(size) > 1 && size[0] == '0') {
			return nil, fmt.Errorf("at byte %d: want the size of the content that follows", len(b)-len(rest))
		}
		data := rest[nl+1 : nl+1+n : nl+1+n]
		rest = rest[nl+1+n:]
		s.objs[HashObject(t, data)] = setObject{t, data}
	}
	return s, nil
}

// Get gives the content of object h when the set holds it as an object of
// type t. The content is the set's: it must not be changed.
func (s *ObjectSet) Get(h Hash, t ObjectType) ([]byte, bool) {
	if s == nil {
		return nil, false
	}
	o, ok := s.objs[h]
	if !ok || o.t != t {
		return nil, false
	}
	return o.b, true
}

// Len is how many objects the set holds.
func (s *ObjectSet) Len() int {
	if s == nil {
		return 0
	}
	return len(s.objs)
}

// Hashes lists the names of the objects the set holds, in order.
func (s *ObjectSet) Hashes() []Hash {
	if s == nil {
		return nil
	}
	out := make([]Hash, 0, len(s.objs))
	for h := range s.objs {
		out = append(out, h)
	}
	slices.SortFunc(out, func(a, b Hash) int { return bytes.Compare(a[:], b[:]) })
	return out
}

// EncodeTree gives the content of the tree of entries, sorted in git's
// order (in place): what AddTree stores.
func EncodeTree(entries []TreeEntry) []byte {
	sortEntries(entries)
	n := 0
	for _, e := range entries {
		n += len(e.Name) + 8 + len(Hash{})
	}
	b := make([]byte, 0, n)
	for _, e := range entries {
		b = strconv.AppendUint(b, uint64(e.Mode), 8)
		b = append(b, ' ')
		b = append(b, e.Name...)
		b = append(b, 0)
		b = append(b, e.Hash[:]...)
	}
	return b
}

// ParseTree reads the entries of a tree object's content.
func ParseTree(b []byte) ([]TreeEntry, error) { return parseTree(b) }

// Object gives an object this batch queued (not one it streams), by name.
func (w *Batch) Object(h Hash) (Object, bool) {
	i, ok := w.at[h]
	if !ok {
		return Object{}, false
	}
	return Object{w.objs[i].Type, w.objs[i].Data}, true
}
