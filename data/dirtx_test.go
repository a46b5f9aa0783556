package data

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// snapshot is every file under root (hidden ones too), path → content.
func snapshot(t testing.TB, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.Type()&fs.ModeSymlink != 0 {
			out[filepath.ToSlash(rel)] = "symbolic link"
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// view is what a reader of the Store sees: every listed file and its content.
func view(t testing.TB, dir string) map[string]string {
	t.Helper()
	s, err := Open("", dir)
	if err != nil {
		t.Fatal(err)
	}
	files, err := s.List("")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range files {
		b, err := s.ReadFile(p)
		if err != nil {
			t.Fatalf("read %s: %v", p, err)
		}
		out[p] = string(b)
	}
	return out
}

func diffFiles(a, b map[string]string) string {
	var d []string
	for _, k := range slices.Sorted(maps.Keys(a)) {
		if v, ok := b[k]; !ok {
			d = append(d, "-"+k)
		} else if v != a[k] {
			d = append(d, "~"+k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(b)) {
		if _, ok := a[k]; !ok {
			d = append(d, "+"+k)
		}
	}
	return strings.Join(d, " ")
}

// batch is a write of several files: a deployment appended, a scan and
// its record, a CI record.
var batchFiles = map[string]string{
	"scans/2026/01/aaaa/t-000000000000.sarif": `{"version":"2.1.0","runs":[]}`,
	"scans/2026/01/aaaa/t-000000000000.json":  `{"refs":["refs/pull/1/merge"]}`,
	"ci/2026/01/7.json":                       `{"id":7}`,
}

func writeBatchFn(tx *Tx) error {
	if _, err := tx.AppendDeployment(dep("d2", "2026-01-06T10:00:00Z")); err != nil {
		return err
	}
	for p, c := range batchFiles {
		if err := tx.WriteFile(p, []byte(c)); err != nil {
			return err
		}
	}
	return nil
}

// seeded is a plain-directory store holding one deployment.
func seeded(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	s := mustOpen(t, "", dir)
	if _, err := s.Update(context.Background(), "x", WriteOptions{}, appendDeps(dep("d1", "2026-01-05T10:00:00Z"))); err != nil {
		t.Fatal(err)
	}
	return dir
}

// A batch that cannot be written whole is not written at all: the
// directory is left byte for byte as it was (no file of the batch, no
// temporary file).
func TestDirBatchRefusedWhole(t *testing.T) {
	for _, tt := range []struct {
		name  string
		block func(dir string) error
		want  string
	}{
		{"a file where a folder goes", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "ci"), []byte("x"), 0o644)
		}, "is not a folder"},
		{"a folder where a file goes", func(dir string) error {
			return os.MkdirAll(filepath.Join(dir, "ci/2026/01/7.json"), 0o755)
		}, "is not a regular file"},
		{"a symbolic link on the way", func(dir string) error {
			return os.Symlink(t.TempDir(), filepath.Join(dir, "scans"))
		}, "is not a folder"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := seeded(t)
			if err := tt.block(dir); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, dir)
			_, err := mustOpen(t, "", dir).Update(context.Background(), "x", WriteOptions{}, writeBatchFn)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Update = %v, want an error saying %q", err, tt.want)
			}
			if d := diffFiles(before, snapshot(t, dir)); d != "" {
				t.Errorf("the directory changed: %s", d)
			}
		})
	}
}

