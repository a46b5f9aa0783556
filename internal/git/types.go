package git

import (
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Hash is the name of a git object: the SHA-1 of its type, size and
// content.
type Hash [20]byte

// ZeroHash is the zero Hash: no object (a ref that does not exist, a
// commit without a parent).
var ZeroHash Hash

// NewHash reads a hash written in hexadecimal, as go-git does: what is not
// hexadecimal ends it, and the rest is zero. Use ParseHash to check.
func NewHash(s string) Hash {
	b, _ := hex.DecodeString(s)
	var h Hash
	copy(h[:], b)
	return h
}

// ParseHash reads a hash of 40 hexadecimal digits (either case).
func ParseHash(s string) (Hash, bool) {
	var h Hash
	if len(s) != 2*len(h) {
		return h, false
	}
	_, err := hex.Decode(h[:], []byte(s))
	return h, err == nil
}

// IsHash reports whether s is a hash of 40 hexadecimal digits.
func IsHash(s string) bool {
	_, ok := ParseHash(s)
	return ok
}

// String is h in lower-case hexadecimal.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// IsZero reports whether h is ZeroHash.
func (h Hash) IsZero() bool { return h == ZeroHash }

// ObjectType is the type of a git object, numbered as in pack files.
type ObjectType int8

// The object types; the two delta types occur only in pack files.
const (
	InvalidObject  ObjectType = 0
	CommitObject   ObjectType = 1
	TreeObject     ObjectType = 2
	BlobObject     ObjectType = 3
	TagObject      ObjectType = 4
	OFSDeltaObject ObjectType = 6
	REFDeltaObject ObjectType = 7
)

// String is the name git gives the type in an object's header
// ("commit", "tree", "blob", "tag").
func (t ObjectType) String() string {
	switch t {
	case CommitObject:
		return "commit"
	case TreeObject:
		return "tree"
	case BlobObject:
		return "blob"
	case TagObject:
		return "tag"
	case OFSDeltaObject:
		return "ofs-delta"
	case REFDeltaObject:
		return "ref-delta"
	}
	return "unknown"
}

// parseObjectType reads the type name of an object's header.
func parseObjectType(s string) (ObjectType, error) {
	for _, t := range []ObjectType{CommitObject, TreeObject, BlobObject, TagObject, OFSDeltaObject, REFDeltaObject} {
		if t.String() == s {
			return t, nil
		}
	}
	return InvalidObject, fmt.Errorf("unknown object type %q", s)
}

// Mode is the mode of a tree entry: what kind of file, or a folder.
type Mode uint32

// The modes git writes in trees.
const (
	ModeEmpty      Mode = 0
	ModeDir        Mode = 0o040000
	ModeRegular    Mode = 0o100644
	ModeDeprecated Mode = 0o100664 // a group-writable file, as very old gits wrote
	ModeExecutable Mode = 0o100755
	ModeSymlink    Mode = 0o120000
	ModeSubmodule  Mode = 0o160000
)

// IsFile reports whether the entry is a file: regular, executable or a
// symbolic link.
func (m Mode) IsFile() bool {
	return m == ModeRegular || m == ModeDeprecated || m == ModeExecutable || m == ModeSymlink
}

// Signature is who made a commit or tag, and when.
type Signature struct {
	Name  string
	Email string
	When  time.Time
}

// Commit is a commit object.
type Commit struct {
	Hash      Hash
	Tree      Hash
	Parents   []Hash
	Author    Signature
	Committer Signature
	Message   string
}

// Tag is an annotated tag object.
type Tag struct {
	Name       string
	Target     Hash
	TargetType ObjectType
	Tagger     Signature
	Message    string
}

// Ref is a reference: a name such as refs/tags/v1 and the object it
// names.
type Ref struct {
	Name string
	Hash Hash
}

// Errors of the objects and trees of a repository.
var (
	// ErrNotFound is an object the repository does not have.
	ErrNotFound = errors.New("object not found")
	// ErrRefNotFound is a reference the repository does not have.
	ErrRefNotFound = errors.New("reference not found")
	// ErrEntryNotFound is a path a tree does not have.
	ErrEntryNotFound = errors.New("entry not found")
	// ErrDirectoryNotFound is a path whose folder a tree does not have.
	ErrDirectoryNotFound = errors.New("directory not found")
	// ErrFileNotFound is a path that is not a file of a tree.
	ErrFileNotFound = errors.New("file not found")
)
