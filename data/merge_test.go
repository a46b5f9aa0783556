package data

import (
	"strings"
	"testing"

	"github.com/gitdora/gitdora/internal/git"
)

// Merging two histories follows folders down to git.MaxTreeDepth only: a
// tree nested deeper on both sides is an error, never a stack overflow.
func TestMergeTreesRefusesTreesTooDeep(t *testing.T) {
	r, err := git.OpenDir(newRepo(t))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	nested := func(n int, content string) git.Hash { // n folders d/d/…/d holding events/deployments/x.csv
		w := r.NewBatch()
		h, err := w.AddTree([]git.TreeEntry{{Name: "x.csv", Mode: git.ModeRegular, Hash: w.AddNew(git.BlobObject, []byte(content))}})
		for i := 0; i < n && err == nil; i++ {
			h, err = w.AddTree([]git.TreeEntry{{Name: "d", Mode: git.ModeDir, Hash: h}})
		}
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	for _, n := range []int{git.MaxTreeDepth - 1, git.MaxTreeDepth + 1} {
		base, ours, theirs := nested(n, "a\n"), nested(n, "b\n"), nested(n, "c\n")
		_, err := mergeTrees(r, base, ours, theirs)
		deep := err != nil && strings.Contains(err.Error(), "nested more than")
		if deep != (n > git.MaxTreeDepth) {
			t.Errorf("%d folders deep: mergeTrees = %v, want the depth refused only beyond %d", n, err, git.MaxTreeDepth)
		}
	}
}
