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
