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
// every class at once, each step one staffing simulated in batches of
// replications until every class's decision is conclusive or the batch cap
// is reached (then the pooled mean decides).
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
	// unconverged is set when the budget ran out before every class was
	// seen passing at once (good is then the fallback).
	unconverged bool
}

// batchSeed is the seed of the b-th replication of a staffing in the
// search: every staffing sees the same replications (common random
// numbers), and none shares the plan's check seed.
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
}

// evaluate simulates staffing x (per tier and class) in batches of
// Options.Replications replications until the verdicts are conclusive or
// Options.MaxBatches batches ran. Each replication is its own run, so that
// the evidence keeps every replication's figures per interval.
func (s *search) evaluate(x [][]int) (*evidence, [][]verdict, error) {
	staff := s.cl.expand(x)
	ev := newEvidence(len(s.sc.Channels), len(s.sc.Tiers), s.d.n)
	var v [][]verdict
	for b := 0; b < s.opt.MaxBatches; b++ {
		if *s.runs >= s.opt.MaxRuns {
			if b == 0 {
				return nil, nil, errBudget
			}
			break
		}
		res, err := replications(s.sc, staff, s.opt, b)
		*s.runs++
		if s.opt.Progress != nil {
			s.opt.Progress(*s.runs, s.opt.MaxRuns)
		}
		if err != nil {
			return nil, nil, err
		}
		for _, r := range res {
			ev.add(r, s.sc.ChannelIndex, s.sc.TierIndex)
		}
		v = s.ck.verdicts(ev)
		if s.conclusive(v) {
			break
		}
	}
	return ev, v, nil
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

func (s *search) conclusive(v [][]verdict) bool {
	for t := range v {
		if s.fixed[t] {
			continue
		}
		for _, x := range v[t] {
			if !x.decided {
				return false
			}
		}
	}
	return true
}

// propose is the next staffing to simulate per tier and class, and
// whether every class's search has converged (then it is the answer,
// smoothed).
func (s *search) propose() ([][]int, bool) {
	x := clone(s.start)
	done := true
	for t := range x {
		if s.fixed[t] {
			continue
		}
		for k := range x[t] {
			lo, hi := s.lo[t][k], s.hi[t][k]
			switch {
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

// update narrows each class's bracket by the verdicts on staffing x; a
// class failing at its reach is infeasible.
func (s *search) update(x [][]int, v [][]verdict) error {
	for t := range x {
		if s.fixed[t] {
			continue
		}
		for k, n := range x[t] {
			if v[t][k].pass {
				if s.hi[t][k] < 0 || n < s.hi[t][k] {
					s.hi[t][k] = n
				}
				if s.lo[t][k] >= n {
					s.lo[t][k] = max(n, s.floor[t][k]) - 1
				}
				if s.lo[t][k] < 0 && n < s.start[t][k] {
					s.down[t][k] = min(2*s.down[t][k], 8)
				}
				continue
			}
			if n >= s.reach[t][k] {
				i := s.cl.members[k][0]
				return infeasibleAt(s.full, s.w, t, i, n, s.erl[t][i])
			}
			if n > s.lo[t][k] {
				s.lo[t][k], s.loSure[t][k] = n, v[t][k].decided
			}
			if s.hi[t][k] >= 0 && s.hi[t][k] <= n {
				s.hi[t][k] = -1
			}
			if n > s.start[t][k] {
				s.up[t][k] = min(2*s.up[t][k], 8)
			}
		}
	}
	return nil
}

// run searches until the brackets converge on a staffing that passes
// everywhere, or the simulation budget is used (then the cheapest
// staffing seen to pass everywhere stands).
func (s *search) run() error {
	s.reset()
	s.good = nil
	var lastEv *evidence
	var lastV [][]verdict
	var lastX [][]int
	for {
		x, done := s.propose()
		ev, v, err := s.evaluate(x)
		if errors.Is(err, errBudget) {
			if s.good == nil && lastEv == nil {
				return fmt.Errorf("requirement search: %w within %d simulations (raise MaxRuns)", errNoPass, s.opt.MaxRuns)
			}
			if s.good == nil {
				// Out of simulations before any staffing passed everywhere:
				// each class at the fewest agents seen passing, or one more
				// than seen failing; the plan's check says what it misses.
				s.good, s.ev, s.v = s.fallback(lastX), lastEv, lastV
				s.unconverged = true
			}
			return nil
		}
		if err != nil {
			return err
		}
		lastEv, lastV, lastX = ev, v, x
		allPass := true
		for t := range v {
			for k := range v[t] {
				if !s.fixed[t] && !v[t][k].pass {
					allPass = false
				}
			}
		}
		if allPass && (s.good == nil || done || s.agentIntervals(x) <= s.agentIntervals(s.good)) {
			s.good, s.ev, s.v = clone(x), ev, v
		}
		if done && allPass {
			return nil
		}
		if err := s.update(x, v); err != nil {
			return err
		}
	}
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
