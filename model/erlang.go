package model

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/integrate/quad"
)

// This file holds the analytic queueing formulas that the simulator is
// checked against and that answer "how many agents?" without simulating:
//
//   - Erlang C (M/M/n): Poisson arrivals, exponential handle times, n agents,
//     nobody hangs up.
//   - Erlang A (M/M/n+M, Palm's model): the same, but each waiting customer
//     abandons after an exponential patience.
//
// Both are exact steady-state results. They are computed without factorials
// (through the Erlang B recursion and, for Erlang A, a quadrature of the
// virtual waiting time in log space), so they stay finite and accurate from
// one agent to many thousands.

// MaxAgents is the largest team AgentsFor considers before it declares a
// target out of reach.
const MaxAgents = 100000

// ErrUnstable reports an Erlang C queue with no more agents than the offered
// load: with nobody abandoning, the queue grows without bound and no steady
// state exists.
var ErrUnstable = errors.New("unstable queue: agents must exceed the offered load when nobody abandons")

// ErrInfeasible reports a service-level or abandonment target that no team
// size up to MaxAgents meets.
var ErrInfeasible = errors.New("target cannot be met")

// ErlangResult is the steady state of a support queue staffed by a fixed
// number of agents: how many contacts wait, abandon and are answered in time,
// how long the answered ones wait and how busy the agents are.
type ErlangResult struct {
	// Agents is the number of agents taking contacts (n).
	Agents int
	// PWait is the probability that an arriving contact finds every agent
	// busy and has to wait (more than zero seconds).
	PWait float64
	// PAbandon is the probability that an arriving contact hangs up before an
	// agent answers; always 0 for Erlang C.
	PAbandon float64
	// ServiceLevel is the share of arriving (offered) contacts answered
	// within the threshold; abandoned contacts count as not answered in time.
	ServiceLevel float64
	// ASA (average speed of answer) is the mean wait in seconds of answered
	// contacts, counting those answered at once as zero.
	ASA float64
	// Occupancy is the share of the agents' time spent handling contacts:
	// busy agents ÷ agents.
	Occupancy float64
}

// ErlangC returns the steady state of a queue with n agents where nobody
// abandons (M/M/n, the Erlang C model): lambda is the arrival rate in
// contacts per second, aht the mean handle time in seconds and within the
// service-level threshold in seconds (+Inf is allowed). The offered load
// lambda·aht (in erlangs) must be below n, or the queue is unstable and the
// error wraps ErrUnstable.
func ErlangC(lambda, aht float64, n int, within float64) (ErlangResult, error) {
	if err := checkErlangArgs(lambda, aht, n, within); err != nil {
		return ErlangResult{}, err
	}
	load := lambda * aht
	nf := float64(n)
	if load >= nf {
		return ErlangResult{}, fmt.Errorf("erlang C: %d agents for %.4g erlangs offered: %w", n, load, ErrUnstable)
	}
	b := erlangB(load, n)
	// Erlang C from Erlang B: C = n·B / (n − a·(1 − B)).
	c := nf * b / (nf - load*(1-b))
	c = clamp01(c)
	drain := nf/aht - lambda // rate at which the queue empties when all are busy
	return ErlangResult{
		Agents:       n,
		PWait:        c,
		PAbandon:     0,
		ServiceLevel: clamp01(1 - c*math.Exp(-drain*within)),
		ASA:          c / drain,
		Occupancy:    load / nf,
	}, nil
}

