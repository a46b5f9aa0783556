package par

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

func TestEachCallsEveryIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000} {
		calls := make([]int32, n)
		var total atomic.Int32
		Each(n, func(i int) { atomic.AddInt32(&calls[i], 1); total.Add(1) })
		if int(total.Load()) != n {
			t.Fatalf("n=%d: %d calls", n, total.Load())
		}
		for i, c := range calls {
			if c != 1 {
				t.Fatalf("n=%d: index %d called %d times", n, i, c)
			}
		}
	}
}

// No more calls run at once than there are CPUs to run them, and as many
// do when there is work for them.
func TestEachRunsOnePerCPU(t *testing.T) {
	procs := runtime.GOMAXPROCS(0)
	var running, most atomic.Int32
	Each(200, func(int) {
		r := running.Add(1)
		for {
			m := most.Load()
			if r <= m || most.CompareAndSwap(m, r) {
				break
			}
		}
		time.Sleep(time.Millisecond)
		running.Add(-1)
	})
	if m := int(most.Load()); m > procs || procs > 1 && m < 2 {
		t.Errorf("%d calls at once on %d CPUs", m, procs)
	}
}
