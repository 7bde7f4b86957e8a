package staffing

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
)

// ErrInfeasible reports targets that no staffing within the search's reach
// meets, such as a first response within 0 s.
var ErrInfeasible = errors.New("targets cannot be met")

// Options tune the search, the shift plan and the budget. The zero value
// uses the defaults given on each field.
type Options struct {
	// Replications per simulation (default 10).
	Replications int
	// Seed of the search's simulations (default the scenario's seed); all
	// of them share their random streams (common random numbers).
	Seed    uint64
	SeedSet bool
	// VerifySeed is the seed of the plan's final re-simulation (default
	// Seed + 1000003): fresh random streams, never used by the search.
	VerifySeed uint64
	// Workers is how many replications run at once (0: GOMAXPROCS).
	Workers int
	// MaxRuns caps the simulations of the requirement search (default 40).
	MaxRuns int
	// MaxOccupancy caps the busy share of a tier that receives escalated
	// work, whose waits no target measures (default 0.85).
	MaxOccupancy float64
	// Templates plans with the scenario's shift templates instead of
	// generated patterns.
	Templates bool
	// StartEvery, MinLength, MaxLength and LengthStep describe generated
	// patterns (defaults 30m, 4h, 10h, 2h).
	StartEvery, MinLength, MaxLength, LengthStep time.Duration
	// ContractHours per week of one FTE (default 30).
	ContractHours float64
	// RepairRounds caps the re-plans after a rota simulation misses a
	// target (default 3).
	RepairRounds int
	// Sensitivity computes the what-if table (default off).
	Sensitivity bool
	// Progress, if set, is told about each simulation: its stage and how
	// many simulations have run.
	Progress func(stage string, runs int)
}

func (o Options) withDefaults(sc *model.Scenario) Options {
	if o.Replications <= 0 {
		o.Replications = 10
	}
	if !o.SeedSet {
		o.Seed = sc.Meta.Seed
	}
	if o.VerifySeed == 0 {
		o.VerifySeed = o.Seed + 1000003
	}
	if o.MaxRuns <= 0 {
		o.MaxRuns = 40
	}
	if o.MaxOccupancy <= 0 || o.MaxOccupancy > 1 {
		o.MaxOccupancy = 0.85
	}
	if o.StartEvery <= 0 {
		o.StartEvery = 30 * time.Minute
	}
	if o.MinLength <= 0 {
		o.MinLength = 4 * time.Hour
	}
	if o.MaxLength <= 0 {
		o.MaxLength = 10 * time.Hour
	}
	if o.LengthStep <= 0 {
		o.LengthStep = 2 * time.Hour
	}
	if o.ContractHours <= 0 {
		o.ContractHours = 40
	}
	if o.RepairRounds <= 0 {
		o.RepairRounds = 3
	}
	return o
}

// Requirements is, for each tier and interval, the fewest agents on the
// floor (available, not on break, not absent) that meet every target, found
// by simulation, beside the analytic (Erlang) figure it started from.
type Requirements struct {
	Tiers    []string
	Start    time.Time
	Interval time.Duration
	// Erlang[t][i] is the analytic requirement: Erlang A/C per live channel
	// plus the deferred and escalated workload.
	Erlang [][]int
	// Simulated[t][i] is the requirement found by simulation.
	Simulated [][]int
	// WarmupIntervals is the number of intervals of the warm-up, before
	// Start; WarmupErlang and Warmup are their requirements.
	WarmupIntervals int
	WarmupErlang    [][]int
	Warmup          [][]int
	// Runs is the number of simulations the search used.
	Runs int
	// Result is the simulation of the final requirement (search seed).
	Result *sim.Result `json:"-"`
	// Margin[c] is the extra per-interval service level the search asked of
	// channel c so that its priority classes and the whole period meet their
	// targets.
	Margin []float64
}

