package main

import (
	"cmp"

	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/internal/git"
)

// codeRepo is the code repository of --repo: the one holding the data
// branch when it is --repo (opened once), else opened now; nil with the
// error when --repo is not a git repository.
func (g *Globals) codeRepo(store *data.Store) (*git.Repository, error) {
	p := cmp.Or(g.Repo, ".")
	if r := store.Repo(); r != nil && store.RepoPath() == p {
		return r, nil
	}
	return data.OpenRepo(p)
}
