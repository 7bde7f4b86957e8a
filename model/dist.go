package model

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// DistSpec is a distribution of durations as written in a scenario:
//
//	{ dist = "exponential", mean = "4m" }
//	{ dist = "lognormal", mean = "4m", cv = 0.6 }
//	{ dist = "gamma", mean = "4m", cv = 0.6 }
//	{ dist = "constant", value = "90s" }
//	{ dist = "empirical", file = "handle-times.csv" }
//
// An empirical file lies beside the scenario and holds one duration a line
// ("4m30s", or a number of seconds); draws are made from its values with
// equal weight.
type DistSpec struct {
	Dist  string   `toml:"dist"`
	Mean  Duration `toml:"mean"`
	CV    float64  `toml:"cv"`
	Value Duration `toml:"value"`
	File  string   `toml:"file"`
}

// Dist is a distribution of durations, in seconds. Sample draws from the
// caller's stream, so every draw is reproducible.
type Dist interface {
	// Sample draws one duration in seconds.
	Sample(src rand.Source) float64
	// Mean is the expected duration in seconds.
	Mean() float64
}

// Exponential is a memoryless duration with the given mean (seconds).
type Exponential struct{ MeanSeconds float64 }

// Sample implements Dist.
func (e Exponential) Sample(src rand.Source) float64 {
	return distuv.Exponential{Rate: 1 / e.MeanSeconds, Src: src}.Rand()
}

// Mean implements Dist.
func (e Exponential) Mean() float64 { return e.MeanSeconds }

// LogNormal is a right-skewed duration given by its mean and coefficient of
// variation, the usual shape of handle times.
type LogNormal struct {
	MeanSeconds, CV float64
	mu, sigma       float64
}

// NewLogNormal returns the lognormal with this mean (seconds) and CV.
func NewLogNormal(mean, cv float64) LogNormal {
	s2 := math.Log1p(cv * cv)
	return LogNormal{MeanSeconds: mean, CV: cv, mu: math.Log(mean) - s2/2, sigma: math.Sqrt(s2)}
}

// Sample implements Dist.
func (l LogNormal) Sample(src rand.Source) float64 {
	return distuv.LogNormal{Mu: l.mu, Sigma: l.sigma, Src: src}.Rand()
}

// Mean implements Dist.
func (l LogNormal) Mean() float64 { return l.MeanSeconds }

// Gamma is a duration given by its mean and coefficient of variation.
type Gamma struct{ MeanSeconds, CV float64 }

// Sample implements Dist.
func (g Gamma) Sample(src rand.Source) float64 {
	alpha := 1 / (g.CV * g.CV)
	return distuv.Gamma{Alpha: alpha, Beta: alpha / g.MeanSeconds, Src: src}.Rand()
}

// Mean implements Dist.
func (g Gamma) Mean() float64 { return g.MeanSeconds }

// Constant is a fixed duration.
type Constant struct{ Seconds float64 }

// Sample implements Dist.
func (c Constant) Sample(rand.Source) float64 { return c.Seconds }

// Mean implements Dist.
func (c Constant) Mean() float64 { return c.Seconds }

// Empirical draws, with equal weight, from observed durations.
type Empirical struct {
	Values []float64 // seconds, sorted
	mean   float64
}

// NewEmpirical returns the empirical distribution of values (seconds).
func NewEmpirical(values []float64) Empirical {
	v := append([]float64(nil), values...)
	sort.Float64s(v)
	var sum float64
	for _, x := range v {
		sum += x
	}
	return Empirical{Values: v, mean: sum / float64(len(v))}
}

// Sample implements Dist.
func (e Empirical) Sample(src rand.Source) float64 {
	return e.Values[int(src.Uint64()%uint64(len(e.Values)))]
}

// Mean implements Dist.
func (e Empirical) Mean() float64 { return e.mean }

// Scaled multiplies every draw of a distribution by Factor (a tier's
// handle-time factor, say).
type Scaled struct {
	D      Dist
	Factor float64
}

