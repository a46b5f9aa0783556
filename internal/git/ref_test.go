package git

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/gitdora/gitdora/internal/gittest"
)

func TestCompareAndSwapRef(t *testing.T) {
	g := gittest.New(t)
	g.Git("commit", "-q", "--allow-empty", "-m", "code")
	r, err := Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	const name = "refs/heads/dora-data"
	main, err := r.ReadRef("refs/heads/main")
	if err != nil || main.IsZero() {
		t.Fatal(main, err)
	}
	if err := r.CompareAndSwapRef(name, main, main); !errors.Is(err, ErrRefMoved) {
		t.Errorf("moving a missing ref from a value: %v, want ErrRefMoved", err)
	}
	if err := r.CompareAndSwapRef(name, ZeroHash, main); err != nil {
		t.Fatal(err)
	}
	if err := r.CompareAndSwapRef(name, ZeroHash, main); !errors.Is(err, ErrRefMoved) {
		t.Errorf("creating an existing ref: %v, want ErrRefMoved", err)
	}
	// A ref only in packed-refs is compared too.
	g.Git("pack-refs", "--all", "--prune")
	if err := r.CompareAndSwapRef(name, main, main); err != nil {
		t.Errorf("packed ref: %v", err)
	}
	if _, err := os.Stat(filepath.Join(g.Dir, ".git", "refs", "heads", "dora-data.lock")); !os.IsNotExist(err) {
		t.Error("lock file left behind")
	}
	if h, err := r.Ref("HEAD"); err != nil || h != main {
		t.Errorf("Ref(HEAD) = %s, %v; want %s", h, err, main)
	}
	if _, err := r.Ref("refs/heads/nope"); err != ErrRefNotFound {
		t.Errorf("Ref(missing) = %v, want ErrRefNotFound", err)
	}
	if target, ok, err := r.SymbolicRef("HEAD"); err != nil || !ok || target != "refs/heads/main" {
		t.Errorf("SymbolicRef(HEAD) = %q, %v, %v", target, ok, err)
	}
	if _, err := r.ReadRef("HEAD"); err == nil {
		t.Error("ReadRef(HEAD), a symbolic ref, did not fail")
	}
}

func TestShortName(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"refs/tags/v1.2.0", "v1.2.0"},
		{"refs/tags/heads/x", "heads/x"}, // a tag named heads/x
		{"refs/heads/main", "main"},
		{"refs/heads/tags/x", "tags/x"},
		{"refs/remotes/origin/main", "origin/main"},
		{"refs/remotes/origin/HEAD", "origin/HEAD"},
		{"refs/pull/12/head", "pull/12/head"},
		{"refs/gitdora/data", "gitdora/data"},
		{"HEAD", "HEAD"},
		{"refs/tags/v1\u00a0rc", "v1\u00a0rc"}, // git allows a no-break space; go-git's Short cut it off
	} {
		if got := ShortName(c.name); got != c.want {
			t.Errorf("ShortName(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}

func BenchmarkShortName(b *testing.B) {
	for b.Loop() {
		ShortName("refs/tags/v2026.12.07-rc1")
	}
}