// ErlangA returns the steady state of a queue with n agents whose waiting
// customers abandon after an exponentially distributed patience with mean
// patience seconds (M/M/n+M, Palm's model, also called Erlang A). lambda is
// the arrival rate in contacts per second, aht the mean handle time in
// seconds and within the service-level threshold in seconds (+Inf is
// allowed). Abandonment keeps the queue stable, so any n >= 1 has an answer,
// even below the offered load. An infinite patience gives ErlangC.
//
// The figures are exact (Mandelbaum & Zeltyn, "The M/M/n+G queue: summary of
// performance measures"): the service level is the share of arrivals
// answered within the threshold, the ASA the mean wait of answered contacts,
// and the occupancy counts only the contacts that are answered.
func ErlangA(lambda, aht, patience float64, n int, within float64) (ErlangResult, error) {
	if err := checkErlangArgs(lambda, aht, n, within); err != nil {
		return ErlangResult{}, err
	}
	if !(patience > 0) {
		return ErlangResult{}, fmt.Errorf("erlang A: mean patience %g s must be positive", patience)
	}
	if math.IsInf(patience, 1) {
		return ErlangC(lambda, aht, n, within)
	}
	theta := 1 / patience // abandonment rate of one waiting customer
	nf := float64(n)
	mu := 1 / aht
	// Time is measured in mean patiences from here on: x and y are the
	// service capacity and the arrival rate in those units.
	x := nf * mu / theta
	y := lambda / theta
	if math.IsInf(x, 0) || math.IsInf(y, 0) || x == 0 || y == 0 {
		// The patience is so long (or short) that the scale breaks float64;
		// with no abandonment to speak of, Erlang C is the exact limit.
		if x != 0 && y != 0 {
			return ErlangC(lambda, aht, n, within)
		}
		return ErlangResult{}, fmt.Errorf("erlang A: mean patience %g s is out of range for %g contacts/s and %g s handle time", patience, lambda, aht)
	}
	load := lambda * aht
	b := erlangB(load, n)
	w := erlangAWait(x, y, (nf*mu-lambda)/theta, theta*within)

	// PASTA: an arrival waits if it finds all n agents busy. With B the
	// Erlang B blocking of M/M/n/n and S the queue states' weight relative to
	// state n: P(wait) = S·B / (1 + (S−1)·B) = B / (B + (1−B)/S).
	var pWait float64
	if b > 0 {
		pWait = b / (b + (1-b)*math.Exp(-w.logS))
	}
	pWait = clamp01(pWait)
	pAbandon := clamp01(pWait * (1 - w.answered))
	answered := 1 - pAbandon
	sl := clamp01((1 - pWait) + pWait*w.answeredWithin)
	var asa float64
	if answered > 0 {
		asa = pWait * w.answeredWait / theta / answered
	}
	return ErlangResult{
		Agents:       n,
		PWait:        pWait,
		PAbandon:     pAbandon,
		ServiceLevel: sl,
		ASA:          asa,
		Occupancy:    clamp01(lambda * answered * aht / nf),
	}, nil
}

// AgentsFor returns the fewest agents that answer at least target (a share
// in (0, 1]) of arriving contacts within `within` seconds and, when
// maxAbandon > 0, lose at most maxAbandon of them to abandonment, together
// with the figures at that team size. lambda is in contacts per second, aht
// and patience in seconds; patience <= 0 means nobody abandons (Erlang C),
// otherwise Erlang A applies. The search starts at the offered load and
// stops at MaxAgents; a target out of reach wraps ErrInfeasible.
func AgentsFor(lambda, aht, patience float64, within, target, maxAbandon float64) (ErlangResult, error) {
	if err := checkErlangArgs(lambda, aht, 1, within); err != nil {
		return ErlangResult{}, err
	}
	if !(target > 0 && target <= 1) {
		return ErlangResult{}, fmt.Errorf("service-level target %g is not in (0,1]", target)
	}
	if !(maxAbandon >= 0) {
		return ErlangResult{}, fmt.Errorf("abandonment cap %g is negative", maxAbandon)
	}
	if math.IsNaN(patience) {
		return ErlangResult{}, fmt.Errorf("mean patience is NaN")
	}
	erlangC := patience <= 0
	if target == 1 && !(erlangC && math.IsInf(within, 1)) {
		// With random arrivals some contact always finds everyone busy (and,
		// with abandonment, some always hangs up): 100% is never reached.
		return ErlangResult{}, fmt.Errorf("a service level of 100%% within %gs is never reached with random arrivals: %w", within, ErrInfeasible)
	}
	load := lambda * aht
	eval := func(n int) (ErlangResult, error) {
		if erlangC {
			return ErlangC(lambda, aht, n, within)
		}
		return ErlangA(lambda, aht, patience, n, within)
	}
	meets := func(r ErlangResult) bool {
		if r.ServiceLevel < target {
			return false
		}
		return maxAbandon <= 0 || r.PAbandon <= maxAbandon
	}

	// The smallest team worth trying: Erlang C needs more agents than the
	// load; Erlang A can run (badly) with one.
	low := 1
	if erlangC {
		if load >= MaxAgents {
			return ErlangResult{}, fmt.Errorf("%.4g erlangs offered need more than %d agents: %w", load, MaxAgents, ErrInfeasible)
		}
		low = int(math.Floor(load)) + 1
	}
	start := max(low, min(int(math.Ceil(load)), MaxAgents))

	// Both the service level and the abandonment improve with every agent
	// added, so the agents that meet the target are all n from some n*:
	// bracket n* by galloping, then bisect.
	r, err := eval(start)
	if err != nil {
		return ErlangResult{}, err
	}
	var fail, pass int // fail does not meet the target (or is low−1), pass does
	var best ErlangResult
	if meets(r) {
		fail, pass, best = low-1, start, r
	} else {
		fail = start
		for step := 1; ; step *= 2 {
			n := min(start+step, MaxAgents)
			r, err := eval(n)
			if err != nil {
				return ErlangResult{}, err
			}
			if meets(r) {
				pass, best = n, r
				break
			}
			fail = n
			if n == MaxAgents {
				return ErlangResult{}, fmt.Errorf("%.4g%% within %gs%s is not met even with %d agents (%.4g erlangs offered): %w",
					100*target, within, abandonCapText(maxAbandon), MaxAgents, load, ErrInfeasible)
			}
		}
	}
	for pass-fail > 1 {
		n := fail + (pass-fail)/2
		r, err := eval(n)
		if err != nil {
			return ErlangResult{}, err
		}
		if meets(r) {
			pass, best = n, r
		} else {
			fail = n
		}
	}
	return best, nil
}

