package templates

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gitdora/gitdora/internal/bounded"
)

// Ext is the extension every template file has: NAME.md.tmpl for
// Markdown (text/template), NAME.html.tmpl for HTML (html/template).
const Ext = ".tmpl"

//go:embed *.tmpl
var builtin embed.FS

// Files maps a template file name to its text.
type Files map[string]string

// Builtin returns the templates that ship with gitdora.
func Builtin() Files {
	out := Files{}
	entries, err := fs.ReadDir(builtin, ".")
	if err != nil {
		panic("embedded templates: " + err.Error())
	}
	for _, e := range entries {
		b, err := fs.ReadFile(builtin, e.Name())
		if err != nil {
			panic("embedded templates: " + err.Error())
		}
		out[e.Name()] = string(b)
	}
	return out
}

// maxTemplate bounds a template of --templates: the built-in ones are a
// few KB.
const maxTemplate = 1 << 20

// Load returns the built-in templates with each *.tmpl file of dir taking
// the place of the built-in file of the same name (and any other *.tmpl
// file of dir added). An empty dir gives the built-in templates.
func Load(dir string) (Files, error) {
	files := Builtin()
	if dir == "" {
		return files, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	found := 0
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), Ext) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		b, err := bounded.ReadFile(path, maxTemplate, "a template")
		if err != nil {
			return nil, err
		}
		files[e.Name()] = string(b)
		found++
	}
	if found == 0 {
		return nil, fmt.Errorf("no *%s file; expected overrides named like the built-in ones (%s)", Ext, strings.Join(files.Names(), ", "))
	}
	return files, nil
}

// Names lists the file names, sorted.
func (f Files) Names() []string {
	out := make([]string, 0, len(f))
	for n := range f {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Matching lists the names ending in suffix (e.g. ".md.tmpl"), sorted.
func (f Files) Matching(suffix string) []string {
	var out []string
	for _, n := range f.Names() {
		if strings.HasSuffix(n, suffix) {
			out = append(out, n)
		}
	}
	return out
}
