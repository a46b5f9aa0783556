package demo

import (
	"fmt"
	"io"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage"

	"github.com/gitdora/gitdora/internal/gen"
	gitlayer "github.com/gitdora/gitdora/internal/git"
)

// packStorer hands the objects gen.WriteStorer writes to a batch of
// internal/git (one pack file at the end) and everything else
// (references, HEAD) to the repository's own storage.
type packStorer struct {
	storage.Storer
	p *gitlayer.Batch
}

func (s *packStorer) NewEncodedObject() plumbing.EncodedObject { return &plumbing.MemoryObject{} }

func (s *packStorer) SetEncodedObject(o plumbing.EncodedObject) (plumbing.Hash, error) {
	r, err := o.Reader()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	b, err := io.ReadAll(r)
	r.Close()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return plumbing.Hash(s.p.AddNew(gitlayer.ObjectType(o.Type()), b)), nil
}

// writeRepo creates a git repository in dir (with a work tree folder but
// no checkout: the history is all gitdora reads) holding m, through
// go-git, without the git binary.
func writeRepo(dir string, m *gen.Model) error {
	r, err := git.PlainInit(dir, false)
	if err != nil {
		return fmt.Errorf("create the example repository: %w", err)
	}
	repo, err := gitlayer.OpenDir(dir)
	if err != nil {
		return fmt.Errorf("create the example repository: %w", err)
	}
	defer repo.Close()
	ps := &packStorer{Storer: r.Storer, p: repo.NewBatch()}
	if err := gen.WriteStorer(ps, m); err != nil {
		return err
	}
	if err := ps.p.Flush(); err != nil {
		return fmt.Errorf("write the example repository's objects: %w", err)
	}
	return nil
}
