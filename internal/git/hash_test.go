package git

import (
	"strings"
	"testing"

	"github.com/gitdora/gitdora/internal/gittest"
)

// HashObject names content as git does, whatever its size.
func TestHashObjectIsGits(t *testing.T) {
	g := gittest.New(t)
	for _, n := range []int{0, 6, 1 << 14, 1<<14 + 1, 1 << 16} {
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
