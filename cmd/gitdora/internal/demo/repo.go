package demo

import (
	"fmt"
	"io"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage"

	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/internal/gen"
)

// packStorer hands the objects gen.WriteStorer writes to a data.Packer
// (one pack file at the end) and everything else (references, HEAD) to
// the repository's own storage.
type packStorer struct {
	storage.Storer
	p *data.Packer
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
	return s.p.Add(o.Type(), b), nil
}

// writeRepo creates a git repository in dir (with a work tree folder but
// no checkout: the history is all gitdora reads) holding m, through
// go-git, without the git binary.
func writeRepo(dir string, m *gen.Model) error {
	r, err := git.PlainInit(dir, false)
	if err != nil {
		return fmt.Errorf("create the example repository: %w", err)
	}
	ps := &packStorer{Storer: r.Storer, p: data.NewPacker(r)}
	if err := gen.WriteStorer(ps, m); err != nil {
		return err
	}
	if err := ps.p.Flush(); err != nil {
		return fmt.Errorf("write the example repository's objects: %w", err)
	}
	return nil
}
