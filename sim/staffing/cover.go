package staffing

import (
	"fmt"
	"math"
	"strings"
)

// coverProblem is one covering integer program: choose headcounts x ≥ 0
// minimising cost·x with A·x ≥ need and side·x ≥ 0.
type coverProblem struct {
	a    [][]float64 // per pattern, per interval
	cost []float64
	need []float64
	// side are extra rows Σ_j side[r][j]·x_j ≥ 0: a contract's cap on its
	// share of positions, say.
	side [][]float64
	// sideNeed, if set, are right-hand sides for the side rows (default 0).
	sideNeed []float64
}

// coverRows is a covering program reduced to the rows that bind: rows
// already met are left out, rows the patterns cover alike are merged (the
// largest need kept), side rows come last.
type coverRows struct {
	coef [][]float64 // per row, per pattern
	need []float64
	cost []float64
	// cols are coef's non-zero entries per pattern (sparse).
	cols []sparseCol
}

func reduce(p coverProblem) (*coverRows, error) {
	np := len(p.a)
	r := &coverRows{cost: p.cost}
	seen := map[string]int{}
	for i, need := range p.need {
		if need <= 1e-9 {
			continue
		}
		coef := make([]float64, np)
		var key strings.Builder
		any := false
		for j := range p.a {
			// Rounded to 1/1000 agent: the simplex stalls on near-equal
			// pivots otherwise.
			coef[j] = math.Round(p.a[j][i]*1000) / 1000
			if coef[j] > 1e-9 {
				any = true
				fmt.Fprintf(&key, "%d:%.3f,", j, coef[j])
			}
		}
		if !any {
			return nil, fmt.Errorf("interval %d needs %.0f agents and no shift pattern covers it", i, need)
		}
		if k, ok := seen[key.String()]; ok {
			r.need[k] = math.Max(r.need[k], need)
			continue
		}
		seen[key.String()] = len(r.need)
		r.coef = append(r.coef, coef)
		r.need = append(r.need, need)
	}
	for k, s := range p.side {
		r.coef = append(r.coef, s)
		if p.sideNeed != nil {
			r.need = append(r.need, p.sideNeed[k])
		} else {
			r.need = append(r.need, 0)
		}
	}
	r.cols = make([]sparseCol, np)
	for i, c := range r.coef {
		for j, v := range c {
			if v != 0 {
				r.cols[j].row = append(r.cols[j].row, i)
				r.cols[j].val = append(r.cols[j].val, v)
			}
		}
	}
	return r, nil
}

// relax solves the LP relaxation (dualSimplex) and returns x per pattern
// and the LP's cost.
func (r *coverRows) relax() ([]float64, float64, error) {
	np := len(r.cost)
	c := make([]float64, np)
	for j := range c {
		// Patterns of equal cost make the program dual-degenerate; a
		// distinct relative perturbation of 1e-7 per column breaks ties.
		c[j] = r.cost[j] * (1 + 1e-7*float64(j%97))
	}
	xs, _, err := dualSimplex(r.cols, c, r.need)
	if err != nil {
		return nil, math.NaN(), err
	}
	var value float64
	for j, x := range xs {
		value += r.cost[j] * x
	}
	return xs, value, nil
}

// solveCover solves the covering program through its LP relaxation and
// rounds it: the LP answer rounded up and rounded down, each repaired
// greedily and trimmed, the cheaper kept and improved by local search. It
// returns the headcounts and the LP's cost, a lower bound on any integer
// cover's (NaN when the simplex failed numerically and the greedy cover
// was built from nothing).
func solveCover(p coverProblem) ([]int, float64, error) {
	np := len(p.a)
	if np == 0 {
		return nil, 0, nil
	}
	r, err := reduce(p)
	if err != nil {
		return nil, 0, err
	}
	xs, bound, lpErr := r.relax()
	var best *integer
	try := func(round func(float64) float64) error {
		x := make([]int, np)
		if lpErr == nil {
			for j, v := range xs {
				x[j] = int(round(v))
			}
		}
		s := r.start(x)
		if err := s.fill(); err != nil {
			return err
		}
		s.trim()
		if best == nil || s.cost() < best.cost() {
			best = s
		}
		return nil
	}
	// The iterative rounding re-solves an LP: it runs beside the rounding
	// up, and its cover is weighed after it, as if in turn.
	var iterX []int
	var iterErr error
	iterDone := make(chan struct{})
	go func() {
		defer close(iterDone)
		if lpErr == nil {
			iterX, iterErr = iterRound(p, xs)
		}
	}()
	err = try(func(v float64) float64 { return math.Ceil(v - 1e-7) })
	<-iterDone
	if err != nil {
		return nil, 0, err
	}
	if lpErr == nil {
		if x, err := iterX, iterErr; err == nil {
			s := r.start(x)
			if s.fill() == nil {
				s.trim()
				if s.cost() < best.cost() {
					best = s
				}
			}
		}
	}
	if lpErr == nil {
		if err := try(func(v float64) float64 { return math.Floor(v + 1e-7) }); err != nil {
			return nil, 0, err
		}
	} else {
		bound = math.NaN()
	}
	passes := improvePasses(len(r.cost), len(r.need))
	best.improve(passes)
	best.swap(passes)
	best.trim()
	best.improvePairs(40)
	return best.x, bound, nil
}

