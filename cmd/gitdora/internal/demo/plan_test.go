package demo

import (
	"bytes"
	"fmt"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/fact"
	"github.com/gitdora/gitdora/internal/gen"
)

func plan(t *testing.T, months int, seed uint64) *Plan {
	t.Helper()
	p, err := New(Options{Months: months, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMonthsBounds(t *testing.T) {
	for _, m := range []int{0, -1, MaxMonths + 1} {
		if _, err := New(Options{Months: m, Seed: 1}); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("want 1 to %d", MaxMonths)) {
			t.Errorf("Months %d: error %v, want one giving the range", m, err)
		}
	}
	p := plan(t, 1, 1)
	if got := p.Start.Format("2006-01-02"); got != "2025-12-01" {
		t.Errorf("a one-month demo starts %s, want 2025-12-01", got)
	}
	ex := p.Expect()
	if len(ex) != 1 || ex[0].Month != "2025-12" || ex[0].Successful == 0 || ex[0].Scans == 0 {
		t.Errorf("one month: %+v", ex)
	}
	p = plan(t, MaxMonths, 1)
	if got := p.Start.Format("2006-01-02"); got != "2021-01-01" {
		t.Errorf("a %d-month demo starts %s, want 2021-01-01", MaxMonths, got)
	}
	// Every month has deployment events (the first source gitdora reads,
	// docs/metrics.md, "Deployments"): no month falls back to CI runs or tags.
	for _, m := range p.Expect() {
		if m.Total == 0 {
			t.Errorf("%s has no deployment", m.Month)
		}
	}
	if last := p.Model.Commits[len(p.Model.Commits)-1].Committer.When; !last.Before(End) || last.Before(freezeStart) {
		t.Errorf("the history ends %s, want in the last days of December 2025", last)
	}
}

// The same options give the same plan and the same files; another seed another plan.
func TestPlanIsDeterministic(t *testing.T) {
	a, b, c := plan(t, 3, 9), plan(t, 3, 9), plan(t, 3, 10)
	if !reflect.DeepEqual(a.Expect(), b.Expect()) {
		t.Error("two plans of the same options expect different figures")
	}
	for n := range a.Nights {
		for tl := range tools {
			x, _ := a.SARIF(tl, n)
			y, _ := b.SARIF(tl, n)
			if !bytes.Equal(x, y) {
				t.Fatalf("night %d, %s: SARIF differs between two plans of the same options", n, tools[tl].Name)
			}
		}
	}
	for i := range a.Pipelines {
		x, _ := a.Pipelines[i].Run.JSON()
		y, _ := b.Pipelines[i].Run.JSON()
		if !bytes.Equal(x, y) {
			t.Fatalf("pipeline %d: run JSON differs between two plans of the same options", i)
		}
	}
	if reflect.DeepEqual(a.Expect(), c.Expect()) {
		t.Error("seeds 9 and 10 give the same figures")
	}
}

// A year of the demo shows every case the report explains.
func TestPlanHasEveryCase(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		p := plan(t, 12, seed)
		count := map[string]int{}
		for _, pl := range p.Pipelines {
			count["status "+pl.Production.Status]++
		}
		for _, in := range p.Incidents {
			count["incident by "+in.How]++
			count["incident "+in.Category]++
			if !in.Resolved.Valid {
				count["open incident"]++
			}
		}
		for _, f := range p.Findings {
			count["tool "+tools[f.Tool].Name]++
			switch {
			case len(f.Spans) == 0:
				count["suppressed in the source"]++
			case f.Suppressed.To > f.Suppressed.From:
				count["suppressed after triage"]++
			}
			if len(f.Spans) > 1 {
				count["comes back"]++
			}
			for n := 1; n < len(p.Nights); n++ {
				if in, _ := f.reported(n); in && f.lineAt(n) != f.lineAt(n-1) {
					count["moves"]++
					break
				}
			}
		}
		for _, e := range p.Episodes() {
			count["episode "+string(e.Severity)]++
			if e.Closed == nil {
				count["open at the end"]++
			}
		}
		for _, want := range []string{"status success", "status blocked", "status failure",
			"incident by commit", "incident by time", "incident by deployment", "incident by none", "incident by staging", "open incident",
			"incident security", "incident reliability", "tool Semgrep OSS", "tool CodeQL", "tool gitleaks",
			"suppressed in the source", "suppressed after triage", "comes back", "moves",
			"episode critical", "episode high", "episode medium", "episode low", "open at the end"} {
			if count[want] == 0 {
				t.Errorf("seed %d: no %s (%v)", seed, want, count)
			}
		}
		if n := count["incident by none"]; n != 1 {
			t.Errorf("seed %d: %d unattributed incidents, want 1", seed, n)
		}
	}
}

// Each incident belongs where the plan meant it to by gitdora's rules,
// and gitdora's time rules are met: deployment and scan times are whole
// seconds, nothing happens after the end.
func TestPlanIntendsWhatItRecords(t *testing.T) {
	p := plan(t, 12, 1)
	for _, in := range p.Incidents {
		if got := p.Attributed(in); got != in.Intended {
			t.Errorf("%s (%s): attributed to pipeline %d, meant for %d", in.ID, in.How, got, in.Intended)
		}
		if err := in.Check(); err != nil {
			t.Errorf("%s: %v", in.ID, err)
		}
		if !in.Recorded.Before(End) {
			t.Errorf("%s is recorded %s, after the demo's end", in.ID, in.Recorded)
		}
	}
	for _, pl := range p.Pipelines {
		if err := pl.Production.Check(); err != nil {
			t.Errorf("%s: %v", pl.Production.ID, err)
		}
		if pl.Production.Time.Nanosecond() != 0 || !pl.Production.Time.Before(freezeStart) {
			t.Errorf("%s at %s", pl.Production.ID, pl.Production.Time)
		}
		// The gate stops a blocked pipeline before staging.
		if blocked := fact.Status(pl.Production.Status) == fact.StatusBlocked; blocked == (pl.Staging != nil) {
			t.Errorf("%s: %s with staging %v", pl.Production.ID, pl.Production.Status, pl.Staging != nil)
		}
	}
	for n := range p.Nights {
		for tl := range tools {
			if st := p.ScanTime(tl, n); st.Nanosecond() != 0 || !st.Before(End) {
				t.Errorf("night %d, %s: scan time %s", n, tools[tl].Name, st)
			}
		}
	}
}

// Write makes a git repository go-git and git read alike: the generated
// history on main, and the data branch with the demo's gitdora.yml and
// one commit a month after init and configuration.
func TestWrite(t *testing.T) {
	p := plan(t, 2, 4)
	dir := t.TempDir()
	if err := p.Write(dir); err != nil {
		t.Fatal(err)
	}
	r, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	head, err := r.Reference(plumbing.ReferenceName(gen.Trunk), true)
	if err != nil || head.Hash().String() != p.Model.Commits[p.Model.Refs[0].Commit].Hash {
		t.Fatalf("main is %v (%v), want the model's head", head, err)
	}
	store, err := data.Open(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := store.Config("")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Severity.Overrides["aws-access-token"] != string(fact.SeverityCritical) || cfg.ScanBudget.LOC != linesOfCode {
		t.Errorf("gitdora.yml on the data branch: overrides %v, loc %d", cfg.Severity.Overrides, cfg.ScanBudget.LOC)
	}
	deps, probs, err := store.Deployments()
	if err != nil || len(probs) > 0 {
		t.Fatalf("deployments: %v %v", err, probs)
	}
	want := 0
	for _, pl := range p.Pipelines {
		want++
		if pl.Staging != nil {
			want++
		}
	}
	if len(deps) != want {
		t.Errorf("%d deployments on the data branch, %d planned", len(deps), want)
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed: the repository is not checked with git fsck")
	}
	if out, err := exec.Command("git", "-C", dir, "fsck", "--strict", "--no-dangling").CombinedOutput(); err != nil {
		t.Errorf("git fsck: %v\n%s", err, out)
	}
	out, err := exec.Command("git", "-C", dir, "log", "--format=%s|%an <%ae>|%cI", "dora-data").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2+2 {
		t.Errorf("%d data-branch commits, want init, configuration and one a month:\n%s", len(lines), out)
	}
	if !strings.HasPrefix(lines[0], "December 2025: ") || !strings.Contains(lines[len(lines)-1], "gitdora init") {
		t.Errorf("data-branch commits:\n%s", out)
	}
}

// BenchmarkDemo plans and writes the default demo (12 months): the part
// of `gitdora demo` before the site is built.
func BenchmarkDemo(b *testing.B) {
	for i := 0; i < b.N; i++ {
		p, err := New(Options{Months: 12, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		if err := p.Write(b.TempDir()); err != nil {
			b.Fatal(err)
		}
	}
}
