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
	// MaxRuns caps the simulations of the requirement search (default
	// 120); each batch of replications counts as one.
	MaxRuns int
	// MaxBatches caps the batches of Replications one class's decision
	// pools while it is inconclusive: the class stays at its staffing for
	// that many steps of the search at most, then the pooled mean decides
	// (default 4).
	MaxBatches int
	// Meet is how the service-level targets are contracted (default
	// MeetInterval).
	Meet Meet
	// Quantile, in (0,1), plans for that quantile of each channel's volume
	// under its forecast_cv (0.9: a P90 plan) and costs the median plan
	// beside it; 0 plans for the expected volume with its uncertainty.
	Quantile float64
	// MaxOccupancy caps the busy share of a tier that receives escalated
	// work, whose waits no target measures (default 0.85).
	MaxOccupancy float64
	// Templates plans with the scenario's shift templates instead of
	// generated patterns.
	Templates bool
	// Fragments plans free shifts per date, described by StartEvery,
	// MinLength, MaxLength and LengthStep (defaults 30m, 4h, 10h, 2h),
	// instead of positions under the scenario's contracts (roster.go).
	Fragments bool
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
	// base, if set, is a requirement of a close scenario (the plan's, for a
	// sensitivity variant): the search starts from it, moved by the change
	// in Erlang's figure, instead of from Erlang's.
	base *Requirements
	// Progress, if set, is told after each simulation how many have run
	// and how many at most there will be (a bound that shrinks as stages
	// end early).
	Progress func(done, total int)
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
		o.MaxRuns = 120
	}
	if o.MaxBatches <= 0 {
		o.MaxBatches = 4
	}
	if o.Meet == "" {
		o.Meet = MeetInterval
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
	// Result is the first replication's simulation of the final
	// requirement (search seed).
	Result *sim.Result `json:"-"`
	// Margin[c] is the extra per-interval service level the search asked of
	// channel c so that its priority classes and the whole period meet their
	// targets (negative in day and period mode: the per-interval service
	// level the daily or whole-period target allows).
	Margin []float64
	// Meet is the mode the requirement meets the targets in.
	Meet Meet
	// Classes is the number of distinct decisions: intervals with the same
	// load and context share one.
	Classes int
	// Uncertainty is the requirement's own: how sure each decision is.
	Uncertainty Uncertainty
	// Unconverged is true when the search used its simulations before
	// more than 99% of its classes' brackets closed: the requirement is then, per
	// class, the fewest agents seen passing or one more than seen failing,
	// and the plan's check says what it misses.
	Unconverged bool
	// Open counts the classes (tier and load) the search ended on before
	// their bracket closed: at most 1% of them, near their targets at two
	// adjacent staffings, each given the fewest agents seen passing or one
	// more than seen failing.
	Open int
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

// checker judges simulations against the scenario's targets, pooling
// the evidence of the intervals of a class.
type checker struct {
	sc     *model.Scenario
	d      *demand
	cl     *classes
	margin []float64
}

// verdicts judges every tier and class on one simulation's evidence.
func (c *checker) verdicts(ev *evidence) [][]verdict {
	v := make([][]verdict, len(c.sc.Tiers))
	for t := range v {
		v[t] = make([]verdict, c.cl.n())
		for k := range v[t] {
			v[t][k] = c.verdict(pool{ev}, t, k)
		}
	}
	return v
}

// verdict judges tier t's staffing in class k on the pooled evidence: the
// service level and abandonment of the channels the tier takes first, and
// the tier's own target for escalations.
func (c *checker) verdict(p pool, t, k int) verdict {
	v := newVerdict()
	ivs := c.cl.members[k]
	for ci := range c.sc.Channels {
		if c.d.entry[ci] != t {
			continue
		}
		ch := &c.sc.Channels[ci]
		tau := min(1, ch.SLA.Target+c.margin[ci])
		if m, h, ok := p.serviceLevel(ci, ivs); ok {
			v.judge(m-tau, h)
		}
		// In day and period mode (a negative margin) the abandonment
		// cap too holds over the day or period, not per interval.
		if cap := ch.SLA.MaxAbandon; cap > 0 && ch.Live() && c.margin[ci] >= 0 {
			if m, h, ok := p.abandonRate(ci, ivs); ok {
				v.judge(cap-m, h)
			}
		}
	}
	if ola := c.sc.Tiers[t].SLA; ola != nil {
		if m, h, ok := p.escalationLevel(t, ivs); ok {
			v.judge(m-ola.Target, h)
		}
	}
	return v
}

// failures marks each tier and interval whose class misses, on the
// replications of results (one each) pooled over the class, a target the
// tier answers for by more than twice its 95% confidence half-width: a
// miss within the noise of a check is no reason to buy another agent, and
// among a thousand classes (Black Friday has 1,071) a 95% interval alone
// would flag dozens by chance.
func (c *checker) failures(results []*sim.Result) [][]bool {
	ev := newEvidence(len(c.sc.Channels), len(c.sc.Tiers), c.d.n)
	for _, r := range results {
		ev.add(r, c.sc.ChannelIndex, c.sc.TierIndex)
	}
	v := c.verdicts(ev)
	fail := make([][]bool, len(c.sc.Tiers))
	for t := range fail {
		fail[t] = make([]bool, c.d.n)
		for i, k := range c.cl.of {
			fail[t][i] = !v[t][k].pass && v[t][k].slack < -2*v[t][k].ci
		}
	}
	return fail
}

// periodMisses lists the period-level targets missed, on the mean over
// results (the replications of a staffing, one result each): a channel's
// or a priority's service level, or a channel's abandonment cap. It
// returns, per channel, how far the worst of them fell short.
func (c *checker) periodMisses(results []*sim.Result) (short []float64, msgs []string) {
	short = make([]float64, len(c.sc.Channels))
	if len(results) == 0 {
		return short, nil
	}
	first := results[0]
	for k, ch := range first.Channels {
		ci := c.sc.ChannelIndex(ch.Name)
		if sl, ok := meanOver(results, func(r *sim.Result) sim.Stat { return r.Channels[k].ServiceLevel }); ok && sl < ch.Target {
			short[ci] = math.Max(short[ci], ch.Target-sl)
			msgs = append(msgs, fmt.Sprintf("channel %q: service level %.3f < %.3f", ch.Name, sl, ch.Target))
		}
		ab, ok := meanOver(results, func(r *sim.Result) sim.Stat { return r.Channels[k].AbandonRate })
		if cap := c.sc.Channels[ci].SLA.MaxAbandon; cap > 0 && ok && ab > cap {
			short[ci] = math.Max(short[ci], 0.02)
			msgs = append(msgs, fmt.Sprintf("channel %q: abandonment %.3f > %.3f", ch.Name, ab, cap))
		}
	}
	for k, p := range first.Priorities {
		ci := c.sc.ChannelIndex(p.Channel)
		sl, ok := meanOver(results, func(r *sim.Result) sim.Stat {
			if k < len(r.Priorities) && r.Priorities[k].Priority == p.Priority && r.Priorities[k].Channel == p.Channel {
				return r.Priorities[k].ServiceLevel
			}
			return sim.Stat{}
		})
		if ok && sl < p.Target {
			short[ci] = math.Max(short[ci], p.Target-sl)
			msgs = append(msgs, fmt.Sprintf("channel %q priority %q: service level %.3f < %.3f", p.Channel, p.Priority, sl, p.Target))
		}
	}
	return short, msgs
}

// meanOver is the mean of a whole-period figure over results, weighting
// each by its replications, leaving out those where it is undefined.
func meanOver(results []*sim.Result, get func(*sim.Result) sim.Stat) (float64, bool) {
	var sum, n float64
	for _, r := range results {
		st := get(r)
		if k := float64(len(st.Samples)); k > 0 {
			sum += st.Mean * k
			n += k
		}
	}
	if n == 0 {
		return 0, false
	}
	return sum / n, true
}

func newChecker(sc *model.Scenario, d *demand) *checker {
	return &checker{sc: sc, d: d, cl: newClasses(d, contextDepth(longestTarget(sc), d.interval)), margin: make([]float64, len(sc.Channels))}
}

// longestTarget is the longest target time, in seconds, of a deferred
// channel or a tier's target for escalations: how far back the context
// of an interval reaches.
func longestTarget(sc *model.Scenario) float64 {
	var w float64
	for _, ch := range sc.Channels {
		if !ch.Live() {
			w = math.Max(w, ch.SLA.Within.Seconds())
		}
	}
	for _, t := range sc.Tiers {
		if t.SLA != nil {
			w = math.Max(w, t.SLA.Within.Seconds())
		}
	}
	return w
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
// fewest agents per tier and interval whose expected performance meets
// every target of the scenario. Intervals with the same load and context
// (classes) share one decision taken on all their evidence. The search
// starts from the analytic (Erlang) figure and brackets every class at once
// (gallop, then bisect), one batch of replications of the whole horizon a
// step; a class whose confidence interval straddles its target stays put
// and pools the next steps' fresh batches (up to Options.MaxBatches), so
// no decision hangs on one set of random numbers and an undecided class
// holds none of the others up. The answer is smoothed to be monotone in
// the load and simulated once more. In interval mode an outer loop then
// tightens a channel's per-interval target until its priority classes and
// the whole period meet theirs; in day and period mode the per-interval
// target is loosened as far as the daily or whole-period target allows
// (see Meet). Targets that cannot be met wrap ErrInfeasible.
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
	req := &Requirements{Start: full.Meta.Start, Interval: sc.Meta.Interval.Duration, WarmupIntervals: w, Meet: opt.Meet}
	for _, t := range sc.Tiers {
		req.Tiers = append(req.Tiers, t.Name)
	}
	s := newSearch(full, sc, w, d, erl, opt, &req.Runs)
	if err := s.run(); err != nil {
		return nil, err
	}
	var err2 error
	if opt.Meet == MeetInterval {
		err2 = s.tighten()
	} else {
		err2 = s.loosen()
	}
	if err2 != nil {
		return nil, err2
	}
	cur := s.cl.expand(s.good)
	req.Erlang, req.WarmupErlang = split(erl, w)
	req.Simulated, req.Warmup = split(cur, w)
	req.Result = s.ev.results[0]
	req.Margin = s.ck.margin
	req.Classes = s.cl.n()
	req.Unconverged = s.unconverged
	req.Open = s.leftOpen
	req.uncertainty(s)
	return req, nil
}

// newSearch sets a search up: classes of intervals, Erlang's figure as
// the start, the reach (far above any sensible staffing) and the tiers
// the search leaves at their workload.
func newSearch(full, sc *model.Scenario, w int, d *demand, erl [][]int, opt Options, runs *int) *search {
	ck := newChecker(sc, d)
	s := &search{sc: sc, full: full, w: w, d: d, cl: ck.cl, ck: ck, opt: opt, erl: erl, runs: runs}
	nt := len(sc.Tiers)
	s.start, s.reach, s.floor = grid(nt, s.cl.n(), 0), grid(nt, s.cl.n(), 0), grid(nt, s.cl.n(), 0)
	work := entryWork(sc, d)
	for t := range s.start {
		for k, ivs := range s.cl.members {
			s.start[t][k] = erl[t][ivs[0]]
			s.reach[t][k] = 3*erl[t][ivs[0]] + 20
			s.floor[t][k] = min(erl[t][ivs[0]], int(math.Ceil(work[t][ivs[0]]-1e-9)))
		}
	}
	if b := opt.base; b != nil && len(b.Tiers) == nt && b.WarmupIntervals == w {
		// Start where the close scenario's search ended, moved by the
		// change in Erlang's figure: most classes close in a step or two.
		for t := range s.start {
			got := append(append([]int(nil), b.Warmup[t]...), b.Simulated[t]...)
			was := append(append([]int(nil), b.WarmupErlang[t]...), b.Erlang[t]...)
			if len(got) != d.n {
				break
			}
			for k, ivs := range s.cl.members {
				i := ivs[0]
				s.start[t][k] = max(s.floor[t][k], got[i]+erl[t][i]-was[i], 0)
			}
		}
	}
	// Tiers no channel enters (specialists, leads taking only escalated
	// work) are searched against their own target for escalations (the
	// tier's sla, an OLA) when they have one; without one they answer to no
	// target: their requirement is the escalated workload at MaxOccupancy,
	// and the search leaves them there.
	s.fixed = make([]bool, nt)
	for t := range s.fixed {
		s.fixed[t] = sc.Tiers[t].SLA == nil
	}
	for _, e := range d.entry {
		s.fixed[e] = false
	}
	return s
}

// tightenRounds is how many times tighten searches again.
const tightenRounds = 3

// tighten asks more of each interval of a channel whose priority classes
// or whole-period target the requirement misses, and searches again from
// the last answer (at most three rounds).
func (s *search) tighten() error {
	for round := 0; round < tightenRounds; round++ {
		short, _ := s.ck.periodMisses(s.ev.results)
		more := false
		for ci, x := range short {
			if x > 0 {
				s.ck.margin[ci] += x + 0.01
				more = true
			}
		}
		if !more {
			return nil
		}
		if err := s.rerun(); err != nil {
			return err
		}
	}
	return nil
}

// rerun searches again from the last answer, keeping it if the budget
// runs out first.
func (s *search) rerun() error {
	good, ev, v := s.good, s.ev, s.v
	s.start = clone(good)
	err := s.run()
	if s.good == nil {
		s.good, s.ev, s.v = good, ev, v
		if errors.Is(err, errNoPass) {
			return nil
		}
	}
	return err
}

// errBudget stops a search that has used its simulations.
var errBudget = errors.New("simulation budget used")

// errNoPass is a search that used its simulations before any staffing met
// every target.
var errNoPass = errors.New("no staffing met every target")

func clone(g [][]int) [][]int {
	out := make([][]int, len(g))
	for i, r := range g {
		out[i] = append([]int(nil), r...)
	}
	return out
}

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

// infeasibleAt reports targets missed at the reach of the search in
// interval i of the horizon (w warm-up intervals first), named by its
// index in the period (negative in the warm-up) and its start.
func infeasibleAt(sc *model.Scenario, w, t, i, x, erl int) error {
	p := i - w
	at := sc.Meta.Start.Add(time.Duration(p) * sc.Meta.Interval.Duration).In(sc.Location)
	where := fmt.Sprintf("interval %d", p)
	if p < 0 {
		where = fmt.Sprintf("warm-up interval %d", p)
	}
	return fmt.Errorf("tier %q, %s (%s): targets still missed with %d agents (Erlang says %d): %w",
		sc.Tiers[t].Name, where, at.Format("Mon 2 Jan 15:04"), x, erl, ErrInfeasible)
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

// anyFail reports whether any tier and interval failed.
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
