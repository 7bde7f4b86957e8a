package calibrate

import (
	"math"
	"sort"
)

// TierHandle is how fast a tier handles tickets it takes first-hand (not
// by escalation) against the entry tier: Factor is the tier's handle time
// over the entry tier's on the same category and channel, from N
// handlings at the tier, with a 95% half-width Factor ± CI95. It is the
// scenario's handle_factor. Handlings after an escalation are not in it:
// the scenario gives those their own escalate.handle_time.
type TierHandle struct {
	Factor float64 `json:"factor"`
	CI95   float64 `json:"ci95"`
	N      int     `json:"n"`
}

// tierHandle compares the first-hand handlings at tier with those of the
// entry tier cell by cell (category × channel): the factor is the tier's
// total handle time over what the same handlings would have taken at the
// entry tier's mean. With no comparable handling the factor is 1 (N = 0).
func (h *History) tierHandle(tier, entry int) TierHandle {
	th := TierHandle{Factor: 1}
	if tier == entry {
		return th
	}
	// In a fixed order, so the sums (and the JSON) are the same each run.
	var keys []handleKey
	for k, s := range h.handle {
		if k.tier == tier && !k.escalated && s.n > 0 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i].cat < keys[j].cat || keys[i].cat == keys[j].cat && keys[i].ch < keys[j].ch
	})
	var observed, expected, varObs, varExp float64
	for _, k := range keys {
		s := h.handle[k]
		e := h.handle[handleKey{cat: k.cat, ch: k.ch, tier: entry}]
		if e == nil || e.n < 2 || s.n < 2 {
			continue
		}
		n, ne := float64(s.n), float64(e.n)
		me := e.sum / ne
		observed += s.sum
		expected += n * me
		varObs += n * sampleVar(s)
		varExp += n * n * sampleVar(e) / ne
		th.N += s.n
	}
	if th.N == 0 || expected <= 0 {
		return th
	}
	th.Factor = observed / expected
	// delta method on a ratio of two independent sums
	th.CI95 = 1.96 * th.Factor * math.Sqrt(varObs/(observed*observed)+varExp/(expected*expected))
	return th
}

func sampleVar(s *sample) float64 {
	n := float64(s.n)
	m := s.sum / n
	return math.Max(0, (s.sum2-n*m*m)/(n-1))
}

// factorOf is the handle_factor the scenario writes for a tier: 1 unless
// the history measured one that differs from 1 beyond its interval.
func (cal *Calibration) factorOf(tier string) float64 {
	for _, t := range cal.Tiers {
		if t.Name == tier && t.Handle.N > 0 && math.Abs(t.Handle.Factor-1) > t.Handle.CI95 {
			return t.Handle.Factor
		}
	}
	return 1
}

// anyFactor reports whether some tier gets a handle_factor other than 1.
func (cal *Calibration) anyFactor() bool {
	for _, t := range cal.Tiers {
		if cal.factorOf(t.Name) != 1 {
			return true
		}
	}
	return false
}
