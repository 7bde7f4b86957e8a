package model

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// erlangCBig is an independent Erlang C: the closed form
//
//	C = (aⁿ/n!)·n/(n−a) / (Σ_{k<n} aᵏ/k! + (aⁿ/n!)·n/(n−a))
//
// summed term by term in 256-bit floats.
func erlangCBig(a float64, n int) float64 {
	const prec = 256
	af := new(big.Float).SetPrec(prec).SetFloat64(a)
	term := new(big.Float).SetPrec(prec).SetInt64(1) // aᵏ/k!
	sum := new(big.Float).SetPrec(prec)
	for k := 0; k < n; k++ {
		sum.Add(sum, term)
		term.Mul(term, af)
		term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(int64(k+1)))
	}
	nf := new(big.Float).SetPrec(prec).SetInt64(int64(n))
	last := new(big.Float).SetPrec(prec).Mul(term, nf)
	last.Quo(last, new(big.Float).SetPrec(prec).Sub(nf, af))
	den := new(big.Float).SetPrec(prec).Add(sum, last)
	c, _ := new(big.Float).SetPrec(prec).Quo(last, den).Float64()
	return c
}

func TestErlangCHandChecked(t *testing.T) {
	tests := []struct {
		name         string
		lambda, aht  float64
		n            int
		wantPWait    float64
		wantASA      float64
		within       float64
		wantSL       float64
		wantOccupied float64
	}{
		// M/M/1: P(wait) = ρ, ASA = ρ/(μ−λ).
		{"M/M/1 rho 0.5", 0.5, 1, 1, 0.5, 1, 0, 0.5, 0.5},
		// M/M/2 with a = 1: C = 1/3, ASA = C/(2μ−λ) = 1/3.
		{"M/M/2 a=1", 1, 1, 2, 1.0 / 3, 1.0 / 3, 1, 1 - math.Exp(-1)/3, 0.5},
		// λ = 2/min, AHT 1 min, 3 agents: B = 4/19, C = 4/9, ASA = C/(3−2) min.
		{"M/M/3 a=2 per minute", 2.0 / 60, 60, 3, 4.0 / 9, 4.0 / 9 * 60, 30, 1 - 4.0/9*math.Exp(-0.5), 2.0 / 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ErlangC(tt.lambda, tt.aht, tt.n, tt.within)
			require.NoError(t, err)
			assert.InDelta(t, tt.wantPWait, r.PWait, 1e-14)
			assert.InDelta(t, tt.wantASA, r.ASA, 1e-12)
			assert.InDelta(t, tt.wantSL, r.ServiceLevel, 1e-14)
			assert.InDelta(t, tt.wantOccupied, r.Occupancy, 1e-14)
			assert.Zero(t, r.PAbandon)
			assert.Equal(t, tt.n, r.Agents)
		})
	}
}

func TestErlangCAgainstDirectSum(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 15, 40, 100, 170} {
		for _, occ := range []float64{0.1, 0.5, 0.8, 0.95, 0.999} {
			aht := 180.0
			lambda := occ * float64(n) / aht
			within := 20.0
			t.Run(fmt.Sprintf("n=%d/occ=%g", n, occ), func(t *testing.T) {
				r, err := ErlangC(lambda, aht, n, within)
				require.NoError(t, err)
				c := erlangCBig(lambda*aht, n)
				drain := float64(n)/aht - lambda
				assert.InEpsilon(t, c, r.PWait, 1e-11)
				assert.InEpsilon(t, c/drain, r.ASA, 1e-11)
				assert.InDelta(t, 1-c*math.Exp(-drain*within), r.ServiceLevel, 1e-12)
				assert.InDelta(t, occ, r.Occupancy, 1e-12)
			})
		}
	}
}

// The classic call-centre example: 360 calls an hour, 240 s handle time
// (24 erlangs), 80% answered within 20 s needs 29 agents.
func TestErlangCClassicCallCentre(t *testing.T) {
	lambda, aht, within := 360.0/3600, 240.0, 20.0
	r, err := AgentsFor(lambda, aht, 0, within, 0.8, 0)
	require.NoError(t, err)
	assert.Equal(t, 29, r.Agents)
	c := erlangCBig(24, 29)
	assert.InDelta(t, 0.2423, c, 5e-5) // the value in the textbooks
	assert.InDelta(t, c, r.PWait, 1e-12)
	assert.InDelta(t, 1-c*math.Exp(-(29.0/aht-lambda)*within), r.ServiceLevel, 1e-12)
	assert.InDelta(t, 0.8403, r.ServiceLevel, 5e-5)
	assert.InDelta(t, 11.63, r.ASA, 5e-3)

	r28, err := ErlangC(lambda, aht, 28, within)
	require.NoError(t, err)
	assert.Less(t, r28.ServiceLevel, 0.8)
	assert.InDelta(t, 0.7613, r28.ServiceLevel, 5e-5)
}

