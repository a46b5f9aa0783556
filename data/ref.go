package data

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// errRefMoved is returned by casRef when the ref no longer holds the
// expected value: another writer got there first.
var errRefMoved = errors.New("the branch moved while this write was prepared")

// readRef returns the hash ref points at, or the zero hash when it does not exist.
func readRef(r *git.Repository, name plumbing.ReferenceName) (plumbing.Hash, error) {
	ref, err := r.Storer.Reference(name)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return plumbing.ZeroHash, nil
	}
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read %s: %w", name, err)
	}
	if ref.Type() != plumbing.HashReference {
		return plumbing.ZeroHash, fmt.Errorf("%s is a symbolic ref; gitdora writes only plain branches", name)
	}
	return ref.Hash(), nil
}

// casRef moves ref name from old (the zero hash: the ref must not exist) to
// new, or returns errRefMoved when it no longer holds old.
//
// It follows git's own protocol: take <ref>.lock with O_EXCL, compare,
// write the new value into the lock file and rename it over the ref. Readers
// therefore never see a half-written ref, creating a branch is checked as
// strictly as moving one, and git processes working on the same repository
// honour the same lock. (go-git's CheckAndSetReference cannot check a
// creation, and truncates the ref file in place before writing it, so an
// unlocked reader can see an empty file and take the branch as missing.)
func casRef(r *git.Repository, name plumbing.ReferenceName, old, new plumbing.Hash) error {
	st, ok := r.Storer.(*filesystem.Storage)
	if !ok {
		var oldRef *plumbing.Reference
		if !old.IsZero() {
			oldRef = plumbing.NewHashReference(name, old)
		}
		if err := r.Storer.CheckAndSetReference(plumbing.NewHashReference(name, new), oldRef); err != nil {
			return errRefMoved
		}
		return nil
	}
	fs := st.Filesystem()
	lock := name.String() + ".lock"
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
	cur, err := readRef(r, name)
	if err != nil {
		f.Close()
		release()
		return err
	}
	if cur != old {
		f.Close()
		release()
		return errRefMoved
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
	if err := fs.Rename(lock, name.String()); err != nil {
		release()
		return fmt.Errorf("update %s: %w", name, err)
	}
	return nil
}

// setRef points ref name at h without comparing (used for remote-tracking
// refs, which only mirror what a remote said), still replacing the file
// atomically.
func setRef(r *git.Repository, name plumbing.ReferenceName, h plumbing.Hash) error {
	for i := 0; i < 5; i++ {
		cur, err := readRef(r, name)
		if err != nil {
			return err
		}
		if cur == h {
			return nil
		}
		err = casRef(r, name, cur, h)
		if !errors.Is(err, errRefMoved) {
			return err
		}
	}
	return nil
}
