package staffing

import (
	"fmt"
	"math"
	"sort"
)

// Rounding an LP answer into whole agents: an integer cover, its greedy
// repair and trim, and the local-search moves that improve it.

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
