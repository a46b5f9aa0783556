package app

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gitdora/gitdora/config"
)

// Any --repos file is read or refused with an error, never a panic, and
// what is read names each repository once, by a valid name.
func FuzzReposFile(f *testing.F) {
	f.Add("# org\nshop ../shop\npayments /srv/payments.git#dora\n\n")
	f.Add("a b c\n")
	f.Add("shop x\nshop y\n")
	f.Fuzz(func(t *testing.T, text string) {
		p := filepath.Join(t.TempDir(), "repos.txt")
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		ms, err := reposFile(p)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, m := range ms {
			if seen[m.name] || config.CheckSliceName(m.name) != nil || m.path == "" {
				t.Fatalf("read %+v from %q", m, text)
			}
			seen[m.name] = true
		}
	})
}
