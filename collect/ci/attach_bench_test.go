package ci

import (
	"fmt"
	"testing"
)

// BenchmarkAttach attaches the jobs of a jobs response without its run:
// all to one stub run, as a file of many jobs gives them.
func BenchmarkAttach(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		jobs := make([]Job, n)
		for i := range jobs {
			jobs[i] = Job{ID: int64(n - i), RunID: 7, Attempt: 1, Status: "completed"}
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				runs := Attach(nil, jobs)
				if len(runs) != 1 || len(runs[0].Jobs) != n {
					b.Fatalf("%d runs", len(runs))
				}
			}
		})
	}
}
