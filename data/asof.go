package data

import (
	"errors"
	"fmt"

	"github.com/gitdora/gitdora/internal/git"
)

// ErrPinned is the error of a write to a Store read as of an earlier
// commit (At): what was is not written to.
var ErrPinned = errors.New("the data branch is read as it was at an earlier commit, so nothing is written to it")

// At makes the Store read the data branch as it was at the commit rev
// names: a full or abbreviated hash, or any revision of the data branch
// (dora-data~3, a tag of one of its commits). The commit must be on the
// data branch: the tip or one of its ancestors. A Store read at a commit
// is read-only (Update returns ErrPinned), so that a report built from it
// can be rebuilt byte for byte later.
func (s *Store) At(rev string) error {
	if s.dir != "" {
		return fmt.Errorf("%s is a plain directory: it has no commits to read an earlier state from", s.dir)
	}
	if s.commit == nil {
		return fmt.Errorf("the data branch %s does not exist, so it has no commit %s", s.branch, rev)
	}
	full, err := s.repo.ResolveCommit(rev)
	if err != nil {
		if errors.Is(err, git.ErrUnknownCommit) {
			return fmt.Errorf("%s: no such commit in the repository of the data branch %s", rev, s.branch)
		}
		return fmt.Errorf("%s: %w", rev, err)
	}
	h := git.NewHash(full)
	on, err := s.repo.IsAncestor(h, s.commit.Hash)
	if err != nil {
		return fmt.Errorf("%s: %w", rev, err)
	}
	if !on {
		return fmt.Errorf("%s: commit %s is not on the data branch %s (name a commit of its history: git log %s)", rev, full[:12], s.branch, s.branch)
	}
	c, err := s.repo.CommitObject(h)
	if err != nil {
		return fmt.Errorf("data branch %s: commit %s: %w", s.branch, full, err)
	}
	t, err := s.repo.TreeObject(c.Tree)
	if err != nil {
		return fmt.Errorf("data branch %s: tree of %s: %w", s.branch, full, err)
	}
	s.commit, s.tree, s.pinned = c, t, true
	return nil
}

// Pinned reports whether the Store reads an earlier commit of the data
// branch (At), and so cannot be written.
func (s *Store) Pinned() bool { return s.pinned }
