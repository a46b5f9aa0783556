package git

import (
	"strings"
	"testing"
)

// Every walk over a tree stops at MaxTreeDepth folders: a tree that deep
// is read whole, one folder deeper is an error, never a stack overflow
// (Files, Tree.Walk and the update of a work tree alike).
func TestTreesDeeperThanMaxTreeDepthAreRefused(t *testing.T) {
	dir := t.TempDir()
	if _, err := initBare(dir); err != nil {
		t.Fatal(err)
	}
	r, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	nested := func(n int) Hash { // n folders d/d/…/d holding the file f
		w := r.NewBatch()
		h, err := w.AddTree([]TreeEntry{{Name: "f", Mode: ModeRegular, Hash: w.AddNew(BlobObject, []byte("x"))}})
		for i := 0; i < n && err == nil; i++ {
			h, err = w.AddTree([]TreeEntry{{Name: "d", Mode: ModeDir, Hash: h}})
		}
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	for _, n := range []int{MaxTreeDepth, MaxTreeDepth + 1} {
		root, err := r.TreeObject(nested(n))
		if err != nil {
			t.Fatal(err)
		}
		files := 0
		errs := map[string]error{
			"Files": r.Files(root.Hash, "", func(string, TreeEntry) error { files++; return nil }),
			"Walk":  root.Walk(func(string, TreeEntry) error { return nil }),
			"diffTrees": func() error {
				var out []change
				return r.diffTrees(nil, root, "", &out)
			}(),
		}
		for name, err := range errs {
			if n <= MaxTreeDepth && err != nil {
				t.Errorf("%d folders deep: %s = %v, want nil", n, name, err)
			}
			if n > MaxTreeDepth && (err == nil || !strings.Contains(err.Error(), "nested more than")) {
				t.Errorf("%d folders deep: %s = %v, want an error saying the folders are nested too deep", n, name, err)
			}
		}
		if n <= MaxTreeDepth && files != 1 {
			t.Errorf("%d folders deep: Files listed %d files, want 1", n, files)
		}
	}
}
