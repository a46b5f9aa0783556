package git

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/gitdora/gitdora/internal/gen"
	"github.com/gitdora/gitdora/internal/par"
)

// The benchmarks below compare the odb with go-git on the same work, on
// the same repositories (kept under the system's temporary folder between
// runs: the first run builds them, which takes about 20 s; with
// -benchtime=1x the whole set then runs in a few seconds):
//
//	go test -run XXX -bench ObjectRead -benchmem ./internal/git/
//
// Figures, median of 3 (2 cores shared with other work, load 3 to 7;
// Go 1.26, go-git 5.19), time and bytes allocated per operation:
//
//	open, then read one object of a pack of 900,000
//	  odb         0.06 ms     0.07 MB     go-git    157 ms     92 MB
//	read the 20,000 commits of a generated history (git fast-import's
//	pack, deltas included), newest first, on a repository just opened
//	  odb          108 ms     0.16 MB     go-git   1075 ms    185 MB
//	read a 64 MiB blob to its end, on a repository just opened
//	  packed: odb  582 ms     0.27 MB     go-git    771 ms    335 MB
//	  loose:  odb  466 ms     0.31 MB     go-git   1921 ms    394 MB
//
// So the odb stays for every read: go-git loads every pack index whole
// before the first object (the cost of opening grows with the repository,
// not with what a command reads), reads commits ten times slower, and
// holds a blob whole in memory, several times over (a SARIF file can be
// hundreds of megabytes). go-git decodes what the odb reads (trees,
// commits, tags), reads refs and configuration, and speaks the protocol.

// benchDir returns a folder made by build, kept under the system's
// temporary folder between runs (built into a temporary name and renamed,
// so that an interrupted build is not taken for a finished one).
func benchDir(b *testing.B, name string, build func(dir string) error) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "gitdora-bench-"+name)
	if _, err := os.Stat(dir); err == nil {
		return dir
	}
	tmp := dir + ".tmp"
	os.RemoveAll(tmp)
	if err := build(tmp); err != nil {
		os.RemoveAll(tmp)
		b.Fatal(err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		b.Fatal(err)
	}
	return dir
}

// initBare creates an empty bare repository in dir and returns its object
// database.
func initBare(dir string) (*odb, error) {
	if _, err := gogit.PlainInit(dir, true); err != nil {
		return nil, err
	}
	return openODB(filepath.Join(dir, "objects")), nil
}

// bigPack is a bare repository with one pack of n small blobs, and the
// name of one in the middle of the index.
func bigPack(b *testing.B, n int) (string, Hash) {
	dir := benchDir(b, fmt.Sprintf("pack-%d", n), func(dir string) error {
		db, err := initBare(dir)
		if err != nil {
			return err
		}
		objs := make([]encoded, n)
		for i := range objs {
			data := fmt.Appendf(nil, "object %d of a large repository: %x\n", i, i*7919)
			objs[i] = encoded{BlobObject, data, HashObject(BlobObject, data)}
		}
		return db.WritePack(objs)
	})
	data := fmt.Appendf(nil, "object %d of a large repository: %x\n", n/2, n/2*7919)
	return dir, HashObject(BlobObject, data)
}

// goGitRead opens the repository at dir with go-git and reads objects
// through its storage, as a command would.
type goGitRead struct {
	st *filesystem.Storage
}

func openGoGit(b *testing.B, dir string) goGitRead {
	r, err := gogit.PlainOpen(dir)
	if err != nil {
		b.Fatal(err)
	}
	return goGitRead{r.Storer.(*filesystem.Storage)}
}

func (g goGitRead) read(h Hash) ([]byte, error) {
	o, err := g.st.EncodedObject(plumbing.AnyObject, plumbing.Hash(h))
	if err != nil {
		return nil, err
	}
	rd, err := o.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return io.ReadAll(rd)
}

// Opening a repository and reading its first object: the odb
// binary-searches the pack's .idx, go-git loads it whole first.
func BenchmarkObjectReadOpen(b *testing.B) {
	dir, h := bigPack(b, 900_000)
	b.Run("odb", func(b *testing.B) {
		for b.Loop() {
			r, err := OpenDir(dir)
			if err != nil {
				b.Fatal(err)
			}
			if _, _, err := r.Read(h); err != nil {
				b.Fatal(err)
			}
			r.Close()
		}
	})
	b.Run("go-git", func(b *testing.B) {
		for b.Loop() {
			g := openGoGit(b, dir)
			if _, err := g.read(h); err != nil {
				b.Fatal(err)
			}
			g.st.Close()
		}
	})
}

// generatedHistory is a repository of 20,000 generated commits, written by
// git fast-import (which stores many objects as deltas), and its commits.
func generatedHistory(b *testing.B) (string, []Hash) {
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git binary not found: the history is written with git fast-import")
	}
	o := gen.DefaultOptions()
	o.Commits, o.Releases, o.PerDay = 20000, 400, 100
	m, err := gen.Generate(o)
	if err != nil {
		b.Fatal(err)
	}
	dir := benchDir(b, "history-20000", func(dir string) error { return gen.ImportWithGit(dir, m) })
	commits := make([]Hash, len(m.Commits))
	for i, c := range m.Commits {
		commits[i] = NewHash(c.Hash)
	}
	return dir, commits
}

