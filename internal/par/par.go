// Package par runs independent pieces of work on every CPU.
package par

import (
	"runtime"
	"sync"
)

// Each calls fn(i) for every i in [0, n), one call per CPU at a time, and
// returns when all have returned.
func Each(n int, fn func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}
