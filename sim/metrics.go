package sim

import "math"

// Units of figures.
const (
	UnitShare   = "share"
	UnitSeconds = "seconds"
	UnitCount   = "count"
	UnitMoney   = "money"
)

// Metric names a figure of the result contract: its JSON name, its unit
// and which way is better (+1 higher, -1 lower, 0 neither).
type Metric struct {
	Name   string
	Unit   string
	Better int
}

// Figure is one row of a metric table for results of type T (a channel, a
// tier, ...): the metric, where it sits in T, whether compare sets two runs
// side by side on it, and how one replication's record gives its value
// (NaN where undefined in that replication).
type Figure[T any] struct {
	Metric
	// Compared: compare shows it; LiveOnly: only on live channels.
	Compared, LiveOnly bool
	// stat points at the figure in T; opt at a figure that is null when
	// undefined in every replication. One of the two is set.
	stat func(*T) *Stat
	opt  func(*T) **Stat
	// read gives the value of subject k in one replication.
	read func(p *plan, r *repStats, k int) float64
	// olaOnly: only for tiers with their own escalation target.
	olaOnly bool
}

// Of returns the figure in x, nil where it is undefined.
func (f *Figure[T]) Of(x *T) *Stat {
	if f.stat != nil {
		return f.stat(x)
	}
	return *f.opt(x)
}

// set stores s as the figure in x.
func (f *Figure[T]) set(x *T, s Stat) {
	if f.stat != nil {
		*f.stat(x) = s
		return
	}
	*f.opt(x) = &s
}

// ChannelFigures is the metric table of a channel over the whole period, in
// the order compare lists them.
var ChannelFigures = []Figure[ChannelResult]{
	{Metric: Metric{"service_level", UnitShare, 1}, Compared: true,
		stat: func(x *ChannelResult) *Stat { return &x.ServiceLevel },
		read: func(p *plan, r *repStats, c int) float64 { return ratio(r.ch[c].within, r.ch[c].offered) }},
	{Metric: Metric{"asa_seconds", UnitSeconds, -1}, Compared: true,
		stat: func(x *ChannelResult) *Stat { return &x.ASASeconds },
		read: func(p *plan, r *repStats, c int) float64 { return ratio(r.ch[c].waitSum, r.ch[c].answered) }},
	{Metric: Metric{"abandon_rate", UnitShare, -1}, Compared: true, LiveOnly: true,
		stat: func(x *ChannelResult) *Stat { return &x.AbandonRate },
		read: func(p *plan, r *repStats, c int) float64 { return ratio(r.ch[c].abandoned, r.ch[c].offered) }},
	{Metric: Metric{"max_queue", UnitCount, -1}, Compared: true,
		stat: func(x *ChannelResult) *Stat { return &x.MaxQueue },
		read: func(p *plan, r *repStats, c int) float64 {
			m := 0.0
			for _, x := range r.queueMax[c] {
				m = math.Max(m, x)
			}
			return m
		}},
	{Metric: Metric{"offered", UnitCount, 0}, Compared: true,
		stat: func(x *ChannelResult) *Stat { return &x.Offered },
		read: func(p *plan, r *repStats, c int) float64 { return r.ch[c].offered }},
	{Metric: Metric{"arrivals", UnitCount, 0},
		stat: func(x *ChannelResult) *Stat { return &x.Arrivals },
		read: func(p *plan, r *repStats, c int) float64 { return r.ch[c].arrivals }},
	{Metric: Metric{"deflected", UnitCount, 0},
		stat: func(x *ChannelResult) *Stat { return &x.Deflected },
		read: func(p *plan, r *repStats, c int) float64 { return r.ch[c].deflected }},
	{Metric: Metric{"fallback", UnitCount, 0},
		stat: func(x *ChannelResult) *Stat { return &x.Fallback },
		read: func(p *plan, r *repStats, c int) float64 { return r.ch[c].fallback }},
	{Metric: Metric{"answered", UnitCount, 0},
		stat: func(x *ChannelResult) *Stat { return &x.Answered },
		read: func(p *plan, r *repStats, c int) float64 { return r.ch[c].answered }},
	{Metric: Metric{"abandoned", UnitCount, -1},
		stat: func(x *ChannelResult) *Stat { return &x.Abandoned },
		read: func(p *plan, r *repStats, c int) float64 { return r.ch[c].abandoned }},
	{Metric: Metric{"p_wait", UnitShare, -1},
		stat: func(x *ChannelResult) *Stat { return &x.PWait },
		read: func(p *plan, r *repStats, c int) float64 { return ratio(r.ch[c].waited, r.ch[c].offered) }},
	{Metric: Metric{"resolution_seconds", UnitSeconds, -1},
		stat: func(x *ChannelResult) *Stat { return &x.ResolutionSeconds },
		read: func(p *plan, r *repStats, c int) float64 { return ratio(r.ch[c].resolutionSum, r.ch[c].resolved) }},
	{Metric: Metric{"backlog_end", UnitCount, -1},
		stat: func(x *ChannelResult) *Stat { return &x.BacklogEnd },
		read: func(p *plan, r *repStats, c int) float64 {
			if p.nInterval == 0 {
				return 0
			}
			return r.backlog[c][p.nInterval-1]
		}},
}

