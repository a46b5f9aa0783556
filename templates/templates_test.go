package templates

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBuiltin(t *testing.T) {
	got := strings.Join(Builtin().Names(), " ")
	if want := "index.md.tmpl page.html.tmpl report.md.tmpl sections.md.tmpl"; got != want {
		t.Errorf("built-in templates = %s, want %s", got, want)
	}
}

func TestLoadOverridesPerFile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "report.md.tmpl"), []byte(`{{define "report"}}mine{{end}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "extra.md.tmpl"), []byte(`{{define "x"}}x{{end}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("ignored"), 0o644)
	files, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if files["report.md.tmpl"] != `{{define "report"}}mine{{end}}` {
		t.Error("report.md.tmpl was not overridden")
	}
	if files["sections.md.tmpl"] != Builtin()["sections.md.tmpl"] {
		t.Error("a file the folder does not hold was not kept built in")
	}
	if _, ok := files["extra.md.tmpl"]; !ok {
		t.Error("an extra template was not added")
	}
	if _, ok := files["notes.txt"]; ok {
		t.Error("a file that is not a template was read")
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "nope")); err == nil || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing folder: err = %v", err)
	}
	if _, err := Load(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no *.tmpl file") {
		t.Errorf("empty folder: err = %v", err)
	}
	if files, err := Load(""); err != nil || len(files) != len(Builtin()) {
		t.Errorf("no folder: %d files, %v", len(files), err)
	}
}
