package git

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/gitdora/gitdora/internal/gittest"
)

// history makes a repository with 60 commits changing a growing file and
// a few others (so that packing stores them as deltas), an annotated tag,
// and a 1 MB file.
func history(t *testing.T) *gittest.Repo {
	r := gittest.New(t)
	var csv strings.Builder
	for i := range 60 {
		fmt.Fprintf(&csv, "d%d,2026-01-05T10:00:00Z,abc,production,success\n", i)
		files := map[string]string{"a.csv": csv.String(), fmt.Sprintf("dir/f%d.txt", i%7): strings.Repeat("line\n", i)}
		if i == 30 {
			files["big.txt"] = strings.Repeat("a long line of a big file\n", 40000)
		}
		gittest.WriteFiles(t, r.Dir, files)
		r.Git("add", ".")
		r.Git("commit", "-q", "-m", fmt.Sprint(i))
	}
	r.Git("tag", "-a", "v1", "-m", "tag")
	return r
}

// deltified is history packed with long delta chains, read by an odb, and
// what git reads of it.
func deltified(t *testing.T) (*odb, map[Hash]gittest.Object) {
	r := history(t)
	r.Git("repack", "-q", "-a", "-d", "-f", "--window=50", "--depth=50")
	return openODB(filepath.Join(r.Dir, ".git", "objects")), catAll(t, r.Dir)
}

// mapping runs f with pack files mapped into memory from the first
// look-up, and again read with ReadAt only.
func mapping(t *testing.T, f func(t *testing.T)) {
	for _, m := range []bool{true, false} {
		t.Run(map[bool]string{true: "mapped", false: "read"}[m], func(t *testing.T) {
			prevMmap, prevAfter := useMmap, mapAfter
			useMmap, mapAfter = m, 1
			defer func() { useMmap, mapAfter = prevMmap, prevAfter }()
			f(t)
		})
	}
}

// checkAll reads every object git has through Read, a reader, Stream,
// Size, Has and Stored, and compares; it returns how many are stored as
// each type.
func checkAll(t *testing.T, db *odb, want map[Hash]gittest.Object) map[ObjectType]int {
	t.Helper()
	stored := map[ObjectType]int{}
	rd := db.newReader()
	for h, w := range want {
		typ, b, err := db.Read(h)
		if err != nil || typ.String() != w.Type || !bytes.Equal(b, w.Data) {
			t.Fatalf("Read(%s) = %s %d bytes, %v; want %s %d bytes", h, typ, len(b), err, w.Type, len(w.Data))
		}
		typ, b, err = rd.Read(h)
		if err != nil || typ.String() != w.Type || !bytes.Equal(b, w.Data) {
			t.Fatalf("reader.Read(%s) = %s %d bytes, %v; want %s", h, typ, len(b), err, w.Type)
		}
		typ, size, rc, err := db.Stream(h)
		if err != nil {
			t.Fatalf("Stream(%s): %v", h, err)
		}
		b, err = io.ReadAll(rc)
		rc.Close()
		if err != nil || typ.String() != w.Type || size != int64(len(w.Data)) || !bytes.Equal(b, w.Data) {
			t.Fatalf("Stream(%s) = %s %d, read %d bytes, %v; want %s %d", h, typ, size, len(b), err, w.Type, len(w.Data))
		}
		if n, err := db.Size(h); err != nil || n != int64(len(w.Data)) {
			t.Fatalf("Size(%s) = %d, %v; want %d", h, n, err, len(w.Data))
		}
		if ok, err := db.Has(h); !ok || err != nil {
			t.Fatalf("Has(%s) = %v, %v", h, ok, err)
		}
		st, err := db.Stored(h)
		if err != nil {
			t.Fatalf("Stored(%s): %v", h, err)
		}
		stored[st]++
	}
	missing := NewHash("0123456789abcdef0123456789abcdef01234567")
	if _, _, err := db.Read(missing); err != ErrNotFound {
		t.Errorf("Read(missing) = %v, want ErrNotFound", err)
	}
	if ok, err := db.Has(missing); ok || err != nil {
		t.Errorf("Has(missing) = %v, %v", ok, err)
	}
	if _, _, _, err := db.Stream(missing); err != ErrNotFound {
		t.Errorf("Stream(missing) = %v, want ErrNotFound", err)
	}
	return stored
}