// PriorityFigures is the metric table of a priority class on a channel;
// the subject k of read is channel×priorities+priority.
var PriorityFigures = []Figure[PriorityResult]{
	{Metric: Metric{"service_level", UnitShare, 1}, Compared: true,
		stat: func(x *PriorityResult) *Stat { return &x.ServiceLevel },
		read: func(p *plan, r *repStats, k int) float64 {
			x := prioCounters(p, r, k)
			return ratio(x.within, x.offered)
		}},
	{Metric: Metric{"offered", UnitCount, 0},
		stat: func(x *PriorityResult) *Stat { return &x.Offered },
		read: func(p *plan, r *repStats, k int) float64 { return prioCounters(p, r, k).offered }},
	{Metric: Metric{"asa_seconds", UnitSeconds, -1},
		stat: func(x *PriorityResult) *Stat { return &x.ASASeconds },
		read: func(p *plan, r *repStats, k int) float64 {
			x := prioCounters(p, r, k)
			return ratio(x.waitSum, x.answered)
		}},
	{Metric: Metric{"abandon_rate", UnitShare, -1}, LiveOnly: true,
		stat: func(x *PriorityResult) *Stat { return &x.AbandonRate },
		read: func(p *plan, r *repStats, k int) float64 {
			x := prioCounters(p, r, k)
			return ratio(x.abandoned, x.offered)
		}},
}

func prioCounters(p *plan, r *repStats, k int) *counters {
	return &r.prio[k/len(p.prios)][k%len(p.prios)]
}

// TierFigures is the metric table of a tier over the whole period.
var TierFigures = []Figure[TierResult]{
	{Metric: Metric{"occupancy", UnitShare, 0}, Compared: true,
		stat: func(x *TierResult) *Stat { return &x.Occupancy },
		read: func(p *plan, r *repStats, t int) float64 {
			var b, a float64
			for i := range r.tierBusy[t] {
				b += r.tierBusy[t][i]
				a += r.tierAvailable[t][i]
			}
			return ratio(b, a)
		}},
	{Metric: Metric{"handled", UnitCount, 0}, Compared: true,
		stat: func(x *TierResult) *Stat { return &x.Handled },
		read: func(p *plan, r *repStats, t int) float64 { return r.tierHandled[t] }},
	{Metric: Metric{"staffed_hours", UnitCount, 0}, Compared: true,
		stat: func(x *TierResult) *Stat { return &x.StaffedHours },
		read: func(p *plan, r *repStats, t int) float64 { return staffHours(r, t) }},
	{Metric: Metric{"escalated", UnitCount, 0},
		stat: func(x *TierResult) *Stat { return &x.Escalated },
		read: func(p *plan, r *repStats, t int) float64 { return r.tierEscalated[t] }},
	{Metric: Metric{"cost", UnitMoney, -1},
		stat: func(x *TierResult) *Stat { return &x.Cost },
		read: func(p *plan, r *repStats, t int) float64 { return tierCost(p, r, t) }},
	{Metric: Metric{"escalation_service_level", UnitShare, 1}, olaOnly: true,
		opt:  func(x *TierResult) **Stat { return &x.EscalationServiceLevel },
		read: func(p *plan, r *repStats, t int) float64 { k := escTotal(r, t); return ratio(k.within, k.offered) }},
	{Metric: Metric{"escalation_wait_seconds", UnitSeconds, -1}, olaOnly: true,
		opt:  func(x *TierResult) **Stat { return &x.EscalationWaitSeconds },
		read: func(p *plan, r *repStats, t int) float64 { k := escTotal(r, t); return ratio(k.waitSum, k.taken) }},
}

