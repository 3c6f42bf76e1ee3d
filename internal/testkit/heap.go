package testkit

import (
	"runtime"
	"time"
)

// PeakHeap runs fn and returns the highest heap in use seen while it ran,
// sampled every few milliseconds.
func PeakHeap(fn func()) uint64 {
	runtime.GC()
	var peak uint64
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(done)
	<-stopped
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return max(peak, m.HeapInuse)
}