// iterRound rounds the LP answer xs by fixing its whole parts, re-solving
// the LP on what is left to cover, and, when nothing is whole, taking one
// agent on the largest fractional pattern; a few rounds, then the caller
// repairs greedily what is left.
func iterRound(p coverProblem, xs []float64) ([]int, error) {
	x := make([]int, len(p.a))
	// Each round re-solves an LP: many on small programs, few on a week of
	// half-hour rows.
	rounds := 4
	if len(p.a)*len(p.need) > 20000 {
		rounds = 1
	}
	for round := 0; round <= rounds; round++ {
		fixed := false
		big, bigV := -1, 0.0
		for j, v := range xs {
			if f := math.Floor(v + 1e-7); f >= 1 {
				x[j] += int(f)
				fixed = true
			} else if v > bigV {
				big, bigV = j, v
			}
		}
		if !fixed {
			if big < 0 {
				break
			}
			x[big]++
		}
		q := coverProblem{a: p.a, cost: p.cost, need: make([]float64, len(p.need)), side: p.side}
		left := false
		for i, need := range p.need {
			have := 0.0
			for j, n := range x {
				have += p.a[j][i] * float64(n)
			}
			if q.need[i] = need - have; q.need[i] > 1e-6 {
				left = true
			}
		}
		q.sideNeed = make([]float64, len(p.side))
		for k, row := range p.side {
			for j, n := range x {
				q.sideNeed[k] -= row[j] * float64(n)
			}
			if p.sideNeed != nil {
				q.sideNeed[k] += p.sideNeed[k]
			}
		}
		if !left || round == rounds {
			break
		}
		r, err := reduce(q)
		if err != nil {
			return nil, err
		}
		if xs, _, err = r.relax(); err != nil {
			return nil, err
		}
	}
	return x, nil
}

// wholeAgentCuts are rows every integer cover keeps and the LP relaxation
// need not: where one agent puts at most amax on the floor in a row (an
// attendance of 87%, less a break), a need of d there takes at least
// ⌈d ÷ amax⌉ agents on shift, whatever their share: Σ_{j reaching i} x_j
// ≥ ⌈d ÷ amax⌉ (a Chvátal–Gomory cut). A need of 1 at 87% attendance takes
// two agents where the LP buys 1.15. Only rows where the cut raises the
// head count by at least minRaise (a share) are kept, each set of
// patterns once with its largest count.
func wholeAgentCuts(p coverProblem, minRaise float64) (rows [][]float64, need []float64) {
	seen := map[string]int{}
	for i, d := range p.need {
		if d <= 1e-9 {
			continue
		}
		amax := 0.0
		for j := range p.a {
			amax = math.Max(amax, p.a[j][i])
		}
		if amax <= 1e-9 {
			continue
		}
		k := math.Ceil(d/amax - 1e-9)
		if k < (1+minRaise)*d/amax {
			continue
		}
		row := make([]float64, len(p.a))
		var key strings.Builder
		for j := range p.a {
			if p.a[j][i] > 1e-9 {
				row[j] = 1
				fmt.Fprintf(&key, "%d,", j)
			}
		}
		if r, ok := seen[key.String()]; ok {
			need[r] = math.Max(need[r], k)
			continue
		}
		seen[key.String()] = len(rows)
		rows = append(rows, row)
		need = append(need, k)
	}
	return rows, need
}
