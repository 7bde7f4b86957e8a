package sim

import (
	"math"
	"time"

	"github.com/slasim/slasim/model"
)

// moments are the count, sum and sum of squared deviations (Welford) of
// one figure over the replications folded so far, NaN values left out.
type moments struct{ n, sum, m2 float64 }

func (m *moments) add(x float64) {
	if math.IsNaN(x) {
		return
	}
	if m.n == 0 {
		m.n, m.sum = 1, x
		return
	}
	before := m.sum / m.n
	m.n++
	m.sum += x
	m.m2 += (x - before) * (x - m.sum/m.n)
}

// stat is the mean and 95% CI of the folded values; t caches Student's t
// quantiles by degrees of freedom.
func (m *moments) stat(t map[int]float64) Stat {
	switch m.n {
	case 0:
		return Stat{}
	case 1:
		return Stat{Mean: m.sum}
	}
	df := int(m.n) - 1
	q, ok := t[df]
	if !ok {
		q = TQuantile975(df)
		t[df] = q
	}
	return Stat{Mean: m.sum / m.n, CI95: q * math.Sqrt(m.m2/float64(df)) / math.Sqrt(m.n)}
}

// periodSlot is one whole-period figure of one subject: how a replication
// gives it and where its Stat goes in the result.
type periodSlot struct {
	read func(*repStats) float64
	put  func(*Result, Stat)
}

// tally folds replications, in replication order, into what the result
// needs: every whole-period figure of every replication (a few scalars
// each, for percentiles and paired comparisons), and running moments of
// every interval figure, so that memory does not grow with replications.
type tally struct {
	p      *plan
	seed   uint64
	slots  []periodSlot
	period [][]float64 // [slot][replication]
	iv     [][]moments // [figure][channel×intervals+interval]
	tiv    [][]moments // [figure][tier×intervals+interval]
	// within and abandoned sum their interval counters over replications,
	// for the pooled ratios of staffing.
	within, abandoned []float64
	folded            int
	// boundHit and turnedAway count, per channel, the replications that
	// reached the queue bound and the arrivals turned away there.
	boundHit   []int
	turnedAway []float64
	tail       tailTally
}

func newTally(p *plan, seed uint64) *tally {
	t := &tally{p: p, seed: seed}
	sc := p.sc
	for c := range p.channels {
		addSlots(t, ChannelFigures, c, func(r *Result) *ChannelResult { return &r.Channels[c] })
		addSlots(t, ChannelCostFigures, c, func(r *Result) *ChannelCost { return &r.Cost.PerChannel[c] })
	}
	n := 0
	for c, ch := range p.channels {
		for pr := range p.prios {
			if len(sc.Priorities) == 0 || !model.Covers(sc.Priorities[pr].Channels, ch.name) {
				continue
			}
			i := n
			addSlots(t, PriorityFigures, c*len(p.prios)+pr, func(r *Result) *PriorityResult { return &r.Priorities[i] })
			n++
		}
	}
	for ti := range p.tiers {
		for _, f := range TierFigures {
			if f.olaOnly && sc.Tiers[ti].SLA == nil {
				continue
			}
			addSlots(t, []Figure[TierResult]{f}, ti, func(r *Result) *TierResult { return &r.Tiers[ti] })
		}
	}
	for b := range sc.Bands {
		addSlots(t, BandFigures, b, func(r *Result) *BandResult { return &r.Bands[b] })
	}
	addSlots(t, CostFigures, 0, func(r *Result) *CostResult { return &r.Cost })
	t.period = make([][]float64, len(t.slots))
	ni := p.nInterval
	t.iv = make([][]moments, len(IntervalFigures))
	for f := range t.iv {
		t.iv[f] = make([]moments, len(p.channels)*ni)
	}
	t.tiv = make([][]moments, len(TierIntervalFigures))
	for f := range t.tiv {
		t.tiv[f] = make([]moments, len(p.tiers)*ni)
	}
	t.within = make([]float64, len(p.channels)*ni)
	t.abandoned = make([]float64, len(p.channels)*ni)
	t.boundHit = make([]int, len(p.channels))
	t.turnedAway = make([]float64, len(p.channels))
	return t
}

// addSlots adds the figures of one subject k, found in a result by at.
func addSlots[T any](t *tally, figs []Figure[T], k int, at func(*Result) *T) {
	p := t.p
	for i := range figs {
		f := &figs[i]
		t.slots = append(t.slots, periodSlot{
			read: func(r *repStats) float64 { return f.read(p, r, k) },
			put: func(res *Result, s Stat) {
				if f.opt == nil || len(s.Samples) > 0 {
					f.set(at(res), s)
				}
			},
		})
	}
}

// fold adds the next replication, in replication order.
func (t *tally) fold(r *repStats) {
	p := t.p
	for s := range t.slots {
		t.period[s] = append(t.period[s], t.slots[s].read(r))
	}
	for f := range IntervalFigures {
		fig := &IntervalFigures[f]
		for k := range t.iv[f] {
			t.iv[f][k].add(fig.read(p, r, k))
		}
	}
	for f := range TierIntervalFigures {
		fig := &TierIntervalFigures[f]
		for k := range t.tiv[f] {
			if fig.olaOnly && p.sc.Tiers[k/p.nInterval].SLA == nil {
				continue
			}
			t.tiv[f][k].add(fig.read(p, r, k))
		}
	}
	for c := range p.channels {
		for i := 0; i < p.nInterval; i++ {
			t.within[c*p.nInterval+i] += r.chIv[c][i].within
			t.abandoned[c*p.nInterval+i] += r.chIv[c][i].abandoned
		}
		if r.boundHit[c] {
			t.boundHit[c]++
			t.turnedAway[c] += r.turnedAway[c]
		}
	}
	t.tail.fold(p, r)
	t.folded++
}

