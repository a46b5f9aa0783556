package main

import (
	"fmt"

	"github.com/gitdora/gitdora/data"
)

// InitCmd is `gitdora init`.
type InitCmd struct {
	pushFlags
}

// Help shows an example.
func (c *InitCmd) Help() string {
	return "Creates the data branch (dora-data, an orphan branch sharing no history with the code) holding a\n" +
		"commented gitdora.yml with every default, and the trunk it found (the remote's default branch,\n" +
		"origin/HEAD, else the branch checked out). Running it again changes nothing. It never touches the\n" +
		"work tree, the index or HEAD.\n\nExamples:\n  gitdora init\n  gitdora init --push"
}

// Run creates the data branch.
func (c *InitCmd) Run(g *Globals) error {
	store, err := data.Open(g.Repo, g.Data)
	if err != nil {
		return err
	}
	added := false
	res, err := g.write(store, "gitdora init: create the data branch with the default "+data.ConfigFile, c.pushFlags, func(tx *data.Tx) (err error) {
		added, err = tx.WriteDefaultConfig()
		return err
	})
	if err != nil {
		return err
	}
	switch {
	case added && res.Changed:
		g.Log.Info(fmt.Sprintf("added the default %s to %s", data.ConfigFile, store))
	case !res.Changed:
		g.Log.Info(fmt.Sprintf("%s already has %s; nothing changed", store, data.ConfigFile))
	}
	if res.Attempts > 0 {
		g.Log.Info("pushed " + store.Branch() + " to " + c.Remote)
	}
	return nil
}