// Every object reads as git cat-file reads it: loose, packed whole, and
// packed as deltas against an offset or an object name.
func TestReadMatchesGit(t *testing.T) {
	for _, tc := range []struct {
		name   string
		delta  ObjectType
		repack []string
	}{
		{"ofs-delta", OFSDeltaObject, []string{"repack", "-q", "-a", "-d", "-f", "--window=50", "--depth=50"}},
		{"ref-delta", REFDeltaObject, []string{"-c", "repack.useDeltaBaseOffset=false", "repack", "-q", "-a", "-d", "-f"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := history(t)
			r.Git(tc.repack...)
			gittest.WriteFiles(t, r.Dir, map[string]string{"loose.txt": "loose\n", "big-loose.txt": strings.Repeat("loose and large\n", 30000)})
			r.Git("add", ".")
			r.Git("commit", "-q", "-m", "loose")
			want := catAll(t, r.Dir)
			mapping(t, func(t *testing.T) {
				db := openODB(filepath.Join(r.Dir, ".git", "objects"))
				stored := checkAll(t, db, want)
				if stored[tc.delta] < 10 || stored[BlobObject] == 0 {
					t.Errorf("stored as %v: want deltas and loose objects", stored)
				}
			})
		})
	}
}

// A delta whose chain is longer than the cache holds is still rebuilt, and
// the cache never holds more than its bound.
func TestCacheIsBounded(t *testing.T) {
	db, want := deltified(t)
	db.cache = newCache(4 << 10)
	checkAll(t, db, want)
	if db.cache.size > 4<<10 || db.cache.size <= 0 {
		t.Errorf("cache holds %d bytes, bound 4096", db.cache.size)
	}
	n := 0
	for el := db.cache.order.Front(); el != nil; el = el.Next() {
		n += len(el.Value.(*cached).b)
	}
	if n != db.cache.size || len(db.cache.m) != db.cache.order.Len() {
		t.Errorf("cache accounting: %d bytes listed, %d counted; %d keys, %d entries", n, db.cache.size, len(db.cache.m), db.cache.order.Len())
	}
}

func TestCacheEvictsLeastRecentlyUsed(t *testing.T) {
	c := newCache(40)
	p := &pack{}
	for i := range 4 {
		c.add(p, int64(i), BlobObject, make([]byte, 10))
	}
	c.get(p, 0) // 1 is now the least recently used
	c.add(p, 9, BlobObject, make([]byte, 10))
	if _, _, ok := c.get(p, 1); ok {
		t.Error("the least recently used entry was kept")
	}
	for _, off := range []int64{0, 2, 3, 9} {
		if _, _, ok := c.get(p, off); !ok {
			t.Errorf("entry %d was dropped", off)
		}
	}
	c.add(p, 10, BlobObject, make([]byte, 41)) // over the bound: not kept
	if _, _, ok := c.get(p, 10); ok || c.size != 40 {
		t.Errorf("an entry over the bound was kept (size %d)", c.size)
	}
	c.add(p, 11, BlobObject, make([]byte, 40)) // a large base (a big file's) pushes the rest out
	if _, _, ok := c.get(p, 11); !ok || c.size != 40 || len(c.m) != 1 {
		t.Errorf("cache of %d bytes in %d entries after a base as large as the bound", c.size, len(c.m))
	}
}

// Objects of a repository shared with git clone --shared are read through
// objects/info/alternates.
func TestAlternates(t *testing.T) {
	r := history(t)
	r.Git("gc", "-q")
	clone := t.TempDir()
	gittest.MustRun(t, clone, "clone", "-q", "--shared", r.Dir, ".")
	gittest.WriteFiles(t, clone, map[string]string{"own.txt": "own\n"})
	gittest.MustRun(t, clone, "add", ".")
	gittest.MustRun(t, clone, "commit", "-q", "-m", "own")
	want := catAll(t, clone)
	if len(want) < 200 {
		t.Fatalf("git lists %d objects of the clone", len(want))
	}
	db := openODB(filepath.Join(clone, ".git", "objects"))
	checkAll(t, db, want)
	head := gittest.MustRun(t, clone, "rev-parse", "HEAD~3")
	hh := NewHash(head)
	hs, err := db.WithPrefix(hh[:3])
	if err != nil || !containsHash(hs, NewHash(head)) {
		t.Errorf("WithPrefix(%s) = %v, %v", head[:6], hs, err)
	}
}

