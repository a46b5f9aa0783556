package data

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/git"
)

// WriteOptions says how Update publishes.
type WriteOptions struct {
	Push    bool         // push to Remote after committing, retrying on a rejected push
	Remote  string       // default "origin"
	Retries int          // attempts bound; 0 means a sensible default
	Log     *slog.Logger // may be nil

	// When is the commit time; zero means now (or GIT_COMMITTER_DATE when
	// set), so that examples can build reproducible data branches.
	When time.Time
	// Name and Email commit, when given; otherwise GIT_COMMITTER_NAME/EMAIL,
	// the repository's user config, or "gitdora" (see signature).
	Name, Email string
}

// DefaultRetries bounds the push attempts of Update when WriteOptions.Retries is 0.
const DefaultRetries = 20

// Result says what Update did.
type Result struct {
	Changed  bool   // false when fn staged nothing new: no commit was made
	Commit   string // the new data-branch commit ("" for a plain directory or no change)
	Attempts int    // push attempts made
}

// Update runs fn over a transaction on the data-branch tip and commits what
// it staged as ONE commit with message msg (a plain-directory Store writes
// the files instead, no commit). fn may run more than once: after a
// rejected push it is re-run on the new remote tip, so it must derive its
// writes only from what tx reads. When fn stages nothing that differs from
// the tip, nothing is committed. If fn returns an error nothing is written
// and the branch ref stays where it was.
//
// Commits go to refs/heads/<branch> only, never to the work tree, the index
// or HEAD of --repo; a work tree that has the data branch itself checked
// out is brought along as git merge --ff-only would, or, when it has local
// changes in the way, nothing is written (ErrCheckedOut). The ref is moved with a compare-and-swap, so concurrent writers
// on one repository each re-run fn on the tip the other left. With Push,
// the remote's branch is fetched first and the commit is built on it; local
// commits the remote lacks (earlier writes without Push) are merged in, not
// dropped, and published with it.
func (s *Store) Update(ctx context.Context, msg string, o WriteOptions, fn func(tx *Tx) error) (Result, error) {
	if s.pinned {
		return Result{}, ErrPinned
	}
	if o.Remote == "" {
		o.Remote = "origin"
	}
	if o.Retries <= 0 {
		o.Retries = DefaultRetries
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if s.dir != "" {
		if o.Push {
			return Result{}, &fact.InputError{Input: "push", Err: fmt.Errorf("%s is a plain directory, not a git branch; there is nothing to push", s.dir)}
		}
		return s.updateDir(fn)
	}
	if err := git.CheckBranchName(s.branch); err != nil {
		return Result{}, fmt.Errorf("data branch: %w", err)
	}
	if err := git.CheckRemoteName(o.Remote); err != nil {
		return Result{}, &fact.InputError{Input: "remote", Err: err}
	}
	var res Result
	var err error
	if o.Push {
		res, err = s.updatePush(ctx, msg, o, fn)
	} else {
		res, err = s.updateLocal(ctx, msg, o, fn)
	}
	if rerr := s.Refresh(); err == nil && rerr != nil {
		err = rerr
	}
	return res, err
}

// branchRef is the full name of the data branch.
func (s *Store) branchRef() string { return "refs/heads/" + s.branch }

// trackingRef is the remote-tracking ref of the data branch for remote.
func (s *Store) trackingRef(remote string) string {
	return "refs/remotes/" + remote + "/" + s.branch
}

// localTries bounds how often a write without push is redone because
// another process on the same repository moved the branch first.
const localTries = 100

// updateLocal commits on the local branch: on the local tip, or, when the
// branch does not exist locally yet, on its remote-tracking ref (a fresh
// clone), so that the history the remote has is continued.
func (s *Store) updateLocal(ctx context.Context, msg string, o WriteOptions, fn func(*Tx) error) (Result, error) {
	for try := 1; ; try++ {
		local, err := s.repo.ReadRef(s.branchRef())
		if err != nil {
			return Result{}, err
		}
		base := local
		if base.IsZero() {
			if base, err = s.repo.ReadRef(s.trackingRef(o.Remote)); err != nil {
				return Result{}, err
			}
		}
		var parents []git.Hash
		if !base.IsZero() {
			parents = []git.Hash{base}
		}
		tx, err := s.txAt(base)
		if err != nil {
			return Result{}, err
		}
		where := "branch " + s.branch
		if base != local {
			where = "remote-tracking branch " + git.ShortName(s.trackingRef(o.Remote))
		}
		if err := s.checkDataBranch(tx.tree, where); err != nil {
			return Result{}, err
		}
		if err := fn(tx); err != nil {
			return Result{}, err
		}
		tree, changed, err := tx.build()
		if err != nil {
			return Result{}, err
		}
		if !changed {
			return Result{}, nil
		}
		c, err := s.writeCommit(tree, parents, msg, o)
		if err != nil {
			return Result{}, err
		}
		err = s.moveBranch(local, c)
		if err == nil {
			return Result{Changed: true, Commit: c.String()}, nil
		}
		if errors.Is(err, ErrCheckedOut) {
			return Result{}, err
		}
		if !errors.Is(err, git.ErrRefMoved) || try >= localTries {
			return Result{}, fmt.Errorf("update %s: %w (tried %d times)", s.branchRef(), err, try)
		}
		o.Log.Debug("data branch moved meanwhile; writing again on its new tip", "branch", s.branch, "try", try)
		if err := sleep(ctx, time.Duration(rand.Int64N(int64(time.Duration(min(try, 20))*time.Millisecond)))); err != nil {
			return Result{}, err
		}
	}
}

// dataTopLevel are the names a data branch holds at its root (docs/data-branch.md).
var dataTopLevel = []string{ConfigFile, "events", ScansDir, CIDir, "reports"}

// checkDataBranch refuses to write onto an existing branch that is not a
// data branch, such as the code branch (--data main): a data branch has
// gitdora.yml at its tip, or (made by hand or by an older gitdora) nothing
// but the folders of the data layout (an empty tree is not one). t is the tip's tree (nil: the branch
// does not exist yet); where names the tip for the message.
func (s *Store) checkDataBranch(t *git.Tree, where string) error {
	if t == nil {
		return nil
	}
	if e, err := t.FindEntry(ConfigFile); err == nil && e.Mode.IsFile() {
		return nil
	}
	if len(t.Entries) > 0 && !slices.ContainsFunc(t.Entries, func(e git.TreeEntry) bool { return !slices.Contains(dataTopLevel, e.Name) }) {
		return nil
	}
	return &notDataError{where: where}
}

// notDataError is a write refused because the branch written is not a
// data branch: where names its tip.
type notDataError struct{ where string }

func (e *notDataError) Error() string { return e.Word(nil) }

// Word says why, and to a caller who names the inputs, what to do.
func (e *notDataError) Word(n fact.Naming) string {
	msg := fmt.Sprintf("%s has no %s at its tip, so it is not a data branch (a code branch?); gitdora writes only to a data branch", e.where, ConfigFile)
	if n == nil {
		return msg
	}
	return msg + ": name another with " + n.Of("data") + ", or create one with gitdora init"
}

// txAt opens a transaction on the tree of commit c (none when c is zero).
func (s *Store) txAt(c git.Hash) (*Tx, error) {
	if c.IsZero() {
		return newTreeTx(s, nil), nil
	}
	t, err := s.treeOf(c)
	if err != nil {
		return nil, err
	}
	return newTreeTx(s, t), nil
}

func (s *Store) treeOf(c git.Hash) (*git.Tree, error) {
	commit, err := s.repo.CommitObject(c)
	if err != nil {
		return nil, fmt.Errorf("data branch %s: commit %s: %w", s.branch, c, err)
	}
	t, err := s.repo.TreeObject(commit.Tree)
	if err != nil {
		return nil, fmt.Errorf("data branch %s: tree of %s: %w", s.branch, c, err)
	}
	return t, nil
}

// maxSubject bounds a commit message, in bytes.
const maxSubject = 1000

// writeCommit stores a commit of tree with parents and message msg, made
// one line (see OneLine).
func (s *Store) writeCommit(tree git.Hash, parents []git.Hash, msg string, o WriteOptions) (git.Hash, error) {
	sig, err := s.signature(o)
	if err != nil {
		return git.ZeroHash, err
	}
	// One line, whatever the flags and files it quotes hold: no text can
	// add a line (a trailer, a workflow command) to the message.
	msg = OneLine(strings.TrimSuffix(msg, "\n"), maxSubject) + "\n"
	return s.repo.WriteCommit(&git.Commit{Author: sig, Committer: sig, Message: msg, Tree: tree, Parents: parents})
}

// signature is who commits and when: o.Name/o.Email, else
// GIT_COMMITTER_NAME/EMAIL (else GIT_AUTHOR_*), else user.name/email of the
// repository's git configuration, else gitdora; at o.When, else
// GIT_COMMITTER_DATE, else now.
func (s *Store) signature(o WriteOptions) (git.Signature, error) {
	name, email, when := o.Name, o.Email, o.When
	if name == "" {
		name = os.Getenv("GIT_COMMITTER_NAME")
	}
	if email == "" {
		email = os.Getenv("GIT_COMMITTER_EMAIL")
	}
	if name == "" {
		name = os.Getenv("GIT_AUTHOR_NAME")
	}
	if email == "" {
		email = os.Getenv("GIT_AUTHOR_EMAIL")
	}
	if name == "" || email == "" {
		n, e := s.repo.Identity()
		if name == "" {
			name = n
		}
		if email == "" {
			email = e
		}
	}
	// Nothing from the environment may end the header line it goes in.
	name, email = identity(name), identity(email)
	if name == "" {
		name = "gitdora"
	}
	if email == "" {
		email = "gitdora@localhost"
	}
	if when.IsZero() {
		if v := os.Getenv("GIT_COMMITTER_DATE"); v != "" {
			t, err := parseGitDate(v)
			if err != nil {
				return git.Signature{}, fmt.Errorf("GIT_COMMITTER_DATE: %w", err)
			}
			when = t
		} else {
			when = time.Now()
		}
	}
	return git.Signature{Name: name, Email: email, When: when.Truncate(time.Second)}, nil
}

// identity is a committer's name or email fit for its header line, as git
// makes it: without control characters (a line break would start a header
// of its own) and without < and >, trimmed.
func identity(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '<' || r == '>' {
			return -1
		}
		return r
	}, s))
}

