package staffing

import (
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
// whole-period (MeetPeriod) target still holds with its whole 95%
// confidence interval, the period's abandonment caps and priority classes
// and the tiers' targets for escalations on the mean. The rota that
// passed at the lowest scale is kept; the plan's check then re-simulates it
// with fresh streams.
func (b *builder) trim(need [][]int) error {
	if b.opt.Meet == MeetInterval {
		return nil
	}
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
		if b.holds(results) {
			hi = f
			tr.Scale = f
			b.sched, b.rota, b.need = sched, rota, scaled
		} else {
			lo = f
		}
	}
	b.p.Trim = tr
	return nil
}

// scaled is need with the tiers channels enter scaled by f (rounded up).
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

// holds reports whether a rota's replications (one a result) meet the
// targets the trim keeps: each channel's service level pooled over every
// day (MeetDay) or the period (MeetPeriod) with its whole 95% confidence
// interval above the target, the period's abandonment caps and priority
// classes on the mean, and each tier's target for escalations over the
// period on the mean.
func (b *builder) holds(results []*sim.Result) bool {
	if short, _ := b.ck.periodMisses(results); !allZero(short) {
		return false
	}
	ev := newEvidence(len(b.sc.Channels), len(b.sc.Tiers), b.ck.d.n)
	for _, r := range results {
		ev.add(r, b.sc.ChannelIndex, b.sc.TierIndex)
	}
	groups := meetGroups(b.sc, 0, b.ck.d.n, b.opt.Meet)
	for c := range b.sc.Channels {
		for _, ivs := range groups {
			if m, h, ok := ev.serviceLevel(c, ivs); ok && m-h < b.sc.Channels[c].SLA.Target {
				return false
			}
		}
	}
	all := groups[0]
	if len(groups) > 1 {
		all = nil
		for _, g := range groups {
			all = append(all, g...)
		}
	}
	for t := range b.sc.Tiers {
		if ola := b.sc.Tiers[t].SLA; ola != nil {
			if m, _, ok := (pool{ev}).escalationLevel(t, all); ok && m < ola.Target {
				return false
			}
		}
	}
	return true
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
	w     int
	entry []bool
	need  [][]int
	sched *Schedule
	rota  *model.Scenario
}
