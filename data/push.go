package data

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/git"
)

// updatePush is Update with Push: fetch the remote's branch, build the
// commit on it (merging in local commits it lacks), push with the remote's
// tip as the expected old value, and on a rejection start again.
func (s *Store) updatePush(ctx context.Context, msg string, o WriteOptions, fn func(*Tx) error) (Result, error) {
	rem, err := s.repo.Remote(o.Remote)
	if err != nil {
		return Result{}, &fact.InputError{Input: "remote", Value: o.Remote, Err: err}
	}
	where := fmt.Sprintf("%s (%s)", rem.Name(), rem.URL())
	if rem.Warning() != "" {
		o.Log.Warn(rem.Warning())
	}
	var last error
	pushes := 0
	for attempt := 1; attempt <= o.Retries; attempt++ {
		if attempt > 1 {
			// Full jitter over an exponential cap, so writers that collided
			// spread out instead of colliding again.
			cap := min(50*time.Millisecond<<min(attempt-2, 6), 2*time.Second)
			if err := sleep(ctx, time.Duration(rand.Int64N(int64(cap)))+10*time.Millisecond); err != nil {
				return Result{Attempts: pushes}, err
			}
		}
		res, pushed, err := s.pushOnce(ctx, msg, o, fn, rem)
		if pushed {
			pushes++
		}
		res.Attempts = pushes
		if err == nil {
			return res, nil
		}
		if !retryable(err) {
			var fe fnError
			if errors.As(err, &fe) {
				err = fe.err
			}
			return res, err
		}
		last = err
		if errors.Is(err, git.ErrRejected) {
			o.Log.Info("push rejected, another writer got there first; trying again on the new tip", "remote", rem.Name(), "attempt", attempt, "reason", err.Error())
		} else {
			o.Log.Info("push failed on the way; trying again", "remote", rem.Name(), "attempt", attempt, "reason", err.Error())
		}
	}
	return Result{Attempts: pushes}, fmt.Errorf("push %s to %s: gave up after %d attempts (%d pushes rejected): %w", s.branch, where, o.Retries, pushes, last)
}

// fnError marks an error of the caller's fn, which is never retried.
type fnError struct{ err error }

func (e fnError) Error() string { return e.err.Error() }
func (e fnError) Unwrap() error { return e.err }

// retryable reports whether a failed attempt is worth another: the remote
// refused because its branch moved (another writer got there first), or the
// network failed on the way. Anything else (a hook declining, a bad commit
// date, a merge that cannot be done) fails the same way every time.
func retryable(err error) bool {
	var fe fnError
	if errors.As(err, &fe) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	// ErrNotSent and a missing object: writers sharing this clone store
	// fetched packs at the same time, and one may read another's half-written
	// pack index.
	return errors.Is(err, git.ErrRejected) || errors.Is(err, git.ErrNotSent) || errors.Is(err, git.ErrNotFound) || git.Transient(err)
}

// pushOnce is one attempt of updatePush.
func (s *Store) pushOnce(ctx context.Context, msg string, o WriteOptions, fn func(*Tx) error, rem *git.Remote) (res Result, pushed bool, err error) {
	// The local branch is checked first: --data main must not fetch the
	// history of the remote's code branch before being refused.
	local, err := s.repo.ReadRef(s.branchRef())
	if err != nil {
		return Result{}, false, err
	}
	if err := s.checkTip(local, "branch "+s.branch); err != nil {
		return Result{}, false, err
	}
	remoteTip, err := s.repo.FetchBranch(ctx, rem, s.branch, o.Log)
	if err != nil {
		return Result{}, false, err
	}
	if err := s.checkTip(remoteTip, fmt.Sprintf("branch %s of %s", s.branch, rem.Name())); err != nil {
		return Result{}, false, err
	}
	base, parents, merged, err := s.reconcile(local, remoteTip, rem.Name()+"/"+s.branch)
	if err != nil {
		return Result{}, false, err
	}
	tx := newTreeTx(s, nil)
	if !base.IsZero() {
		if tx.tree, err = s.repo.TreeObject(base); err != nil {
			return Result{}, false, fmt.Errorf("data branch %s: tree %s: %w", s.branch, base, err)
		}
	}
	if err := fn(tx); err != nil {
		return Result{}, false, fnError{err}
	}
	tree, changed, err := tx.build()
	if err != nil {
		return Result{}, false, err
	}
	var tip git.Hash
	commit := ""
	switch {
	case changed || merged:
		m := msg
		if !changed {
			m = fmt.Sprintf("Merge %s of this clone into %s/%s", s.branch, rem.Name(), s.branch)
		}
		if tip, err = s.writeCommit(tree, parents, m, o); err != nil {
			return Result{}, false, err
		}
		commit = tip.String()
	case !local.IsZero() && local != remoteTip && slices.Contains(parents, local):
		tip = local // nothing new, but local commits the remote lacks: publish them
	default:
		// Nothing to publish. Keep the local branch up with the remote.
		if !remoteTip.IsZero() {
			s.fastForward(local, remoteTip, o)
		}
		return Result{}, false, nil
	}
	// A work tree that has the branch checked out must be able to follow
	// it: refuse before the remote moves, not after.
	if _, err := s.planCheckouts(local, tip, false); err != nil {
		return Result{}, false, err
	}
	if err := s.repo.PushBranch(ctx, rem, s.branch, remoteTip, tip); err != nil {
		return Result{}, true, err
	}
	s.fastForward(local, tip, o)
	if err := s.repo.SetRef(s.trackingRef(rem.Name()), tip); err != nil {
		o.Log.Debug("could not update the remote-tracking ref", "ref", s.trackingRef(rem.Name()), "err", err)
	}
	return Result{Changed: changed, Commit: commit}, true, nil
}

