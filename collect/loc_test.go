package collect

import (
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/gittest"
)

func TestCodeLOC(t *testing.T) {
	r := gittest.New(t)
	work := t.TempDir()
	gittest.WriteFiles(t, work, map[string]string{
		"main.go":                   "package main\n\nfunc main() {}\n", // 3 lines
		"lib/util.py":               "def f():\n    return 1",           // 2 lines, no final newline
		"README.md":                 "# not code\n",
		"vendor/x/x.go":             "package x\n",
		"web/node_modules/a/a.js":   "1\n",
		"web/app.ts":                "export const a = 1\n", // 1 line
		"testdata/fixture.json":     "{}\n",
		"internal/deep/er/thing.rs": "fn main() {}\n\n",                 // 2 lines
		"gen/limit.js":              strings.Repeat("x\n", 1<<19),       // 1 MiB: 524288 lines
		"gen/over.js":               strings.Repeat("x\n", 1<<19) + "y", // over 1 MiB: generated, not counted
	})
	git := func(args ...string) string {
		return gittest.MustRun(t, r.Dir, append([]string{"--work-tree", work}, args...)...)
	}
	git("add", "-A")
	gittest.MustRun(t, r.Dir, "-c", "user.name=a", "-c", "user.email=a@x", "--work-tree", work, "commit", "-q", "-m", "code")
	f := &fact.Facts{}
	store, cfg := openStore(t, r.Dir, t.TempDir())
	if err := gatherHistory(Options{RepoPath: r.Dir, Store: store, Config: cfg, Loc: time.UTC}, f); err != nil {
		t.Fatal(err)
	}
	if f.CodeLOC != 0 {
		t.Errorf("without scans CodeLOC = %d, want 0 (not counted)", f.CodeLOC)
	}
	for _, packed := range []bool{false, true} {
		if packed {
			gittest.MustRun(t, r.Dir, "repack", "-adq")
		}
		f = &fact.Facts{Scans: []fact.Scan{{Tool: "semgrep"}}}
		if err := gatherHistory(Options{RepoPath: r.Dir, Store: store, Config: cfg}, f); err != nil {
			t.Fatal(err)
		}
		if want := 8 + 1<<19; f.CodeLOC != want {
			t.Errorf("packed %v: CodeLOC = %d, want %d (main.go 3, util.py 2, app.ts 1, thing.rs 2, limit.js 524288)", packed, f.CodeLOC, want)
		}
	}
	cfg.ScanBudget.LOC = 120000
	f = &fact.Facts{Scans: []fact.Scan{{Tool: "semgrep"}}}
	if err := gatherHistory(Options{RepoPath: r.Dir, Store: store, Config: cfg}, f); err != nil {
		t.Fatal(err)
	}
	if f.CodeLOC != 120000 {
		t.Errorf("with scan_budget.loc CodeLOC = %d, want 120000", f.CodeLOC)
	}
}
