package staffing

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// classes groups the intervals of a horizon (warm-up first) whose offered
// work and context are the same: every channel's arrival rate in the
// interval, in the next one (the queue left at a close is the last
// interval's), and in the intervals before it as far back as the longest
// deferred target or target for escalations reaches (a backlog carries
// over). Live contacts are judged as a stationary queue would see them: an
// interval opening on an empty queue is not staffed lighter than the same
// load in mid-day (the simulation's empty opening is optimistic). Intervals of
// a class share one staffing decision, taken on the evidence of all of
// them: identical days get identical requirements, and a flat load pools
// dozens of intervals into one well-estimated decision.
type classes struct {
	// of[i] is the class of interval i.
	of []int
	// members[k] are the intervals of class k, in order.
	members [][]int
	// key[k] is class k's load vector (rates of the context intervals of
	// every channel), the basis of the monotone smoothing.
	key [][]float64
}

// contextDepth is how many intervals before an interval belong to its
// context: as many as the longest target of a deferred channel or for
// escalations spans (capped at 4 hours), none without one.
func contextDepth(maxWithin, interval float64) int {
	if interval <= 0 || maxWithin <= 0 {
		return 0
	}
	return int(math.Ceil(math.Min(maxWithin, 4*3600)/interval - 1e-9))
}

// newClasses groups d's intervals by their load over back intervals before
// and one after.
func newClasses(d *demand, back int) *classes {
	c := &classes{of: make([]int, d.n)}
	index := map[string]int{}
	for i := 0; i < d.n; i++ {
		var key []float64
		var sb strings.Builder
		for ch := range d.rate {
			for j := i - back; j <= i+1; j++ {
				r := 0.0
				if j >= 0 && j < d.n {
					r = d.rate[ch][j]
				}
				key = append(key, r)
				// Rates per hour to 9 significant digits: equal loads
				// computed on different days compare equal.
				fmt.Fprintf(&sb, "%.9g,", r*3600)
			}
		}
		k, ok := index[sb.String()]
		if !ok {
			k = len(c.members)
			index[sb.String()] = k
			c.members = append(c.members, nil)
			c.key = append(c.key, key)
		}
		c.of[i] = k
		c.members[k] = append(c.members[k], i)
	}
	return c
}

// n is the number of classes.
func (c *classes) n() int { return len(c.members) }

// expand turns a staffing per tier and class into one per tier and
// interval.
func (c *classes) expand(x [][]int) [][]int {
	out := make([][]int, len(x))
	for t := range x {
		out[t] = make([]int, len(c.of))
		for i, k := range c.of {
			out[t][i] = x[t][k]
		}
	}
	return out
}

// dominates reports whether class a's load is at least class b's in every
// channel and context interval.
func (c *classes) dominates(a, b int) bool {
	for j, v := range c.key[a] {
		if v < c.key[b][j]-1e-12 {
			return false
		}
	}
	return true
}

// smooth makes a staffing per class monotone in the load: a class whose
// load is at least another's in every channel and context interval gets
// at least that class's agents. It only ever raises (what passed still
// passes) and returns how many class decisions it raised.
func (c *classes) smooth(x [][]int) int {
	order := make([]int, c.n())
	sum := make([]float64, c.n())
	for k := range order {
		order[k] = k
		for _, v := range c.key[k] {
			sum[k] += v
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return sum[order[i]] < sum[order[j]] })
	raised := 0
	for _, row := range x {
		for ia, a := range order {
			for _, b := range order[:ia] {
				if row[b] > row[a] && c.dominates(a, b) {
					row[a] = row[b]
					raised++
				}
			}
		}
	}
	return raised
}
