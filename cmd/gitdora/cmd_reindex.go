package main

import (
	"context"
	"fmt"
	"os"

	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/ingest"
	"github.com/gitdora/gitdora/internal/esc"
)

// ReindexCmd is `gitdora reindex`.
type ReindexCmd struct {
	pushFlags
}

// Help says when to run it.
func (c *ReindexCmd) Help() string {
	return "Writes the normalised findings of scans stored by an older gitdora, and rebuilds those of an older\n" +
		"format or that cannot be read, from the stored SARIF files (docs/data-branch.md). One commit;\n" +
		"run again, it writes nothing.\n\nExample:\n  gitdora reindex --push"
}

// Run reindexes the data branch in one commit.
func (c *ReindexCmd) Run(g *Globals) error {
	store, err := data.Open(g.Repo, g.Data)
	if err != nil {
		return err
	}
	if !store.Exists() {
		g.Log.Info("no data " + store.String() + ": nothing to reindex")
		return nil
	}
	cfg, err := store.Config(g.Config)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "gitdora-reindex-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var rep *ingest.Reindexed
	_, err = store.Update(context.Background(), "reindex: normalised findings", data.WriteOptions{Push: c.Push, Remote: c.Remote, Log: g.Log}, func(tx *data.Tx) error {
		var err error
		rep, err = ingest.Reindex(tx, cfg.Limits, tmp)
		return err
	})
	if err != nil {
		return err
	}
	for _, l := range rep.Left {
		g.Log.Warn(l)
	}
	if !g.Quiet {
		for _, list := range []struct {
			what  string
			paths []string
		}{{"written", rep.Written}, {"rebuilt (older format)", rep.Rebuilt}, {"rebuilt", rep.Repaired}} {
			for _, p := range list.paths {
				fmt.Fprintf(g.Stdout, "%s: %s\n", list.what, esc.Line(p))
			}
		}
		fmt.Fprintf(g.Stdout, "%d normalised findings written, %d rebuilt, %d up to date, %d left; %d SARIF files read\n",
			len(rep.Written), len(rep.Rebuilt)+len(rep.Repaired), rep.Current, len(rep.Left), rep.Parsed)
	}
	return nil
}
