package arch

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// flagName matches a long option standing alone in a text (--repo,
// --templates, --%s), not a word with dashes inside (read-only).
var flagName = regexp.MustCompile(`(^|[^\w-])--([a-z][a-z0-9-]*|%s)([^\w-]|$)`)

// gitRunners are the packages below the command line whose texts are the
// arguments of the git commands they run (test fixtures), not words of
// gitdora's.
var gitRunners = map[string]bool{
	"internal/gen":     true,
	"internal/gittest": true,
}

// notErrors are the texts below the command line that name a flag and are
// not errors of an input: what they say is printed as it is, or written
// into a report, so no caller can word it. Each is a file and a part of
// the text, with why.
var notErrors = []struct{ file, text, why string }{
	{"collect/history.go", "is not in --repo %s, so what it shipped is unknown", "a skipped deployment (fact.Problem): logged, and listed by explain and the site's pages as it is"},
	{"collect/security.go", "no invocation end time, --at or known commit", "a note on a scan, kept with its findings"},
	{"collect/security.go", "no --at was given at ingest", "why a stored scan is skipped (fact.Problem): how it was ingested"},
	{"collect/trunk.go", "the branch checked out in --repo", "the trunk's origin in a warning printed and written into reports"},
	{"collect/trunk.go", "--repo has no origin/HEAD", "the trunk's origin in a warning printed and written into reports"},
	{"collect/trunk.go", "or ingest them with --ref %s", "advice in a warning printed and written into reports"},
	{"compute/security.go", "ingest the trunk's scans with --ref %s", "advice in a report"},
	{"ingest/imports.go", "--repo is not a git repository to check them in", "a warning of gitdora import, printed as it is"},
	{"ingest/imports.go", "name a commit that is not in --repo", "a warning of gitdora import, printed as it is"},
	{"ingest/imports_events.go", "--repo is not a repository to find its tag in", "why gitdora import skips a record, printed as it is"},
	{"ingest/imports_events.go", "its tag is not in --repo", "why gitdora import skips a record, printed as it is"},
	{"ingest/ingest.go", "stored before with --at %q; kept", "a note of gitdora ingest on a file stored before, printed as it is"},
	{"render/advice.go", "gitdora record deployment --sha", "help in a report: the command to run"},
	{"render/advice.go", "gitdora ingest sarif results.sarif --ref main", "help in a report: the command to run"},
	{"render/explainpage.go", "gitdora explain METRIC --month", "help on a page of the site: the command to run"},
	{"render/explainpage.go", "gitdora explain {{$.Key}} --month", "help on a page of the site: the command that lists every row of a list cut short"},
	{"render/advice.go", "Pass `--scan-seconds` to `gitdora record deployment`", "help in a report: the command to run"},
	{"render/advice.go", "Record incidents with `gitdora record incident --opened", "help in a report: the command to run"},
	{"render/advice.go", "record them with `gitdora record incident --opened", "help in a report: the command to run"},
	{"render/alertprom.go", "(gitdora alerts --export prometheus)", "the header of the exported rules file: the command that wrote it"},
	{"compute/explain.go", "want a JSON key of `gitdora compute --format json`", "where the names of figures are listed: a command to run"},
	{"collect/walk.go", "git fetch --unshallow", "git's option, in advice on fetching the history"},
	{"collect/imports/github.go", "a review that does not say which pull request it belongs to: name the pull (--pull N)", "why gitdora import skips a record of a file, printed as it is"},
	{"collect/imports/github.go", "pull request commits do not say which pull request they belong to: name it (--pull N)", "why gitdora import skips a file, printed as it is"},
	{"collect/imports/github.go", "timeline events do not say which pull request they belong to: name it (--pull N)", "why gitdora import skips a file, printed as it is"},
	{"collect/imports/gitlab.go", "merge request commits do not say which merge request they belong to: name its iid (--pull N)", "why gitdora import skips a file, printed as it is"},
	{"collect/imports/gitlab.go", "a note that does not say which merge request it belongs to: name its iid (--pull N)", "why gitdora import skips a record of a file, printed as it is"},
}

// Packages below the command line name inputs in the domain's words
// (fact.InputError); only cmd/gitdora names its flags (docs/architecture.md).
// No text of theirs names a flag but the few that are not errors.
func TestOnlyTheCommandLineNamesFlags(t *testing.T) {
	used := make([]bool, len(notErrors))
	var found []string
	for _, p := range packages(t) {
		if p.Name == "main" || gitRunners[p.ImportPath] {
			continue // a command names its own flags; git's are git's
		}
		for _, name := range append(p.GoFiles, p.IgnoredGoFiles...) {
			if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
				continue
			}
			file := filepath.ToSlash(filepath.Join(p.ImportPath, name))
			for _, text := range stringLiterals(t, filepath.Join(p.Dir, name)) {
				if !flagName.MatchString(text.value) {
					continue
				}
				allowed := false
				for i, ne := range notErrors {
					if ne.file == file && strings.Contains(text.value, ne.text) {
						allowed, used[i] = true, true
					}
				}
				if !allowed {
					found = append(found, file+":"+strconv.Itoa(text.line)+": "+strconv.Quote(text.value))
				}
			}
		}
	}
	sort.Strings(found)
	for _, f := range found {
		t.Errorf("%s names a flag: return a *fact.InputError naming the input, and let cmd/gitdora name its flag", f)
	}
	for i, ne := range notErrors {
		if !used[i] {
			t.Errorf("notErrors lists %s %q, which no text there holds any more: take it off the list", ne.file, ne.text)
		}
	}
}

// literal is a string literal of a Go file, unquoted, and its line.
type literal struct {
	value string
	line  int
}

// stringLiterals are the string literals of the Go file at path.
func stringLiterals(t *testing.T, path string) []literal {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var out []literal
	ast.Inspect(f, func(n ast.Node) bool {
		if b, ok := n.(*ast.BasicLit); ok && b.Kind == token.STRING {
			v, err := strconv.Unquote(b.Value)
			if err != nil {
				t.Fatalf("%s: %v", fset.Position(b.Pos()), err)
			}
			out = append(out, literal{v, fset.Position(b.Pos()).Line})
		}
		return true
	})
	return out
}
