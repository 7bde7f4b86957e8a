package calibrate

import (
	"math"
	"sort"
	"strings"
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

// CategoryHandle is a tier's handle factor on one category alone (its
// first-hand handlings of the category against the entry tier's).
type CategoryHandle struct {
	Category string `json:"category"`
	TierHandle
}

// tierHandle compares the first-hand handlings at tier with those of the
// entry tier cell by cell (category × channel): the factor is the tier's
// total handle time over what the same handlings would have taken at the
// entry tier's mean. With no comparable handling the factor is 1 (N = 0).
// With cat ≥ 0 only that category's cells count.
func (h *History) tierHandle(tier, entry, cat int) TierHandle {
	th := TierHandle{Factor: 1}
	if tier == entry {
		return th
	}
	// In a fixed order, so the sums (and the JSON) are the same each run.
	var keys []handleKey
	for k, s := range h.handle {
		if k.tier == tier && !k.escalated && s.n > 0 && (cat < 0 || k.cat == cat) {
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

// categoryHandles is a tier's handle factor per category, for the
// categories it took first-hand beside the entry tier, in the history's
// order of categories.
func (h *History) categoryHandles(tier, entry int) []CategoryHandle {
	var out []CategoryHandle
	for cat, name := range h.cats.list {
		if th := h.tierHandle(tier, entry, cat); th.N > 0 {
			out = append(out, CategoryHandle{name, th})
		}
	}
	return out
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

// minCategoryHandlings is the fewest first-hand handlings of a category
// at a tier for its own factor to be written: below it the delta-method
// interval of a ratio is not to be trusted.
const minCategoryHandlings = 30

// categoryZ widens the categories' 95% intervals to 99% before a
// category's factor is told apart from its tier's: a tier has a test per
// category, and at 95% one tier in three of a four-category history would
// get a factor it does not have.
const categoryZ = 2.576 / 1.96

// categoryFactorOf is the category_handle_factor the scenario writes for
// a tier and a category of the history (its name before any "@channels"):
// the category's own factor over the tier's handle_factor, when it rests
// on minCategoryHandlings or more and the two differ beyond the category's
// 99% interval; 1 otherwise.
func (cal *Calibration) categoryFactorOf(tier, category string) float64 {
	category = strings.SplitN(category, "@", 2)[0]
	for _, t := range cal.Tiers {
		if t.Name != tier {
			continue
		}
		f := cal.factorOf(tier)
		for _, c := range t.CategoryHandle {
			if c.Category == category && c.N >= minCategoryHandlings && math.Abs(c.Factor-f) > categoryZ*c.CI95 {
				return c.Factor / f
			}
		}
	}
	return 1
}

// effectiveFactor is what the engine multiplies a category's handle time
// by at a tier, as the scenario is written.
func (cal *Calibration) effectiveFactor(tier, category string) float64 {
	return cal.factorOf(tier) * cal.categoryFactorOf(tier, category)
}

// anyFactor reports whether some tier gets a handle_factor or a
// category_handle_factor other than 1.
func (cal *Calibration) anyFactor() bool {
	for _, t := range cal.Tiers {
		if cal.factorOf(t.Name) != 1 {
			return true
		}
		for _, c := range t.CategoryHandle {
			if cal.categoryFactorOf(t.Name, c.Category) != 1 {
				return true
			}
		}
	}
	return false
}
