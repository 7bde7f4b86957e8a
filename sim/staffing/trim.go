package staffing

import (
	"fmt"
	"math"
	"time"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
)

// Trim is what the day and period modes take off a rota that, rostered
// over a per-interval requirement in whole positions, meets the daily or
// whole-period targets by more than it must.
type Trim struct {
	// Scale is the share of the requirement of the tiers channels enter
	// that the kept rota covers (1: nothing taken off).
	Scale float64 `json:"scale"`
	// WeeklyBefore is the weekly cost of the rota before the trim.
	WeeklyBefore float64 `json:"cost_per_week_before"`
	// Steps counts the scales tried, each rostered and simulated.
	Steps int `json:"steps"`
	// Limit lists what failed at the highest scale tried below Scale: the
	// targets that stopped the trim.
	Limit []string `json:"limit,omitempty"`
}

// trimSteps is how many scales the trim tries: a bisection of
// [trimFloor, 1] to within 2.5%.
const (
	trimSteps = 4
	trimFloor = 0.6
)

// trimBatch is the first batch index of the trim's checks' seeds.
const trimBatch = rotaBatch + 1<<10

// trim lowers, in day and period mode, the requirement of the tiers
// channels enter by a common scale, re-rostered and simulated at each step
// (bisection on the scale), as far as every daily (MeetDay) or the
// whole-period (MeetPeriod) target still holds with half its 95%
// confidence interval (trimSure), the period's abandonment caps and priority classes
// and the tiers' targets for escalations on the mean. The rota that
// passed at the lowest scale is kept; the plan's check then re-simulates it
// with fresh streams.
func (b *builder) trim() error {
	if b.opt.Meet == MeetInterval {
		return nil
	}
	need := b.need
	tr := &Trim{Scale: 1, WeeklyBefore: budget(b.sc, b.sched, b.opt.ContractHours).Weekly}
	lo, hi := trimFloor, 1.0
	for step := 0; step < trimSteps; step++ {
		f := (lo + hi) / 2
		scaled := b.scaled(need, f)
		t0 := time.Now()
		sched, err := schedule(b.sc, scaled, b.w, b.opt)
		b.p.SolveTime += time.Since(t0)
		if err != nil {
			return err
		}
		rota, err := sched.Rota(b.sc)
		if err != nil {
			return err
		}
		results, err := replications(rota, nil, b.opt, trimBatch+step)
		b.p.Runs++
		b.m.tick()
		tr.Steps++
		if err != nil {
			return err
		}
		if misses := b.misses(results); len(misses) == 0 {
			hi = f
			tr.Scale = f
			b.sched, b.rota, b.need = sched, rota, scaled
		} else {
			lo = f
			tr.Limit = misses
		}
	}
	b.p.Trim = tr
	return nil
}

// scaled is the requirement the trim started from, need, with the tiers
// channels enter scaled by f (rounded up).
func (b *builder) scaled(need [][]int, f float64) [][]int {
	out := clone(need)
	for t := range out {
		if !b.entry[t] {
			continue
		}
		for i, n := range out[t] {
			out[t][i] = int(math.Ceil(float64(n)*f - 1e-9))
		}
	}
	return out
}

// misses lists the targets the trim keeps that a rota's replications (one
// a result) miss: each channel's service level pooled over every day
// (MeetDay) or the period (MeetPeriod) with half its 95% confidence
// interval above the target (trimSure), the period's abandonment caps and priority
// classes on the mean, and each tier's target for escalations over the
// period on the mean. None: the rota holds.
func (b *builder) misses(results []*sim.Result) []string {
	_, out := b.ck.periodMisses(results)
	ev := newEvidence(len(b.sc.Channels), len(b.sc.Tiers), b.ck.d.n)
	for _, r := range results {
		ev.add(r, b.sc.ChannelIndex, b.sc.TierIndex)
	}
	groups := meetGroups(b.sc, 0, b.ck.d.n, b.opt.Meet)
	for c, ch := range b.sc.Channels {
		for _, ivs := range groups {
			m, h, ok := ev.serviceLevel(c, ivs)
			if b.opt.Meet == MeetPeriod && m < ch.SLA.Target {
				continue // periodMisses said so already
			}
			if ok && m-trimSure*h < ch.SLA.Target {
				where := "the period"
				if b.opt.Meet == MeetDay {
					where = b.sc.Meta.Start.Add(time.Duration(ivs[0]) * b.sc.Meta.Interval.Duration).In(b.sc.Location).Format("Mon 2 Jan")
				}
				out = append(out, fmt.Sprintf("channel %q over %s: service level %.3f ± %.3f < %.3f", ch.Name, where, m, h, ch.SLA.Target))
			}
		}
	}
	all := make([]int, b.ck.d.n)
	for i := range all {
		all[i] = i
	}
	for t, tier := range b.sc.Tiers {
		if ola := tier.SLA; ola != nil {
			if m, _, ok := (pool{ev}).escalationLevel(t, all); ok && m < ola.Target {
				out = append(out, fmt.Sprintf("tier %q: escalations taken up in target %.3f < %.3f", tier.Name, m, ola.Target))
			}
		}
	}
	return out
}

// builder holds a plan being built: the scenario, the options, the
// progress meter, the checker of the period's targets, and the rota
// chosen so far with the requirement it covers.
type builder struct {
	sc    *model.Scenario
	opt   Options
	p     *Plan
	m     *meter
	ck    *checker
	d     *demand
	w     int
	entry []bool
	need  [][]int
	sched *Schedule
	rota  *model.Scenario
}

// trimSure is how much of its 95% confidence half-width a pooled service
// level must clear its target by for the trim to keep a rota: half, as the
// day and period modes' search asks (a margin for the fresh streams of the
// plan's check; the whole interval stopped Black Friday's trim on SMS at
// 86.0% ± 6.8 against 85%, a deferred channel whose replications differ a
// lot).
const trimSure = 0.5
