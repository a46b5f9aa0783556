package collect

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gitdora/gitdora/config"
	"github.com/gitdora/gitdora/internal/gittest"
)

// squashHistory writes, with git fast-import, a main branch of n squash
// merges "Change k (#k)", each of a pull request of three commits forked
// from main 20 merges earlier, with refs/pull/k/head, and a tag (a
// deployment) every 10 merges.
func squashHistory(b *testing.B, n int) string {
	b.Helper()
	r := gittest.New(b)
	var s strings.Builder
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	mark := 0
	commit := func(ref string, at int64, msg string, from int) int {
		mark++
		fmt.Fprintf(&s, "commit %s\nmark :%d\nauthor A <a@example.com> %d +0000\ncommitter A <a@example.com> %d +0000\ndata %d\n%s\n", ref, mark, at, at, len(msg), msg)
		if from > 0 {
			fmt.Fprintf(&s, "from :%d\n", from)
		}
		fmt.Fprintf(&s, "M 644 inline f%d\ndata 1\nx\n\n", mark)
		return mark
	}
	main := []int{commit("refs/heads/main", t0, "Start", 0)}
	for k := 1; k <= n; k++ {
		at := t0 + int64(k)*3600
		fork := main[max(0, len(main)-20)]
		head := fork
		for c := range 3 {
			head = commit(fmt.Sprintf("refs/pull/%d/head", k), at-int64(30-c)*3600, fmt.Sprintf("part %d of %d", c, k), head)
		}
		main = append(main, commit("refs/heads/main", at, fmt.Sprintf("Change %d (#%d)", k, k), main[len(main)-1]))
		if k%10 == 0 {
			fmt.Fprintf(&s, "reset refs/tags/v%d\nfrom :%d\n\n", k, main[len(main)-1])
		}
	}
	if _, err := gittest.Run(r.Dir, nil, s.String(), "fast-import", "--quiet"); err != nil {
		b.Fatal(err)
	}
	return r.Dir
}

// What the heads of pull requests cost a gather: 2,000 squash merges,
// each walked back to its fork point.
func BenchmarkSquashHeads(b *testing.B) {
	dir := squashHistory(b, 2000)
	for _, tc := range []struct{ name, yaml string }{{"heads", ""}, {"squash-off", "lead_time: {squash: off}\n"}} {
		b.Run(tc.name, func(b *testing.B) {
			store, _ := openStoreB(b, dir)
			cfg, err := config.Parse([]byte(tc.yaml), "gitdora.yml")
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; i < b.N; i++ {
				f, err := Gather(Options{RepoPath: dir, Store: store, Config: cfg})
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for _, c := range f.Changes {
					if c.StartedBy != "" {
						n++
					}
				}
				if want := map[bool]int{true: 2000, false: 0}[tc.yaml == ""]; n != want {
					b.Fatalf("%d changes started by their head, want %d", n, want)
				}
			}
		})
	}
}
