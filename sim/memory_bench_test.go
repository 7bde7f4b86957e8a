package sim

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/slasim/slasim/model"
)

// memoryScenario is an M/M/8 queue at 60 calls an hour with 6-minute calls
// (occupancy 0.75) in 1-minute intervals, so that each replication's
// interval statistics are large next to its tickets.
func memoryScenario(tb testing.TB, days, reps int) *model.Scenario {
	tb.Helper()
	sc := mmcScenario(tb, 60, 360, 8, 300, days, reps)
	if err := sc.Set("scenario.interval", "1m"); err != nil {
		tb.Fatal(err)
	}
	return sc
}

// peakHeap samples the bytes of live heap objects every millisecond while
// f runs and returns the largest seen, after a collection before f.
func peakHeap(f func()) float64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() float64 {
		metrics.Read(sample)
		return float64(sample[0].Value.Uint64())
	}
	base := read()
	var peak float64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			peak = max(peak, read())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(done)
	wg.Wait()
	return max(peak, read()) - base
}

// BenchmarkRunMemory runs a week in 1-minute intervals (10,080 intervals)
// with 1 to 1,000 replications, and 10 replications over 7 to 112 days,
// and reports the peak live heap above the start (MB) and the bytes
// allocated per run. The peak is flat in replications: each replication
// is folded into running sums as it finishes.
func BenchmarkRunMemory(b *testing.B) {
	run := func(b *testing.B, days, reps int) {
		sc := memoryScenario(b, days, reps)
		b.ReportAllocs()
		var peak float64
		for i := 0; i < b.N; i++ {
			peak = max(peak, peakHeap(func() {
				if _, err := Run(sc, Options{}); err != nil {
					b.Fatal(err)
				}
			}))
		}
		b.ReportMetric(peak/1e6, "peak-MB")
	}
	for _, reps := range []int{1, 10, 100, 1000} {
		b.Run(fmt.Sprintf("days=7/replications=%d", reps), func(b *testing.B) { run(b, 7, reps) })
	}
	for _, days := range []int{28, 112} {
		b.Run(fmt.Sprintf("days=%d/replications=10", days), func(b *testing.B) { run(b, days, 10) })
	}
}