// ctmcErlangA solves M/M/n+M independently of the closed forms: the
// stationary law of the birth–death chain truncated far in its tail, the
// abandonment from θ·E[queue]/λ, and for each state an arrival can find,
// the fate of that arrival from the chain of "customers ahead of it"
// (transient, by uniformization, for the service level; by first-step
// analysis for the ASA).
func ctmcErlangA(lambda, aht, patience float64, n int, within float64) (pWait, pAbandon, sl, asa float64) {
	mu, theta := 1/aht, 1/patience
	death := func(k int) float64 { return float64(min(k, n))*mu + float64(max(k-n, 0))*theta }

	// Stationary distribution, in logs, until far past the peak.
	lw := []float64{0}
	top := 0.0
	for k := 1; ; k++ {
		v := lw[k-1] + math.Log(lambda) - math.Log(death(k))
		lw = append(lw, v)
		top = math.Max(top, v)
		if k > n && death(k) > lambda && v < top-90 {
			break
		}
	}
	p := make([]float64, len(lw))
	var z float64
	for k, v := range lw {
		p[k] = math.Exp(v - top)
		z += p[k]
	}
	var below, queue float64
	for k := range p {
		p[k] /= z
		if k < n {
			below += p[k]
		} else {
			pWait += p[k]
			queue += float64(k-n) * p[k]
		}
	}
	pAbandon = theta * queue / lambda

	// The arrival that finds j waiting: it moves up at rate r_j = nμ + jθ
	// and abandons at rate θ.
	alpha := p[n:] // PASTA: what arrivals find
	jmax := len(alpha) - 1
	rate := func(j int) float64 { return float64(n)*mu + float64(j)*theta }

	// First-step analysis: q_j = P(answered), m_j = E[wait; answered].
	var answered, waitAnswered float64
	qPrev, mPrev := 1.0, 0.0
	for j := 0; j <= jmax; j++ {
		r := rate(j)
		up := r / (r + theta)
		q := up * qPrev
		m := up * (qPrev/(r+theta) + mPrev)
		answered += alpha[j] * q
		waitAnswered += alpha[j] * m
		qPrev, mPrev = q, m
	}
	asa = waitAnswered / (below + answered)

	// Uniformization: P(answered by time `within`).
	big := rate(jmax) + theta
	lt := big * within
	v := append([]float64(nil), alpha...)
	served := 0.0
	var within1 float64
	for m := 0; ; m++ {
		logPois := -lt + float64(m)*math.Log(lt) - lgamma(float64(m+1))
		if lt == 0 {
			logPois = math.Inf(-1)
			if m == 0 {
				logPois = 0
			}
		}
		within1 += math.Exp(logPois) * served
		if float64(m) > lt+20*math.Sqrt(lt)+50 {
			break
		}
		next := make([]float64, len(v))
		for j := range v {
			r := rate(j)
			if j == 0 {
				served += v[0] * r / big
			} else {
				next[j-1] += v[j] * r / big
			}
			next[j] += v[j] * (1 - (r+theta)/big)
		}
		v = next
	}
	sl = below + within1
	return pWait, pAbandon, sl, asa
}

func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

func TestErlangAAgainstCTMC(t *testing.T) {
	const aht = 300.0
	for _, n := range []int{1, 2, 5, 20, 60, 200} {
		for _, occ := range []float64{0.5, 0.8, 0.95, 1.0, 1.2} {
			for _, patience := range []float64{30, 180, 3600} {
				for _, within := range []float64{0, 20, 60} {
					lambda := occ * float64(n) / aht
					name := fmt.Sprintf("n=%d/occ=%g/patience=%g/within=%g", n, occ, patience, within)
					t.Run(name, func(t *testing.T) {
						r, err := ErlangA(lambda, aht, patience, n, within)
						require.NoError(t, err)
						pw, pa, sl, asa := ctmcErlangA(lambda, aht, patience, n, within)
						assert.InDelta(t, pw, r.PWait, 1e-6, "P(wait)")
						assert.InDelta(t, pa, r.PAbandon, 1e-6, "P(abandon)")
						assert.InDelta(t, sl, r.ServiceLevel, 1e-6, "service level")
						assert.InDelta(t, asa, r.ASA, 1e-6*math.Max(1, asa), "ASA")
						assert.InDelta(t, lambda*(1-pa)*aht/float64(n), r.Occupancy, 1e-6, "occupancy")
					})
				}
			}
		}
	}
}

