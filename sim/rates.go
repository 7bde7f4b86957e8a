package sim

import (
	"sort"

	"github.com/slasim/slasim/model"
)

// Rates is the one source of a scenario's expected arrival rates: base rate
// × intraday shape × day-of-week shape × surges, as constant pieces, exactly
// as the engine draws arrivals (before the day-level forecast factor, whose
// mean is 1). Staffing, work estimates and warnings read rates from here
// rather than recomputing them.
type Rates struct {
	channels []string
	segs     [][]rateSeg
	t0, end  float64
	interval float64
	n        int
}

// NewRates compiles the scenario's arrival rates. The scenario must have
// passed validation.
func NewRates(sc *model.Scenario) (*Rates, error) {
	p, err := compile(sc)
	if err != nil {
		return nil, err
	}
	return planRates(p), nil
}

// planRates are the expected arrival rates of a compiled plan.
func planRates(p *plan) *Rates {
	r := &Rates{t0: p.t0, end: p.end, interval: p.interval, n: p.nInterval}
	for _, c := range p.channels {
		r.channels = append(r.channels, c.name)
		r.segs = append(r.segs, c.segs)
	}
	return r
}

// At is channel c's arrival rate per second at time t (seconds since the
// scenario's start; the warm-up is at negative times). Outside the
// simulated span it is 0.
func (r *Rates) At(c int, t float64) float64 {
	segs := r.segs[c]
	k := sort.Search(len(segs), func(k int) bool { return segs[k].t1 > t })
	if k < len(segs) && segs[k].t0 <= t {
		return segs[k].rate
	}
	return 0
}

// Expected is the expected number of arrivals of channel c in [from, to),
// seconds since the start.
func (r *Rates) Expected(c int, from, to float64) float64 {
	var sum float64
	for _, s := range r.segs[c] {
		sum += s.rate * overlap(s.t0, s.t1, from, to)
	}
	return sum
}

// Intervals is channel c's mean arrival rate per second in each reporting
// interval of the period.
func (r *Rates) Intervals(c int) []float64 {
	out := make([]float64, r.n)
	for i := range out {
		a := float64(i) * r.interval
		b := min(a+r.interval, r.end)
		if b > a {
			out[i] = r.Expected(c, a, b) / (b - a)
		}
	}
	return out
}

// Channels names the channels, in the scenario's order.
func (r *Rates) Channels() []string { return r.channels }

// Span is the simulated span in seconds since the start: from −warm-up to
// the end of the period.
func (r *Rates) Span() (from, to float64) { return r.t0, r.end }
