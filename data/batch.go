package data

import (
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/gitdora/gitdora/internal/odb"
)

// packThreshold is how many new objects make a write store them as one
// pack file rather than as loose objects (one file each).
const packThreshold = 32

// batch collects the objects one write creates and stores them together:
// as loose objects when they are few, as one pack when they are many (a
// batch ingest of a thousand files creates two files, not a thousand).
type batch struct {
	st   storer.EncodedObjectStorer
	objs []odb.Object
	seen map[plumbing.Hash]bool
}

func newBatch(st storer.EncodedObjectStorer) *batch {
	return &batch{st: st, seen: map[plumbing.Hash]bool{}}
}

// add queues content b of type t, named h, unless the repository has it.
func (w *batch) add(t plumbing.ObjectType, b []byte, h plumbing.Hash) error {
	if w.seen[h] {
		return nil
	}
	w.seen[h] = true
	if w.st.HasEncodedObject(h) == nil {
		return nil
	}
	w.objs = append(w.objs, odb.Object{Type: t, Data: b, Hash: h})
	return nil
}

// flush stores the queued objects.
func (w *batch) flush() error {
	objs := w.objs
	w.objs = nil
	db := dbOf(w.st)
	if db != nil && len(objs) >= packThreshold {
		return db.WritePack(objs)
	}
	for _, ob := range objs {
		if db != nil {
			if err := db.WriteLoose(ob.Type, ob.Data, ob.Hash); err != nil {
				return err
			}
			continue
		}
		obj := w.st.NewEncodedObject()
		obj.SetType(ob.Type)
		obj.SetSize(int64(len(ob.Data)))
		wr, err := obj.Writer()
		if err != nil {
			return err
		}
		if _, err := wr.Write(ob.Data); err != nil {
			return err
		}
		if err := wr.Close(); err != nil {
			return err
		}
		if _, err := w.st.SetEncodedObject(obj); err != nil {
			return fmt.Errorf("store %s %s: %w", ob.Type, ob.Hash, err)
		}
	}
	return nil
}
