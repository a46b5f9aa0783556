package arch

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/gitdora/gitdora"

// floors is the floor of every package of the module, as
// docs/architecture.md lists them: a package may import only packages on
// a lower floor (its own sub-packages included). A new package gets a
// row here and in the document.
var floors = map[string]int{
	// 1: the ground: shared vocabulary and infrastructure.
	"fact": 1,

	"notify":             1,
	"collect/ci":         1,
	"internal/par":       1,
	"internal/order":     1,
	"internal/gittest":   1,
	"internal/readme":    1,
	"internal/workflows": 1,
	"internal/arch":      1,
	"internal/esc":       1,
	"internal/bounded":   1,
	"internal/glob":      1,
	"internal/owasp":     1,
	"internal/yamledit":  1,
	"internal/csvrow":    1,
	"collect/imports":    1,
	// 2: readers of untrusted input; the security policy; the templates;
	// output folders (their refusals are fact.InputErrors).
	"internal/outdir":    2,
	"templates":          2,
	"collect/sarif":      2,
	"internal/gen":       2,
	"internal/sarifgen":  2,
	"internal/git":       2,
	"policy":             2,
	"collect/codeowners": 2,
	// 3: the configuration; normalised findings.
	"config":           3,
	"collect/findings": 3,
	// 4: the data branch; pure computing; the security gate.
	"data":                  4,
	"compute":               4,
	"gate":                  4,
	"internal/cmd/genrepo":  4,
	"internal/cmd/gensarif": 4,
	// 5: gathering facts; alert rules; render's test fixtures.
	"collect":           5,
	"compute/alert":     5,
	"render/rendertest": 5,
	// 6: storing input; formatting; generated facts.
	"ingest":                6,
	"render":                6,
	"internal/cmd/genfacts": 6,
	// 7: the site; the demo.
	"site":                      7,
	"cmd/gitdora/internal/demo": 7,
	// 8: the application layer.
	"app": 8,
	// 9: the command line.
	"cmd/gitdora": 9,
}

// pkg is what go list says of a package.
type pkg struct {
	ImportPath string
	Name       string
	Dir        string
	GoFiles    []string // its non-test Go files, in Dir
	// IgnoredGoFiles are its Go files for other systems or build tags.
	IgnoredGoFiles []string
	Imports        []string
}

// packages lists the module's packages with their (non-test) imports.
func packages(t *testing.T) []pkg {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the packages with")
	}
	cmd := exec.Command(goBin, "list", "-deps", "-json", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var list []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if rel, ok := inModule(p.ImportPath); ok {
			p.ImportPath = rel
			list = append(list, p)
		}
	}
	return list
}

// inModule is path relative to the module, and whether it is in it.
func inModule(path string) (string, bool) {
	if path == module {
		return "", true
	}
	rel, ok := strings.CutPrefix(path, module+"/")
	return rel, ok
}

// No package imports one on its own floor or above: data flows one way,
// from the ground up to the command line.
func TestNoPackageImportsUpward(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range packages(t) {
		seen[p.ImportPath] = true
		floor, ok := floors[p.ImportPath]
		if !ok {
			t.Errorf("package %s is on no floor: add it to the table of docs/architecture.md and to floors", p.ImportPath)
			continue
		}
		for _, imp := range p.Imports {
			rel, ok := inModule(imp)
			if !ok {
				continue
			}
			if f, known := floors[rel]; known && f >= floor {
				t.Errorf("%s (floor %d) imports %s (floor %d): a package imports only packages on a floor below it", p.ImportPath, floor, rel, f)
			}
		}
	}
	var stale []string
	for name := range floors {
		if !seen[name] {
			stale = append(stale, name)
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		t.Errorf("floors lists packages that no longer exist: %v", stale)
	}
}

// The table of docs/architecture.md puts every product package on the
// floor floors gives it (infrastructure and test helpers under internal/
// are named in its text).
func TestTheDocumentHasTheFloors(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("^\\| ([0-9]+) \\| ([^|]*)\\|")
	name := regexp.MustCompile("`([a-z/]+)`")
	doc := map[string]int{}
	for _, line := range strings.Split(string(b), "\n") {
		m := row.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		floor, _ := strconv.Atoi(m[1])
		for _, n := range name.FindAllStringSubmatch(m[2], -1) {
			doc[n[1]] = floor
		}
	}
	if len(doc) == 0 {
		t.Fatal("docs/architecture.md has no table of floors (rows | N | `package` | …)")
	}
	for name, floor := range floors {
		if strings.HasPrefix(name, "internal/") || strings.HasSuffix(name, "/rendertest") {
			continue
		}
		if got, ok := doc[name]; !ok || got != floor {
			t.Errorf("docs/architecture.md puts %s on floor %d (0: nowhere), want %d", name, got, floor)
		}
	}
	for name, floor := range doc {
		if _, ok := floors[name]; !ok {
			t.Errorf("docs/architecture.md names %s on floor %d, a package floors does not know", name, floor)
		}
	}
}
