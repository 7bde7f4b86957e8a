package staffing

import (
	"math"

	"github.com/slasim/slasim/sim"
)

// evidence pools, per channel, interval and observation, what the
// simulations of one staffing found. An observation is one result: a
// single replication in the search (so that the spread between
// replications gives the confidence interval), or a whole run's pooled
// counts when a rota is checked. Decisions are taken on these counts,
// pooled over the intervals of a class (or a day, or the period) within
// each observation.
type evidence struct {
	// off, within and abandoned are [channel][interval][observation]:
	// contacts offered, answered within target and abandoned.
	off, within, abandoned [][][]float64
	// ola[t][i][observation] is the share of escalations taken up within
	// the tier's target (NaN where none reached the tier).
	ola [][][]float64
	// results are the observations, in order.
	results []*sim.Result
}

func newEvidence(nc, nt, n int) *evidence {
	e := &evidence{}
	e.off, e.within, e.abandoned = make([][][]float64, nc), make([][][]float64, nc), make([][][]float64, nc)
	for c := 0; c < nc; c++ {
		e.off[c], e.within[c], e.abandoned[c] = make([][]float64, n), make([][]float64, n), make([][]float64, n)
	}
	e.ola = make([][][]float64, nt)
	for t := range e.ola {
		e.ola[t] = make([][]float64, n)
	}
	return e
}

// add pools one result as one observation: ci maps a channel's name to its
// index, ti a tier's.
func (e *evidence) add(res *sim.Result, ci, ti func(string) int) {
	e.results = append(e.results, res)
	reps := float64(max(res.Replications, 1))
	for k := range res.Intervals {
		iv := &res.Intervals[k]
		c := ci(iv.Channel)
		o := iv.Offered.Mean * reps
		w, a := 0.0, 0.0
		if o > 0 {
			if sl := iv.PooledServiceLevel(); !math.IsNaN(sl) {
				w = sl * o
			}
			if ab := iv.PooledAbandonRate(); !math.IsNaN(ab) {
				a = ab * o
			}
		}
		e.off[c][iv.Index] = append(e.off[c][iv.Index], o)
		e.within[c][iv.Index] = append(e.within[c][iv.Index], w)
		e.abandoned[c][iv.Index] = append(e.abandoned[c][iv.Index], a)
	}
	obs := len(e.results)
	for _, tv := range res.TierIntervals {
		if tv.EscalationServiceLevel == nil {
			continue
		}
		t := ti(tv.Tier)
		for len(e.ola[t][tv.Index]) < obs-1 {
			e.ola[t][tv.Index] = append(e.ola[t][tv.Index], math.NaN())
		}
		e.ola[t][tv.Index] = append(e.ola[t][tv.Index], tv.EscalationServiceLevel.Mean)
	}
}

// pool is the evidence of several simulations taken together: their
// replications are observations of one decision (a class kept at the same
// staffing while its verdict was inconclusive).
type pool []*evidence

// ratio is a share pooled over the intervals ivs within each replication
// (num ÷ offered), as its mean and 95% confidence half-width over the
// replications that offered anything; ok is false when none did. num
// picks the numerator from an evidence.
func (p pool) ratio(num func(*evidence) [][][]float64, c int, ivs []int) (mean, ci float64, ok bool) {
	if len(ivs) == 0 {
		return 0, 0, false
	}
	var xs []float64
	for _, e := range p {
		n := num(e)
		for r := range e.off[c][ivs[0]] {
			var w, o float64
			for _, i := range ivs {
				if r < len(e.off[c][i]) {
					o += e.off[c][i][r]
					w += n[c][i][r]
				}
			}
			if o > 0 {
				xs = append(xs, w/o)
			}
		}
	}
	if len(xs) == 0 {
		return 0, 0, false
	}
	s := sim.NewStat(xs)
	return s.Mean, s.CI95, true
}

// serviceLevel is channel c's service level pooled over ivs.
func (p pool) serviceLevel(c int, ivs []int) (mean, ci float64, ok bool) {
	return p.ratio(func(e *evidence) [][][]float64 { return e.within }, c, ivs)
}

// abandonRate is channel c's abandonment pooled over ivs.
func (p pool) abandonRate(c int, ivs []int) (mean, ci float64, ok bool) {
	return p.ratio(func(e *evidence) [][][]float64 { return e.abandoned }, c, ivs)
}

// escalationLevel is tier t's share of escalations taken up within its
// target over ivs: within each observation the mean over the intervals
// that had escalations, then its mean and 95% confidence half-width over
// the observations.
func (p pool) escalationLevel(t int, ivs []int) (mean, ci float64, ok bool) {
	var xs []float64
	for _, e := range p {
		for r := range e.results {
			var s float64
			n := 0
			for _, i := range ivs {
				if r < len(e.ola[t][i]) && !math.IsNaN(e.ola[t][i][r]) {
					s += e.ola[t][i][r]
					n++
				}
			}
			if n > 0 {
				xs = append(xs, s/float64(n))
			}
		}
	}
	if len(xs) == 0 {
		return 0, 0, false
	}
	st := sim.NewStat(xs)
	return st.Mean, st.CI95, true
}

// serviceLevel is channel c's service level pooled over ivs.
func (e *evidence) serviceLevel(c int, ivs []int) (mean, ci float64, ok bool) {
	return pool{e}.serviceLevel(c, ivs)
}

// abandonRate is channel c's abandonment pooled over ivs.
func (e *evidence) abandonRate(c int, ivs []int) (mean, ci float64, ok bool) {
	return pool{e}.abandonRate(c, ivs)
}

// verdict is the decision on one tier's staffing in one class: whether the
// expected performance meets every target the tier answers for there, and
// whether the evidence is conclusive (a criterion's 95% confidence
// interval wholly below its target, or every one wholly above). Slack is
// the worst criterion's margin (mean − target for a service level), CI its
// half-width.
type verdict struct {
	pass, decided bool
	slack, ci     float64
	measured      bool
	sureFail      bool
	unsure        bool
}

// judge folds one criterion (slack, ci) into the verdict.
func (v *verdict) judge(slack, ci float64) {
	if !v.measured || slack < v.slack {
		v.slack, v.ci = slack, ci
	}
	v.measured = true
	if slack < -ci {
		v.sureFail = true
	}
	if math.Abs(slack) <= ci {
		v.unsure = true
	}
	v.pass = v.pass && slack >= 0
	v.decided = v.sureFail || (v.pass && !v.unsure)
}

// newVerdict is the verdict before any criterion: a pass (a class where
// the tier answers for nothing needs no agent for a target).
func newVerdict() verdict { return verdict{pass: true, decided: true} }
