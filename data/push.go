package data

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/capability"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/sideband"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// errRejected is a push the remote refused because its branch is no longer
// where this write started from: another writer got there first.
var errRejected = errors.New("rejected: the remote branch moved")

// errNotSent is a fetch after which the fetched commit is not found.
var errNotSent = errors.New("the remote did not send commit")

// remote is where Update pushes: one remote of the Store's repository.
type remote struct {
	name    string
	ep      *transport.Endpoint
	cl      transport.Transport
	auth    transport.AuthMethod
	secrets []string
	warn    string // said once before the first request, when not empty
}

func (s *Store) remote(name string) (*remote, error) {
	rc, err := s.repo.Remote(name)
	if err != nil {
		return nil, fmt.Errorf("--remote %s: not a remote of %s (add it with: git remote add %s URL)", name, s.repoPath, name)
	}
	urls := rc.Config().URLs
	if len(urls) == 0 {
		return nil, fmt.Errorf("--remote %s: has no URL", name)
	}
	ep, err := transport.NewEndpoint(s.localURL(urls[0]))
	if err != nil {
		return nil, fmt.Errorf("--remote %s: %w", name, err)
	}
	auth, secrets, warn, err := authFor(ep)
	if err != nil {
		return nil, redactErr(fmt.Errorf("--remote %s: %w", name, err), secrets)
	}
	var cl transport.Transport
	if ep.Protocol == "http" || ep.Protocol == "https" {
		cl = newHTTPClient(auth != nil || ep.Password != "")
	} else if cl, err = client.NewClient(ep); err != nil {
		return nil, redactErr(fmt.Errorf("--remote %s: %w", name, err), secrets)
	}
	return &remote{name: name, ep: ep, cl: cl, auth: auth, secrets: secrets, warn: warn}, nil
}

// localURL resolves a relative local path among remote URLs as git does:
// against the top of the work tree (the git folder of a bare repository),
// not the current directory.
func (s *Store) localURL(u string) string {
	if strings.Contains(u, "://") || filepath.IsAbs(u) {
		return u
	}
	if i := strings.IndexByte(u, ':'); i >= 0 && !strings.Contains(u[:i], "/") {
		return u // scp-like: host:path
	}
	if wt, err := s.repo.Worktree(); err == nil {
		return filepath.Join(wt.Filesystem.Root(), u)
	}
	if st, ok := s.repo.Storer.(*filesystem.Storage); ok {
		return filepath.Join(st.Filesystem().Root(), u)
	}
	return u
}