// Differs reports whether the simulated requirement of tier t at interval
// i differs from Erlang's by more than one agent.
func (r *Requirements) Differs(t, i int) bool {
	return abs(r.Simulated[t][i]-r.Erlang[t][i]) > 1
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// checker judges a simulation against the scenario's targets.
type checker struct {
	sc     *model.Scenario
	d      *demand
	margin []float64
}

// failures marks each tier and interval that misses a target it answers
// for: a channel's service level or abandonment in an interval is its
// entry tier's.
func (c *checker) failures(res *sim.Result) [][]bool {
	n := c.d.n
	fail := make([][]bool, len(c.sc.Tiers))
	for t := range fail {
		fail[t] = make([]bool, n)
	}
	for _, iv := range res.Intervals {
		ci := c.sc.ChannelIndex(iv.Channel)
		ch := &c.sc.Channels[ci]
		e := c.d.entry[ci]
		sl := iv.PooledServiceLevel()
		if !math.IsNaN(sl) && sl < math.Min(1, ch.SLA.Target+c.margin[ci])-1e-9 {
			fail[e][iv.Index] = true
			if !ch.Live() {
				// A late first response is the backlog's doing: every agent
				// of the tier was busy from the arrival to the deadline, so
				// staff anywhere in that window helps; the search adds it
				// in the window's first hours (at most two).
				w := int(math.Ceil(ch.SLA.Within.Seconds() / c.d.interval))
				w = min(w, int(math.Ceil(7200/c.d.interval)))
				for k := iv.Index; k < min(n, iv.Index+w); k++ {
					fail[e][k] = true
				}
			}
		}
		if ch.SLA.MaxAbandon > 0 && ch.Live() {
			if ab := iv.PooledAbandonRate(); !math.IsNaN(ab) && ab > ch.SLA.MaxAbandon {
				fail[e][iv.Index] = true
			}
		}
	}
	// A tier's own target for escalations: a miss in the interval they
	// reached its queue is the tier's, there and in the target's window
	// (at most two hours), where more agents would have taken them up.
	for _, ti := range res.TierIntervals {
		t := c.sc.TierIndex(ti.Tier)
		ola := c.sc.Tiers[t].SLA
		if ola == nil || ti.EscalationServiceLevel == nil || ti.EscalationServiceLevel.Mean >= ola.Target-1e-9 {
			continue
		}
		w := int(math.Ceil(math.Min(ola.Within.Seconds(), 7200) / c.d.interval))
		for k := ti.Index; k < min(n, ti.Index+max(w, 1)); k++ {
			fail[t][k] = true
		}
	}
	return fail
}

// periodMisses lists the period-level targets missed: a channel's or a
// priority's service level, or a channel's abandonment cap. It returns, per
// channel, how far the worst of them fell short.
func (c *checker) periodMisses(res *sim.Result) (short []float64, msgs []string) {
	short = make([]float64, len(c.sc.Channels))
	for _, ch := range res.Channels {
		ci := c.sc.ChannelIndex(ch.Name)
		if len(ch.ServiceLevel.Samples) > 0 && ch.ServiceLevel.Mean < ch.Target {
			short[ci] = math.Max(short[ci], ch.Target-ch.ServiceLevel.Mean)
			msgs = append(msgs, fmt.Sprintf("channel %q: service level %.3f < %.3f", ch.Name, ch.ServiceLevel.Mean, ch.Target))
		}
		if cap := c.sc.Channels[ci].SLA.MaxAbandon; cap > 0 && len(ch.AbandonRate.Samples) > 0 && ch.AbandonRate.Mean > cap {
			short[ci] = math.Max(short[ci], 0.02)
			msgs = append(msgs, fmt.Sprintf("channel %q: abandonment %.3f > %.3f", ch.Name, ch.AbandonRate.Mean, cap))
		}
	}
	for _, p := range res.Priorities {
		ci := c.sc.ChannelIndex(p.Channel)
		if len(p.ServiceLevel.Samples) > 0 && p.ServiceLevel.Mean < p.Target {
			short[ci] = math.Max(short[ci], p.Target-p.ServiceLevel.Mean)
			msgs = append(msgs, fmt.Sprintf("channel %q priority %q: service level %.3f < %.3f", p.Channel, p.Priority, p.ServiceLevel.Mean, p.Target))
		}
	}
	return short, msgs
}

func newChecker(sc *model.Scenario, d *demand) *checker {
	return &checker{sc: sc, d: d, margin: make([]float64, len(sc.Channels))}
}

// feasible rejects, before any simulation, targets no staffing meets.
func feasible(sc *model.Scenario) error {
	for _, ch := range sc.Channels {
		if ch.SLA.Target >= 1 && ch.SLA.Within.Duration <= 0 {
			return fmt.Errorf("channel %q: a service level of %.0f%% within 0s is never reached: every contact needs some handling before its first answer: %w", ch.Name, 100*ch.SLA.Target, ErrInfeasible)
		}
		if !ch.Live() && ch.SLA.Within.Duration <= 0 {
			return fmt.Errorf("channel %q: a first response within 0s is never reached: %w", ch.Name, ErrInfeasible)
		}
	}
	return nil
}

// FindRequirements searches, by simulation with common random numbers, the
// fewest agents per tier and interval that meet every target of the
// scenario. It starts from the analytic (Erlang) figure and runs, for every
// tier and interval at once, a galloping then bisecting search: each
// simulation tells every interval whether its staffing passes (its
// channels' service level and abandonment cap, pooled over replications;
// the occupancy cap of tiers receiving escalations). A final pass raises
// what the coupling between intervals (backlog carried over) broke, and an
// outer loop tightens a channel's per-interval target until its priority
// classes and the whole period meet theirs. The search stops after
// Options.MaxRuns simulations; targets that cannot be met wrap
// ErrInfeasible.
func FindRequirements(sc *model.Scenario, opt Options) (*Requirements, error) {
	opt = opt.withDefaults(sc)
	if err := feasible(sc); err != nil {
		return nil, err
	}
	full := sc
	sc, w := withWarmupIntervals(sc)
	d, err := newDemand(sc)
	if err != nil {
		return nil, err
	}
	erl, err := erlangAgents(sc, d, opt.MaxOccupancy)
	if err != nil {
		if errors.Is(err, model.ErrInfeasible) {
			return nil, fmt.Errorf("%w: %w", ErrInfeasible, err)
		}
		return nil, err
	}
	req := &Requirements{Start: full.Meta.Start, Interval: sc.Meta.Interval.Duration, WarmupIntervals: w}
	for _, t := range sc.Tiers {
		req.Tiers = append(req.Tiers, t.Name)
	}
	nt, n := len(sc.Tiers), d.n
	ck := newChecker(sc, d)
	// Tiers no channel enters (specialists, leads taking only escalated
	// work) are searched against their own target for escalations (the
	// tier's sla, an OLA) when they have one; without one they answer to no
	// target: their requirement is the escalated workload at MaxOccupancy,
	// and the search leaves them there.
	fixed := make([]bool, nt)
	for t := range fixed {
		fixed[t] = sc.Tiers[t].SLA == nil
	}
	for _, e := range d.entry {
		fixed[e] = false
	}
	// Reach of the search: far above any sensible staffing of the interval.
	reach := make([][]int, nt)
	for t := range reach {
		reach[t] = make([]int, n)
		for i := range reach[t] {
			reach[t][i] = 3*erl[t][i] + 20
		}
	}
	simulate := func(stage string, staff [][]int) (*sim.Result, error) {
		if req.Runs >= opt.MaxRuns {
			return nil, errBudget
		}
		res, err := sim.Run(sc, sim.Options{Staffing: staff, Replications: opt.Replications, Seed: opt.Seed, SeedSet: true, Workers: opt.Workers})
		req.Runs++
		if opt.Progress != nil {
			opt.Progress(stage, req.Runs)
		}
		return res, err
	}
	cur := grid(nt, n, 0)
	for t := range cur {
		copy(cur[t], erl[t])
	}
	var last *sim.Result
	// good is the cheapest staffing seen to pass every interval; the search
	// falls back to it when its simulation budget runs out.
	var good [][]int
	var goodRes *sim.Result
	// raise adds agents where targets fail until every interval passes;
	// it only ever adds, so it ends (or meets the reach: infeasible).
	raise := func(stage string, locked [][]bool) error {
		step := grid(nt, n, 1)
		for {
			res, err := simulate(stage, cur)
			if err != nil {
				return err
			}
			last = res
			fail := ck.failures(res)
			if !anyFail(fail) {
				good, goodRes = clone(cur), res
				return nil
			}
			for t := 0; t < nt; t++ {
				for i := 0; i < n; i++ {
					if !fail[t][i] || fixed[t] {
						continue
					}
					if cur[t][i] >= reach[t][i] {
						return infeasibleAt(full, req, t, i-w, cur[t][i], erl[t][i])
					}
					cur[t][i] = min(cur[t][i]+step[t][i], reach[t][i])
					step[t][i] = min(step[t][i]*2, 8)
					if locked != nil {
						locked[t][i] = true
					}
				}
			}
		}
	}
	if err := raise("search", nil); err != nil {
		if errors.Is(err, errBudget) {
			return nil, fmt.Errorf("requirement search: no staffing met every target within %d simulations (raise MaxRuns)", opt.MaxRuns)
		}
		return nil, err
	}
	// Lower one agent at a time wherever nothing failed yet; an interval
	// that then fails gets its agent back and is locked.
	locked := make([][]bool, nt)
	for t := range locked {
		locked[t] = make([]bool, n)
		if fixed[t] {
			for i := range locked[t] {
				locked[t][i] = true
			}
		}
	}
	for {
		lowered := grid(nt, n, 0)
		anyLowered := false
		for t := 0; t < nt; t++ {
			for i := 0; i < n; i++ {
				if !locked[t][i] && cur[t][i] > 0 {
					cur[t][i]--
					lowered[t][i] = 1
					anyLowered = true
				} else if cur[t][i] == 0 {
					locked[t][i] = true
				}
			}
		}
		if !anyLowered || req.Runs >= opt.MaxRuns-4 {
			// Undo the last proposal if the budget ran out.
			for t := range lowered {
				for i, x := range lowered[t] {
					cur[t][i] += x
				}
			}
			break
		}
		res, err := simulate("search", cur)
		if errors.Is(err, errBudget) {
			break
		}
		if err != nil {
			return nil, err
		}
		last = res
		fail := ck.failures(res)
		if !anyFail(fail) {
			good, goodRes = clone(cur), res
			continue
		}
		// Undo the cuts to blame: the failing interval's own, or else the
		// latest ones before it (a backlog carried over from a thinner
		// interval fails the next ones). Raising a failing interval whose
		// own staffing was not cut would only move the shortfall.
		unexplained := false
		for t := range fail {
			if fixed[t] {
				continue
			}
			for i, f := range fail[t] {
				if !f {
					continue
				}
				if lowered[t][i] > 0 {
					cur[t][i] += lowered[t][i]
					lowered[t][i] = 0
					locked[t][i] = true
					continue
				}
				found := false
				for j := i - 1; j >= 0 && j >= i-blameWindow; j-- {
					if lowered[t][j] > 0 {
						cur[t][j] += lowered[t][j]
						lowered[t][j] = 0
						locked[t][j] = true
						found = true
						break
					}
				}
				if !found && !locked[t][i] {
					unexplained = true
				}
			}
		}
		if unexplained {
			if err := raise("search", locked); errors.Is(err, errBudget) {
				break
			} else if err != nil {
				return nil, err
			}
		}
	}
	// The cuts kept since the last passing simulation are unverified:
	// check them, raising where they fail (raise records what passes).
	if !equalGrid(cur, good) {
		if err := raise("search", locked); err != nil && !errors.Is(err, errBudget) {
			return nil, err
		}
	}
	cur, last = clone(good), goodRes
	// Priorities and whole-period targets: ask more of each interval of a
	// channel that misses one, and raise again.
	for round := 0; round < 3; round++ {
		short, _ := ck.periodMisses(last)
		tighten := false
		for ci, s := range short {
			if s > 0 {
				ck.margin[ci] += s + 0.01
				tighten = true
			}
		}
		if !tighten {
			break
		}
		if err := raise("priorities", nil); errors.Is(err, errBudget) {
			// Out of simulations: keep the last staffing that passed every
			// interval; the plan's check reports what it misses.
			// The cuts kept since the last passing simulation are unverified:
			// check them, raising where they fail (raise records what passes).
			if !equalGrid(cur, good) {
				if err := raise("search", locked); err != nil && !errors.Is(err, errBudget) {
					return nil, err
				}
			}
			cur, last = clone(good), goodRes
			break
		} else if err != nil {
			return nil, err
		}
	}
	req.Erlang, req.WarmupErlang = split(erl, w)
	req.Simulated, req.Warmup = split(cur, w)
	req.Result = last
	req.Margin = ck.margin
	return req, nil
}

// errBudget stops a search that has used its simulations.
var errBudget = errors.New("simulation budget used")

func equalGrid(a, b [][]int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

func clone(g [][]int) [][]int {
	out := make([][]int, len(g))
	for i, r := range g {
		out[i] = append([]int(nil), r...)
	}
	return out
}

// blameWindow is how many intervals back a failure is blamed on a cut
// staffing (a backlog left by a thinner interval fails the next ones).
const blameWindow = 4

// withWarmupIntervals returns the scenario with its warm-up turned into
// ordinary intervals before the start (and the number of them), so that the
// search staffs the warm-up by its own volume: sim.Options.Staffing would
// staff it as the first interval.
func withWarmupIntervals(sc *model.Scenario) (*model.Scenario, int) {
	iv := sc.Meta.Interval.Duration
	w := int((sc.Meta.Warmup.Duration + iv - 1) / iv)
	if w == 0 {
		return sc, 0
	}
	c := *sc
	c.Meta.Start = sc.Meta.Start.Add(-time.Duration(w) * iv)
	c.Meta.Duration.Duration = sc.Meta.Duration.Duration + time.Duration(w)*iv
	c.Meta.Warmup.Duration = 0
	return &c, w
}

func split(g [][]int, w int) (period, warmup [][]int) {
	for _, r := range g {
		warmup = append(warmup, append([]int(nil), r[:w]...))
		period = append(period, append([]int(nil), r[w:]...))
	}
	return period, warmup
}

func infeasibleAt(sc *model.Scenario, req *Requirements, t, i, x, erl int) error {
	at := sc.Meta.Start.Add(time.Duration(i) * sc.Meta.Interval.Duration).In(sc.Location)
	i -= req.WarmupIntervals
	return fmt.Errorf("tier %q, interval %d (%s): targets still missed with %d agents (Erlang says %d): %w",
		sc.Tiers[t].Name, i, at.Format("Mon 15:04"), x, erl, ErrInfeasible)
}

func grid(nt, n, v int) [][]int {
	g := make([][]int, nt)
	for t := range g {
		g[t] = make([]int, n)
		for i := range g[t] {
			g[t][i] = v
		}
	}
	return g
}

func anyFail(f [][]bool) bool {
	for _, r := range f {
		for _, x := range r {
			if x {
				return true
			}
		}
	}
	return false
}
