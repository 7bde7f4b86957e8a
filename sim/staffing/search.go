package staffing

import (
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
)

// search finds, per tier and class of intervals, the fewest agents whose
// expected performance meets the targets: a bracketing search (gallop up
// from a failing staffing, down from a passing one, then bisect) run for
// every class at once. Each step simulates one batch of replications of
// the whole horizon, every class at its own staffing. A class whose verdict
// is inconclusive stays where it is, and its decision pools the batches of
// every step that kept it there (fresh random numbers each step), up to
// Options.MaxBatches of them, after which the pooled mean decides; the
// other classes move on meanwhile, so an undecided class costs no
// simulation of its own.
type search struct {
	sc   *model.Scenario // warm-up turned into intervals
	full *model.Scenario
	w    int
	d    *demand
	cl   *classes
	ck   *checker
	opt  Options
	// start[t][k] is where class k's search of tier t begins (Erlang's
	// figure, or a previous answer).
	start [][]int
	erl   [][]int // per tier and interval
	fixed []bool
	reach [][]int
	// floor[t][k] is the work the tier's own channels offer in the class,
	// in agents (erlangs, rounded up): fewer could only keep up with
	// another tier's help, which the search does not count on.
	floor [][]int
	// lo is the most agents seen failing (−1: none), hi the fewest seen
	// passing (−1: none); up and down are the gallop steps.
	lo, hi, up, down [][]int
	// loSure records whether the failure at lo was conclusive.
	loSure [][]bool
	runs   *int
	// good is the cheapest staffing seen to pass everywhere, ev its
	// evidence and v its verdicts.
	good [][]int
	ev   *evidence
	v    [][]verdict
	// unconverged is set when the budget ran out before every class's
	// bracket closed (good is then the fallback).
	unconverged bool
	// leftOpen counts the classes the search ended on before their
	// bracket closed (at most 1%), each on the safer side of it.
	leftOpen int
	// cur[t][k] is the staffing class k of tier t is being judged at, and
	// stay[t][k] how many steps in a row have simulated it there; hist
	// holds the last Options.MaxBatches steps' evidence, in order; batch
	// counts the steps (the seed of the next).
	cur, stay [][]int
	// reopened[t][k] counts the times class k's closed bracket moved up an
	// agent on a conclusive failure (its neighbours' staffing moved).
	reopened [][]int
	hist     []*evidence
	batch    int
}

// batchSeed is the seed of the b-th replication of a search: each step
// simulates fresh replications, and none shares the plan's check seed.
// Searches from the same seed (a sensitivity variant and its baseline)
// see the same replications step by step (common random numbers).
func batchSeed(seed uint64, b int) uint64 {
	if b == 0 {
		return seed
	}
	return seed ^ (uint64(b) * 0x9E3779B97F4A7C15)
}

func (s *search) reset() {
	nt, nk := len(s.sc.Tiers), s.cl.n()
	s.lo, s.hi, s.up, s.down = grid(nt, nk, -1), grid(nt, nk, -1), grid(nt, nk, 1), grid(nt, nk, 1)
	s.loSure = make([][]bool, nt)
	for t := range s.loSure {
		s.loSure[t] = make([]bool, nk)
	}
	for t := range s.lo {
		for k := range s.lo[t] {
			// One agent below the floor cannot keep up: a sure failure.
			s.lo[t][k] = s.floor[t][k] - 1
			s.loSure[t][k] = true
		}
	}
	s.cur, s.stay, s.reopened = clone(s.start), grid(nt, nk, 0), grid(nt, nk, 0)
	s.hist = nil
}

// step simulates staffing x (per tier and class) as one batch of
// Options.Replications replications on fresh seeds.
func (s *search) step(x [][]int) (*evidence, error) {
	if *s.runs >= s.opt.MaxRuns {
		return nil, errBudget
	}
	res, err := replications(s.sc, s.cl.expand(x), s.opt, s.batch)
	s.batch++
	*s.runs++
	if s.opt.Progress != nil {
		s.opt.Progress(*s.runs, s.opt.MaxRuns)
	}
	if err != nil {
		return nil, err
	}
	ev := newEvidence(len(s.sc.Channels), len(s.sc.Tiers), s.d.n)
	for _, r := range res {
		ev.add(r, s.sc.ChannelIndex, s.sc.TierIndex)
	}
	s.hist = append(s.hist, ev)
	if len(s.hist) > s.opt.MaxBatches {
		s.hist = s.hist[len(s.hist)-s.opt.MaxBatches:]
	}
	return ev, nil
}

