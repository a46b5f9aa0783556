package outdir

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitdora/gitdora/fact"
)

func mkdirs(t *testing.T, root string, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func touch(t *testing.T, root string, files ...string) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(root, f)
		mkdirs(t, filepath.Dir(p), ".")
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCheck(t *testing.T) {
	root := t.TempDir()
	// repo: a clone with a work tree; bare.git: a bare repository; data:
	// a plain data directory; site: a folder gitdora built; mine: a
	// folder of someone's files; other: a clone with gitdora's marker.
	mkdirs(t, root, "repo/.git/objects", "repo/.git/refs/heads", "repo/src", "bare.git/objects", "bare.git/refs", "data/events", "empty", "other/.git")
	touch(t, root, "repo/.git/HEAD", "repo/main.go", "bare.git/HEAD", "data/gitdora.yml", "site/"+Marker, "site/index.html", "mine/metrics.json", "other/"+Marker, "file")
	if err := os.Symlink(filepath.Join(root, "site"), filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(root, filepath.Join(root, "rootlink")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(root, "repo", "src"))
	guard := Guard{
		Keep:   []Path{{filepath.Join(root, "repo"), "the repository"}, {filepath.Join(root, "bare.git"), "the mirror"}},
		Within: []Path{{filepath.Join(root, "data"), "the data"}},
	}
	p := func(rel string) string { return filepath.Join(root, rel) }
	for _, tc := range []struct {
		dir  string
		m    Mode
		want string // "" for allowed, else a part of the refusal
	}{
		{p("new"), Replace, ""},
		{p("new/deeper"), Fill, ""},
		{p("empty"), Replace, ""},
		{p("site"), Replace, ""},
		{p("site"), Fill, ""},
		{p("repo/public"), Replace, ""},
		{p("repo/src/site"), Fill, ""},
		{".", Fill, ""}, // repo/src, empty
		{"..", Fill, "it is or holds the repository"},
		{p("repo"), Replace, "refusing to replace it: it is or holds the repository " + p("repo")},
		{p("repo"), Fill, "refusing to write into it: it is or holds the repository"},
		{root, Replace, "it is or holds the repository"},
		{"/", Fill, "it is or holds the repository"},
		{p("rootlink/repo"), Replace, "it is or holds the repository"},
		{p("repo/src"), Replace, "it is or holds the current folder"},
		{p("repo/.git"), Replace, "it is inside the git directory " + p("repo/.git")},
		{p("repo/.git/refs/tags"), Fill, "it is inside the git directory"},
		{p("repo/.git/new"), Fill, "it is inside the git directory"},
		{p("bare.git/refs"), Fill, "it is inside the git directory " + p("bare.git")},
		{p("bare.git"), Replace, "it is or holds the mirror"},
		{p("data"), Replace, "it is, holds or is inside the data " + p("data")},
		{p("data/events"), Fill, "it is, holds or is inside the data"},
		{p("data/reports"), Fill, "it is, holds or is inside the data"},
		{p("other"), Replace, "it holds .git, a git repository"},
		{p("mine"), Replace, "refusing to replace it: it is not a site gitdora built (it holds other files and no .gitdora-output)"},
		{p("mine"), Fill, "it is not a folder gitdora wrote"},
		{p("link"), Replace, "it is a symbolic link"},
		{p("link") + "/", Fill, "it is a symbolic link"},
		{p("link") + "/.", Fill, "it is a symbolic link"},
		{p("file"), Fill, "it exists and is not a folder"},
		{"", Fill, "empty; name a folder"},
	} {
		err := guard.Check("out", tc.dir, tc.m)
		var in *fact.InputError
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("Check(%s, %d): %v, want nil", tc.dir, tc.m, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("Check(%s, %d) = %v, want an error with %q", tc.dir, tc.m, err, tc.want)
		case err != nil && !errors.As(err, &in):
			t.Errorf("Check(%s, %d) = %v, want a *fact.InputError", tc.dir, tc.m, err)
		case err != nil && (in.Input != "out" || in.Value != tc.dir || !strings.HasPrefix(err.Error(), strings.TrimSuffix("out "+tc.dir, " ")+": ")):
			t.Errorf("Check(%s, %d) = %v (%+v), want it to name the input out and the folder", tc.dir, tc.m, err, in)
		}
	}
}

// Mark writes the marker, and Check then accepts the folder however many
// other files it holds.
func TestMark(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	mkdirs(t, dir)
	touch(t, dir, "a.csv")
	if err := (Guard{}).Check("out", dir, Fill); err == nil {
		t.Fatal("a folder of other files is accepted")
	}
	if err := Mark(dir); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, Marker)); err != nil || !strings.HasPrefix(string(b), "gitdora built this folder") {
		t.Errorf("marker %q, %v", b, err)
	}
	if err := (Guard{}).Check("out", dir, Fill); err != nil {
		t.Errorf("a marked folder: %v", err)
	}
}

// WriteFile and Append never write through a symbolic link: a file of
// that name that is one is refused and its target left as it was; a
// regular file is replaced (WriteFile) or appended to (Append).
func TestWritesRefuseSymlinks(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"link.csv", "dangling.csv"} {
		target := victim
		if name == "dangling.csv" {
			target = filepath.Join(filepath.Dir(victim), "new")
		}
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
		write := func(w io.Writer) error { _, err := io.WriteString(w, "gitdora"); return err }
		if err := WriteFile(dir, name, write); err == nil || !strings.Contains(err.Error(), name+": refusing to write it: it is a symbolic link") {
			t.Errorf("WriteFile(%s): %v, want a refusal", name, err)
		}
		if err := Append(filepath.Join(dir, name), "gitdora"); err == nil || !strings.Contains(err.Error(), "it is a symbolic link") {
			t.Errorf("Append(%s): %v, want a refusal", name, err)
		}
	}
	mkdirs(t, dir, "sub")
	if err := WriteFile(dir, "sub", func(io.Writer) error { return nil }); err == nil || !strings.Contains(err.Error(), "it is not a regular file") {
		t.Errorf("WriteFile over a folder: %v", err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "mine" {
		t.Errorf("the link's target holds %q", b)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(victim), "new")); err == nil {
		t.Error("a dangling link's target was created")
	}
	for i := 0; i < 2; i++ {
		if err := WriteFile(dir, "a.csv", func(w io.Writer) error { _, err := fmt.Fprint(w, "v", i); return err }); err != nil {
			t.Fatal(err)
		}
		if err := Append(filepath.Join(dir, "out.txt"), fmt.Sprint("line", i, "\n")); err != nil {
			t.Fatal(err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.csv")); string(b) != "v1" {
		t.Errorf("a.csv = %q, want v1", b)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "out.txt")); string(b) != "line0\nline1\n" {
		t.Errorf("out.txt = %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 5 {
		t.Errorf("%d entries, want 5 (no temporary file left)", len(entries))
	}
}