// Sample implements Dist.
func (s Scaled) Sample(src rand.Source) float64 { return s.D.Sample(src) * s.Factor }

// Mean implements Dist.
func (s Scaled) Mean() float64 { return s.D.Mean() * s.Factor }

// Build turns the spec into a distribution. dir is the scenario's folder,
// where empirical files are looked up. A spec whose draws would not be
// finite, or would not have the mean asked for, is an error naming the
// allowed range.
func (s DistSpec) Build(dir string) (Dist, error) {
	switch s.Dist {
	case "exponential":
		if err := checkMean("mean", s.Mean); err != nil {
			return nil, err
		}
		return Exponential{MeanSeconds: s.Mean.Seconds()}, nil
	case "lognormal", "gamma":
		if err := checkMean("mean", s.Mean); err != nil {
			return nil, err
		}
		if err := closed(MinCV, MaxCV).check(s.CV); err != nil {
			return nil, fmt.Errorf("cv %w for a %s distribution", err, s.Dist)
		}
		if s.Dist == "gamma" {
			return Gamma{MeanSeconds: s.Mean.Seconds(), CV: s.CV}, nil
		}
		return NewLogNormal(s.Mean.Seconds(), s.CV), nil
	case "constant":
		if s.Value.Duration > MaxDistMean {
			return nil, fmt.Errorf("value %s is longer than %s", FormatDuration(s.Value.Duration), FormatDuration(MaxDistMean))
		}
		return Constant{Seconds: s.Value.Seconds()}, nil
	case "empirical":
		if s.File == "" {
			return nil, fmt.Errorf("an empirical distribution needs file = \"…csv\"")
		}
		if err := printable(s.File, "file names"); err != nil {
			return nil, fmt.Errorf("file %w", err)
		}
		path := s.File
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		vals, err := readDurations(path)
		if err != nil {
			return nil, err
		}
		return NewEmpirical(vals), nil
	case "":
		return nil, fmt.Errorf("dist is missing (want exponential, lognormal, gamma, constant or empirical)")
	default:
		return nil, fmt.Errorf("unknown dist %q (want exponential, lognormal, gamma, constant or empirical)", s.Dist)
	}
}

// checkMean checks the mean of a distribution: positive and at most
// MaxDistMean.
func checkMean(field string, d Duration) error {
	switch {
	case d.Duration <= 0:
		return fmt.Errorf("%s must be positive (e.g. \"4m\")", field)
	case d.Duration > MaxDistMean:
		return fmt.Errorf("%s %s is longer than %s", field, FormatDuration(d.Duration), FormatDuration(MaxDistMean))
	}
	return nil
}

// readDurations reads one duration a line: "4m30s" or seconds; a first line
// that is not a duration is taken as a header; "#" starts a comment.
func readDurations(path string) ([]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("empirical file: %w", err)
	}
	defer f.Close()
	var vals []float64
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(t, '#'); i >= 0 {
			t = strings.TrimSpace(t[:i])
		}
		if t == "" {
			continue
		}
		if i := strings.IndexByte(t, ','); i >= 0 { // first column of a CSV
			t = strings.TrimSpace(t[:i])
		}
		v, err := strconv.ParseFloat(t, 64)
		if err != nil {
			d, derr := ParseDuration(t)
			if derr != nil {
				if line == 1 {
					continue // header
				}
				return nil, fmt.Errorf("%s:%d: %q is not a duration", path, line, t)
			}
			v = d.Seconds()
		}
		if v < 0 || math.IsNaN(v) || v > MaxDistMean.Seconds() {
			return nil, fmt.Errorf("%s:%d: duration %q is not in [0, %s]", path, line, t, FormatDuration(MaxDistMean))
		}
		if len(vals) == MaxEmpiricalValues {
			return nil, fmt.Errorf("%s: holds more than %d durations", path, MaxEmpiricalValues)
		}
		vals = append(vals, v)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(vals) == 0 {
		return nil, fmt.Errorf("%s: no durations", path)
	}
	return vals, nil
}