func containsHash(hs []Hash, h Hash) bool {
	for _, x := range hs {
		if x == h {
			return true
		}
	}
	return false
}

// A pack written after the first read (a fetch, a gc by another process)
// is found.
func TestNewPacksAreFound(t *testing.T) {
	r := history(t)
	r.Git("gc", "-q")
	db := openODB(filepath.Join(r.Dir, ".git", "objects"))
	head := NewHash(r.Git("rev-parse", "HEAD"))
	if typ, _, err := db.Read(head); err != nil || typ != CommitObject {
		t.Fatalf("Read(HEAD) = %s, %v", typ, err)
	}
	gittest.WriteFiles(t, r.Dir, map[string]string{"later.txt": "later\n"})
	r.Git("add", ".")
	r.Git("commit", "-q", "-m", "later")
	r.Git("repack", "-q", "-d") // a second pack; the loose objects go
	later := NewHash(r.Git("rev-parse", "HEAD"))
	if st, err := db.Stored(later); err != nil || st != CommitObject {
		t.Fatalf("Stored(new commit) = %s, %v", st, err)
	}
	if ok, err := db.Has(later); !ok || err != nil {
		t.Errorf("Has(new commit) = %v, %v", ok, err)
	}
	db.Close()
	if typ, _, err := db.Read(head); err != nil || typ != CommitObject {
		t.Errorf("Read after Close = %s, %v; want the packs opened again", typ, err)
	}
}

