package data

import (
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/gitdora/gitdora/internal/odb"
)

// Packer stores many new objects in a repository at once, the way the
// data-branch writers do: as one pack file with its index when they are
// many, as loose objects when they are few. Writing a generated history
// (thousands of objects) through it takes two files instead of thousands.
type Packer struct {
	b *batch
}

// NewPacker returns a Packer that stores objects in r on Flush.
func NewPacker(r *git.Repository) *Packer {
	return &Packer{b: newBatch(Objects(r))}
}

// Add queues the object of type t with content b (kept, not copied) and
// returns its hash. It does not look whether r has the object already
// (that costs a look-up per object): it is for objects known to be new,
// such as a repository being created. An object added twice is stored once.
func (p *Packer) Add(t plumbing.ObjectType, b []byte) plumbing.Hash {
	h := odb.Hash(t, b)
	if !p.b.seen[h] {
		p.b.seen[h] = true
		p.b.objs = append(p.b.objs, odb.Object{Type: t, Data: b, Hash: h})
	}
	return h
}

// Flush stores the queued objects.
func (p *Packer) Flush() error { return p.b.flush() }
