package git

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/internal/gittest"
)

// EncodeTree gives the bytes git stores for a tree: the tree it names is
// the one git writes for the same files.
func TestEncodeTreeIsWhatGitWrites(t *testing.T) {
	g := gittest.New(t)
	gittest.WriteFiles(t, g.Dir, map[string]string{"a.json": "{}", "b/c.txt": "c", "b.txt": "b", "run.sh": "#!/bin/sh\n"})
	g.Git("update-index", "--add", "--chmod=+x", "run.sh")
	g.Git("add", ".")
	g.Git("commit", "-q", "-m", "c")
	r, err := Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	want := NewHash(g.Git("rev-parse", "HEAD^{tree}"))
	tr, err := r.TreeObject(want)
	if err != nil {
		t.Fatal(err)
	}
	entries := append([]TreeEntry(nil), tr.Entries...)
	entries[0], entries[len(entries)-1] = entries[len(entries)-1], entries[0] // EncodeTree sorts
	if got := HashObject(TreeObject, EncodeTree(entries)); got != want {
		t.Errorf("EncodeTree names %s, git %s", got, want)
	}
}

// An ObjectSet gives back each object by the hash of its content, of the
// type it was stored as, and nothing else.
func TestObjectSetRoundTrip(t *testing.T) {
	tree := EncodeTree([]TreeEntry{{Name: "r.json", Mode: ModeRegular, Hash: HashObject(BlobObject, []byte(`{"refs":["main"]}`))}})
	objs := []Object{
		{Type: TreeObject, Data: tree},
		{Type: BlobObject, Data: []byte(`{"refs":["main"]}`)},
		{Type: BlobObject, Data: nil},                     // empty content
		{Type: BlobObject, Data: []byte("tree 3\nabc\n")}, // looks like a header
		{Type: CommitObject, Data: []byte("tree x")},      // left out
	}
	b := EncodeObjectSet(objs)
	if !bytes.HasPrefix(b, []byte(ObjectSetHeader)) {
		t.Fatalf("no header: %q", b)
	}
	s, err := ParseObjectSet(b)
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 4 || len(s.Hashes()) != 4 {
		t.Errorf("Len = %d, want 4 (the commit left out)", s.Len())
	}
	for _, o := range objs[:4] {
		got, ok := s.Get(HashObject(o.Type, o.Data), o.Type)
		if !ok || !bytes.Equal(got, o.Data) {
			t.Errorf("Get %s %q = %q, %v", o.Type, o.Data, got, ok)
		}
		other := BlobObject
		if o.Type == BlobObject {
			other = TreeObject
		}
		if _, ok := s.Get(HashObject(o.Type, o.Data), other); ok {
			t.Errorf("%s %q given as a %s", o.Type, o.Data, other)
		}
	}
	if _, ok := s.Get(HashObject(CommitObject, []byte("tree x")), CommitObject); ok {
		t.Error("a commit was kept")
	}
	var none *ObjectSet
	if _, ok := none.Get(HashObject(TreeObject, tree), TreeObject); ok || none.Len() != 0 {
		t.Error("a nil set holds something")
	}
}

func TestParseObjectSetRefusesBrokenSets(t *testing.T) {
	for name, b := range map[string]string{
		"no header":        "blob 1\nx",
		"another version":  "gitdora objects 2\n",
		"unknown type":     ObjectSetHeader + "commit 1\nx",
		"no size":          ObjectSetHeader + "blob\nx",
		"negative size":    ObjectSetHeader + "blob -1\nx",
		"size too large":   ObjectSetHeader + "blob 2\nx",
		"leading zero":     ObjectSetHeader + "blob 01\nx",
		"no line end":      ObjectSetHeader + "blob 1",
		"long header line": ObjectSetHeader + "blob " + strings.Repeat("1", 40) + "\nx",
	} {
		if s, err := ParseObjectSet([]byte(b)); err == nil {
			t.Errorf("%s: read %d objects, want an error", name, s.Len())
		}
	}
	if s, err := ParseObjectSet([]byte(ObjectSetHeader)); err != nil || s.Len() != 0 {
		t.Errorf("an empty set: %v", err)
	}
}