// parseGitDate reads the date forms scripts give git: RFC 3339, or
// "<unix seconds> <+hhmm>" (optionally with a leading @).
func parseGitDate(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	secs, zone, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(v), "@"), " ")
	n, err := strconv.ParseInt(secs, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: want RFC 3339 or \"<unix seconds> +hhmm\"", v)
	}
	t := time.Unix(n, 0).UTC()
	if zone != "" {
		z, err := time.Parse("-0700", zone)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q: want RFC 3339 or \"<unix seconds> +hhmm\"", v)
		}
		t = t.In(z.Location())
	}
	return t, nil
}

// updateDir runs fn on a plain directory and writes what it staged as one
// batch (see writeBatch: all of it or nothing), under a lock on the
// directory so that concurrent writers do not lose each other's appends.
// A batch a killed writer left is completed, or dropped, first.
func (s *Store) updateDir(fn func(*Tx) error) (Result, error) {
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return Result{}, err
	}
	unlock, err := lockDir(s.dir)
	if err != nil {
		return Result{}, err
	}
	defer unlock()
	if err := recoverDir(s.dir); err != nil {
		return Result{}, err
	}
	tx := newDirTx(s)
	if err := fn(tx); err != nil {
		return Result{}, err
	}
	writes := map[string][]byte{}
	for p, b := range tx.staged {
		if src, ok := tx.sources[p]; ok {
			if same, err := sameInDir(s.dir, p, src); err != nil {
				return Result{}, err
			} else if !same {
				writes[p] = nil
			}
			continue
		}
		old, err := tx.readBase(p)
		if err == nil && string(old) == string(b) {
			continue
		}
		writes[p] = b
	}
	if len(writes) == 0 {
		return Result{}, nil
	}
	if err := writeBatch(s.dir, writes, tx.sources); err != nil {
		return Result{}, err
	}
	s.pend = nil
	return Result{Changed: true}, nil
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