// BandFigures is the metric table of a salary band.
var BandFigures = []Figure[BandResult]{
	{Metric: Metric{"cost", UnitMoney, -1}, Compared: true,
		stat: func(x *BandResult) *Stat { return &x.Cost },
		read: func(p *plan, r *repStats, b int) float64 {
			var s float64
			for t, tp := range p.tiers {
				if tp.band == b {
					s += tierCost(p, r, t)
				}
			}
			return s
		}},
}

// CostFigures is the metric table of the period's cost.
var CostFigures = []Figure[CostResult]{
	{Metric: Metric{"staff", UnitMoney, -1}, Compared: true,
		stat: func(x *CostResult) *Stat { return &x.Staff },
		read: func(p *plan, r *repStats, _ int) float64 { return staffCost(p, r) }},
	{Metric: Metric{"automation", UnitMoney, -1}, Compared: true,
		stat: func(x *CostResult) *Stat { return &x.Automation },
		read: func(p *plan, r *repStats, _ int) float64 { return r.automationCost }},
	{Metric: Metric{"total", UnitMoney, -1}, Compared: true,
		stat: func(x *CostResult) *Stat { return &x.Total },
		read: func(p *plan, r *repStats, _ int) float64 { return staffCost(p, r) + r.automationCost }},
	{Metric: Metric{"per_resolved", UnitMoney, -1}, Compared: true,
		stat: func(x *CostResult) *Stat { return &x.PerResolved },
		read: func(p *plan, r *repStats, _ int) float64 {
			resolved := r.automationResolved
			for c := range r.ch {
				resolved += r.ch[c].resolved
			}
			return ratio(staffCost(p, r)+r.automationCost, resolved)
		}},
}

// ChannelCostFigures is the metric table of the cost attributed to a
// channel.
var ChannelCostFigures = []Figure[ChannelCost]{
	{Metric: Metric{"cost", UnitMoney, -1},
		stat: func(x *ChannelCost) *Stat { return &x.Cost },
		read: func(p *plan, r *repStats, c int) float64 {
			s := r.channelAutomationCost[c]
			for t := range p.tiers {
				var all float64
				for _, x := range r.tierChannelBusy[t] {
					all += x
				}
				if all > 0 {
					s += tierCost(p, r, t) * r.tierChannelBusy[t][c] / all
				}
			}
			return s
		}},
}

func staffHours(r *repStats, t int) float64 {
	var s float64
	for _, x := range r.tierStaffed[t] {
		s += x
	}
	return s / 3600
}

func tierCost(p *plan, r *repStats, t int) float64 { return staffHours(r, t) * p.tiers[t].hourly }

func staffCost(p *plan, r *repStats) float64 {
	var s float64
	for t := range p.tiers {
		s += tierCost(p, r, t)
	}
	return s
}

func escTotal(r *repStats, t int) escCounters {
	var k escCounters
	for _, x := range r.tierEsc[t] {
		k.offered += x.offered
		k.within += x.within
		k.waitSum += x.waitSum
		k.taken += x.taken
	}
	return k
}

