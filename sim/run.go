package sim

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"time"

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
	// Staffing, if set, replaces the scenario's rota: Staffing[t][i] agents
	// of tier t are on the floor throughout interval i (no breaks, no
	// shrinkage: these are agents available, as a requirement counts them).
	// The warm-up is staffed as the first interval.
	Staffing [][]int
}

// Run simulates every replication of the scenario, in parallel, and
// summarises them. The same scenario and seed give the same Result
// whatever the number of cores.
func Run(sc *model.Scenario, opt Options) (*Result, error) {
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
	seed := sc.Meta.Seed
	if opt.SeedSet {
		seed = opt.Seed
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers > n {
		workers = n
	}
	reps := make([]*repStats, n)
	errs := make([]error, n)
	jobs := make(chan int)
	done := make(chan int)
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
				e := newEngine(p, seed, r, tr)
				errs[r] = e.run()
				reps[r] = e.st
				done <- r
			}
		}()
	}
	go func() {
		for r := 0; r < n; r++ {
			jobs <- r
		}
		close(jobs)
	}()
	for k := 1; k <= n; k++ {
		<-done
		if opt.Progress != nil {
			opt.Progress(k, n)
		}
	}
	wg.Wait()
	for r, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("replication %d: %w", r, err)
		}
	}
	return summarise(p, seed, reps), nil
}

