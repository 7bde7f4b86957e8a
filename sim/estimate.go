package sim

import (
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/slasim/slasim/model"
)

// MaxReplications is the most replications a run accepts, from the
// scenario file or the command line.
const MaxReplications = 10000

// Work is the size of a run, estimated from the scenario before it starts.
type Work struct {
	Replications int
	Channels     int
	Tiers        int
	// Intervals is the number of reported intervals.
	Intervals int
	// Tickets is the expected arrivals of one replication over the horizon,
	// warm-up included; Events the expected events (arrival, start and end
	// of handling, about three per ticket, and shift changes).
	Tickets float64
	Events  float64
	// Bytes is the expected peak memory of the run: the records of the
	// replications in flight, the running per-interval sums and the result
	// with its JSON.
	Bytes float64
}

// TotalTickets is the expected tickets over all replications.
func (w Work) TotalTickets() float64 { return w.Tickets * float64(w.Replications) }

// Limits bound the size of a run. A zero field is no limit.
type Limits struct {
	// Tickets caps the expected tickets over all replications.
	Tickets float64
	// Bytes caps the expected peak memory.
	Bytes float64
	// Queue caps the contacts waiting on one channel at once (live queue
	// or deferred backlog); a replication that reaches it stops, and the
	// result says so. Zero: DefaultQueueLimit.
	Queue int
}

// DefaultLimits are sized so that a run fits in 12 GiB, half of a 24 GiB
// machine, and ends within tens of minutes on two cores.
var DefaultLimits = Limits{Tickets: 2e9, Bytes: 12 << 30}

// DefaultQueueLimit is the default bound on contacts waiting on a channel:
// a million tickets hold about 240 MB per replication in flight.
const DefaultQueueLimit = 1_000_000

// ErrTooBig is returned (wrapped) by Work.Check when a run exceeds its
// limits.
var ErrTooBig = errors.New("run too big")

// Estimate sizes a run of the scenario with the options, without running
// it.
func Estimate(sc *model.Scenario, opt Options) (Work, error) {
	p, err := compile(sc)
	if err != nil {
		return Work{}, err
	}
	n := sc.Meta.Replications
	if opt.Replications > 0 {
		n = opt.Replications
	}
	w := Work{Replications: n, Channels: len(p.channels), Tiers: len(p.tiers), Intervals: p.nInterval}
	rates := planRates(p)
	for c := range p.channels {
		w.Tickets += rates.Expected(c, p.t0, p.end)
	}
	w.Events = 3*w.Tickets + 4*float64(len(p.agents)*p.nDays)
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, n))
	ni, nc, nt := float64(w.Intervals), float64(w.Channels), float64(w.Tiers)
	record := ni * (120*nc + 56*nt + 8*nt*nc) // one replication's counters
	sums := ni * (float64(len(IntervalFigures))*24*nc + 16*nc + float64(len(TierIntervalFigures))*24*nt)
	result := ni * (700*nc + 300*nt)      // IntervalResult and TierIntervalResult
	output := 2 * ni * (1200*nc + 500*nt) // JSON and CSV text, built in memory
	const base = 64 << 20                 // runtime, scenario, plan
	// The garbage collector lets the heap grow to about 1.5 times what is
	// live (measured: 3.4 GiB peak for 138 days in 1-minute intervals).
	w.Bytes = base + 1.5*(3*float64(workers)*record+sums+result+output)
	return w, nil
}

// Check returns an error wrapping ErrTooBig that says what to change when
// the run exceeds the limits.
func (w Work) Check(l Limits) error {
	var why []string
	// Written !(x <= limit) so that a NaN estimate is refused too.
	if l.Tickets > 0 && !(w.TotalTickets() <= l.Tickets) {
		why = append(why, fmt.Sprintf("about %s tickets (%s per replication × %d replications) exceed the limit of %s; "+
			"shorten scenario.duration, lower the arrival rates or use fewer replications, or raise the limit with --max-tickets",
			Count(w.TotalTickets()), Count(w.Tickets), w.Replications, Count(l.Tickets)))
	}
	if l.Bytes > 0 && !(w.Bytes <= l.Bytes) {
		why = append(why, fmt.Sprintf("about %s of memory (%s intervals × %d channels, %d tiers) exceed the limit of %s; "+
			"use a longer scenario.interval or a shorter scenario.duration, or raise the limit with --max-memory",
			Bytes(w.Bytes), Count(float64(w.Intervals)), w.Channels, w.Tiers, Bytes(l.Bytes)))
	}
	if len(why) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrTooBig, strings.Join(why, "; "))
}

// String is the estimate for a reader.
func (w Work) String() string {
	return fmt.Sprintf("%d replications × about %s tickets and %s events each, %s intervals × %d channels, about %s of memory",
		w.Replications, Count(w.Tickets), Count(w.Events), Count(float64(w.Intervals)), w.Channels, Bytes(w.Bytes))
}

// Count writes a large number briefly: 950, 12.3 thousand, 4.1 million,
// 2.0e+12.
func Count(x float64) string {
	switch {
	case x < 1e4:
		return fmt.Sprintf("%.0f", x)
	case x < 1e6:
		return fmt.Sprintf("%.1f thousand", x/1e3)
	case x < 1e9:
		return fmt.Sprintf("%.1f million", x/1e6)
	case x < 1e12:
		return fmt.Sprintf("%.1f billion", x/1e9)
	}
	return fmt.Sprintf("%.1e", x)
}

// Bytes writes a size in MiB or GiB.
func Bytes(b float64) string {
	if b < 1<<30 {
		return fmt.Sprintf("%.0f MiB", b/(1<<20))
	}
	return fmt.Sprintf("%.1f GiB", b/(1<<30))
}
