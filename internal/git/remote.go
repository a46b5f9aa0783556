package git

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/capability"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/sideband"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

// ErrRejected is a push the remote refused because its branch is no longer
// where the push expected it: another writer got there first.
var ErrRejected = errors.New("rejected: the remote branch moved")

// ErrNotSent is a fetch after which the fetched commit is not found.
var ErrNotSent = errors.New("the remote did not send commit")

// Remote is a remote of a repository, with how to reach it: its transport
// and the credentials gitdora sends it (see authFor).
type Remote struct {
	name    string
	ep      *transport.Endpoint
	cl      transport.Transport
	auth    transport.AuthMethod
	secrets []string
	warn    string // said once before the first request, when not empty
}

// Name is the remote's name, such as origin.
func (rem *Remote) Name() string { return rem.name }

// URL is the remote's URL for messages, without user info.
func (rem *Remote) URL() string { return safeURL(rem.ep) }

// Warning is what to tell the user once before the first request to the
// remote ("" when nothing): a token set but not sent over plain http://.
func (rem *Remote) Warning() string { return rem.warn }

// Remote returns the remote name of the repository (as git remote add
// names it). Its errors say what is wrong with the remote; the caller says
// which remote, and where it was named.
func (r *Repository) Remote(name string) (*Remote, error) {
	rc, err := r.gg.Remote(name)
	if err != nil {
		return nil, fmt.Errorf("not a remote of %s (add it with: git remote add %s URL)", r.path, name)
	}
	urls := rc.Config().URLs
	if len(urls) == 0 {
		return nil, errors.New("has no URL")
	}
	ep, err := transport.NewEndpoint(r.localURL(urls[0]))
	if err != nil {
		return nil, err
	}
	auth, secrets, warn, err := authFor(ep)
	if err != nil {
		return nil, redactErr(err, secrets)
	}
	var cl transport.Transport
	if ep.Protocol == "http" || ep.Protocol == "https" {
		cl = newHTTPClient(auth != nil || ep.Password != "")
	} else if cl, err = client.NewClient(ep); err != nil {
		return nil, redactErr(err, secrets)
	}
	return &Remote{name: name, ep: ep, cl: cl, auth: auth, secrets: secrets, warn: warn}, nil
}

// localURL resolves a relative local path among remote URLs as git does:
// against the top of the work tree (the git folder of a bare repository),
// not the current directory.
func (r *Repository) localURL(u string) string {
	if strings.Contains(u, "://") || filepath.IsAbs(u) {
		return u
	}
	if i := strings.IndexByte(u, ':'); i >= 0 && !strings.Contains(u[:i], "/") {
		return u // scp-like: host:path
	}
	if wt, err := r.gg.Worktree(); err == nil {
		return filepath.Join(wt.Filesystem.Root(), u)
	}
	return filepath.Join(r.st.Filesystem().Root(), u)
}