// TraceRun simulates replication 0 of the scenario with its seed and calls
// emit for every action of the lifecycle trace, in time order.
func TraceRun(sc *model.Scenario, emit func(trace.Action) error) error {
	p, err := compile(sc)
	if err != nil {
		return err
	}
	return newEngine(p, sc.Meta.Seed, 0, emit).run()
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

// over collects one figure from every replication into a Stat.
func over(reps []*repStats, f func(*repStats) float64) Stat {
	v := make([]float64, len(reps))
	for i, r := range reps {
		v[i] = f(r)
	}
	return NewStat(v)
}

func overPtr(reps []*repStats, f func(*repStats) float64) *Stat {
	s := over(reps, f)
	if len(s.Samples) == 0 {
		return nil
	}
	return &s
}

func summarise(p *plan, seed uint64, reps []*repStats) *Result {
	sc := p.sc
	res := &Result{
		Scenario:        sc.Meta.Name,
		Seed:            seed,
		Replications:    len(reps),
		Start:           sc.Meta.Start,
		DurationSeconds: p.end,
		IntervalSeconds: p.interval,
		WarmupSeconds:   -p.t0,
	}
	ivStart := func(i int) time.Time {
		return sc.Meta.Start.Add(time.Duration(float64(i) * p.interval * float64(time.Second)))
	}
	for c, ch := range p.channels {
		k := func(r *repStats) *counters { return &r.ch[c] }
		cr := ChannelResult{
			Name: ch.name, Mode: ch.mode, Target: ch.target, WithinSeconds: ch.within,
			Clock:        sc.Channels[c].SLA.Clock,
			Arrivals:     over(reps, func(r *repStats) float64 { return k(r).arrivals }),
			Deflected:    over(reps, func(r *repStats) float64 { return k(r).deflected }),
			Fallback:     over(reps, func(r *repStats) float64 { return k(r).fallback }),
			Offered:      over(reps, func(r *repStats) float64 { return k(r).offered }),
			Answered:     over(reps, func(r *repStats) float64 { return k(r).answered }),
			Abandoned:    over(reps, func(r *repStats) float64 { return k(r).abandoned }),
			ServiceLevel: over(reps, func(r *repStats) float64 { return ratio(k(r).within, k(r).offered) }),
			PWait:        over(reps, func(r *repStats) float64 { return ratio(k(r).waited, k(r).offered) }),
			ASASeconds:   over(reps, func(r *repStats) float64 { return ratio(k(r).waitSum, k(r).answered) }),
			AbandonRate:  over(reps, func(r *repStats) float64 { return ratio(k(r).abandoned, k(r).offered) }),
			MaxQueue: over(reps, func(r *repStats) float64 {
				m := 0.0
				for _, x := range r.queueMax[c] {
					m = math.Max(m, x)
				}
				return m
			}),
			ResolutionSeconds: over(reps, func(r *repStats) float64 { return ratio(k(r).resolutionSum, k(r).resolved) }),
			BacklogEnd: over(reps, func(r *repStats) float64 {
				if p.nInterval == 0 {
					return 0
				}
				return r.backlog[c][p.nInterval-1]
			}),
		}
		cr.ServiceLevelP10 = cr.ServiceLevel.Percentile(0.1)
		cr.ServiceLevelP90 = cr.ServiceLevel.Percentile(0.9)
		bestI, best := 0, -1.0
		for i := 0; i < p.nInterval; i++ {
			var sum float64
			for _, r := range reps {
				sum += r.queueMax[c][i]
			}
			if sum > best {
				bestI, best = i, sum
			}
		}
		cr.MaxQueueAt = float64(bestI) * p.interval
		res.Channels = append(res.Channels, cr)
		if len(sc.Priorities) > 0 {
			for pr, pp := range p.prios {
				if !model.Covers(sc.Priorities[pr].Channels, ch.name) {
					continue
				}
				k := func(r *repStats) *counters { return &r.prio[c][pr] }
				res.Priorities = append(res.Priorities, PriorityResult{
					Channel: ch.name, Priority: pp.name, Target: pp.target[c], WithinSeconds: pp.within[c],
					Offered:      over(reps, func(r *repStats) float64 { return k(r).offered }),
					ServiceLevel: over(reps, func(r *repStats) float64 { return ratio(k(r).within, k(r).offered) }),
					ASASeconds:   over(reps, func(r *repStats) float64 { return ratio(k(r).waitSum, k(r).answered) }),
					AbandonRate:  over(reps, func(r *repStats) float64 { return ratio(k(r).abandoned, k(r).offered) }),
				})
			}
		}
		for i := 0; i < p.nInterval; i++ {
			k := func(r *repStats) *counters { return &r.chIv[c][i] }
			res.Intervals = append(res.Intervals, IntervalResult{
				Channel: ch.name, Index: i, Start: ivStart(i),
				Arrivals:     over(reps, func(r *repStats) float64 { return k(r).arrivals }),
				Deflected:    over(reps, func(r *repStats) float64 { return k(r).deflected }),
				Offered:      over(reps, func(r *repStats) float64 { return k(r).offered }),
				Answered:     over(reps, func(r *repStats) float64 { return k(r).answered }),
				Abandoned:    over(reps, func(r *repStats) float64 { return k(r).abandoned }),
				ServiceLevel: overPtr(reps, func(r *repStats) float64 { return ratio(k(r).within, k(r).offered) }),
				PWait:        overPtr(reps, func(r *repStats) float64 { return ratio(k(r).waited, k(r).offered) }),
				ASASeconds:   overPtr(reps, func(r *repStats) float64 { return ratio(k(r).waitSum, k(r).answered) }),
				AbandonRate:  overPtr(reps, func(r *repStats) float64 { return ratio(k(r).abandoned, k(r).offered) }),
				QueueMean:    over(reps, func(r *repStats) float64 { return r.queueArea[c][i] / p.interval }),
				MaxQueue:     over(reps, func(r *repStats) float64 { return r.queueMax[c][i] }),
				Backlog:      over(reps, func(r *repStats) float64 { return r.backlog[c][i] }),
				Cost:         over(reps, func(r *repStats) float64 { return intervalCost(p, r, c, i) }),
			})
		}
	}
	staffHours := func(r *repStats, ti int) float64 {
		var s float64
		for _, x := range r.tierStaffed[ti] {
			s += x
		}
		return s / 3600
	}
	tierCost := func(r *repStats, ti int) float64 { return staffHours(r, ti) * p.tiers[ti].hourly }
	staffCost := func(r *repStats) float64 {
		var s float64
		for ti := range p.tiers {
			s += tierCost(r, ti)
		}
		return s
	}
	for ti, tp := range p.tiers {
		band := ""
		if tp.band >= 0 {
			band = sc.Bands[tp.band].Name
		}
		res.Tiers = append(res.Tiers, TierResult{
			Name: tp.name, Band: band,
			Handled:   over(reps, func(r *repStats) float64 { return r.tierHandled[ti] }),
			Escalated: over(reps, func(r *repStats) float64 { return r.tierEscalated[ti] }),
			Occupancy: over(reps, func(r *repStats) float64 {
				var b, a float64
				for i := range r.tierBusy[ti] {
					b += r.tierBusy[ti][i]
					a += r.tierAvailable[ti][i]
				}
				return ratio(b, a)
			}),
			StaffedHours: over(reps, func(r *repStats) float64 { return staffHours(r, ti) }),
			Cost:         over(reps, func(r *repStats) float64 { return tierCost(r, ti) }),
		})
		if ola := sc.Tiers[ti].SLA; ola != nil {
			tr := &res.Tiers[len(res.Tiers)-1]
			sum := func(r *repStats) escCounters {
				var k escCounters
				for _, x := range r.tierEsc[ti] {
					k.offered += x.offered
					k.within += x.within
					k.waitSum += x.waitSum
					k.taken += x.taken
				}
				return k
			}
			tr.EscalationTarget, tr.EscalationWithinSeconds = ola.Target, ola.Within.Seconds()
			tr.EscalationServiceLevel = overPtr(reps, func(r *repStats) float64 { k := sum(r); return ratio(k.within, k.offered) })
			tr.EscalationWaitSeconds = overPtr(reps, func(r *repStats) float64 { k := sum(r); return ratio(k.waitSum, k.taken) })
		}
		for i := 0; i < p.nInterval; i++ {
			res.TierIntervals = append(res.TierIntervals, TierIntervalResult{
				Tier: tp.name, Index: i, Start: ivStart(i),
				Staffed:   over(reps, func(r *repStats) float64 { return r.tierStaffed[ti][i] / p.interval }),
				Available: over(reps, func(r *repStats) float64 { return r.tierAvailable[ti][i] / p.interval }),
				Busy:      over(reps, func(r *repStats) float64 { return r.tierBusy[ti][i] / p.interval }),
				Cost:      over(reps, func(r *repStats) float64 { return r.tierStaffed[ti][i] / 3600 * tp.hourly }),
			})
			if sc.Tiers[ti].SLA != nil {
				res.TierIntervals[len(res.TierIntervals)-1].EscalationServiceLevel = overPtr(reps, func(r *repStats) float64 {
					return ratio(r.tierEsc[ti][i].within, r.tierEsc[ti][i].offered)
				})
			}
		}
	}
	for bi := range sc.Bands {
		b := &sc.Bands[bi]
		res.Bands = append(res.Bands, BandResult{
			Name: b.Name, HourlyCost: b.HourlyCost(0),
			Cost: over(reps, func(r *repStats) float64 {
				var s float64
				for ti, tp := range p.tiers {
					if tp.band == bi {
						s += tierCost(r, ti)
					}
				}
				return s
			}),
		})
	}
	resolved := func(r *repStats) float64 {
		s := r.automationResolved
		for c := range r.ch {
			s += r.ch[c].resolved
		}
		return s
	}
	res.Cost = CostResult{
		Staff:       over(reps, staffCost),
		Automation:  over(reps, func(r *repStats) float64 { return r.automationCost }),
		Total:       over(reps, func(r *repStats) float64 { return staffCost(r) + r.automationCost }),
		PerResolved: over(reps, func(r *repStats) float64 { return ratio(staffCost(r)+r.automationCost, resolved(r)) }),
	}
	for c, ch := range p.channels {
		res.Cost.PerChannel = append(res.Cost.PerChannel, ChannelCost{Channel: ch.name,
			Cost: over(reps, func(r *repStats) float64 {
				s := r.channelAutomationCost[c]
				for ti := range p.tiers {
					var all float64
					for _, x := range r.tierChannelBusy[ti] {
						all += x
					}
					if all > 0 {
						s += tierCost(r, ti) * r.tierChannelBusy[ti][c] / all
					}
				}
				return s
			})})
	}
	res.Tail = summariseTail(p, reps)
	res.Warnings = planWarnings(p, len(reps))
	return res
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
