package staffing

import (
	"fmt"
	"math"
	"sort"
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

// integer holds an integer cover and what it puts in each row.
type integer struct {
	r    *coverRows
	x    []int
	have []float64
}

func (r *coverRows) start(x []int) *integer {
	s := &integer{r: r, x: append([]int(nil), x...), have: make([]float64, len(r.need))}
	for j, n := range x {
		col := &r.cols[j]
		for k, i := range col.row {
			s.have[i] += col.val[k] * float64(n)
		}
	}
	return s
}

func (s *integer) add(j, d int) {
	s.x[j] += d
	col := &s.r.cols[j]
	for k, i := range col.row {
		s.have[i] += col.val[k] * float64(d)
	}
}

func (s *integer) feasible() bool {
	for i, h := range s.have {
		if h < s.r.need[i]-1e-6 {
			return false
		}
	}
	return true
}

func (s *integer) cost() float64 {
	var c float64
	for j, x := range s.x {
		c += float64(x) * s.r.cost[j]
	}
	return c
}

// fill adds, greedily, the pattern that covers the most missing need per
// unit of cost and breaks no row already met.
func (s *integer) fill() error {
	for it := 0; !s.feasible(); it++ {
		if it > 100000 {
			return fmt.Errorf("shift plan: cannot repair the rounded cover")
		}
		best, bestV := -1, 0.0
		for j := range s.x {
			gain := 0.0
			ok := true
			col := &s.r.cols[j]
			for k, i := range col.row {
				v := col.val[k]
				short := s.r.need[i] - s.have[i]
				if short > 1e-6 && v > 0 {
					gain += math.Min(v, short)
				} else if v < 0 && s.have[i]+v < s.r.need[i]-1e-6 {
					ok = false
					break
				}
			}
			if g := gain / s.r.cost[j]; ok && g > bestV {
				best, bestV = j, g
			}
		}
		if best < 0 {
			return fmt.Errorf("shift plan: no pattern repairs the rounded cover")
		}
		s.add(best, 1)
	}
	return nil
}

// trim removes, most expensive pattern first, one agent at a time while
// the cover still holds.
func (s *integer) trim() {
	order := make([]int, len(s.x))
	for j := range order {
		order[j] = j
	}
	sort.SliceStable(order, func(a, b int) bool { return s.r.cost[order[a]] > s.r.cost[order[b]] })
	for changed := true; changed; {
		changed = false
		for _, j := range order {
			for s.x[j] > 0 && s.canDrop(j) {
				s.add(j, -1)
				changed = true
			}
		}
	}
}

func (s *integer) canDrop(j int) bool {
	col := &s.r.cols[j]
	for k, i := range col.row {
		if v := col.val[k]; v > 0 && s.have[i]-v < s.r.need[i]-1e-6 {
			return false
		}
	}
	return true
}

// swap moves one agent at a time from a pattern in use to the cheapest
// pattern that keeps every row covered, until no such move is left (or
// passes rounds of moves).
func (s *integer) swap(passes int) {
	for p := 0; p < passes; p++ {
		moved := false
		for j := range s.x {
			if s.x[j] == 0 {
				continue
			}
			best := -1
			for k := range s.x {
				if s.r.cost[k] < s.r.cost[j]-1e-9 && (best < 0 || s.r.cost[k] < s.r.cost[best]) && s.canSwap(j, k) {
					best = k
				}
			}
			if best >= 0 {
				s.add(j, -1)
				s.add(best, 1)
				moved = true
			}
		}
		if !moved {
			return
		}
	}
}

// canSwap reports whether one agent moved from pattern j to k leaves every
// row covered.
func (s *integer) canSwap(j, k int) bool {
	// Only rows where j or k has an entry can change.
	for _, p := range [2]int{j, k} {
		for _, i := range s.r.cols[p].row {
			c := s.r.coef[i]
			if d := c[k] - c[j]; d < 0 && s.have[i]+d < s.r.need[i]-1e-6 {
				return false
			}
		}
	}
	return true
}

// improve tries, for each pattern in use, one agent fewer and a greedy
// repair, keeping the change when the cover gets cheaper.
func (s *integer) improve(passes int) {
	for p := 0; p < passes; p++ {
		better := false
		for j := range s.x {
			if s.x[j] == 0 {
				continue
			}
			better = s.dropAndRepair(j) || better
		}
		if !better {
			return
		}
	}
}

// dropAndRepair removes one agent from each pattern named, repairs the
// cover greedily and trims it, and keeps the change only when the cover
// holds and costs less; it reports whether it kept it.
func (s *integer) dropAndRepair(js ...int) bool {
	before := s.cost()
	keep := append([]int(nil), s.x...)
	keepHave := append([]float64(nil), s.have...)
	for _, j := range js {
		s.add(j, -1)
	}
	if s.fill() == nil {
		s.trim()
	}
	if !s.feasible() || s.cost() >= before-1e-9 {
		s.x, s.have = keep, keepHave
		return false
	}
	return true
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
	if err := try(func(v float64) float64 { return math.Ceil(v - 1e-7) }); err != nil {
		return nil, 0, err
	}
	if lpErr == nil {
		if x, err := iterRound(p, xs); err == nil {
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

// improvePairs tries, for each pair of agents in use (on small programs:
// at most maxUsed patterns in use), two agents fewer and a greedy repair,
// keeping the change when the cover gets cheaper: a move one agent at a
// time cannot find when two half-used positions make one.
func (s *integer) improvePairs(maxUsed int) {
	for better := true; better; {
		better = false
		var used []int
		for j, n := range s.x {
			if n > 0 {
				used = append(used, j)
			}
		}
		if len(used) > maxUsed {
			return
		}
		for a, j := range used {
			for _, k := range used[a:] {
				if s.x[j] == 0 || s.x[k] == 0 || (j == k && s.x[j] < 2) {
					continue
				}
				better = s.dropAndRepair(j, k) || better
			}
		}
	}
}

// improvePasses is how many rounds of local search a program gets: until
// no move helps on small programs (a team of a few agents, where one
// position is a large share of the cost), two on a week of half-hour rows.
func improvePasses(patterns, rows int) int {
	if patterns*rows > 50000 {
		return 2
	}
	return 20
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
