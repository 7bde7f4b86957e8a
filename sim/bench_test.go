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
	pat := ""
	if patience > 0 {
		pat = fmt.Sprintf("patience = { dist = \"exponential\", mean = \"%gs\" }", patience)
	}
	src := fmt.Sprintf(`
[scenario]
name = "M/M/n"
start = 2026-11-23T00:00:00Z
duration = "%dd"
interval = "1h"
warmup = "4h"
seed = 11
replications = %d

[[channel]]
name = "phone"
mode = "sync"
rate = "%g/h"
%s
sla = { target = 0.8, within = "20s" }

[[category]]
name = "any"
share = 1
handle_time = { dist = "exponential", mean = "%gs" }

[[tier]]
name = "agent"
skills = ["phone"]

[[shift]]
name = "always"
tier = "agent"
days = "daily"
start = "00:00"
length = "24h"
headcount = %d
`, days, reps, perHour, pat, ahtSeconds, n)
	sc, err := model.Parse("mmc.toml", []byte(src))
	if err != nil {
		tb.Fatal(err)
	}
	return sc
}

// BenchmarkMMc runs one replication of an M/M/50 queue at occupancy 0.95
// with exponential times, statistics on, and reports customers and events
// simulated per second on one core.
func BenchmarkMMc(b *testing.B) {
	const n, aht = 50, 300.0
	perHour := 0.95 * n / aht * 3600
	sc := mmcScenario(b, perHour, aht, n, 0, 7, 1)
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