// updatePush is Update with Push: fetch the remote's branch, build the
// commit on it (merging in local commits it lacks), push with the remote's
// tip as the expected old value, and on a rejection start again.
func (s *Store) updatePush(ctx context.Context, msg string, o WriteOptions, fn func(*Tx) error) (Result, error) {
	rem, err := s.remote(o.Remote)
	if err != nil {
		return Result{}, err
	}
	where := fmt.Sprintf("%s (%s)", rem.name, safeURL(rem.ep))
	if rem.warn != "" {
		o.Log.Warn(rem.warn)
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
		if errors.Is(err, errRejected) {
			o.Log.Info("push rejected, another writer got there first; trying again on the new tip", "remote", rem.name, "attempt", attempt, "reason", err.Error())
		} else {
			o.Log.Info("push failed on the way; trying again", "remote", rem.name, "attempt", attempt, "reason", err.Error())
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
	// errNotSent and a missing object: writers sharing this clone store
	// fetched packs at the same time, and one may read another's half-written
	// pack index.
	return errors.Is(err, errRejected) || errors.Is(err, errNotSent) || errors.Is(err, plumbing.ErrObjectNotFound) || transient(err)
}

// transient reports whether err is a network failure that may not happen
// again: a timeout, a dropped or refused connection, a server error.
func transient(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return !dns.IsNotFound
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var re *redactedError // a transport error: the remote hung up
	if errors.As(err, &re) && errors.Is(err, io.EOF) {
		return true
	}
	var ue *plumbing.UnexpectedError
	var he *githttp.Err
	if errors.As(err, &ue) && errors.As(ue.Err, &he) {
		code := he.StatusCode()
		return code >= 500 || code == http.StatusTooManyRequests || code == http.StatusRequestTimeout
	}
	return false
}

// rejectedStatus reports whether a status the remote gave for the branch
// update means its branch was no longer where the push expected, as git
// (several versions), go-git's server and hosting services word it.
func rejectedStatus(status string) bool {
	status = strings.ToLower(status)
	for _, s := range []string{"non-fast-forward", "fetch first", "stale info", "failed to lock", "cannot lock",
		"failed to update ref", "reference already exists", "incorrect old value", "reference has changed"} {
		if strings.Contains(status, s) {
			return true
		}
	}
	return false
}

// pushOnce is one attempt of updatePush.
func (s *Store) pushOnce(ctx context.Context, msg string, o WriteOptions, fn func(*Tx) error, rem *remote) (res Result, pushed bool, err error) {
	// The local branch is checked first: --data main must not fetch the
	// history of the remote's code branch before being refused.
	local, err := readRef(s.repo, s.branchRef())
	if err != nil {
		return Result{}, false, err
	}
	if err := s.checkTip(local, "branch "+s.branch); err != nil {
		return Result{}, false, err
	}
	remoteTip, err := s.fetch(ctx, rem, o)
	if err != nil {
		return Result{}, false, err
	}
	if err := s.checkTip(remoteTip, fmt.Sprintf("branch %s of %s", s.branch, rem.name)); err != nil {
		return Result{}, false, err
	}
	base, parents, merged, err := s.reconcile(local, remoteTip, rem.name+"/"+s.branch)
	if err != nil {
		return Result{}, false, err
	}
	tx := newTreeTx(s, s.st, nil)
	if !base.IsZero() {
		if tx.tree, err = object.GetTree(s.st, base); err != nil {
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
	var tip plumbing.Hash
	commit := ""
	switch {
	case changed || merged:
		m := msg
		if !changed {
			m = fmt.Sprintf("Merge %s of this clone into %s/%s", s.branch, rem.name, s.branch)
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
	if err := s.push(ctx, rem, remoteTip, tip); err != nil {
		return Result{}, true, err
	}
	s.fastForward(local, tip, o)
	if err := setRef(s.repo, s.trackingRef(rem.name), tip); err != nil {
		o.Log.Debug("could not update the remote-tracking ref", "ref", s.trackingRef(rem.name), "err", err)
	}
	return Result{Changed: changed, Commit: commit}, true, nil
}

// checkTip is checkDataBranch for the commit h (zero: no branch).
func (s *Store) checkTip(h plumbing.Hash, where string) error {
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
func (s *Store) reconcile(local, remoteTip plumbing.Hash, where string) (tree plumbing.Hash, parents []plumbing.Hash, merged bool, err error) {
	commitTree := func(h plumbing.Hash) (plumbing.Hash, error) {
		t, err := s.treeOf(h)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		return t.Hash, nil
	}
	one := func(h plumbing.Hash) (plumbing.Hash, []plumbing.Hash, bool, error) {
		if h.IsZero() {
			return plumbing.ZeroHash, nil, false, nil
		}
		t, err := commitTree(h)
		return t, []plumbing.Hash{h}, false, err
	}
	switch {
	case remoteTip.IsZero():
		return one(local)
	case local.IsZero() || local == remoteTip:
		return one(remoteTip)
	}
	bases, err := mergeBases(s.st, local, remoteTip)
	if err != nil {
		return plumbing.ZeroHash, nil, false, fmt.Errorf("data branch %s: %w", s.branch, err)
	}
	switch {
	case slices.Contains(bases, local):
		return one(remoteTip)
	case slices.Contains(bases, remoteTip):
		return one(local)
	}
	baseTree := plumbing.ZeroHash
	if len(bases) > 0 {
		if baseTree, err = commitTree(bases[0]); err != nil {
			return plumbing.ZeroHash, nil, false, err
		}
	}
	lt, err := commitTree(local)
	if err != nil {
		return plumbing.ZeroHash, nil, false, err
	}
	rt, err := commitTree(remoteTip)
	if err != nil {
		return plumbing.ZeroHash, nil, false, err
	}
	// One id is stored once: events this clone added that the remote has
	// too (in any month) are dropped when identical, refused when not.
	if lt, err = s.dedupEvents(baseTree, lt, rt, where); err != nil {
		return plumbing.ZeroHash, nil, false, err
	}
	mt, err := mergeTrees(s.st, baseTree, lt, rt)
	if err != nil {
		return plumbing.ZeroHash, nil, false, fmt.Errorf("the local %s has commits the remote lacks and cannot be merged with it: %w (push or reset the local branch by hand)", s.branch, err)
	}
	return mt, []plumbing.Hash{remoteTip, local}, true, nil
}

// fastForward moves the local branch from local to tip when that loses
// nothing: the branch is still at local (or an ancestor of tip). When
// another writer on this clone has meanwhile committed something tip
// lacks, the branch is left alone and the next push merges it.
func (s *Store) fastForward(local, tip plumbing.Hash, o WriteOptions) {
	cur := local
	for range 20 {
		if cur == tip {
			return
		}
		if !cur.IsZero() {
			ok, err := isAncestor(s.st, cur, tip)
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
		if !errors.Is(err, errRefMoved) {
			if err != nil {
				o.Log.Warn("could not move the local data branch: " + err.Error())
			}
			return
		}
		var rerr error
		if cur, rerr = readRef(s.repo, s.branchRef()); rerr != nil {
			return
		}
	}
}

// fetch asks the remote where its data branch is and, when this repository
// lacks that commit, fetches it. It returns the remote's tip (zero when the
// remote has no data branch yet).
func (s *Store) fetch(ctx context.Context, rem *remote, o WriteOptions) (plumbing.Hash, error) {
	sess, err := rem.cl.NewUploadPackSession(rem.ep, rem.auth)
	if err != nil {
		return plumbing.ZeroHash, rem.wrap("fetch", err)
	}
	defer sess.Close()
	ar, err := sess.AdvertisedReferencesContext(ctx)
	if errors.Is(err, transport.ErrEmptyRemoteRepository) {
		return plumbing.ZeroHash, nil
	}
	if err != nil {
		return plumbing.ZeroHash, rem.wrap("fetch", err)
	}
	tip, ok := ar.References[s.branchRef().String()]
	if !ok {
		return plumbing.ZeroHash, nil
	}
	if s.hasCommit(tip) {
		return tip, nil
	}
	req := packp.NewUploadPackRequestFromCapabilities(ar.Capabilities)
	req.Wants = []plumbing.Hash{tip}
	for _, name := range []plumbing.ReferenceName{s.branchRef(), s.trackingRef(rem.name)} {
		if h, err := readRef(s.repo, name); err == nil && !h.IsZero() && s.hasCommit(h) && !slices.Contains(req.Haves, h) {
			req.Haves = append(req.Haves, h)
		}
	}
	resp, err := sess.UploadPack(ctx, req)
	if err != nil {
		return plumbing.ZeroHash, rem.wrap("fetch", err)
	}
	defer resp.Close()
	var r io.Reader = resp
	switch {
	case req.Capabilities.Supports(capability.Sideband64k):
		r = sideband.NewDemuxer(sideband.Sideband64k, resp)
	case req.Capabilities.Supports(capability.Sideband):
		r = sideband.NewDemuxer(sideband.Sideband, resp)
	}
	if err := packfile.UpdateObjectStorage(s.repo.Storer, r); err != nil {
		return plumbing.ZeroHash, rem.wrap("fetch", err)
	}
	if !s.hasCommit(tip) {
		return plumbing.ZeroHash, fmt.Errorf("fetch %s from %s: %w %s", s.branch, rem.name, errNotSent, tip)
	}
	if err := setRef(s.repo, s.trackingRef(rem.name), tip); err != nil {
		o.Log.Debug("could not update the remote-tracking ref", "ref", s.trackingRef(rem.name), "err", err)
	}
	o.Log.Debug("fetched data branch", "remote", rem.name, "tip", tip.String())
	return tip, nil
}

// hasCommit reports whether the repository holds commit h (Objects looks
// for new pack files on a miss: another process may have fetched them).
func (s *Store) hasCommit(h plumbing.Hash) bool {
	return s.st.HasEncodedObject(h) == nil
}

// push asks the remote to move its data branch from old (zero: create it)
// to tip, sending the objects it lacks. The remote applies the update only
// if its branch is still at old, under its own lock.
func (s *Store) push(ctx context.Context, rem *remote, old, tip plumbing.Hash) error {
	sess, err := rem.cl.NewReceivePackSession(rem.ep, rem.auth)
	if err != nil {
		return rem.wrap("push", err)
	}
	defer sess.Close()
	ar, err := sess.AdvertisedReferencesContext(ctx)
	if err != nil {
		return rem.wrap("push", err)
	}
	if cur := ar.References[s.branchRef().String()]; cur != old {
		return errRejected
	}
	hashes, err := objectsToSend(s.st, tip, old)
	if err != nil {
		return fmt.Errorf("push %s: list objects: %w", s.branch, err)
	}
	req := packp.NewReferenceUpdateRequestFromCapabilities(ar.Capabilities)
	req.Commands = []*packp.Command{{Name: s.branchRef(), Old: old, New: tip}}
	rd, wr := io.Pipe()
	req.Packfile = rd
	done := make(chan error, 1)
	go func() {
		_, err := packfile.NewEncoder(wr, s.st, !ar.Capabilities.Supports(capability.OFSDelta)).Encode(hashes, 10)
		done <- wr.CloseWithError(err)
	}()
	rs, err := sess.ReceivePack(ctx, req)
	if rs != nil && rs.Error() != nil {
		// The remote read the request and refused the update (go-git returns
		// the report and its error both).
		rd.Close()
		<-done
		msg := redact(rs.Error().Error(), rem.secrets)
		if rejectedStatus(msg) {
			// Its branch moved under its lock: another writer got there first.
			return fmt.Errorf("%w (%s)", errRejected, msg)
		}
		// Anything else (a hook declining, a protected branch) is final.
		return fmt.Errorf("push %s to %s (%s): the remote refused the update: %s", s.branch, rem.name, safeURL(rem.ep), msg)
	}
	if err != nil {
		rd.Close()
		<-done
		return rem.wrap("push", err)
	}
	if err := <-done; err != nil {
		return fmt.Errorf("push %s: pack objects: %w", s.branch, err)
	}
	return nil
}

// wrap names the operation and the remote, and hides secrets.
func (rem *remote) wrap(op string, err error) error {
	return &redactedError{err: fmt.Errorf("%s %s (%s): %w", op, rem.name, safeURL(rem.ep), err), secrets: rem.secrets}
}
