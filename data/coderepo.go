package data

import (
	"errors"
	"os"

	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/git"
)

// OpenRepo opens the git repository at path or in a folder above it: a
// clone, a subdirectory of its work tree, a linked worktree (git worktree
// add), or a bare repository or mirror (git clone --bare/--mirror). Its
// error is a *fact.InputError of the input repo.
func OpenRepo(p string) (*git.Repository, error) {
	r, err := git.Open(p)
	if err != nil {
		return nil, repoError(p, err)
	}
	return r, nil
}

func repoError(p string, err error) error {
	if errors.Is(err, git.ErrNoRepo) || errors.Is(err, os.ErrNotExist) {
		return &fact.InputError{Input: "repo", Value: p, Err: git.ErrNoRepo,
			Hint: func(n fact.Naming) string { return "run gitdora inside a clone, or pass " + n.Of("repo") + " PATH" }}
	}
	return &fact.InputError{Input: "repo", Value: p, Err: err}
}

// WorkTree is the top of the work tree of the repository at p (a folder
// above p when p is a subdirectory), or "" when it has none (a bare
// repository) or is not a repository.
func WorkTree(p string) string { return git.WorkTree(p) }