// IntervalFigures is the metric table of a channel in an interval; the
// subject k of read is channel×intervals+interval. Contact figures belong
// to the interval in which contacts arrived.
var IntervalFigures = []Figure[IntervalResult]{
	{Metric: Metric{"arrivals", UnitCount, 0},
		stat: func(x *IntervalResult) *Stat { return &x.Arrivals },
		read: func(p *plan, r *repStats, k int) float64 { return ivCounters(p, r, k).arrivals }},
	{Metric: Metric{"deflected", UnitCount, 0},
		stat: func(x *IntervalResult) *Stat { return &x.Deflected },
		read: func(p *plan, r *repStats, k int) float64 { return ivCounters(p, r, k).deflected }},
	{Metric: Metric{"offered", UnitCount, 0},
		stat: func(x *IntervalResult) *Stat { return &x.Offered },
		read: func(p *plan, r *repStats, k int) float64 { return ivCounters(p, r, k).offered }},
	{Metric: Metric{"answered", UnitCount, 0},
		stat: func(x *IntervalResult) *Stat { return &x.Answered },
		read: func(p *plan, r *repStats, k int) float64 { return ivCounters(p, r, k).answered }},
	{Metric: Metric{"abandoned", UnitCount, -1},
		stat: func(x *IntervalResult) *Stat { return &x.Abandoned },
		read: func(p *plan, r *repStats, k int) float64 { return ivCounters(p, r, k).abandoned }},
	{Metric: Metric{"service_level", UnitShare, 1},
		opt: func(x *IntervalResult) **Stat { return &x.ServiceLevel },
		read: func(p *plan, r *repStats, k int) float64 {
			x := ivCounters(p, r, k)
			return ratio(x.within, x.offered)
		}},
	{Metric: Metric{"p_wait", UnitShare, -1},
		opt: func(x *IntervalResult) **Stat { return &x.PWait },
		read: func(p *plan, r *repStats, k int) float64 {
			x := ivCounters(p, r, k)
			return ratio(x.waited, x.offered)
		}},
	{Metric: Metric{"asa_seconds", UnitSeconds, -1},
		opt: func(x *IntervalResult) **Stat { return &x.ASASeconds },
		read: func(p *plan, r *repStats, k int) float64 {
			x := ivCounters(p, r, k)
			return ratio(x.waitSum, x.answered)
		}},
	{Metric: Metric{"abandon_rate", UnitShare, -1},
		opt: func(x *IntervalResult) **Stat { return &x.AbandonRate },
		read: func(p *plan, r *repStats, k int) float64 {
			x := ivCounters(p, r, k)
			return ratio(x.abandoned, x.offered)
		}},
	{Metric: Metric{"queue_mean", UnitCount, -1},
		stat: func(x *IntervalResult) *Stat { return &x.QueueMean },
		read: func(p *plan, r *repStats, k int) float64 {
			return r.queueArea[k/p.nInterval][k%p.nInterval] / p.interval
		}},
	{Metric: Metric{"max_queue", UnitCount, -1},
		stat: func(x *IntervalResult) *Stat { return &x.MaxQueue },
		read: func(p *plan, r *repStats, k int) float64 { return r.queueMax[k/p.nInterval][k%p.nInterval] }},
	{Metric: Metric{"backlog", UnitCount, -1},
		stat: func(x *IntervalResult) *Stat { return &x.Backlog },
		read: func(p *plan, r *repStats, k int) float64 { return r.backlog[k/p.nInterval][k%p.nInterval] }},
	{Metric: Metric{"cost", UnitMoney, -1},
		stat: func(x *IntervalResult) *Stat { return &x.Cost },
		read: func(p *plan, r *repStats, k int) float64 { return intervalCost(p, r, k/p.nInterval, k%p.nInterval) }},
}

func ivCounters(p *plan, r *repStats, k int) *counters {
	return &r.chIv[k/p.nInterval][k%p.nInterval]
}

// TierIntervalFigures is the metric table of a tier in an interval
// (time-average agents, and cost); the subject k of read is
// tier×intervals+interval.
var TierIntervalFigures = []Figure[TierIntervalResult]{
	{Metric: Metric{"staffed", UnitCount, 0},
		stat: func(x *TierIntervalResult) *Stat { return &x.Staffed },
		read: func(p *plan, r *repStats, k int) float64 {
			return r.tierStaffed[k/p.nInterval][k%p.nInterval] / p.interval
		}},
	{Metric: Metric{"available", UnitCount, 0},
		stat: func(x *TierIntervalResult) *Stat { return &x.Available },
		read: func(p *plan, r *repStats, k int) float64 {
			return r.tierAvailable[k/p.nInterval][k%p.nInterval] / p.interval
		}},
	{Metric: Metric{"busy", UnitCount, 0},
		stat: func(x *TierIntervalResult) *Stat { return &x.Busy },
		read: func(p *plan, r *repStats, k int) float64 {
			return r.tierBusy[k/p.nInterval][k%p.nInterval] / p.interval
		}},
	{Metric: Metric{"cost", UnitMoney, -1},
		stat: func(x *TierIntervalResult) *Stat { return &x.Cost },
		read: func(p *plan, r *repStats, k int) float64 {
			t := k / p.nInterval
			return r.tierStaffed[t][k%p.nInterval] / 3600 * p.tiers[t].hourly
		}},
	{Metric: Metric{"escalation_service_level", UnitShare, 1}, olaOnly: true,
		opt: func(x *TierIntervalResult) **Stat { return &x.EscalationServiceLevel },
		read: func(p *plan, r *repStats, k int) float64 {
			e := r.tierEsc[k/p.nInterval][k%p.nInterval]
			return ratio(e.within, e.offered)
		}},
}
