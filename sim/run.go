package sim

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim/trace"
)

// Options tune a run; the zero value runs the scenario as written.
type Options struct {
	// Replications overrides the scenario's count when > 0.
	Replications int
	// Seed overrides the scenario's seed when SeedSet.
	Seed    uint64
	SeedSet bool
	// Workers is how many replications run at once (0: GOMAXPROCS). The
	// result does not depend on it.
	Workers int
	// Progress, if set, is called after each replication completes, from
	// one goroutine at a time.
	Progress func(done, total int)
	// Trace, if set, receives the lifecycle trace of replication 0 in time
	// order; an error from it stops the run.
	Trace func(trace.Action) error
	// TraceEach, if set, is called once for each replication r before it
	// runs, from the goroutine that runs it (calls for different
	// replications may run at once); the function it returns, if not nil,
	// receives replication r's lifecycle trace in time order, in place of
	// Trace. The calibration backtest reads every replication's trace as
	// it reads a history.
	TraceEach func(r int) func(trace.Action) error
	// Staffing, if set, replaces the scenario's rota: Staffing[t][i] agents
	// of tier t are on the floor throughout interval i (no breaks, no
	// shrinkage: these are agents available, as a requirement counts them).
	// The warm-up is staffed as the first interval.
	Staffing [][]int
	// QueueLimit bounds the contacts a channel holds waiting (live) or
	// open (deferred); arrivals past it are turned away and the result
	// says so. 0: DefaultQueueLimit.
	QueueLimit int
}

// Run simulates every replication of the scenario, in parallel, and
// summarises them. The same scenario and seed give the same Result
// whatever the number of cores: replications are folded into the result in
// replication order.
func Run(sc *model.Scenario, opt Options) (*Result, error) {
	return RunContext(context.Background(), sc, opt)
}

// RunContext is Run that stops, with the context's error, soon after ctx
// is done (Ctrl-C in the CLI, a deadline in a service).
func RunContext(ctx context.Context, sc *model.Scenario, opt Options) (*Result, error) {
	p, err := compile(sc)
	if err != nil {
		return nil, err
	}
	if opt.Staffing != nil {
		if err := p.staffWith(opt.Staffing); err != nil {
			return nil, err
		}
	}
	n := sc.Meta.Replications
	if opt.Replications > 0 {
		n = opt.Replications
	}
	if n < 1 || n > MaxReplications {
		return nil, fmt.Errorf("replications: %d is not in [1, %d]", n, MaxReplications)
	}
	seed := sc.Meta.Seed
	if opt.SeedSet {
		seed = opt.Seed
	}
	p.queueLimit = DefaultQueueLimit
	if opt.QueueLimit > 0 {
		p.queueLimit = opt.QueueLimit
	}
	t := newTally(p, seed)
	if err := replicate(ctx, p, seed, n, opt, t.fold); err != nil {
		return nil, err
	}
	return t.result(), nil
}

// finished is one replication's outcome.
type finished struct {
	r   int
	st  *repStats
	err error
}

// replicate runs replications 0..n-1 on opt.Workers goroutines and hands
// each record to fold in replication order. At most twice as many
// replications as workers are in flight or waiting for their turn, so
// memory holds a few replication records, not n. The first failed
// replication (by index) stops the run.
func replicate(ctx context.Context, p *plan, seed uint64, n int, opt Options, fold func(*repStats)) error {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	window := make(chan struct{}, 2*workers)
	stop := make(chan struct{})
	jobs := make(chan int)
	out := make(chan finished)
	go func() {
		defer close(jobs)
		for r := 0; r < n; r++ {
			select {
			case window <- struct{}{}:
			case <-stop:
				return
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- r:
			case <-stop:
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				var tr func(trace.Action) error
				if r == 0 {
					tr = opt.Trace
				}
				if opt.TraceEach != nil {
					tr = opt.TraceEach(r)
				}
				e := newEngine(p, seed, r, tr)
				e.ctx = ctx
				err := e.run()
				out <- finished{r, e.st, err}
			}
		}()
	}
	go func() { wg.Wait(); close(out) }()
	pending := map[int]finished{}
	next, done := 0, 0
	var failed *finished
	for f := range out {
		done++
		if opt.Progress != nil && failed == nil {
			opt.Progress(done, n)
		}
		if f.err != nil && (failed == nil || f.r < failed.r) {
			if failed == nil {
				close(stop)
			}
			failed = &f
		}
		pending[f.r] = f
		for failed == nil {
			g, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			fold(g.st)
			next++
			<-window
		}
	}
	if failed != nil {
		return fmt.Errorf("replication %d: %w", failed.r, failed.err)
	}
	if next < n {
		return ctx.Err() // stopped before every replication ran
	}
	return nil
}

// TraceRun simulates replication 0 of the scenario with its seed and calls
// emit for every action of the lifecycle trace, in time order.
func TraceRun(sc *model.Scenario, emit func(trace.Action) error) error {
	return TraceRunContext(context.Background(), sc, emit)
}

// TraceRunContext is TraceRun that stops soon after ctx is done.
func TraceRunContext(ctx context.Context, sc *model.Scenario, emit func(trace.Action) error) error {
	p, err := compile(sc)
	if err != nil {
		return err
	}
	e := newEngine(p, sc.Meta.Seed, 0, emit)
	e.ctx = ctx
	return e.run()
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

// intervalCost is channel c's share of interval i's cost: each tier's staff
// cost in the interval split by the handle time started on each channel
// (by the period's split if the tier started none in the interval, evenly
// if none at all), plus the interval's automation cost.
func intervalCost(p *plan, r *repStats, c, i int) float64 {
	cost := r.chIv[c][i].automationCost
	nc := len(p.channels)
	for ti, tp := range p.tiers {
		staff := r.tierStaffed[ti][i] / 3600 * tp.hourly
		if staff == 0 {
			continue
		}
		var all float64
		for k := 0; k < nc; k++ {
			all += r.tierChannelBusyIv[ti][k*p.nInterval+i]
		}
		switch {
		case all > 0:
			cost += staff * r.tierChannelBusyIv[ti][c*p.nInterval+i] / all
		default:
			var tot float64
			for _, x := range r.tierChannelBusy[ti] {
				tot += x
			}
			if tot > 0 {
				cost += staff * r.tierChannelBusy[ti][c] / tot
			} else {
				cost += staff / float64(nc)
			}
		}
	}
	return cost
}