// FilesIndexed lists what Files lists, reading from the set what it holds
// and giving the content of the files it holds; a set of other content
// (stale, or made for other files) changes nothing it gives.
func TestFilesIndexed(t *testing.T) {
	g := gittest.New(t)
	gittest.WriteFiles(t, g.Dir, map[string]string{
		"m/aaaa/r.json": `{"a":1}`, "m/aaaa/x.sarif": "{}",
		"m/bbbb/r.json": `{"b":1}`, "m/bbbb/x.sarif": "{}",
	})
	g.Git("add", ".")
	g.Git("commit", "-q", "-m", "c")
	r, err := Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	hash := func(rev string) Hash { return NewHash(g.Git("rev-parse", rev)) }
	read := func(rev string) []byte {
		_, b, err := r.Read(hash(rev))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// A set with a's folder and record as they are, and b's as they were.
	staleB := EncodeTree([]TreeEntry{{Name: "r.json", Mode: ModeRegular, Hash: HashObject(BlobObject, []byte(`{"b":0}`))}})
	set := EncodeObjectSet([]Object{
		{Type: TreeObject, Data: read("HEAD:m/aaaa")}, {Type: BlobObject, Data: read("HEAD:m/aaaa/r.json")},
		{Type: TreeObject, Data: staleB}, {Type: BlobObject, Data: []byte(`{"b":0}`)},
	})
	gittest.WriteFiles(t, g.Dir, map[string]string{"m/month.objects": string(set)})
	g.Git("add", ".")
	g.Git("commit", "-q", "-m", "set")

	list := func(indexed bool) string {
		var out strings.Builder
		fn := func(p string, e TreeEntry, data []byte) error {
			out.WriteString(p + " " + e.Hash.String())
			if data != nil {
				out.WriteString(" carried " + string(data))
			}
			out.WriteString("\n")
			return nil
		}
		var err error
		if indexed {
			err = r.FilesIndexed(hash("HEAD:m"), "m/", "month.objects", 1<<20, fn)
		} else {
			err = r.Files(hash("HEAD:m"), func(p string, e TreeEntry) error { return fn("m/"+p, e, nil) })
		}
		if err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	plain, indexed := list(false), list(true)
	if strings.ReplaceAll(indexed, " carried "+`{"a":1}`, "") != plain {
		t.Errorf("FilesIndexed:\n%s\nFiles:\n%s", indexed, plain)
	}
	if strings.Count(indexed, "carried") != 1 || !strings.HasPrefix(indexed, "m/aaaa/r.json "+hash("HEAD:m/aaaa/r.json").String()+` carried {"a":1}`) {
		t.Errorf("want a's record alone carried:\n%s", indexed)
	}
	// A set it may not read whole is not used.
	var carried int
	if err := r.FilesIndexed(hash("HEAD:m"), "", "month.objects", 10, func(_ string, _ TreeEntry, data []byte) error {
		if data != nil {
			carried++
		}
		return nil
	}); err != nil || carried != 0 {
		t.Errorf("a set over the limit: %d carried, %v", carried, err)
	}
}

// Whatever a set's bytes, reading it never panics, and every object it
// gives is named by the hash of what it gives.
func FuzzParseObjectSet(f *testing.F) {
	f.Add([]byte(ObjectSetHeader + "blob 3\nabctree 0\n"))
	f.Add(EncodeObjectSet([]Object{{Type: TreeObject, Data: EncodeTree([]TreeEntry{{Name: "a", Mode: ModeRegular}})}}))
	f.Add([]byte(ObjectSetHeader + "blob 99999999999999999999\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseObjectSet(b)
		if err != nil {
			return
		}
		for _, h := range s.Hashes() {
			n := 0
			for _, typ := range []ObjectType{TreeObject, BlobObject} {
				if data, ok := s.Get(h, typ); ok {
					n++
					if HashObject(typ, data) != h {
						t.Fatalf("%s given for %s", HashObject(typ, data), h)
					}
				}
			}
			if n != 1 {
				t.Fatalf("%s given as %d types", h, n)
			}
		}
	})
}

// HashObject names content as git does, small (hashed from a copy) or
// large.
func TestHashObjectIsGits(t *testing.T) {
	g := gittest.New(t)
	for _, n := range []int{0, 6, smallObject, smallObject + 1, 3 * smallObject} {
		b := []byte(strings.Repeat("hello\n", n/6+1)[:n])
		out, err := gittest.Run(g.Dir, nil, string(b), "hash-object", "--stdin")
		if err != nil {
			t.Fatal(err)
		}
		if got := HashObject(BlobObject, b).String(); got != out {
			t.Errorf("%d bytes: %s, git %s", n, got, out)
		}
	}
}
