package git

import (
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// Object is an object to store: its type, content and name (Hash).
type encoded struct {
	Type ObjectType
	Data []byte
	Hash Hash
}

// Hash is the git object name of content b of type t.
func HashObject(t ObjectType, b []byte) Hash {
	d := sha1.New()
	fmt.Fprintf(d, "%s %d\x00", t, len(b))
	d.Write(b)
	var h Hash
	d.Sum(h[:0])
	return h
}

// WriteLoose stores content b of type t, named h, as a loose object unless
// the repository has it already. It writes as git does (a temporary file
// renamed into place) and compresses for speed: git gc repacks loose
// objects anyway.
func (db *odb) WriteLoose(t ObjectType, b []byte, h Hash) error {
	if has, err := db.Has(h); err != nil || has {
		return err
	}
	dir := filepath.Dir(db.loosePath(h))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "tmp_obj_")
	if err != nil {
		return err
	}
	db.mu.Lock()
	if db.zw == nil {
		db.zw, _ = zlib.NewWriterLevel(f, zlib.BestSpeed)
	} else {
		db.zw.Reset(f)
	}
	zw := db.zw
	_, err = fmt.Fprintf(zw, "%s %d\x00", t, len(b))
	if err == nil {
		_, err = zw.Write(b)
	}
	if err == nil {
		err = zw.Close()
	}
	db.mu.Unlock()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		_ = os.Chmod(f.Name(), 0o444)
		err = os.Rename(f.Name(), db.loosePath(h))
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write object %s: %w", h, err)
	}
	return nil
}

// writeLooseStream stores a streamed object as a loose object unless the
// repository has it, compressing its content as it reads it and naming
// what it read: content that is not what st.h names is not stored.
func (db *odb) writeLooseStream(st streamed) error {
	if has, err := db.Has(st.h); err != nil || has {
		return err
	}
	dir := filepath.Dir(db.loosePath(st.h))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	rc, err := st.open()
	if err != nil {
		return fmt.Errorf("write object %s: %w", st.h, err)
	}
	defer rc.Close()
	f, err := os.CreateTemp(dir, "tmp_obj_")
	if err != nil {
		return err
	}
	zw, _ := zlib.NewWriterLevel(f, zlib.BestSpeed)
	d := sha1.New()
	out := io.MultiWriter(zw, d)
	_, err = fmt.Fprintf(out, "%s %d\x00", st.t, st.size)
	var n int64
	if err == nil {
		n, err = io.Copy(out, io.LimitReader(rc, st.size+1))
	}
	if err == nil {
		err = zw.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	var got Hash
	d.Sum(got[:0])
	if err == nil && (n != st.size || got != st.h) {
		err = errors.New("its content changed while it was stored")
	}
	if err == nil {
		_ = os.Chmod(f.Name(), 0o444)
		err = os.Rename(f.Name(), db.loosePath(st.h))
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write object %s: %w", st.h, err)
	}
	return nil
}

// WritePack stores objs as one pack file with its version 2 index, both
// written to temporary files and renamed into place, the pack first, so
// that a reader never finds an index without its pack. Objects are
// stored whole (no deltas) and not looked for first.
func (db *odb) WritePack(objs []encoded) error {
	dir := filepath.Join(db.dir, "pack")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var pack bytes.Buffer
	pack.WriteString("PACK")
	binary.Write(&pack, binary.BigEndian, uint32(2))
	binary.Write(&pack, binary.BigEndian, uint32(len(objs)))
	type entry struct {
		h   Hash
		off int64
		crc uint32
	}
	entries := make([]entry, 0, len(objs))
	zw, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
	for _, ob := range objs {
		off := int64(pack.Len())
		// Type and size: 3 bits of type and 4 of size, then 7 bits of
		// size per byte while the high bit is set.
		size := uint64(len(ob.Data))
		c := byte(ob.Type)<<4 | byte(size&15)
		size >>= 4
		for size > 0 {
			pack.WriteByte(c | 0x80)
			c = byte(size & 0x7f)
			size >>= 7
		}
		pack.WriteByte(c)
		zw.Reset(&pack)
		if _, err := zw.Write(ob.Data); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		entries = append(entries, entry{ob.Hash, off, crc32.ChecksumIEEE(pack.Bytes()[off:])})
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
	db.packList(true)
	return nil
}