func abandonCapText(maxAbandon float64) string {
	if maxAbandon <= 0 {
		return ""
	}
	return fmt.Sprintf(" with at most %.4g%% abandoning", 100*maxAbandon)
}

func checkErlangArgs(lambda, aht float64, n int, within float64) error {
	switch {
	case !(lambda > 0) || math.IsInf(lambda, 1):
		return fmt.Errorf("erlang: arrival rate %g per second must be positive and finite", lambda)
	case !(aht > 0) || math.IsInf(aht, 1):
		return fmt.Errorf("erlang: mean handle time %g s must be positive and finite", aht)
	case n < 1:
		return fmt.Errorf("erlang: %d agents: need at least one", n)
	case !(within >= 0):
		return fmt.Errorf("erlang: service-level threshold %g s must not be negative", within)
	}
	return nil
}

// erlangB is the blocking probability of M/M/n/n with offered load a, by the
// recursion B(k) = a·B(k−1) / (k + a·B(k−1)), which never overflows.
func erlangB(a float64, n int) float64 {
	b := 1.0
	for k := 1; k <= n; k++ {
		ab := a * b
		b = ab / (float64(k) + ab)
	}
	return b
}

func clamp01(v float64) float64 { return math.Min(1, math.Max(0, v)) }

// erlangAWaitFigures describes the virtual wait V (the time until an agent
// would pick the contact up) of a contact that finds all agents busy in
// M/M/n+M, in time units of one mean patience.
type erlangAWaitFigures struct {
	logS           float64 // log of the queue states' weight relative to the state "all busy, none waiting"
	answered       float64 // P(answered | waits) = E[e^−V | waits]
	answeredWithin float64 // P(answered and V ≤ t | waits)
	answeredWait   float64 // E[V; answered | waits], in mean patiences
}