// As patience grows, Erlang A tends to Erlang C, at first order in 1/patience:
// each factor 1000 in patience shrinks every difference 1000 times, down to
// 1e15 s, where the formulas must still be numerically sound.
func TestErlangATendsToErlangC(t *testing.T) {
	const aht, within = 240.0, 20.0
	diffs := func(c, a ErlangResult) [5]float64 {
		return [5]float64{
			math.Abs(a.PWait - c.PWait),
			a.PAbandon,
			math.Abs(a.ServiceLevel - c.ServiceLevel),
			math.Abs(a.Occupancy - c.Occupancy),
			math.Abs(a.ASA-c.ASA) / math.Max(c.ASA, 1e-300),
		}
	}
	names := [5]string{"P(wait)", "P(abandon)", "service level", "occupancy", "ASA (relative)"}
	for _, n := range []int{1, 3, 29, 200, 2000} {
		for _, occ := range []float64{0.3, 0.8, 0.95} {
			lambda := occ * float64(n) / aht
			t.Run(fmt.Sprintf("n=%d/occ=%g", n, occ), func(t *testing.T) {
				c, err := ErlangC(lambda, aht, n, within)
				require.NoError(t, err)
				var prev [5]float64
				for i, patience := range []float64{1e9, 1e12, 1e15} {
					a, err := ErlangA(lambda, aht, patience, n, within)
					require.NoError(t, err)
					d := diffs(c, a)
					for k := range d {
						limit := []float64{1e-5, 1e-8, 1e-11}[i]
						if k == 4 {
							limit *= 100 // waits of the answered shift more than shares do
						}
						assert.LessOrEqual(t, d[k], limit, "patience %g: %s", patience, names[k])
						if i > 0 {
							assert.LessOrEqual(t, d[k], prev[k]/500+1e-14, "patience %g: %s does not converge", patience, names[k])
						}
					}
					prev = d
				}
				inf, err := ErlangA(lambda, aht, math.Inf(1), n, within)
				require.NoError(t, err)
				assert.Equal(t, c, inf)
			})
		}
	}
}

// Abandonment is what keeps a queue stable: shorter patience, more
// abandons, fewer waits answered late.
func TestErlangAPatienceOrdering(t *testing.T) {
	lambda, aht := 570.0/3600, 300.0
	prev, err := ErlangA(lambda, aht, 10, 45, 20)
	require.NoError(t, err)
	for _, patience := range []float64{30, 120, 600, 3600} {
		r, err := ErlangA(lambda, aht, patience, 45, 20)
		require.NoError(t, err)
		assert.Less(t, r.PAbandon, prev.PAbandon, "patience %g", patience)
		assert.Greater(t, r.PWait, prev.PWait, "patience %g", patience)
		prev = r
	}
}

func TestErlangStableAtScale(t *testing.T) {
	const aht = 300.0
	for _, n := range []int{1, 10, 500, 5000} {
		lambda := 0.95 * float64(n) / aht
		check := func(t *testing.T, r ErlangResult) {
			for name, v := range map[string]float64{
				"PWait": r.PWait, "PAbandon": r.PAbandon, "ServiceLevel": r.ServiceLevel, "Occupancy": r.Occupancy,
			} {
				assert.False(t, math.IsNaN(v) || math.IsInf(v, 0), "%s = %v", name, v)
				assert.GreaterOrEqual(t, v, 0.0, name)
				assert.LessOrEqual(t, v, 1.0, name)
			}
			assert.False(t, math.IsNaN(r.ASA) || math.IsInf(r.ASA, 0), "ASA = %v", r.ASA)
			assert.GreaterOrEqual(t, r.ASA, 0.0)
		}
		t.Run(fmt.Sprintf("C/n=%d", n), func(t *testing.T) {
			r, err := ErlangC(lambda, aht, n, 20)
			require.NoError(t, err)
			check(t, r)
			assert.InEpsilon(t, erlangCBigOrSkip(t, 0.95*float64(n), n), r.PWait, 1e-9)
		})
		for _, patience := range []float64{5, 120, 3600, 1e6} {
			t.Run(fmt.Sprintf("A/n=%d/patience=%g", n, patience), func(t *testing.T) {
				r, err := ErlangA(lambda, aht, patience, n, 20)
				require.NoError(t, err)
				check(t, r)
				assert.Greater(t, r.PWait, 0.0)
			})
		}
		// Overloaded: Erlang A still answers, and sheds the excess load.
		t.Run(fmt.Sprintf("A/n=%d/overload", n), func(t *testing.T) {
			r, err := ErlangA(1.5*float64(n)/aht, aht, 120, n, 20)
			require.NoError(t, err)
			check(t, r)
			assert.GreaterOrEqual(t, r.PAbandon, 1-1/1.5-1e-9) // at least the excess is lost
		})
	}
}

