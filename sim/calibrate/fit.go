package calibrate

import (
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// reservoirSize bounds the values kept per cell for the goodness of fit.
const reservoirSize = 2048

// sample holds durations as sufficient statistics (for the maximum
// likelihood fits and the mean's confidence interval) and a bounded
// uniform reservoir of them (for the KS distance), so memory stays flat
// however many are added.
type sample struct {
	n, zeros        int
	sum, sum2       float64
	sumLog, sumLog2 float64
	res             []float64
	rng             uint64
}

func newSample(seed uint64) *sample { return &sample{rng: seed*0x9E3779B97F4A7C15 + 1} }

func (s *sample) next() uint64 {
	s.rng ^= s.rng << 13
	s.rng ^= s.rng >> 7
	s.rng ^= s.rng << 17
	return s.rng
}

func (s *sample) add(x float64) {
	if x <= 0 {
		s.zeros++
		return
	}
	s.n++
	s.sum += x
	s.sum2 += x * x
	lx := math.Log(x)
	s.sumLog += lx
	s.sumLog2 += lx * lx
	if len(s.res) < reservoirSize {
		s.res = append(s.res, x)
	} else if j := s.next() % uint64(s.n); j < reservoirSize {
		s.res[j] = x
	}
}

// quantile is the p-quantile of the reservoir (NaN when empty).
func (s *sample) quantile(p float64) float64 {
	if len(s.res) == 0 {
		return math.NaN()
	}
	x := slices.Clone(s.res)
	slices.Sort(x)
	return stat.Quantile(p, stat.Empirical, x, nil)
}

func (s *sample) merge(o *sample) {
	s.res = append(s.res, o.res...) // a pooled sample keeps every cell's reservoir
	s.n += o.n
	s.zeros += o.zeros
	s.sum += o.sum
	s.sum2 += o.sum2
	s.sumLog += o.sumLog
	s.sumLog2 += o.sumLog2
}

// Fit is a distribution of durations fitted by maximum likelihood, with
// its goodness of fit.
type Fit struct {
	// Dist is "lognormal" or "gamma".
	Dist string `json:"dist"`
	// Mean (seconds) and CV of the fitted distribution.
	Mean float64 `json:"mean_seconds"`
	CV   float64 `json:"cv"`
	// KS is the Kolmogorov–Smirnov distance between the fit and the data
	// (on a reservoir of at most 2,048 values).
	KS float64 `json:"ks"`
}

// Durations is what a cell of durations (handle times of one category at
// one tier, say) showed, and the fits to it.
type Durations struct {
	N int `json:"n"`
	// Zeros counts durations of zero or less, left out of the fits.
	Zeros int `json:"zeros,omitempty"`
	// Mean is the sample mean (seconds) and MeanCI95 the half-width of its
	// 95% confidence interval.
	Mean     float64 `json:"mean_seconds"`
	MeanCI95 float64 `json:"mean_ci95"`
	CV       float64 `json:"cv"`
	// LogNormal and Gamma are the two maximum-likelihood fits; Best is the
	// one with the smaller KS distance.
	LogNormal Fit `json:"lognormal"`
	Gamma     Fit `json:"gamma"`
	Best      Fit `json:"best"`
	// Sample holds the observed durations, sorted: all of them up to
	// 2048 a cell, a uniform reservoir of a cell beyond. It is what an
	// empirical handle-time file holds.
	Sample []float64 `json:"-"`
}

func (s *sample) durations() Durations {
	d := Durations{N: s.n, Zeros: s.zeros}
	if s.n == 0 {
		return d
	}
	n := float64(s.n)
	d.Mean = s.sum / n
	if s.n > 1 {
		v := math.Max(0, (s.sum2-n*d.Mean*d.Mean)/(n-1))
		d.MeanCI95 = 1.96 * math.Sqrt(v/n)
		d.CV = math.Sqrt(v) / d.Mean
	}
	xs := append([]float64(nil), s.res...)
	sort.Float64s(xs)
	d.Sample = xs
	mu := s.sumLog / n
	sigma := math.Sqrt(math.Max(1e-12, s.sumLog2/n-mu*mu))
	ln := distuv.LogNormal{Mu: mu, Sigma: sigma}
	d.LogNormal = Fit{Dist: "lognormal", Mean: math.Exp(mu + sigma*sigma/2), CV: math.Sqrt(math.Expm1(sigma * sigma)), KS: ks(xs, ln.CDF)}
	k := gammaShape(math.Log(d.Mean) - mu)
	g := distuv.Gamma{Alpha: k, Beta: k / d.Mean}
	d.Gamma = Fit{Dist: "gamma", Mean: d.Mean, CV: 1 / math.Sqrt(k), KS: ks(xs, g.CDF)}
	d.Best = d.LogNormal
	if d.Gamma.KS < d.LogNormal.KS {
		d.Best = d.Gamma
	}
	return d
}

// gammaShape is the maximum-likelihood shape of a gamma distribution from
// s = ln(mean) − mean(ln x): Minka's start, then Newton steps on
// ln k − ψ(k) = s.
func gammaShape(s float64) float64 {
	if s <= 1e-9 {
		return 1e6
	}
	k := (3 - s + math.Sqrt((s-3)*(s-3)+24*s)) / (12 * s)
	for range 8 {
		f := math.Log(k) - mathext.Digamma(k) - s
		df := 1/k - trigamma(k)
		step := f / df
		if k-step <= 0 {
			k /= 2
			continue
		}
		k -= step
		if math.Abs(step) < 1e-10*k {
			break
		}
	}
	return k
}

// trigamma is ψ′(x) for x > 0, by recurrence up to x ≥ 6 and the
// asymptotic series.
func trigamma(x float64) float64 {
	r := 0.0
	for x < 6 {
		r += 1 / (x * x)
		x++
	}
	x2 := 1 / (x * x)
	return r + 1/x + x2/2 + (1/x)*x2*(1.0/6-x2*(1.0/30-x2*(1.0/42-x2/30)))
}

// ks is the Kolmogorov–Smirnov distance between sorted values and a CDF.
func ks(sorted []float64, cdf func(float64) float64) float64 {
	n := float64(len(sorted))
	d := 0.0
	for i, x := range sorted {
		f := cdf(x)
		d = math.Max(d, math.Max(math.Abs(float64(i+1)/n-f), math.Abs(f-float64(i)/n)))
	}
	return d
}

// Patience is a live channel's patience estimated from its first waits.
type Patience struct {
	// Abandons and Censored count the waits that ended in an abandonment
	// and those that ended otherwise (answered, or still waiting at the
	// end of the history).
	Abandons int `json:"abandons"`
	Censored int `json:"censored"`
	// MeanMLE is the exponential patience's maximum-likelihood mean under
	// censoring, total time waited by everyone ÷ abandonments (seconds),
	// with the 95% interval [MeanLow, MeanHigh] (MeanHigh 0: no upper
	// bound, with under four abandonments).
	MeanMLE  float64 `json:"mean_mle_seconds"`
	MeanLow  float64 `json:"mean_low_seconds"`
	MeanHigh float64 `json:"mean_high_seconds"`
	// KMMedian is the Kaplan–Meier median patience (seconds; 0 when the
	// survival curve never falls to one half), KMRestrictedMean its mean
	// restricted to the longest wait seen.
	KMMedian         float64 `json:"km_median_seconds"`
	KMRestrictedMean float64 `json:"km_restricted_mean_seconds"`
	// NaiveMean is the mean of the abandoned waits alone, biased low
	// because the patient customers were answered first: for contrast only.
	NaiveMean float64 `json:"naive_mean_seconds"`
	// Survival is the Kaplan–Meier curve: the share of customers still
	// waiting after each time (seconds), at most 200 points.
	Survival [][2]float64 `json:"survival"`
}

func (p *patienceAcc) estimate() Patience {
	e := Patience{Abandons: p.abandons, Censored: p.censored}
	if p.abandons == 0 {
		return e
	}
	a := float64(p.abandons)
	e.MeanMLE = p.totalWait / a
	// The number of abandonments is Poisson given the exposure: a 95%
	// interval on the rate, inverted.
	z := 1.96 / math.Sqrt(a)
	e.MeanLow, e.MeanHigh = e.MeanMLE/(1+z), e.MeanMLE/math.Max(1e-9, 1-z)
	if z >= 1 {
		e.MeanHigh = 0 // too few abandonments for an upper bound
	}
	e.NaiveMean = p.abandonedWait / a
	e.KMMedian, e.KMRestrictedMean, e.Survival = p.kaplanMeier()
	return e
}

// kaplanMeier walks the survival curve of patience over the one-second
// bins (abandonments in a bin counted before the censorings of that bin).
func (p *patienceAcc) kaplanMeier() (median, restricted float64, curve [][2]float64) {
	atRisk := float64(p.abandons + p.censored)
	surv := 1.0
	limit := math.Min(p.maxWait, patienceBins)
	step := max(1, int(limit)/200)
	curve = append(curve, [2]float64{0, 1})
	for b := 0; b < patienceBins && atRisk > 0; b++ {
		if float64(b) < limit {
			restricted += surv * math.Min(1, limit-float64(b))
		}
		if d := float64(p.events[b]); d > 0 {
			next := surv * (1 - d/atRisk)
			if median == 0 && next <= 0.5 {
				median = float64(b) + 1
			}
			surv = next
		}
		if b%step == 0 && float64(b) <= limit {
			curve = append(curve, [2]float64{float64(b + 1), surv})
		}
		atRisk -= float64(p.events[b] + p.censors[b])
	}
	return median, restricted, curve
}
