package collect

import (
	"testing"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/internal/gen"
	"github.com/gitdora/gitdora/internal/gittest"
)

// BenchmarkGatherServices gathers a 20,000-commit monorepo (internal/gen's
// monorepo layout, with a commit-graph) without services, with three
// services by path (what every change of the history touches), and with
// each service's own facts too; the difference between the first two is
// the cost of reading what commits change.
func BenchmarkGatherServices(b *testing.B) {
	gittest.New(b)
	o := gen.DefaultOptions()
	o.Commits, o.Releases, o.PerDay, o.Monorepo = 20000, 400, 100, true
	m, err := gen.Generate(o)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if err := gen.ImportWithGit(dir, m); err != nil {
		b.Fatal(err)
	}
	gittest.MustRun(b, dir, "commit-graph", "write", "--reachable")
	services, err := config.Parse([]byte(`services:
  - name: api
    paths: ["services/api/**", "libs/common/**", "libs/proto/**"]
  - name: web
    paths: ["web/**", "libs/common/**"]
  - name: billing
    paths: ["services/billing/**", "libs/proto/**"]
`), "gitdora.yml")
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		cfg  *config.Settings
		all  bool
	}{{"plain", config.Default(), false}, {"services", services, false}, {"slices", services, true}} {
		b.Run(bc.name, func(b *testing.B) {
			store, _ := openStoreB(b, dir)
			for b.Loop() {
				f, err := Gather(Options{RepoPath: dir, Store: store, Config: bc.cfg, AllSlices: bc.all})
				if err != nil {
					b.Fatal(err)
				}
				if bc.all && len(f.Slices) != 3 {
					b.Fatalf("%d slices", len(f.Slices))
				}
			}
		})
	}
}
