package data

import (
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// packThreshold is how many new objects make a write store them as one
// pack file rather than as loose objects (one file each).
const packThreshold = 32

// batch collects the objects one write creates and stores them together:
// as loose objects when they are few, as one pack when they are many (a
// batch ingest of a thousand files creates two files, not a thousand).
type batch struct {
	st   storer.EncodedObjectStorer
	objs []newObject
	seen map[plumbing.Hash]bool
}

type newObject struct {
	t plumbing.ObjectType
	b []byte
	h plumbing.Hash
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
	w.objs = append(w.objs, newObject{t, b, h})
	return nil
}

// flush stores the queued objects.
func (w *batch) flush() error {
	objs := w.objs
	w.objs = nil
	if o, ok := w.st.(*odb); ok && len(objs) >= packThreshold {
		return o.writePack(objs)
	}
	for _, ob := range objs {
		if o, ok := w.st.(*odb); ok {
			if err := o.writeLoose(ob.t, ob.b, ob.h); err != nil {
				return err
			}
			continue
		}
		obj := w.st.NewEncodedObject()
		obj.SetType(ob.t)
		obj.SetSize(int64(len(ob.b)))
		wr, err := obj.Writer()
		if err != nil {
			return err
		}
		if _, err := wr.Write(ob.b); err != nil {
			return err
		}
		if err := wr.Close(); err != nil {
			return err
		}
		if _, err := w.st.SetEncodedObject(obj); err != nil {
			return fmt.Errorf("store %s %s: %w", ob.t, ob.h, err)
		}
	}
	return nil
}

// writePack stores objs as one pack file with its version 2 index, both
// written to temporary files and renamed into place, the pack first, so
// that a reader never finds an index without its pack.
func (o *odb) writePack(objs []newObject) error {
	dir := filepath.Join(o.dir, "pack")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var pack bytes.Buffer
	pack.WriteString("PACK")
	binary.Write(&pack, binary.BigEndian, uint32(2))
	binary.Write(&pack, binary.BigEndian, uint32(len(objs)))
	type entry struct {
		h   plumbing.Hash
		off int64
		crc uint32
	}
	entries := make([]entry, 0, len(objs))
	zw, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
	for _, ob := range objs {
		off := int64(pack.Len())
		// Type and size: 3 bits of type and 4 of size, then 7 bits of
		// size per byte while the high bit is set.
		size := uint64(len(ob.b))
		c := byte(ob.t)<<4 | byte(size&15)
		size >>= 4
		for size > 0 {
			pack.WriteByte(c | 0x80)
			c = byte(size & 0x7f)
			size >>= 7
		}
		pack.WriteByte(c)
		zw.Reset(&pack)
		if _, err := zw.Write(ob.b); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		entries = append(entries, entry{ob.h, off, crc32.ChecksumIEEE(pack.Bytes()[off:])})
	}
	packSum := sha1.Sum(pack.Bytes())
	pack.Write(packSum[:])

	sort.Slice(entries, func(i, j int) bool { return bytes.Compare(entries[i].h[:], entries[j].h[:]) < 0 })
	var idx bytes.Buffer
	idx.Write([]byte{0xff, 't', 'O', 'c', 0, 0, 0, 2})
	var fanout [256]uint32
	for _, e := range entries {
		for b := int(e.h[0]); b < 256; b++ {
			fanout[b]++
		}
	}
	binary.Write(&idx, binary.BigEndian, fanout)
	for _, e := range entries {
		idx.Write(e.h[:])
	}
	for _, e := range entries {
		binary.Write(&idx, binary.BigEndian, e.crc)
	}
	var large []uint64
	for _, e := range entries {
		if e.off < 0x80000000 {
			binary.Write(&idx, binary.BigEndian, uint32(e.off))
			continue
		}
		binary.Write(&idx, binary.BigEndian, uint32(0x80000000|len(large)))
		large = append(large, uint64(e.off))
	}
	binary.Write(&idx, binary.BigEndian, large)
	idx.Write(packSum[:])
	idxSum := sha1.Sum(idx.Bytes())
	idx.Write(idxSum[:])

	base := filepath.Join(dir, fmt.Sprintf("pack-%x", packSum))
	for _, f := range []struct {
		ext string
		b   []byte
	}{{".pack", pack.Bytes()}, {".idx", idx.Bytes()}} {
		tmp, err := os.CreateTemp(dir, "tmp_pack_")
		if err != nil {
			return err
		}
		_, err = tmp.Write(f.b)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			_ = os.Chmod(tmp.Name(), 0o444)
			err = os.Rename(tmp.Name(), base+f.ext)
		}
		if err != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("write pack: %w", err)
		}
	}
	o.packList(true)
	return nil
}