// Whatever step of a batch write fails (a full disk, an I/O error) the
// directory is left as it was; wherever the writer is killed, a reader
// sees the batch whole or not at all, and the next writer leaves it whole
// or not at all, with no temporary file left behind.
func TestDirBatchFaults(t *testing.T) {
	dir := seeded(t)
	before := snapshot(t, dir)
	if _, err := mustOpen(t, "", dir).Update(context.Background(), "x", WriteOptions{}, writeBatchFn); err != nil {
		t.Fatal(err)
	}
	after := snapshot(t, dir)
	if len(after) != len(before)+len(batchFiles) || after["events/deployments/2026-01.csv"] == before["events/deployments/2026-01.csv"] {
		t.Fatalf("the batch wrote %s", diffFiles(before, after))
	}
	steps := []string{"stage", "stage", "stage", "stage", "mkdir", "mkdir", "commit", "move", "move", "move", "done"}
	seen := map[string]int{}
	for _, step := range steps {
		seen[step]++
		n := seen[step]
		for _, crash := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s %d crash=%v", step, n, crash), func(t *testing.T) {
				dir := seeded(t)
				calls := 0
				dirFault = func(s string) error {
					if s != step {
						return nil
					}
					if calls++; calls == n {
						if crash {
							return errCrash
						}
						return errors.New("no space left on device (test)")
					}
					return nil
				}
				_, err := mustOpen(t, "", dir).Update(context.Background(), "x", WriteOptions{}, writeBatchFn)
				dirFault = nil
				if err == nil {
					t.Fatal("the fault did not fail the write")
				}
				committed := step == "move" || step == "done"
				if !crash {
					got := snapshot(t, dir)
					if !committed {
						if d := diffFiles(before, got); d != "" {
							t.Errorf("a failed write changed the directory: %s", d)
						}
						return
					}
				}
				// Killed (or failed once committed): readers see it whole.
				want := before
				if committed {
					want = after
				}
				if d := diffFiles(withoutConfig(want), withoutConfig(view(t, dir))); d != "" {
					t.Errorf("a reader sees part of the batch: %s", d)
				}
				// The next writer completes or drops it, and cleans up.
				if _, err := mustOpen(t, "", dir).Update(context.Background(), "x", WriteOptions{}, func(*Tx) error { return nil }); err != nil {
					t.Fatal(err)
				}
				if d := diffFiles(want, snapshot(t, dir)); d != "" {
					t.Errorf("after the next write: %s", d)
				}
			})
		}
	}
}

func withoutConfig(m map[string]string) map[string]string {
	out := maps.Clone(m)
	delete(out, ConfigFile)
	return out
}

// Readers never take gitdora's temporary files for data, and a folder
// that is a symbolic link out of the directory is not followed.
func TestDirReadersIgnoreTemporaryFiles(t *testing.T) {
	dir := seeded(t)
	writeFiles(t, dir, map[string]string{
		".gitdora-stage-123/0":                "half a batch",
		"events/deployments/.gitdora-123456":  "a temp file of an older version",
		"events/deployments/.gitdora-x.csv":   "id,time\n",
		"scans/2026/01/aaaa/.gitdora-1.sarif": "{}",
		"events/incidents/2026-01.csv.tmp":    "kept: not ours",
	})
	outside := t.TempDir()
	writeFiles(t, outside, map[string]string{"2026-02.csv": "secret\n", "2026/03/7.json": "{}"})
	if err := os.Symlink(outside, filepath.Join(dir, "ci")); err != nil {
		t.Fatal(err)
	}
	s := mustOpen(t, "", dir)
	files, err := s.List("")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"events/deployments/2026-01.csv", "events/incidents/2026-01.csv.tmp"}
	if !slices.Equal(files, want) {
		t.Errorf("List = %q, want %q", files, want)
	}
	if _, err := s.ReadFile("ci/2026-02.csv"); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("read through a symbolic link: %v", err)
	}
	if got, err := newDirTx(s).Dirs("ci", 2); err != nil || len(got) != 0 {
		t.Errorf("Dirs(ci, 2) = %q, %v; want no folder (ci is a symbolic link)", got, err)
	}
	// The next writer removes what a killed one left at the root.
	if _, err := s.Update(context.Background(), "x", WriteOptions{}, appendDeps(dep("d2", "2026-01-06T10:00:00Z"))); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".gitdora-stage-123")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the staging folder a killed writer left is still there: %v", err)
	}
}