// Reading every commit of a history, newest first as a walk does, on a
// repository opened for the purpose.
func BenchmarkObjectReadCommits(b *testing.B) {
	dir, commits := generatedHistory(b)
	b.Run("odb", func(b *testing.B) {
		for b.Loop() {
			r, err := Open(dir)
			if err != nil {
				b.Fatal(err)
			}
			read := r.NewReader()
			for i := len(commits) - 1; i >= 0; i-- {
				if _, _, err := read(commits[i]); err != nil {
					b.Fatal(err)
				}
			}
			r.Close()
		}
	})
	b.Run("go-git", func(b *testing.B) {
		for b.Loop() {
			g := openGoGit(b, dir)
			for i := len(commits) - 1; i >= 0; i-- {
				if _, err := g.read(commits[i]); err != nil {
					b.Fatal(err)
				}
			}
			g.st.Close()
		}
	})
}

// Reading a 64 MiB blob to its end: the odb inflates it as it is read,
// go-git holds a packed one whole.
func BenchmarkObjectReadBlob(b *testing.B) {
	big := make([]byte, 64<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range big {
		big[i] = "abcdefghij \n{}:,\""[rng.IntN(17)] // compresses about as JSON does
	}
	h := HashObject(BlobObject, big)
	for _, stored := range []string{"packed", "loose"} {
		dir := benchDir(b, "blob-"+stored, func(dir string) error {
			db, err := initBare(dir)
			if err != nil {
				return err
			}
			if stored == "loose" {
				return db.WriteLoose(BlobObject, big, h)
			}
			return db.WritePack([]encoded{{BlobObject, big, h}})
		})
		b.Run(stored+"/odb", func(b *testing.B) {
			b.SetBytes(int64(len(big)))
			for b.Loop() {
				r, err := OpenDir(dir)
				if err != nil {
					b.Fatal(err)
				}
				_, _, rc, err := r.Stream(h)
				if err != nil {
					b.Fatal(err)
				}
				if n, err := io.Copy(io.Discard, rc); err != nil || n != int64(len(big)) {
					b.Fatal(n, err)
				}
				rc.Close()
				r.Close()
			}
		})
		b.Run(stored+"/go-git", func(b *testing.B) {
			b.SetBytes(int64(len(big)))
			for b.Loop() {
				g := openGoGit(b, dir)
				o, err := g.st.EncodedObject(plumbing.BlobObject, plumbing.Hash(h))
				if err != nil {
					b.Fatal(err)
				}
				rd, err := o.Reader()
				if err != nil {
					b.Fatal(err)
				}
				if n, err := io.Copy(io.Discard, rd); err != nil || n != int64(len(big)) {
					b.Fatal(n, err)
				}
				rd.Close()
				g.st.Close()
			}
		})
	}
}

// Listing 10,000 loose tag refs, as a checkout that fetched every tag may
// hold them (a clone packs them):
//
//	go test -run XXX -bench LooseTags -benchmem ./internal/git/
//
// Median of 3 (2 cores; Go 1.26, go-git 5.19): files (Tags, which reads
// them with a system call each) 39 ms; go-billy (the same reads through
// the storage's file system, which stats every folder on the way) 104 ms;
// go-git (its Tags iterator) 170 ms.
func BenchmarkLooseTags(b *testing.B) {
	const n = 10_000
	dir := benchDir(b, fmt.Sprintf("loose-tags-%d", n), func(dir string) error {
		if _, err := gogit.PlainInit(dir, true); err != nil {
			return err
		}
		for i := range n {
			line := fmt.Sprintf("%040x\n", i+1)
			if err := os.WriteFile(filepath.Join(dir, "refs", "tags", fmt.Sprintf("v%d", i)), []byte(line), 0o644); err != nil {
				return err
			}
		}
		return nil
	})
	r, err := OpenDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	b.Run("files", func(b *testing.B) {
		for b.Loop() {
			if refs, err := r.Tags(); err != nil || len(refs) != n {
				b.Fatal(len(refs), err)
			}
		}
	})
	b.Run("go-billy", func(b *testing.B) {
		fsys := r.st.Filesystem()
		for b.Loop() {
			infos, err := fsys.ReadDir("refs/tags")
			if err != nil || len(infos) != n {
				b.Fatal(len(infos), err)
			}
			par.Each(len(infos), func(i int) {
				f, err := fsys.Open("refs/tags/" + infos[i].Name())
				if err != nil {
					b.Error(err)
					return
				}
				var buf [40]byte
				if _, err := io.ReadFull(f, buf[:]); err != nil {
					b.Error(err)
				}
				f.Close()
			})
		}
	})
	b.Run("go-git", func(b *testing.B) {
		for b.Loop() {
			it, err := r.gg.Tags()
			if err != nil {
				b.Fatal(err)
			}
			count := 0
			it.ForEach(func(*plumbing.Reference) error { count++; return nil })
			if count != n {
				b.Fatal(count)
			}
		}
	})
}
