package sim

import (
	"fmt"
	"testing"

	"github.com/slasim/slasim/model"
)

// mmcScenario is an M/M/n queue as a scenario: one sync channel, exponential
// handle time (and patience, if patience > 0), n agents around the clock.
func mmcScenario(tb testing.TB, perHour, ahtSeconds float64, n int, patience float64, days, reps int) *model.Scenario {
	tb.Helper()
	var pat []string
	if patience > 0 {
		pat = append(pat, "patience = "+exponential(fmt.Sprintf("%gs", patience)))
	}
	return newScenario(fmt.Sprintf("%dd", days)).set("name", `"M/M/n"`).set("warmup", `"4h"`).
		set("seed", "11").set("replications", fmt.Sprint(reps)).
		channel("phone", "sync", fmt.Sprintf("%g/h", perHour), sla(0.8, "20s"), pat...).
		category("any", 1, exponential(fmt.Sprintf("%gs", ahtSeconds))).
		team("agent", []string{"phone"}, n).parse(tb)
}

// BenchmarkMMc runs one replication of an M/M/50 queue at occupancy 0.95
// with exponential times, statistics on, and reports customers and events
// simulated per second on one core.
func BenchmarkMMc(b *testing.B) {
	const n, aht = 50, 300.0
	perHour := 0.95 * n / aht * 3600
	sc := mmcScenario(b, perHour, aht, n, 0, 7, 1)
	benchReplications(b, sc)
}

// BenchmarkMMcBare is the yardstick for BenchmarkMMc: the same M/M/50 at
// occupancy 0.95 as a bare hand-written loop (one heap of completion
// times, a FIFO of arrival times, a running sum of waits), with no
// scenario, routing or statistics. The ratio of the two tickets/s figures
// on one machine is the engine's overhead.
func BenchmarkMMcBare(b *testing.B) {
	const n, aht = 50, 300.0
	lambda := 0.95 * n / aht
	horizon := 7 * 86400.0
	var tickets float64
	for i := 0; i < b.N; i++ {
		r := newStream(uint64(i), 0, "bare")
		busy := make([]float64, 0, n) // min-heap of completion times
		var fifo []float64
		head := 0
		var waitSum float64
		next := r.ExpFloat64() / lambda
		for next < horizon {
			// completions before the next arrival free servers for the queue
			for len(busy) > 0 && busy[0] <= next {
				t := busy[0]
				if head < len(fifo) {
					waitSum += t - fifo[head]
					head++
					busy[0] = t + r.ExpFloat64()*aht
				} else {
					busy[0] = busy[len(busy)-1]
					busy = busy[:len(busy)-1]
				}
				siftDown(busy)
			}
			if len(busy) < n {
				busy = append(busy, next+r.ExpFloat64()*aht)
				siftUp(busy)
			} else {
				fifo = append(fifo, next)
			}
			tickets++
			next += r.ExpFloat64() / lambda
		}
		if head > len(fifo) || waitSum < 0 {
			b.Fatal("impossible")
		}
	}
	b.ReportMetric(tickets/b.Elapsed().Seconds(), "tickets/s")
}

func siftUp(h []float64) {
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h[p] <= h[i] {
			break
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func siftDown(h []float64) {
	i := 0
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if l+1 < len(h) && h[l+1] < h[l] {
			m = l + 1
		}
		if h[i] <= h[m] {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// BenchmarkBlackFriday runs one replication of the bundled Black Friday
// week with every feature on (five channels, chat concurrency, deferred
// backlogs, deflection, escalation paths, priorities, breaks, shrinkage,
// surges, forecast uncertainty) and reports tickets simulated per second on
// one core.
func BenchmarkBlackFriday(b *testing.B) {
	sc, err := model.Load("../scenarios/black-friday.toml")
	if err != nil {
		b.Fatal(err)
	}
	benchReplications(b, sc)
}

// benchReplications simulates one replication per iteration, each with its
// own seed, and reports tickets and events simulated per second.
func benchReplications(b *testing.B, sc *model.Scenario) {
	p, err := compile(sc)
	if err != nil {
		b.Fatal(err)
	}
	var tickets, events float64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e := newEngine(p, uint64(i), 0, nil)
		if err := e.run(); err != nil {
			b.Fatal(err)
		}
		tickets += float64(e.nextID)
		events += float64(e.ev.seq)
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(tickets/sec, "tickets/s")
	b.ReportMetric(events/sec, "events/s")
	b.ReportMetric(tickets/float64(b.N), "tickets/op")
}
