package git

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// ErrRefMoved is returned by CompareAndSwapRef when the ref no longer
// holds the expected value: another writer got there first.
var ErrRefMoved = errors.New("the branch moved while this write was prepared")

// ReadRef returns the hash the ref name (such as refs/heads/main) points
// at, or ZeroHash when it does not exist. A symbolic ref is an error.
func (r *Repository) ReadRef(name string) (Hash, error) {
	ref, err := r.st.Reference(plumbing.ReferenceName(name))
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return ZeroHash, nil
	}
	if err != nil {
		return ZeroHash, fmt.Errorf("read %s: %w", name, fromGoGit(err))
	}
	if ref.Type() != plumbing.HashReference {
		return ZeroHash, fmt.Errorf("%s is a symbolic ref; gitdora writes only plain branches", name)
	}
	return Hash(ref.Hash()), nil
}

// CompareAndSwapRef moves ref name from old (ZeroHash: the ref must not
// exist) to new, or returns ErrRefMoved when it no longer holds old.
//
// It follows git's own protocol: take <ref>.lock with O_EXCL, compare,
// write the new value into the lock file and rename it over the ref. Readers
// therefore never see a half-written ref, creating a branch is checked as
// strictly as moving one, and git processes working on the same repository
// honour the same lock. (go-git's CheckAndSetReference cannot check a
// creation, and truncates the ref file in place before writing it, so an
// unlocked reader can see an empty file and take the branch as missing.)
func (r *Repository) CompareAndSwapRef(name string, old, new Hash) error {
	fs := r.st.Filesystem()
	lock := name + ".lock"
	var f io.WriteCloser
	// Another writer holds the lock only for the few microseconds of its
	// compare and rename; wait briefly rather than redo the whole write.
	for wait := time.Millisecond; ; wait *= 2 {
		lf, err := fs.OpenFile(lock, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if err == nil {
			f = lf
			break
		}
		if !errors.Is(err, os.ErrExist) {
			return fmt.Errorf("lock %s: %w", name, err)
		}
		if wait > 256*time.Millisecond {
			return fmt.Errorf("lock %s: %s exists; if no gitdora or git process is running, remove it", name, fs.Join(fs.Root(), lock))
		}
		time.Sleep(wait)
	}
	release := func() { _ = fs.Remove(lock) }
	cur, err := r.ReadRef(name)
	if err != nil {
		f.Close()
		release()
		return err
	}
	if cur != old {
		f.Close()
		release()
		return ErrRefMoved
	}
	if _, err := io.WriteString(f, new.String()+"\n"); err != nil {
		f.Close()
		release()
		return fmt.Errorf("write %s: %w", lock, err)
	}
	if err := f.Close(); err != nil {
		release()
		return fmt.Errorf("write %s: %w", lock, err)
	}
	if err := fs.Rename(lock, name); err != nil {
		release()
		return fmt.Errorf("update %s: %w", name, err)
	}
	return nil
}

// SetRef points ref name at h without comparing (for remote-tracking
// refs, which only mirror what a remote said), still replacing the file
// atomically.
func (r *Repository) SetRef(name string, h Hash) error {
	for i := 0; i < 5; i++ {
		cur, err := r.ReadRef(name)
		if err != nil {
			return err
		}
		if cur == h {
			return nil
		}
		err = r.CompareAndSwapRef(name, cur, h)
		if !errors.Is(err, ErrRefMoved) {
			return err
		}
	}
	return fmt.Errorf("update %s: it moved under every one of 5 tries: %w", name, ErrRefMoved)
}