// A data branch gets a batch in one commit or not at all: a batch that
// cannot be written whole leaves the branch where it was.
func TestGitBatchRefusedWhole(t *testing.T) {
	repo := newRepo(t)
	s := mustOpen(t, repo, "")
	ctx := context.Background()
	if _, err := s.Update(ctx, "seed", WriteOptions{}, func(tx *Tx) error { return tx.WriteFile("ci", []byte("x")) }); err != nil {
		t.Fatal(err)
	}
	tip := refOf(t, repo, DefaultBranch)
	_, err := s.Update(ctx, "batch", WriteOptions{}, writeBatchFn)
	if err == nil || !strings.Contains(err.Error(), "cannot write under ci/") {
		t.Fatalf("Update = %v, want the file in the way named", err)
	}
	if got := refOf(t, repo, DefaultBranch); got != tip {
		t.Errorf("the branch moved from %s to %s", tip, got)
	}
	res, err := s.Update(ctx, "batch", WriteOptions{}, func(tx *Tx) error {
		if err := tx.WriteFile("scans/2026/01/aaaa/t-000000000000.sarif", []byte("{}")); err != nil {
			return err
		}
		return errors.New("the second file is bad")
	})
	if err == nil || res.Changed || refOf(t, repo, DefaultBranch) != tip {
		t.Errorf("a failing batch: %+v, %v; the branch must stay at %s", res, err, tip)
	}
}

// A folder whose name holds a # is a plain directory, not PATH#branch.
func TestDirWithHash(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data#1")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := Open("", dir)
	if err != nil || !s.IsDir() || s.Dir() != dir {
		t.Fatalf("Open(%s) = %+v, %v", dir, s, err)
	}
}

// A file name that is not UTF-8 text, or holds a control character, is
// refused before anything is written, in both modes: the journal of a
// plain directory (JSON) would record U+FFFD in place of its bytes, and a
// reader would see part of the batch.
func TestWriteRefusesNamesThatAreNotText(t *testing.T) {
	for _, mode := range []string{"git", "dir"} {
		repo, spec := "", t.TempDir()
		if mode == "git" {
			repo, spec = newRepo(t), ""
		}
		for _, name := range []string{"scans/\xfe", "a\x00b", "x\ny", "del\x7f"} {
			s := mustOpen(t, repo, spec)
			_, err := s.Update(context.Background(), "x", WriteOptions{}, func(tx *Tx) error {
				if err := tx.WriteFile("ok.txt", []byte("ok")); err != nil {
					return err
				}
				return tx.WriteFile(name, []byte("x"))
			})
			if err == nil || !strings.Contains(err.Error(), "not a name to write") {
				t.Errorf("%s: %q: %v", mode, name, err)
			}
			if _, err := mustOpen(t, repo, spec).ReadFile("ok.txt"); !errors.Is(err, ErrNotExist) {
				t.Errorf("%s: %q: the rest of the batch was written", mode, name)
			}
		}
	}
}

// A batch a killed writer committed is completed by the next writer only
// through real folders: a folder on the way replaced meanwhile by a
// symbolic link is refused, and nothing is written where it points.
func TestDirRecoveryRefusesSymlinkedFolder(t *testing.T) {
	dir := seeded(t)
	dirFault = func(s string) error {
		if s == "move" {
			return errCrash
		}
		return nil
	}
	_, err := mustOpen(t, "", dir).Update(context.Background(), "x", WriteOptions{}, writeBatchFn)
	dirFault = nil
	if !errors.Is(err, errCrash) {
		t.Fatalf("Update = %v, want the test's crash", err)
	}
	outside := t.TempDir()
	if err := os.Rename(filepath.Join(dir, "scans"), filepath.Join(outside, "scans")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "scans"), filepath.Join(dir, "scans")); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, outside)
	_, err = mustOpen(t, "", dir).Update(context.Background(), "x", WriteOptions{}, func(*Tx) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "is not a folder") {
		t.Errorf("Update = %v, want the symbolic link refused", err)
	}
	if d := diffFiles(before, snapshot(t, outside)); d != "" {
		t.Errorf("the write went through the symbolic link: %s", d)
	}
}