// judged is class k of tier t's verdict at its current staffing, on the
// last steps that kept it there (at most Options.MaxBatches), and whether
// the verdict is final: conclusive, or on the most batches a decision may
// pool.
func (s *search) judged(t, k int) (verdict, bool) {
	n := min(s.stay[t][k], s.opt.MaxBatches, len(s.hist))
	v := s.ck.verdict(pool(s.hist[len(s.hist)-n:]), t, k)
	return v, v.decided || n >= s.opt.MaxBatches
}

// replications runs batch b of a staffing: Options.Replications runs of
// one replication each, on their own seeds (the same for every staffing:
// common random numbers), Options.Workers (or GOMAXPROCS) at a time.
func replications(sc *model.Scenario, staff [][]int, opt Options, b int) ([]*sim.Result, error) {
	n := opt.Replications
	out := make([]*sim.Result, n)
	errs := make([]error, n)
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for r := 0; r < n; r++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out[r], errs[r] = sim.Run(sc, sim.Options{Staffing: staff, Replications: 1,
				Seed: batchSeed(opt.Seed, b*n+r), SeedSet: true, Workers: 1})
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// propose is the next staffing to simulate per tier and class, and
// whether every class's bracket has closed (then it is the answer,
// smoothed). A class still gathering evidence (pending) stays where it is.
func (s *search) propose(pending [][]bool) ([][]int, bool) {
	x := clone(s.cur)
	done := true
	for t := range x {
		if s.fixed[t] {
			continue
		}
		for k := range x[t] {
			lo, hi := s.lo[t][k], s.hi[t][k]
			switch {
			case pending[t][k]:
				done = false
			case hi < 0 && lo < 0:
				x[t][k] = s.start[t][k]
				done = false
			case hi < 0:
				x[t][k] = min(lo+s.up[t][k], s.reach[t][k])
				done = false
			case lo >= hi-1:
				x[t][k] = hi
			case lo < 0:
				x[t][k] = max(0, hi-s.down[t][k])
				done = false
			default:
				x[t][k] = (lo + hi) / 2
				done = false
			}
		}
	}
	if done {
		s.cl.smooth(x)
	}
	return x, done
}

// update narrows class k of tier t's bracket by its final verdict at n
// agents; a class failing at its reach is infeasible.
func (s *search) update(t, k, n int, v verdict) error {
	if v.pass {
		if s.hi[t][k] < 0 || n < s.hi[t][k] {
			s.hi[t][k] = n
		}
		if s.lo[t][k] >= n {
			s.lo[t][k] = max(n, s.floor[t][k]) - 1
		}
		if s.lo[t][k] < 0 && n < s.start[t][k] {
			s.down[t][k] = min(2*s.down[t][k], 8)
		}
		return nil
	}
	if n >= s.reach[t][k] {
		i := s.cl.members[k][0]
		return infeasibleAt(s.full, s.w, t, i, n, s.erl[t][i])
	}
	if n > s.lo[t][k] {
		s.lo[t][k], s.loSure[t][k] = n, v.decided
	}
	if s.hi[t][k] >= 0 && s.hi[t][k] <= n {
		s.hi[t][k] = -1
	}
	if n > s.start[t][k] {
		s.up[t][k] = min(2*s.up[t][k], 8)
	}
	return nil
}

// run searches until every class's bracket closes, or the simulation
// budget is used (then each class stands at the fewest agents seen
// passing, or one more than seen failing). Its answer is simulated once
// more, as one staffing, for the whole-period figures.
func (s *search) run() error {
	s.reset()
	s.good, s.leftOpen = nil, 0
	nt, nk := len(s.sc.Tiers), s.cl.n()
	pending := make([][]bool, nt)
	for t := range pending {
		pending[t] = make([]bool, nk)
	}
	var x [][]int
	for {
		var done bool
		x, done = s.propose(pending)
		s.moveTo(x)
		if done {
			break
		}
		if open, all := s.open(); open*100 <= all {
			// The last few classes (at most 1%) are near their targets
			// at adjacent staffings: each takes the safer side of its
			// bracket rather than the several steps of its own that
			// would split a difference within the noise.
			x = s.fallback(x)
			s.leftOpen = open
			break
		}
		if _, err := s.step(x); errors.Is(err, errBudget) {
			if len(s.hist) == 0 {
				return fmt.Errorf("requirement search: %w within %d simulations (raise MaxRuns)", errNoPass, s.opt.MaxRuns)
			}
			x = s.fallback(x)
			s.unconverged = true
			s.leftOpen, _ = s.open()
			break
		} else if err != nil {
			return err
		}
		for t := range x {
			if s.fixed[t] {
				continue
			}
			for k, n := range x[t] {
				s.stay[t][k]++
				v, final := s.judged(t, k)
				closed := s.hi[t][k] == n && s.lo[t][k] >= n-1
				pending[t][k] = !final && !closed
				if closed {
					// A closed bracket stands unless its answer now fails
					// conclusively (a neighbour's staffing moved): then one
					// more agent, at most maxReopen times; the plan's check
					// on its rota catches anything left.
					if v.decided && !v.pass && s.reopened[t][k] < maxReopen && n < s.reach[t][k] {
						s.lo[t][k], s.hi[t][k], s.loSure[t][k] = n, n+1, true
						s.reopened[t][k]++
					}
					continue
				}
				if !final {
					continue // more batches here
				}
				if err := s.update(t, k, n, v); err != nil {
					return err
				}
			}
		}
	}
	return s.settle(x)
}

// open counts the classes of the searched tiers whose bracket has not
// closed, out of all of them.
func (s *search) open() (open, all int) {
	for t := range s.lo {
		if s.fixed[t] {
			continue
		}
		for k := range s.lo[t] {
			all++
			if lo, hi := s.lo[t][k], s.hi[t][k]; hi < 0 || lo < hi-1 {
				open++
			}
		}
	}
	return open, all
}

// maxReopen is how many times one class's closed bracket may move up an
// agent.
const maxReopen = 2

// moveTo makes x the staffing each class is judged at; a class whose
// staffing changed starts its stay afresh.
func (s *search) moveTo(x [][]int) {
	for t := range x {
		for k := range x[t] {
			if x[t][k] != s.cur[t][k] {
				s.stay[t][k] = 0
			}
		}
	}
	s.cur = x
}

// settle simulates the search's answer x once more as one staffing, and
// judges each class on that batch and the steps that kept it at its
// answer.
func (s *search) settle(x [][]int) error {
	s.moveTo(x)
	budget := s.opt.MaxRuns
	s.opt.MaxRuns = max(budget, *s.runs+1)
	ev, err := s.step(x)
	s.opt.MaxRuns = budget
	if err != nil {
		return err
	}
	s.good, s.ev = clone(x), ev
	s.v = make([][]verdict, len(x))
	for t := range x {
		s.v[t] = make([]verdict, len(x[t]))
		for k := range x[t] {
			s.stay[t][k]++
			s.v[t][k], _ = s.judged(t, k)
		}
	}
	return nil
}

// fallback is the staffing a search out of simulations stands on: per
// class the fewest agents seen passing, else one more than the most seen
// failing (at least what was last simulated), within the reach.
func (s *search) fallback(last [][]int) [][]int {
	x := clone(last)
	for t := range x {
		if s.fixed[t] {
			continue
		}
		for k := range x[t] {
			switch {
			case s.hi[t][k] >= 0:
				x[t][k] = s.hi[t][k]
			case s.lo[t][k] >= 0:
				x[t][k] = min(max(s.lo[t][k]+1, x[t][k]), s.reach[t][k])
			}
		}
	}
	s.cl.smooth(x)
	return x
}

// agentIntervals is the agent-intervals staffing x (per tier and class)
// puts on the floor.
func (s *search) agentIntervals(x [][]int) int {
	n := 0
	for _, r := range x {
		for k, v := range r {
			n += v * len(s.cl.members[k])
		}
	}
	return n
}