// erlangAWait integrates over the virtual wait of an arrival that finds all
// agents busy, with x = nμ/θ, y = λ/θ, gap = x − y (passed separately, as
// computed from the rates, to keep its precision) and t = θ·threshold.
//
// An arrival that finds j others waiting is answered after V_j, a sum of
// exponential stages with rates x+j, …, x+1, x (in units of θ); V_j is
// distributed as −log U with U ~ Beta(x, j+1). Weighting by the stationary
// queue (weights y^j·Γ(x+1)/Γ(x+j+1)) the mixture has the density
//
//	h(s) = x·exp(−x·s + y·(1 − e^−s)),  s ≥ 0,
//
// whose integral is S = x·e^y·y^−x·γ(x, y) (Mandelbaum & Zeltyn's A(x, y)).
// A contact of exponential patience is answered with probability e^−V, so
//
//	P(answered | waits)        = ∫ h(s)·e^−s ds / S
//	P(answered, V ≤ t | waits) = ∫_0^t h(s)·e^−s ds / S
//	E[V; answered | waits]     = ∫ s·h(s)·e^−s ds / S.
//
// log h is concave with its peak at s* = max(0, log(y/x)). Around it, with
// u = s − s*, log h(s) − log h(s*) = −a·u − c·(u + e^−u − 1) where a =
// max(x−y, 0) and c = min(x, y): written so, it keeps full precision even
// when x and y are 1e15 and the peak is 1e-8 wide. The integrals are taken
// in u by adaptive Gauss–Legendre, to near double precision.
func erlangAWait(x, y, gap, t float64) erlangAWaitFigures {
	peak, a, c := 0.0, math.Max(gap, 0), y
	if y > x {
		peak, a, c = math.Log(y/x), 0, x
	}
	// log h(s*) − log x: x·(d − log(1+d)) with d = (y−x)/x, 0 at s* = 0.
	var top float64
	if peak > 0 {
		d := -gap / x
		top = x * (d - math.Log1p(d))
	}
	drop := func(u float64) float64 { return -a*u - c*erlangPhi(u) }

	// Width of the peak: 1/√c from the curvature, or 1/a from the slope when
	// the peak sits at s = 0; never wider than 1, the scale of e^−s.
	width := 1 / math.Max(math.Max(math.Sqrt(c), a), 1)

	// The support: where h is within e^−50 of its peak (beyond, the mass is
	// below 1e-21 of the total, since log h is concave).
	const cut = 50.0
	edge := func(inside, outside float64) float64 {
		for range 200 {
			mid := inside + (outside-inside)/2
			if mid == inside || mid == outside {
				break
			}
			if drop(mid) > -cut {
				inside = mid
			} else {
				outside = mid
			}
		}
		return outside
	}
	step := width
	for drop(step) > -cut && !math.IsInf(step, 0) {
		step *= 2
	}
	hi := edge(0, step)
	lo := -peak
	if peak > 0 && drop(-peak) < -cut {
		lo = edge(0, -peak)
	}

	breaks := []float64{lo, hi, 0, t - peak}
	for _, k := range []float64{1, 4, 16, 64} {
		breaks = append(breaks, -k*width, k*width, k-peak)
	}
	if y > x+1 {
		breaks = append(breaks, math.Log(y/(x+1))-peak) // peak of h·e^−s
	}
	sort.Float64s(breaks)
	pts := breaks[:0]
	for _, b := range breaks {
		if b >= lo && b <= hi && (len(pts) == 0 || b > pts[len(pts)-1]) {
			pts = append(pts, b)
		}
	}

	// e^−s and s are scaled by e^s* and 1/(1+s*) to stay near 1 at the
	// peak; the scales cancel in the ratios below.
	f := func(u float64) [3]float64 {
		h := math.Exp(drop(u))
		e := h * math.Exp(-u)
		return [3]float64{h, e, e * (peak + u) / (1 + peak)}
	}
	coarse := make([][3]float64, len(pts)-1)
	var total [3]float64
	for i := range coarse {
		coarse[i] = erlangGL(f, pts[i], pts[i+1])
		for k := range total {
			total[k] += coarse[i][k]
		}
	}
	var tol [3]float64
	for k := range tol {
		tol[k] = math.Max(1e-14*math.Abs(total[k]), math.SmallestNonzeroFloat64)
	}
	var sum, within [3]float64
	budget := 4000 // panel halvings, far more than a smooth integrand needs
	for i := range coarse {
		v := erlangAdapt(f, pts[i], pts[i+1], coarse[i], tol, &budget)
		for k := range sum {
			sum[k] += v[k]
		}
		if pts[i+1] <= t-peak {
			within[1] += v[1]
		}
	}
	scale := math.Exp(-peak) // e^−s = e^−s*·e^−u
	return erlangAWaitFigures{
		logS:           math.Log(x) + top + math.Log(sum[0]),
		answered:       clamp01(scale * sum[1] / sum[0]),
		answeredWithin: clamp01(scale * within[1] / sum[0]),
		answeredWait:   scale * (1 + peak) * sum[2] / sum[0],
	}
}

// erlangPhi is u + e^−u − 1, without cancellation near u = 0.
func erlangPhi(u float64) float64 {
	if math.Abs(u) > 0.1 {
		return u + math.Expm1(-u)
	}
	// Σ_{k≥2} (−u)^k / k!
	term, sum := u*u/2, 0.0
	for k := 3; k < 14; k++ {
		sum += term
		term *= -u / float64(k)
	}
	return sum + term
}

// erlangNodes and erlangWeights are the 20-point Gauss–Legendre rule on
// [−1, 1].
var erlangNodes, erlangWeights = func() ([]float64, []float64) {
	x := make([]float64, 20)
	w := make([]float64, 20)
	quad.Legendre{}.FixedLocations(x, w, -1, 1)
	return x, w
}()

func erlangGL(f func(float64) [3]float64, a, b float64) [3]float64 {
	half, mid := (b-a)/2, (a+b)/2
	var v [3]float64
	for i, z := range erlangNodes {
		fz := f(mid + half*z)
		for k := range v {
			v[k] += erlangWeights[i] * fz[k]
		}
	}
	for k := range v {
		v[k] *= half
	}
	return v
}

// erlangAdapt refines the Gauss–Legendre estimate whole of ∫_a^b f by
// halving until the halves agree with the whole within tol, or the budget of
// halvings runs out.
func erlangAdapt(f func(float64) [3]float64, a, b float64, whole, tol [3]float64, budget *int) [3]float64 {
	*budget--
	m := a + (b-a)/2
	left, right := erlangGL(f, a, m), erlangGL(f, m, b)
	var v [3]float64
	done := true
	for k := range v {
		v[k] = left[k] + right[k]
		if math.Abs(v[k]-whole[k]) > tol[k] {
			done = false
		}
	}
	if done || *budget <= 0 || m <= a || m >= b {
		return v
	}
	l := erlangAdapt(f, a, m, left, tol, budget)
	r := erlangAdapt(f, m, b, right, tol, budget)
	for k := range v {
		v[k] = l[k] + r[k]
	}
	return v
}
