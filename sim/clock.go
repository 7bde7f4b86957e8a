package sim

import (
	"math"
	"sort"
)

// Clocks: how long a contact has waited against its SLA, on the calendar or
// on the business-hours clock.

// businessElapsed is the business-hours time between a and b.
func (p *plan) businessElapsed(a, b float64) float64 {
	ws := p.business
	i := sort.Search(len(ws), func(i int) bool { return ws[i].b > a })
	var sum float64
	for ; i < len(ws) && ws[i].a < b; i++ {
		lo, hi := math.Max(ws[i].a, a), math.Min(ws[i].b, b)
		if hi > lo {
			sum += hi - lo
		}
	}
	return sum
}