// Across a wide range of inputs (1 to 20,000 agents, loads from idle to 100×
// overloaded, patience from a microsecond to a million years) Erlang A gives
// finite shares in [0, 1] that agree with each other, quickly.
func TestErlangAWideRange(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	logUniform := func(lo, hi float64) float64 {
		return math.Exp(math.Log(lo) + rng.Float64()*(math.Log(hi)-math.Log(lo)))
	}
	for i := 0; i < 3000; i++ {
		n := int(logUniform(1, 20000))
		aht := logUniform(1e-3, 1e5)
		occ := logUniform(1e-4, 100)
		lambda := occ * float64(n) / aht
		patience := logUniform(1e-6, 3e13)
		within := logUniform(1e-3, 1e7)
		if i%10 == 0 {
			within = 0
		}
		r, err := ErlangA(lambda, aht, patience, n, within)
		require.NoError(t, err)
		desc := fmt.Sprintf("n=%d aht=%g occ=%g patience=%g within=%g: %+v", n, aht, occ, patience, within, r)
		for _, v := range []float64{r.PWait, r.PAbandon, r.ServiceLevel, r.Occupancy} {
			require.True(t, v >= 0 && v <= 1, desc)
		}
		require.True(t, r.ASA >= 0 && !math.IsInf(r.ASA, 0), desc)
		require.LessOrEqual(t, r.PAbandon, r.PWait+1e-12, desc)
		require.LessOrEqual(t, r.ServiceLevel, 1-r.PAbandon+1e-12, desc)
		require.GreaterOrEqual(t, r.ServiceLevel, 1-r.PWait-1e-12, desc)
		require.InDelta(t, lambda*(1-r.PAbandon)*aht/float64(n), r.Occupancy, 1e-9, desc)
	}
}

func erlangCBigOrSkip(t *testing.T, a float64, n int) float64 {
	if n <= 1000 {
		return erlangCBig(a, n)
	}
	// big.Float is slow here: sum the closed form's terms aᵏ/k! in log
	// space instead, scaled by the largest.
	logTerm := func(k int) float64 { return float64(k)*math.Log(a) - lgamma(float64(k+1)) }
	top := logTerm(int(a))
	var sum float64
	for k := 0; k < n; k++ {
		sum += math.Exp(logTerm(k) - top)
	}
	last := math.Exp(logTerm(n)-top) * float64(n) / (float64(n) - a)
	return last / (sum + last)
}

func TestErlangBadInput(t *testing.T) {
	tests := []struct {
		name string
		call func() error
	}{
		{"C zero rate", func() error { _, err := ErlangC(0, 300, 5, 20); return err }},
		{"C NaN rate", func() error { _, err := ErlangC(math.NaN(), 300, 5, 20); return err }},
		{"C zero aht", func() error { _, err := ErlangC(0.01, 0, 5, 20); return err }},
		{"C zero agents", func() error { _, err := ErlangC(0.01, 300, 0, 20); return err }},
		{"C negative within", func() error { _, err := ErlangC(0.01, 300, 5, -1); return err }},
		{"C unstable", func() error { _, err := ErlangC(570.0/3600, 300, 40, 20); return err }},
		{"C at the load", func() error { _, err := ErlangC(0.1, 100, 10, 20); return err }},
		{"A zero patience", func() error { _, err := ErlangA(0.01, 300, 0, 5, 20); return err }},
		{"A negative patience", func() error { _, err := ErlangA(0.01, 300, -3, 5, 20); return err }},
		{"A NaN patience", func() error { _, err := ErlangA(0.01, 300, math.NaN(), 5, 20); return err }},
		{"A zero agents", func() error { _, err := ErlangA(0.01, 300, 60, 0, 20); return err }},
		{"AgentsFor target 0", func() error { _, err := AgentsFor(0.01, 300, 60, 20, 0, 0); return err }},
		{"AgentsFor target 1.2", func() error { _, err := AgentsFor(0.01, 300, 60, 20, 1.2, 0); return err }},
		{"AgentsFor negative cap", func() error { _, err := AgentsFor(0.01, 300, 60, 20, 0.8, -0.1); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Error(t, tt.call())
		})
	}
	_, err := ErlangC(570.0/3600, 300, 40, 20)
	assert.ErrorIs(t, err, ErrUnstable)
	// Erlang A below the load is fine: abandonment keeps it stable.
	_, err = ErlangA(570.0/3600, 300, 120, 40, 20)
	assert.NoError(t, err)
}

