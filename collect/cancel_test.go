package collect

import (
	"context"
	"errors"
	"testing"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/internal/gittest"
)

// A cancelled gather stops and says so, rather than returning part of
// the facts as if they were all.
func TestGatherStopsWhenCancelled(t *testing.T) {
	j := gittest.NewJanuary(t)
	store, err := data.Open(j.Repo.Dir, j.Data)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f, err := Gather(Options{RepoPath: j.Repo.Dir, Store: store, Config: config.Default(), Ctx: ctx})
	if !errors.Is(err, context.Canceled) || f != nil {
		t.Fatalf("Gather with a cancelled context = %v, %v; want context.Canceled", f, err)
	}
	if _, err := Gather(Options{RepoPath: j.Repo.Dir, Store: store, Config: config.Default(), Ctx: context.Background()}); err != nil {
		t.Fatalf("Gather with a live context: %v", err)
	}
}
