package git

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
)

// cacheSize is how many bytes of delta bases an odb keeps.
const cacheSize = 32 << 20

// odb is the object database of one repository: its objects folder, the
// packs in it and its alternates. It finds a packed object by binary
// search in the pack's .idx file, mapped into memory (go-git first loads
// every index whole), reads loose and packed objects itself, resolves
// deltas with a bounded cache of their bases, follows alternates, and
// streams large objects. It knows objects only: it reads no ref, gives no
// meaning to a tree or a commit, and writes nothing but new objects
// (loose, or a pack with its index). It is safe for concurrent use.
type odb struct {
	dir   string
	cache *cache
	depth int // alternates nesting

	packs atomic.Pointer[[]*pack] // read without a lock: every read looks

	mu       sync.Mutex
	seen     map[string]bool // .idx files looked at
	broken   error           // why a pack could not be opened, told with a miss
	alts     []*odb
	altsRead bool
	zw       *zlib.Writer // reused: a new one allocates about 1 MB

	readers sync.Pool
}

// openODB returns the object database of the objects folder dir. Nothing
// is read before the first object is asked for.
func openODB(dir string) *odb {
	return &odb{dir: dir, cache: newCache(cacheSize), seen: map[string]bool{}}
}

// Close unmaps and closes the pack files now rather than when the odb is
// collected. No read may be under way, nor any stream open; a later read
// opens the packs again.
func (db *odb) Close() {
	db.mu.Lock()
	defer db.mu.Unlock()
	if ps := db.packs.Load(); ps != nil {
		for _, p := range *ps {
			p.idx.close()
			p.data.close()
		}
	}
	db.packs.Store(nil)
	db.seen = map[string]bool{}
	db.cache.clear() // its keys are the packs closed
	for _, a := range db.alts {
		a.Close()
	}
}

// Read returns the type and content of object h; the content is the
// caller's.
func (db *odb) Read(h Hash) (ObjectType, []byte, error) {
	r := db.pooledReader()
	defer db.readers.Put(r)
	t, b, err := r.Read(h)
	if err != nil {
		return 0, nil, err
	}
	return t, r.own(b), nil
}

func (db *odb) pooledReader() *reader {
	if r, ok := db.readers.Get().(*reader); ok {
		return r
	}
	return db.newReader()
}

// Has reports whether the repository has object h.
func (db *odb) Has(h Hash) (bool, error) {
	r := db.pooledReader()
	defer db.readers.Put(r)
	l, err := r.locate(db, h)
	l.close()
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Stored returns the type object h is stored as: its own type, or
// OFSDeltaObject or REFDeltaObject for a packed delta.
func (db *odb) Stored(h Hash) (ObjectType, error) {
	r := db.pooledReader()
	defer db.readers.Put(r)
	l, err := r.locate(db, h)
	l.close()
	if l.pack != nil {
		return l.e.typ, err
	}
	return l.typ, err
}

// Size returns the size of the content of object h.
func (db *odb) Size(h Hash) (int64, error) {
	r := db.pooledReader()
	defer db.readers.Put(r)
	l, err := r.locate(db, h)
	l.close()
	if err != nil || l.pack == nil || !l.e.isDelta() {
		return l.size, err
	}
	_, b, err := r.readPacked(l.db, l.pack, l.off, l.e)
	return int64(len(b)), err
}

// WithPrefix lists the objects whose name starts with prefix.
func (db *odb) WithPrefix(prefix []byte) ([]Hash, error) {
	if len(prefix) == 0 {
		return nil, errors.New("empty object name prefix")
	}
	var out []Hash
	first := hex.EncodeToString(prefix[:1])
	ents, _ := os.ReadDir(filepath.Join(db.dir, first))
	for _, e := range ents {
		h, err := hex.DecodeString(first + e.Name())
		if err == nil && len(h) == 20 && bytes.HasPrefix(h, prefix) {
			out = append(out, Hash(h))
		}
	}
	for _, p := range db.packList(true) {
		hs, err := p.withPrefix(prefix)
		if err != nil {
			return nil, err
		}
		out = append(out, hs...)
	}
	for _, a := range db.alternates() {
		hs, err := a.WithPrefix(prefix)
		if err != nil {
			return nil, err
		}
		out = append(out, hs...)
	}
	return out, nil
}

func (db *odb) loosePath(h Hash) string {
	s := h.String()
	return filepath.Join(db.dir, s[:2], s[2:])
}

// packList returns the packs, looking for new ones first when rescan is
// set (another process may have fetched or repacked since).
func (db *odb) packList(rescan bool) []*pack {
	if ps := db.packs.Load(); ps != nil && !rescan {
		return *ps
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if ps := db.packs.Load(); ps == nil || rescan {
		db.scan()
	}
	return *db.packs.Load()
}

// scan opens the packs not seen yet; db.mu is held.
func (db *odb) scan() {
	var packs []*pack
	if ps := db.packs.Load(); ps != nil {
		packs = *ps
	}
	names, _ := filepath.Glob(filepath.Join(db.dir, "pack", "*.idx"))
	for _, n := range names {
		if db.seen[n] {
			continue
		}
		db.seen[n] = true
		p, err := openPack(n)
		if err != nil {
			if db.broken == nil {
				db.broken = err
			}
			continue
		}
		packs = append(packs[:len(packs):len(packs)], p) // readers may hold the old slice
	}
	db.packs.Store(&packs)
}

// alternates returns the databases objects/info/alternates names,
// opened on first need.
func (db *odb) alternates() []*odb {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.altsRead {
		return db.alts
	}
	db.altsRead = true
	if db.depth >= 5 {
		return nil
	}
	f, err := os.Open(filepath.Join(db.dir, "info", "alternates"))
	if err != nil {
		return nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !filepath.IsAbs(line) {
			line = filepath.Join(db.dir, line)
		}
		a := &odb{dir: filepath.Clean(line), cache: db.cache, depth: db.depth + 1, seen: map[string]bool{}}
		db.alts = append(db.alts, a)
	}
	return db.alts
}

// missing is the error for an object not found: ErrNotFound itself, or
// wrapped with why a pack could not be read (its objects are not missing,
// the repository is damaged).
func (db *odb) missing() error {
	db.mu.Lock()
	broken := db.broken
	db.mu.Unlock()
	if broken != nil {
		return fmt.Errorf("%w (%v)", ErrNotFound, broken)
	}
	for _, a := range db.alternates() {
		if err := a.missing(); err != ErrNotFound {
			return err
		}
	}
	return ErrNotFound
}
