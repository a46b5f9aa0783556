package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/alecthomas/kong"
)

// Every input the layers below name in their errors (fact.InputError's
// Input, a hint's Naming.Of, outdir.Guard.Check's input) is worded by
// flagOf as a flag gitdora has.
func TestInputsAreFlags(t *testing.T) {
	parser, err := kong.New(&CLI{}, kong.Vars{"version": "test", "demo_max_months": "1"})
	if err != nil {
		t.Fatal(err)
	}
	flags := map[string]bool{}
	var walk func(n *kong.Node)
	walk = func(n *kong.Node) {
		for _, f := range n.Flags {
			flags["--"+f.Name] = true
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(parser.Model.Node)

	inputs := sourceInputs(t, filepath.Join("..", ".."))
	if len(inputs) < 10 {
		t.Fatalf("found %d inputs named in the source (%v): the scan is broken", len(inputs), inputs)
	}
	var names []string
	for in := range inputs {
		names = append(names, in)
	}
	sort.Strings(names)
	for _, in := range names {
		if f := flagOf(in); !flags[f] {
			t.Errorf("%s names the input %q, worded as %s, which is no flag of gitdora", inputs[in], in, f)
		}
	}
}

// sourceInputs are the inputs named by string literals in the module's
// non-test Go files: input → a place naming it.
func sourceInputs(t *testing.T, root string) map[string]string {
	t.Helper()
	inputs := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		add := func(e ast.Expr) {
			if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
				if v, err := strconv.Unquote(b.Value); err == nil {
					inputs[v] = fset.Position(b.Pos()).String()
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.KeyValueExpr:
				if k, ok := n.Key.(*ast.Ident); ok && k.Name == "Input" {
					add(n.Value)
				}
			case *ast.CallExpr:
				if s, ok := n.Fun.(*ast.SelectorExpr); ok && len(n.Args) > 0 &&
					(s.Sel.Name == "Of" && len(n.Args) == 1 || s.Sel.Name == "Check" && len(n.Args) == 3) {
					add(n.Args[0])
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return inputs
}