// result summarises the replications folded.
func (t *tally) result() *Result {
	p, sc := t.p, t.p.sc
	res := &Result{
		Scenario:        sc.Meta.Name,
		Seed:            t.seed,
		Replications:    t.folded,
		Start:           sc.Meta.Start,
		DurationSeconds: p.end,
		IntervalSeconds: p.interval,
		WarmupSeconds:   -p.t0,
	}
	t.skeleton(res)
	for s, slot := range t.slots {
		slot.put(res, NewStat(t.period[s]))
	}
	for c := range res.Channels {
		cr := &res.Channels[c]
		cr.ServiceLevelP10 = cr.ServiceLevel.Percentile(0.1)
		cr.ServiceLevelP90 = cr.ServiceLevel.Percentile(0.9)
	}
	t.intervals(res)
	res.Tail = t.tail.result(p)
	res.Warnings = planWarnings(p, t.folded)
	return res
}

// skeleton lays out the subjects of the result, named, without figures.
func (t *tally) skeleton(res *Result) {
	p, sc := t.p, t.p.sc
	for c, ch := range p.channels {
		res.Channels = append(res.Channels, ChannelResult{
			Name: ch.name, Mode: ch.mode, Target: ch.target, WithinSeconds: ch.within,
			Clock: sc.Channels[c].SLA.Clock,
		})
		res.Cost.PerChannel = append(res.Cost.PerChannel, ChannelCost{Channel: ch.name})
		for pr, pp := range p.prios {
			if len(sc.Priorities) == 0 || !model.Covers(sc.Priorities[pr].Channels, ch.name) {
				continue
			}
			res.Priorities = append(res.Priorities, PriorityResult{
				Channel: ch.name, Priority: pp.name, Target: pp.target[c], WithinSeconds: pp.within[c],
			})
		}
	}
	for ti, tp := range p.tiers {
		tr := TierResult{Name: tp.name}
		if tp.band >= 0 {
			tr.Band = sc.Bands[tp.band].Name
		}
		if ola := sc.Tiers[ti].SLA; ola != nil {
			tr.EscalationTarget, tr.EscalationWithinSeconds = ola.Target, ola.Within.Seconds()
		}
		res.Tiers = append(res.Tiers, tr)
	}
	for bi := range sc.Bands {
		res.Bands = append(res.Bands, BandResult{Name: sc.Bands[bi].Name, HourlyCost: sc.Bands[bi].HourlyCost(0)})
	}
}

// intervals fills the per-interval figures from their moments, and each
// channel's busiest interval.
func (t *tally) intervals(res *Result) {
	p, sc := t.p, t.p.sc
	ni := p.nInterval
	tq := map[int]float64{}
	start := func(i int) time.Time {
		return sc.Meta.Start.Add(time.Duration(float64(i) * p.interval * float64(time.Second)))
	}
	maxQueue := figureIndex(IntervalFigures, "max_queue")
	offered := figureIndex(IntervalFigures, "offered")
	res.Intervals = make([]IntervalResult, 0, len(p.channels)*ni)
	for c, ch := range p.channels {
		bestI, best := 0, -1.0
		for i := 0; i < ni; i++ {
			k := c*ni + i
			x := IntervalResult{Channel: ch.name, Index: i, Start: start(i),
				within: t.within[k], abandoned: t.abandoned[k], offered: t.iv[offered][k].sum}
			for f := range IntervalFigures {
				fig := &IntervalFigures[f]
				if fig.opt != nil && t.iv[f][k].n == 0 {
					continue
				}
				fig.set(&x, t.iv[f][k].stat(tq))
			}
			res.Intervals = append(res.Intervals, x)
			if s := t.iv[maxQueue][k].sum; s > best {
				bestI, best = i, s
			}
		}
		res.Channels[c].MaxQueueAt = float64(bestI) * p.interval
		if t.boundHit[c] > 0 {
			res.QueueBound = p.queueLimit
			res.Channels[c].QueueBoundHit = t.boundHit[c]
			res.Channels[c].TurnedAway = t.turnedAway[c] / float64(t.folded)
		}
	}
	res.TierIntervals = make([]TierIntervalResult, 0, len(p.tiers)*ni)
	for ti, tp := range p.tiers {
		for i := 0; i < ni; i++ {
			k := ti*ni + i
			x := TierIntervalResult{Tier: tp.name, Index: i, Start: start(i)}
			for f := range TierIntervalFigures {
				fig := &TierIntervalFigures[f]
				if fig.opt != nil && t.tiv[f][k].n == 0 {
					continue
				}
				fig.set(&x, t.tiv[f][k].stat(tq))
			}
			res.TierIntervals = append(res.TierIntervals, x)
		}
	}
}

func figureIndex[T any](figs []Figure[T], name string) int {
	for i := range figs {
		if figs[i].Name == name {
			return i
		}
	}
	panic("sim: no figure " + name)
}