// checkTip is checkDataBranch for the commit h (zero: no branch).
func (s *Store) checkTip(h git.Hash, where string) error {
	if h.IsZero() {
		return nil
	}
	t, err := s.treeOf(h)
	if err != nil {
		return err
	}
	return s.checkDataBranch(t, where)
}

// reconcile decides what a pushed write builds on, given the local branch
// tip and the remote's (either may be zero). It returns the tree to start
// from (a commit's tree or a merged tree), the parents of the new commit,
// and whether the histories had to be merged.
//
// When the local branch has commits the remote lacks (earlier writes
// without --push, or a push that failed), they are never dropped: if the
// remote is behind, the new commit goes on top of the local tip and the
// push publishes them too; if both moved, the two trees are merged (event
// CSVs row by row, by id; an id both recorded is kept once, or refused when
// the copies differ) and the new commit has both tips as parents.
func (s *Store) reconcile(local, remoteTip git.Hash, where string) (tree git.Hash, parents []git.Hash, merged bool, err error) {
	commitTree := func(h git.Hash) (git.Hash, error) {
		t, err := s.treeOf(h)
		if err != nil {
			return git.ZeroHash, err
		}
		return t.Hash, nil
	}
	one := func(h git.Hash) (git.Hash, []git.Hash, bool, error) {
		if h.IsZero() {
			return git.ZeroHash, nil, false, nil
		}
		t, err := commitTree(h)
		return t, []git.Hash{h}, false, err
	}
	switch {
	case remoteTip.IsZero():
		return one(local)
	case local.IsZero() || local == remoteTip:
		return one(remoteTip)
	}
	bases, err := s.repo.MergeBases(local, remoteTip)
	if err != nil {
		return git.ZeroHash, nil, false, fmt.Errorf("data branch %s: %w", s.branch, err)
	}
	switch {
	case slices.Contains(bases, local):
		return one(remoteTip)
	case slices.Contains(bases, remoteTip):
		return one(local)
	}
	baseTree := git.ZeroHash
	if len(bases) > 0 {
		if baseTree, err = commitTree(bases[0]); err != nil {
			return git.ZeroHash, nil, false, err
		}
	}
	lt, err := commitTree(local)
	if err != nil {
		return git.ZeroHash, nil, false, err
	}
	rt, err := commitTree(remoteTip)
	if err != nil {
		return git.ZeroHash, nil, false, err
	}
	// One id is stored once: events this clone added that the remote has
	// too (in any month) are dropped when identical, refused when not.
	if lt, err = s.dedupEvents(baseTree, lt, rt, where); err != nil {
		return git.ZeroHash, nil, false, err
	}
	mt, err := mergeTrees(s.repo, baseTree, lt, rt)
	if err != nil {
		return git.ZeroHash, nil, false, fmt.Errorf("the local %s has commits the remote lacks and cannot be merged with it: %w (push or reset the local branch by hand)", s.branch, err)
	}
	return mt, []git.Hash{remoteTip, local}, true, nil
}

// fastForward moves the local branch from local to tip when that loses
// nothing: the branch is still at local (or an ancestor of tip). When
// another writer on this clone has meanwhile committed something tip
// lacks, the branch is left alone and the next push merges it.
func (s *Store) fastForward(local, tip git.Hash, o WriteOptions) {
	cur := local
	for range 20 {
		if cur == tip {
			return
		}
		if !cur.IsZero() {
			ok, err := s.repo.IsAncestor(cur, tip)
			if err != nil || !ok {
				o.Log.Debug("local data branch has commits the remote lacks; leaving it for the next push", "branch", s.branch)
				return
			}
		}
		err := s.moveBranch(cur, tip)
		if errors.Is(err, ErrCheckedOut) {
			o.Log.Warn("the local data branch stays behind the remote: " + err.Error())
			return
		}
		if !errors.Is(err, git.ErrRefMoved) {
			if err != nil {
				o.Log.Warn("could not move the local data branch: " + err.Error())
			}
			return
		}
		var rerr error
		if cur, rerr = s.repo.ReadRef(s.branchRef()); rerr != nil {
			return
		}
	}
}
