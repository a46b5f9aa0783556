package data

import (
	"fmt"

	"github.com/gitdora/gitdora/internal/git"
)

// ErrCheckedOut is the error of a write refused because a work tree that
// has the data branch checked out has local changes in the way: every
// move of the branch brings such work trees along (git.PlanCheckout), or
// moves nothing.
var ErrCheckedOut = git.ErrCheckedOut

// treeAt is the tree of commit h, nil for the zero hash.
func (s *Store) treeAt(h git.Hash) (*git.Tree, error) {
	if h.IsZero() {
		return nil, nil
	}
	return s.treeOf(h)
}

// planCheckouts plans the update of every work tree that has the branch
// checked out, for a move from commit old to new (either zero). It fails
// with ErrCheckedOut when one has local changes in the way.
func (s *Store) planCheckouts(old, new git.Hash, lock bool) ([]*git.CheckoutUpdate, error) {
	cos, err := s.repo.Checkouts(s.branch)
	if err != nil || len(cos) == 0 {
		return nil, err
	}
	a, err := s.treeAt(old)
	if err != nil {
		return nil, err
	}
	b, err := s.treeAt(new)
	if err != nil {
		return nil, err
	}
	var us []*git.CheckoutUpdate
	for _, co := range cos {
		u, err := s.repo.PlanCheckout(co, s.branch, a, b, lock)
		if err != nil {
			for _, x := range us {
				x.Release()
			}
			return nil, err
		}
		us = append(us, u)
	}
	return us, nil
}

// moveBranch moves the data branch from old to new (a compare-and-swap)
// and brings every work tree that has it checked out along, or moves
// nothing when one of them has local changes in the way (ErrCheckedOut).
func (s *Store) moveBranch(old, new git.Hash) error {
	us, err := s.planCheckouts(old, new, true)
	if err != nil {
		return err
	}
	if err := s.repo.CompareAndSwapRef(s.branchRef(), old, new); err != nil {
		for _, u := range us {
			u.Release()
		}
		return err
	}
	var first error
	for _, u := range us {
		if err := u.Apply(); err != nil && first == nil {
			first = fmt.Errorf("branch %s moved to %s, but its work tree at %s could not be updated: %w (git -C %s status shows what is left to do)", s.branch, new.String()[:12], u.Root(), err, u.Root())
		}
	}
	return first
}
