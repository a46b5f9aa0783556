// Package par runs independent pieces of work on every CPU.
package par

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Each calls fn(i) for every i in [0, n), one call per CPU at a time, and
// returns when all have returned. Indices are taken in order, each by
// the first worker free: a counter, not a channel, hands them out, so
// thousands of small pieces (a scan each) cost no hand-over between
// goroutines.
func Each(n int, fn func(i int)) {
	var next atomic.Int64
	work := func() {
		for {
			i := next.Add(1) - 1
			if i >= int64(n) {
				return
			}
			fn(int(i))
		}
	}
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	for w := 1; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	if workers > 0 {
		work() // the caller is a worker too
	}
	wg.Wait()
}