func TestErlangAServiceLevelRisesWithAgents(t *testing.T) {
	lambda, aht := 570.0/3600, 300.0
	for _, patience := range []float64{20, 120, 1800} {
		prev := ErlangResult{}
		for n := 1; n <= 80; n++ {
			r, err := ErlangA(lambda, aht, patience, n, 20)
			require.NoError(t, err)
			if n > 1 {
				assert.GreaterOrEqual(t, r.ServiceLevel, prev.ServiceLevel, "patience %g n %d", patience, n)
				assert.LessOrEqual(t, r.PAbandon, prev.PAbandon, "patience %g n %d", patience, n)
			}
			prev = r
		}
	}
}

func TestAgentsForIsMinimal(t *testing.T) {
	tests := []struct {
		name                       string
		lambda, aht, patience      float64
		within, target, maxAbandon float64
	}{
		{"C 80/20 at 570/h", 570.0 / 3600, 300, 0, 20, 0.8, 0},
		{"C 90/30 tiny", 2.0 / 3600, 300, 0, 30, 0.9, 0},
		{"C 95/0", 0.1, 240, 0, 0, 0.95, 0},
		{"C 80/20 large", 20, 300, 0, 20, 0.8, 0},
		{"A 80/20 at 570/h", 570.0 / 3600, 300, 120, 20, 0.8, 0},
		{"A 80/20 capped 1%", 570.0 / 3600, 300, 120, 20, 0.8, 0.01},
		{"A low target, overload allowed", 570.0 / 3600, 300, 60, 20, 0.3, 0},
		{"A 99/10 large", 15, 420, 300, 10, 0.99, 0},
		{"A short patience", 1, 200, 10, 5, 0.7, 0.02},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := AgentsFor(tt.lambda, tt.aht, tt.patience, tt.within, tt.target, tt.maxAbandon)
			require.NoError(t, err)
			meets := func(r ErlangResult) bool {
				return r.ServiceLevel >= tt.target && (tt.maxAbandon <= 0 || r.PAbandon <= tt.maxAbandon)
			}
			at := func(n int) (ErlangResult, error) {
				if tt.patience <= 0 {
					return ErlangC(tt.lambda, tt.aht, n, tt.within)
				}
				return ErlangA(tt.lambda, tt.aht, tt.patience, n, tt.within)
			}
			again, err := at(r.Agents)
			require.NoError(t, err)
			assert.Equal(t, again, r)
			assert.True(t, meets(r), "%d agents: %+v", r.Agents, r)
			if r.Agents > 1 {
				less, err := at(r.Agents - 1)
				if err == nil { // Erlang C below the load is unstable: also "not met"
					assert.False(t, meets(less), "%d agents also meet it: %+v", r.Agents-1, less)
				} else {
					assert.ErrorIs(t, err, ErrUnstable)
				}
			}
		})
	}
}

func TestAgentsForInfeasibleFailsFast(t *testing.T) {
	tests := []struct {
		name                       string
		lambda, aht, patience      float64
		within, target, maxAbandon float64
	}{
		{"100% within 0s, Erlang C", 0.1, 240, 0, 0, 1, 0},
		{"100% within 20s, Erlang A", 0.1, 240, 60, 20, 1, 0},
		{"load beyond the cap, Erlang C", 1000, 240, 0, 20, 0.8, 0},
		{"load beyond the cap, Erlang A", 1000, 240, 60, 20, 0.8, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A hang here is caught by go test's -timeout, not by a clock.
			_, err := AgentsFor(tt.lambda, tt.aht, tt.patience, tt.within, tt.target, tt.maxAbandon)
			assert.ErrorIs(t, err, ErrInfeasible)
		})
	}
	_, err := AgentsFor(0.1, 240, 0, math.Inf(1), 1, 0)
	assert.NoError(t, err, "Erlang C answers everyone eventually")
	assert.False(t, errors.Is(err, ErrUnstable))
}

func BenchmarkErlangA(b *testing.B) {
	lambda, aht := 0.95*500/300.0, 300.0
	for b.Loop() {
		if _, err := ErlangA(lambda, aht, 180, 500, 20); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAgentsFor(b *testing.B) {
	for b.Loop() {
		if _, err := AgentsFor(475.0/300, 300, 180, 20, 0.8, 0.02); err != nil {
			b.Fatal(err)
		}
	}
}