// WriteLoose and WritePack store objects git reads back, and an odb reads
// them too.
func TestWrittenObjectsReadByGit(t *testing.T) {
	r := gittest.New(t)
	db := openODB(filepath.Join(r.Dir, ".git", "objects"))
	var objs []encoded
	for i := range 40 {
		b := []byte(strings.Repeat(fmt.Sprintf("object %d\n", i), i+1))
		objs = append(objs, encoded{BlobObject, b, HashObject(BlobObject, b)})
	}
	if err := db.WritePack(objs[:30]); err != nil {
		t.Fatal(err)
	}
	for _, o := range objs[30:] {
		if err := db.WriteLoose(o.Type, o.Data, o.Hash); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.WriteLoose(objs[0].Type, objs[0].Data, objs[0].Hash); err != nil { // has it: no-op
		t.Fatal(err)
	}
	r.Git("fsck", "--strict")
	want := catAll(t, r.Dir)
	if len(want) != len(objs) {
		t.Fatalf("git reads %d objects, %d written", len(want), len(objs))
	}
	for _, o := range objs {
		if w, ok := want[o.Hash]; !ok || !bytes.Equal(w.Data, o.Data) {
			t.Fatalf("git reads %s differently", o.Hash)
		}
	}
	checkAll(t, db, want)
	idx, _ := filepath.Glob(filepath.Join(r.Dir, ".git", "objects", "pack", "*.idx"))
	if len(idx) != 1 {
		t.Fatalf("%d pack indexes", len(idx))
	}
	r.Git("verify-pack", idx[0])
}

// Streaming a large object stored whole holds a buffer, not the object.
func TestStreamDoesNotHoldLargeObjects(t *testing.T) {
	r := gittest.New(t)
	big := strings.Repeat("a line of a large SARIF file, say\n", 300000) // 10 MB
	gittest.WriteFiles(t, r.Dir, map[string]string{"big.sarif": big})
	r.Git("add", ".")
	r.Git("commit", "-q", "-m", "big")
	h := NewHash(r.Git("rev-parse", "HEAD:big.sarif"))
	for _, stage := range []string{"loose", "packed"} {
		if stage == "packed" {
			r.Git("gc", "-q")
		}
		mapping(t, func(t *testing.T) {
			db := openODB(filepath.Join(r.Dir, ".git", "objects"))
			if st, err := db.Stored(h); err != nil || st != BlobObject {
				t.Fatalf("%s: stored as %s, %v", stage, st, err)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, size, rc, err := db.Stream(h)
			if err != nil {
				t.Fatal(err)
			}
			n, err := io.Copy(io.Discard, rc)
			rc.Close()
			runtime.ReadMemStats(&after)
			if err != nil || n != int64(len(big)) || size != n {
				t.Fatalf("%s: streamed %d of %d bytes: %v", stage, n, size, err)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
				t.Errorf("%s: streaming a %d MB object allocated %d bytes", stage, len(big)>>20, alloc)
			}
		})
	}
}

// A stream that ends early, or a packed object cut short, is an error,
// not a short read.
func TestCorruptObjectsAreErrors(t *testing.T) {
	r := gittest.New(t)
	gittest.WriteFiles(t, r.Dir, map[string]string{"big.txt": strings.Repeat("x", 600<<10), "small.txt": "small\n"})
	r.Git("add", ".")
	r.Git("commit", "-q", "-m", "c")
	objects := filepath.Join(r.Dir, ".git", "objects")
	for _, name := range []string{"big.txt", "small.txt"} {
		h := NewHash(r.Git("rev-parse", "HEAD:"+name))
		p := filepath.Join(objects, h.String()[:2], h.String()[2:])
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		os.Chmod(p, 0o644)
		if err := os.WriteFile(p, b[:len(b)-8], 0o644); err != nil {
			t.Fatal(err)
		}
		db := openODB(objects)
		if _, _, err := db.Read(h); err == nil {
			t.Errorf("%s: a truncated loose object read without error", name)
		}
		_, _, rc, err := db.Stream(h)
		if err == nil {
			_, err = io.Copy(io.Discard, rc)
			rc.Close()
		}
		if err == nil {
			t.Errorf("%s: a truncated loose object streamed without error", name)
		}
	}
}

// Many goroutines may read through one odb.
func TestConcurrentReads(t *testing.T) {
	db, want := deltified(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for h, w := range want {
				typ, b, err := db.Read(h)
				if err != nil || typ.String() != w.Type || !bytes.Equal(b, w.Data) {
					errs <- fmt.Errorf("%s: %s, %v", h, typ, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestApplyDeltaRejectsBadInput(t *testing.T) {
	base := []byte("hello world")
	for _, d := range [][]byte{
		{},
		{11},                   // no target size
		{12, 5, 0x91, 0, 5},    // wrong source size
		{11, 5, 0x91, 9, 5},    // copy beyond base
		{11, 5, 0x05, 'a'},     // truncated insert
		{11, 5, 0x00},          // opcode 0
		{11, 6, 0x91, 0, 5},    // wrong result size
		{11, 5, 0x91},          // truncated copy
		{11, 5, 0xff, 1, 2, 3}, // truncated copy args
	} {
		if _, err := applyDelta(nil, base, d); err == nil {
			t.Errorf("applyDelta(%v) did not fail", d)
		}
	}
	got, err := applyDelta(make([]byte, 3, 64), base, []byte{11, 8, 0x91, 6, 5, 3, '!', '!', '!'})
	if err != nil || string(got) != "world!!!" {
		t.Errorf("applyDelta = %q, %v", got, err)
	}
}

func FuzzApplyDelta(f *testing.F) {
	f.Add([]byte("hello world"), []byte{11, 8, 0x91, 6, 5, 3, '!', '!', '!'})
	f.Fuzz(func(t *testing.T, base, d []byte) {
		out, err := applyDelta(nil, base, d)
		if err == nil && out == nil && len(d) > 2 {
			t.Errorf("nil result without error")
		}
		if err == nil {
			again, err := applyDelta(make([]byte, 7, 9), base, d)
			if err != nil || !bytes.Equal(again, out) {
				t.Errorf("applying into a used buffer gave %q, %v; want %q", again, err, out)
			}
		}
	})
}

// A pack whose index cannot be read makes a miss say so: its objects are
// not missing, the repository is damaged.
func TestUnreadablePackIsReported(t *testing.T) {
	r := history(t)
	r.Git("gc", "-q")
	idx, _ := filepath.Glob(filepath.Join(r.Dir, ".git", "objects", "pack", "*.idx"))
	if len(idx) != 1 {
		t.Fatalf("%d pack indexes", len(idx))
	}
	os.Chmod(idx[0], 0o644)
	if err := os.Truncate(idx[0], 2000); err != nil {
		t.Fatal(err)
	}
	db := openODB(filepath.Join(r.Dir, ".git", "objects"))
	_, _, err := db.Read(NewHash(r.Git("rev-parse", "HEAD")))
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "truncated pack index") {
		t.Errorf("Read = %v, want a miss that names the truncated index", err)
	}
}

// A pack is read with ReadAt for a few objects and mapped into memory
// once it serves many.
func TestPacksAreMappedOnceBusy(t *testing.T) {
	db, want := deltified(t)
	var hs []Hash
	for h := range want {
		hs = append(hs, h)
	}
	if len(hs) <= int(mapAfter) {
		t.Fatalf("only %d objects", len(hs))
	}
	for _, h := range hs[:mapAfter-1] {
		if _, _, err := db.Read(h); err != nil {
			t.Fatal(err)
		}
	}
	p := db.packList(false)[0]
	if p.idx.mapped() != nil || p.data.mapped() != nil {
		t.Fatalf("mapped after %d look-ups", p.lookups.Load())
	}
	for _, h := range hs[mapAfter-1:] {
		if _, _, err := db.Read(h); err != nil {
			t.Fatal(err)
		}
	}
	probe := mapFile(p.data.f, 1)
	if probe == nil {
		t.Skip("files cannot be mapped here")
	}
	unmapFile(probe)
	if p.idx.mapped() == nil || p.data.mapped() == nil {
		t.Errorf("not mapped after %d look-ups", p.lookups.Load())
	}
}

// packBytes builds pack data: entries stored whole, then deltas against
// the entry before them.
func packBytes(whole []string, deltas [][]byte) ([]byte, []int64) {
	var b bytes.Buffer
	b.WriteString("PACK\x00\x00\x00\x02")
	b.Write([]byte{0, 0, 0, byte(len(whole) + len(deltas))})
	var offs []int64
	entry := func(t ObjectType, data []byte, rel int64) {
		offs = append(offs, int64(b.Len()))
		size := uint64(len(data))
		c := byte(t)<<4 | byte(size&15)
		for size >>= 4; size > 0; size >>= 7 {
			b.WriteByte(c | 0x80)
			c = byte(size & 0x7f)
		}
		b.WriteByte(c)
		if t == OFSDeltaObject {
			b.WriteByte(byte(rel)) // rel < 128
		}
		zw := zlib.NewWriter(&b)
		zw.Write(data)
		zw.Close()
	}
	for _, w := range whole {
		entry(BlobObject, []byte(w), 0)
	}
	for _, d := range deltas {
		entry(OFSDeltaObject, d, int64(b.Len())-offs[len(offs)-1])
	}
	b.Write(make([]byte, hashLen))
	return b.Bytes(), offs
}

// Pack entries are read from a pack as it comes: a corrupt one is an
// error, never a crash, a hang or an allocation of the size it claims.
func FuzzReadPacked(f *testing.F) {
	data, offs := packBytes([]string{"hello world"}, [][]byte{{11, 8, 0x91, 6, 5, 3, '!', '!', '!'}})
	f.Add(data, offs[0])
	f.Add(data, offs[1])
	f.Add([]byte("PACK\x00\x00\x00\x02\x00\x00\x00\x01\xff\xff\xff\xff\x7f\x78\x9c\x03\x00\x00\x00\x00\x01"), int64(12))
	f.Fuzz(func(t *testing.T, data []byte, off int64) {
		p := &pack{name: "fuzz.pack", data: region{size: int64(len(data))}}
		p.data.m.Store(&data)
		e, err := p.entryAt(off)
		if err != nil {
			return
		}
		db := openODB(t.TempDir())
		typ, b, err := db.newReader().readPacked(db, p, off, e)
		if err == nil && (typ < CommitObject || typ > BlobObject+1) {
			t.Errorf("read a %s of %d bytes", typ, len(b))
		}
	})
}

// A delta entry is rebuilt against the entry it names.
func TestReadPackedDelta(t *testing.T) {
	data, offs := packBytes([]string{"hello world"}, [][]byte{{11, 8, 0x91, 6, 5, 3, '!', '!', '!'}})
	p := &pack{name: "test.pack", data: region{size: int64(len(data))}}
	p.data.m.Store(&data)
	db := openODB(t.TempDir())
	for i, want := range []string{"hello world", "world!!!"} {
		e, err := p.entryAt(offs[i])
		if err != nil {
			t.Fatal(err)
		}
		typ, b, err := db.newReader().readPacked(db, p, offs[i], e)
		if err != nil || typ != BlobObject || string(b) != want {
			t.Errorf("entry %d: %s %q, %v; want blob %q", i, typ, b, err, want)
		}
	}
	huge := append([]byte("PACK\x00\x00\x00\x02\x00\x00\x00\x01\xbf\xff\xff\xff\xff\x7f"), make([]byte, 40)...)
	p = &pack{name: "huge.pack", data: region{size: int64(len(huge))}}
	p.data.m.Store(&huge)
	if _, err := p.entryAt(12); err == nil || !strings.Contains(err.Error(), "does not fit") {
		t.Errorf("an entry claiming %d bytes of 40: %v", int64(15)|int64(0x7fffffff)<<4, err)
	}
}

// catAll is gittest.CatAll by this package's names.
func catAll(t testing.TB, dir string) map[Hash]gittest.Object {
	t.Helper()
	all := map[Hash]gittest.Object{}
	for h, o := range gittest.CatAll(t, dir) {
		all[Hash(h)] = o
	}
	return all
}

// ReadText gives an object held whole as a string without a copy of it,
// and reads what it is given otherwise; either way the text is the
// object's, whether loose, packed or a delta.
func TestReadText(t *testing.T) {
	r := gittest.New(t)
	small := strings.Repeat("r\t1\t2\t3\n", 2000)
	big := strings.Repeat("a line of a large SARIF file, say\n", 10000) // 340 KB: streamed
	gittest.WriteFiles(t, r.Dir, map[string]string{"small": small, "big": big})
	r.Git("add", ".")
	r.Git("commit", "-q", "-m", "one")
	gittest.WriteFiles(t, r.Dir, map[string]string{"small": small + "r\t4\t5\t6\n"})
	r.Git("commit", "-q", "-am", "two") // small is then a delta of the other, once packed
	want := map[string]string{"HEAD~1:small": small, "HEAD:small": small + "r\t4\t5\t6\n", "HEAD:big": big}
	for _, stage := range []string{"loose", "packed"} {
		if stage == "packed" {
			r.Git("gc", "-q")
		}
		db := openODB(filepath.Join(r.Dir, ".git", "objects"))
		for rev, text := range want {
			_, size, rc, err := db.Stream(NewHash(r.Git("rev-parse", rev)))
			if err != nil {
				t.Fatal(err)
			}
			_, whole := rc.(*bytesReader)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			got, err := ReadText(rc, size)
			runtime.ReadMemStats(&after)
			if err != nil || got != text {
				t.Fatalf("%s %s: %d bytes, %v; want %d", stage, rev, len(got), err, len(text))
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; whole && alloc > 1024 {
				t.Errorf("%s %s: held whole, yet %d bytes were allocated", stage, rev, alloc)
			}
			if whole == (rev == "HEAD:big") {
				t.Errorf("%s %s: held whole %v", stage, rev, whole)
			}
			if again, err := ReadText(rc, size); err == nil || again != "" {
				t.Errorf("%s %s: read twice: %d bytes, %v", stage, rev, len(again), err)
			}
			rc.Close()
		}
	}
}