// Transient reports whether err is a network failure that may not happen
// again: a timeout, a dropped or refused connection, a server error.
func Transient(err error) bool {
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

// FetchBranch asks the remote where its branch (a short name) is and, when
// this repository lacks that commit, fetches it and points the
// remote-tracking ref (refs/remotes/<remote>/<branch>) at it. It returns
// the remote's tip (zero when the remote has no such branch yet).
func (r *Repository) FetchBranch(ctx context.Context, rem *Remote, branch string, log *slog.Logger) (Hash, error) {
	tip, err := r.fetch(ctx, rem, branch, log)
	return Hash(tip), err
}

func (r *Repository) fetch(ctx context.Context, rem *Remote, branch string, log *slog.Logger) (plumbing.Hash, error) {
	branchRef, trackingRef := plumbing.NewBranchReferenceName(branch), plumbing.NewRemoteReferenceName(rem.name, branch)
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
	tip, ok := ar.References[branchRef.String()]
	if !ok {
		return plumbing.ZeroHash, nil
	}
	if r.hasCommit(tip) {
		return tip, nil
	}
	req := packp.NewUploadPackRequestFromCapabilities(ar.Capabilities)
	req.Wants = []plumbing.Hash{tip}
	for _, name := range []plumbing.ReferenceName{branchRef, trackingRef} {
		if h, err := r.ReadRef(name.String()); err == nil && !h.IsZero() && r.hasCommit(plumbing.Hash(h)) && !slices.Contains(req.Haves, plumbing.Hash(h)) {
			req.Haves = append(req.Haves, plumbing.Hash(h))
		}
	}
	resp, err := sess.UploadPack(ctx, req)
	if errors.Is(err, transport.ErrEmptyUploadPackRequest) {
		// What is wanted is among what is had: a writer sharing this
		// clone fetched the tip since it was looked for. Had, it is
		// the tip; else the next attempt fetches it.
		if r.hasCommit(tip) {
			return tip, nil
		}
		return plumbing.ZeroHash, fmt.Errorf("fetch %s from %s: %w %s", branch, rem.name, ErrNotSent, tip)
	}
	if err != nil {
		return plumbing.ZeroHash, rem.wrap("fetch", err)
	}
	defer resp.Close()
	var rd io.Reader = resp
	switch {
	case req.Capabilities.Supports(capability.Sideband64k):
		rd = sideband.NewDemuxer(sideband.Sideband64k, resp)
	case req.Capabilities.Supports(capability.Sideband):
		rd = sideband.NewDemuxer(sideband.Sideband, resp)
	}
	if err := packfile.UpdateObjectStorage(r.st, rd); err != nil {
		return plumbing.ZeroHash, rem.wrap("fetch", err)
	}
	if !r.hasCommit(tip) {
		return plumbing.ZeroHash, fmt.Errorf("fetch %s from %s: %w %s", branch, rem.name, ErrNotSent, tip)
	}
	if err := r.SetRef(trackingRef.String(), Hash(tip)); err != nil {
		log.Debug("could not update the remote-tracking ref", "ref", trackingRef, "err", err)
	}
	log.Debug("fetched data branch", "remote", rem.name, "tip", tip.String())
	return tip, nil
}

// hasCommit reports whether the repository holds commit h (the odb looks
// for new pack files on a miss: another process may have fetched them).
func (r *Repository) hasCommit(h plumbing.Hash) bool {
	return r.objs.HasEncodedObject(h) == nil
}

// PushBranch asks the remote to move its branch (a short name) from old
// (zero: create it) to tip, sending the objects it lacks. The remote
// applies the update only if its branch is still at old, under its own
// lock: ErrRejected when it was not.
func (r *Repository) PushBranch(ctx context.Context, rem *Remote, branch string, old, tip Hash) error {
	return r.push(ctx, rem, branch, plumbing.Hash(old), plumbing.Hash(tip))
}

func (r *Repository) push(ctx context.Context, rem *Remote, branch string, old, tip plumbing.Hash) error {
	branchRef := plumbing.NewBranchReferenceName(branch)
	sess, err := rem.cl.NewReceivePackSession(rem.ep, rem.auth)
	if err != nil {
		return rem.wrap("push", err)
	}
	defer sess.Close()
	ar, err := sess.AdvertisedReferencesContext(ctx)
	if err != nil {
		return rem.wrap("push", err)
	}
	if cur := ar.References[branchRef.String()]; cur != old {
		return ErrRejected
	}
	hashes, err := objectsToSend(r.objs, tip, old)
	if err != nil {
		return fmt.Errorf("push %s: list objects: %w", branch, fromGoGit(err))
	}
	req := packp.NewReferenceUpdateRequestFromCapabilities(ar.Capabilities)
	req.Commands = []*packp.Command{{Name: branchRef, Old: old, New: tip}}
	rd, wr := io.Pipe()
	req.Packfile = rd
	done := make(chan error, 1)
	go func() {
		_, err := packfile.NewEncoder(wr, r.objs, !ar.Capabilities.Supports(capability.OFSDelta)).Encode(hashes, 10)
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
			return fmt.Errorf("%w (%s)", ErrRejected, msg)
		}
		// Anything else (a hook declining, a protected branch) is final.
		return fmt.Errorf("push %s to %s (%s): the remote refused the update: %s", branch, rem.name, safeURL(rem.ep), msg)
	}
	if err != nil {
		rd.Close()
		<-done
		return rem.wrap("push", err)
	}
	if err := <-done; err != nil {
		return fmt.Errorf("push %s: pack objects: %w", branch, fromGoGit(err))
	}
	return nil
}

// wrap names the operation and the remote, and hides secrets.
func (rem *Remote) wrap(op string, err error) error {
	return &redactedError{err: fmt.Errorf("%s %s (%s): %w", op, rem.name, safeURL(rem.ep), fromGoGit(err)), secrets: rem.secrets}
}
