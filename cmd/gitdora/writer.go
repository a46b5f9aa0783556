package main

import (
	"context"

	"github.com/gitdora/gitdora/collect"
	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/data"
)

// pushFlags are the publishing flags every writer (init, record, ingest) takes.
type pushFlags struct {
	Push   bool   `help:"Push the data branch to the remote; when another writer got there first, fetch, write again on its tip and retry."`
	Remote string `default:"origin" help:"Remote to push to."`
}

// write runs one store.Update with msg over fn. A data branch (or
// directory) that does not exist yet is created as init would, with the
// default gitdora.yml naming the trunk found in --repo, and said so once.
func (g *Globals) write(store *data.Store, msg string, p pushFlags, fn func(tx *data.Tx) error) (data.Result, error) {
	created := false
	res, err := store.Update(context.Background(), msg, data.WriteOptions{Push: p.Push, Remote: p.Remote, Log: g.Log}, func(tx *data.Tx) error {
		created = false
		if tx.IsEmpty() {
			trunk, _ := collect.FindTrunk(g.Repo)
			if err := tx.WriteFile(data.ConfigFile, config.Template(trunk)); err != nil {
				return err
			}
			created = true
		}
		return fn(tx)
	})
	if err == nil && created && res.Changed {
		g.Log.Info("created the data " + store.String() + " with the default " + data.ConfigFile)
	}
	return res, err
}

// short abbreviates a commit hash for messages.
func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
