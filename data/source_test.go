package data

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

// A file staged from a source is stored as it reads, on a branch and in a
// plain directory, and read back (staged, then stored) as the source
// read it; a source that reads other bytes the second time fails the
// write, which leaves the data as it was.
func TestWriteSource(t *testing.T) {
	content := []byte(strings.Repeat("a large SARIF file, read as it is stored\n", 1000))
	good := Source{Size: int64(len(content)), Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(content)), nil }}
	short := Source{Size: int64(len(content)) + 1, Open: good.Open}
	reads := 0
	changing := Source{Size: int64(len(content)), Open: func() (io.ReadCloser, error) {
		reads++
		b := bytes.Clone(content)
		b[1] = 'n'
		if reads > 1 {
			b[0] = 'A'
		}
		return io.NopCloser(bytes.NewReader(b)), nil
	}}
	repo := newRepo(t)
	dir := t.TempDir()
	for _, c := range []struct{ name, repo, spec string }{{"branch", repo, ""}, {"directory", dir, dir}} {
		t.Run(c.name, func(t *testing.T) {
			s := mustOpen(t, c.repo, c.spec)
			_, err := s.Update(context.Background(), "write", WriteOptions{}, func(tx *Tx) error {
				if err := tx.WriteSource("scans/x.sarif", good); err != nil {
					return err
				}
				b, err := tx.ReadFile("scans/x.sarif")
				if err != nil || !bytes.Equal(b, content) || !tx.Exists("scans/x.sarif") {
					t.Errorf("staged: %d bytes, %v", len(b), err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			s.Refresh()
			if b, err := s.ReadFile("scans/x.sarif"); err != nil || !bytes.Equal(b, content) {
				t.Fatalf("stored: %d bytes, %v", len(b), err)
			}
			bad := map[string]Source{"short": short}
			if c.spec == "" {
				bad["changing"] = changing
			}
			for name, src := range bad {
				before := s.Commit()
				_, err = s.Update(context.Background(), "write", WriteOptions{}, func(tx *Tx) error {
					return tx.WriteSource("scans/y.sarif", src)
				})
				if err == nil || !strings.Contains(err.Error(), "changed") {
					t.Errorf("a %s source: %v", name, err)
				}
				s.Refresh()
				if _, err := s.ReadFile("scans/y.sarif"); err == nil || s.Commit() != before {
					t.Errorf("a %s source was stored", name)
				}
			}
		})
	}
}
