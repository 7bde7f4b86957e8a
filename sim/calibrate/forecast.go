package calibrate

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// season is the length of the weekly cycle of a daily series.
const season = 7

// HoltWinters is a fitted additive-trend, multiplicative-season
// exponential smoothing of a daily series with a weekly season.
type HoltWinters struct {
	Alpha, Beta, Gamma float64
	level, trend       float64
	seasonal           [season]float64
	n                  int // observations absorbed
	// SSE is the sum of squared one-step-ahead errors of the fit.
	SSE float64
}

// fitHW smooths y with the given constants. It needs two whole seasons to
// start: the first gives the level and the seasonal indices, the second
// the trend.
func fitHW(y []float64, alpha, beta, gamma float64) HoltWinters {
	h := HoltWinters{Alpha: alpha, Beta: beta, Gamma: gamma}
	var m1, m2 float64
	for i := 0; i < season; i++ {
		m1 += y[i] / season
		m2 += y[season+i] / season
	}
	h.level, h.trend = m1, (m2-m1)/season
	for i := 0; i < season; i++ {
		if m1 > 0 {
			h.seasonal[i] = y[i] / m1
		} else {
			h.seasonal[i] = 1
		}
	}
	h.level += h.trend * (season - 1) // the level at the end of the first season
	for t := season; t < len(y); t++ {
		s := h.seasonal[t%season]
		pred := (h.level + h.trend) * s
		h.SSE += (y[t] - pred) * (y[t] - pred)
		last := h.level
		if s > 0 {
			h.level = alpha*y[t]/s + (1-alpha)*(h.level+h.trend)
		} else {
			h.level = (1 - alpha) * (h.level + h.trend)
		}
		h.trend = beta*(h.level-last) + (1-beta)*h.trend
		if h.level > 0 {
			h.seasonal[t%season] = gamma*y[t]/h.level + (1-gamma)*s
		}
	}
	h.n = len(y)
	return h
}

// FitHoltWinters chooses the smoothing constants that minimise the
// one-step-ahead squared error, on a grid (0.05 to 0.95 by 0.1 for the
// level and season, 0 to 0.3 for the trend).
func FitHoltWinters(y []float64) (HoltWinters, error) {
	if len(y) < 2*season {
		return HoltWinters{}, errors.New("Holt-Winters needs two weeks of daily history")
	}
	best := HoltWinters{SSE: math.Inf(1)}
	for a := 0.05; a < 1; a += 0.1 {
		for b := 0.0; b <= 0.3; b += 0.05 {
			for g := 0.05; g < 1; g += 0.1 {
				if h := fitHW(y, a, b, g); h.SSE < best.SSE {
					best = h
				}
			}
		}
	}
	return best, nil
}

// Forecast gives the next k days after the fitted series.
func (h HoltWinters) Forecast(k int) []float64 {
	out := make([]float64, k)
	for i := range out {
		out[i] = math.Max(0, (h.level+float64(i+1)*h.trend)*h.seasonal[(h.n+i)%season])
	}
	return out
}

// ForecastError is how a forecast method did on held-out weeks: each week
// forecast from the history before it.
type ForecastError struct {
	// Weeks held out, one at a time, the most recent first.
	Weeks int `json:"weeks"`
	// MAPE is the mean absolute percentage error of the daily forecasts,
	// Bias the mean of (forecast − actual) ÷ actual, RMSPE the root mean
	// squared percentage error (what forecast_cv takes). Shares.
	MAPE  float64 `json:"mape"`
	Bias  float64 `json:"bias"`
	RMSPE float64 `json:"rmspe"`
}

// HeldOut backtests Holt-Winters on up to weeks held-out weeks: each is
// forecast from the days before it (at least two weeks of them).
func HeldOut(y []float64, weeks int) ForecastError {
	var e ForecastError
	var n int
	for w := 1; w <= weeks; w++ {
		cut := len(y) - w*season
		if cut < 2*season {
			break
		}
		h, _ := FitHoltWinters(y[:cut])
		f := h.Forecast(season)
		for i, v := range f {
			a := y[cut+i]
			if a <= 0 {
				continue
			}
			r := (v - a) / a
			e.MAPE += math.Abs(r)
			e.Bias += r
			e.RMSPE += r * r
			n++
		}
		e.Weeks = w
	}
	if n > 0 {
		e.MAPE, e.Bias, e.RMSPE = e.MAPE/float64(n), e.Bias/float64(n), math.Sqrt(e.RMSPE/float64(n))
	}
	return e
}

// ChannelForecast is the forecast of one channel's daily volume over a
// target period.
type ChannelForecast struct {
	Channel string `json:"channel"`
	// Base is the seasonal forecast per target day, Days the same times
	// the peak factors.
	Base []float64 `json:"base"`
	Days []float64 `json:"days"`
	// PeakFactors holds, per target day, the factor of the same weekday a
	// year (364 days) before when that day stood out of its fit (1: none
	// or not in the history).
	PeakFactors []float64     `json:"peak_factors"`
	Error       ForecastError `json:"held_out"`
}

// ForecastPeriod forecasts each channel's daily volume from the day after
// the history to the target's last day, and keeps the target's days.
func (cal *Calibration) ForecastPeriod(from, to time.Time) ([]ChannelForecast, error) {
	histEnd := cal.Start.AddDate(0, 0, cal.Days)
	skip := int(math.Round(from.Sub(histEnd).Hours() / 24))
	n := int(math.Round(to.Sub(from).Hours() / 24))
	if skip < 0 || n <= 0 {
		return nil, errors.New("the target period must start after the history and end after it starts")
	}
	var out []ChannelForecast
	for _, c := range cal.Channels {
		h, err := FitHoltWinters(c.Daily)
		if err != nil {
			return nil, err
		}
		all := h.Forecast(skip + n)
		cf := ChannelForecast{Channel: c.Name, Base: all[skip:], Days: make([]float64, n), PeakFactors: make([]float64, n), Error: HeldOut(c.Daily, 4)}
		for i := range cf.Days {
			cf.PeakFactors[i] = peakFactor(c.Daily, cal.Days+skip+i-364)
			cf.Days[i] = cf.Base[i] * cf.PeakFactors[i]
		}
		out = append(out, cf)
	}
	return out, nil
}

// peakFactor is day d's volume over the mean of the same weekday in the
// weeks around it, when it stands out by more than 30%; 1 otherwise.
func peakFactor(daily []float64, d int) float64 {
	if d < 0 || d >= len(daily) {
		return 1
	}
	var s, k float64
	for _, o := range []int{-14, -7, 7, 14} {
		if j := d + o; j >= 0 && j < len(daily) {
			s += daily[j]
			k++
		}
	}
	if k == 0 || s == 0 {
		return 1
	}
	if f := daily[d] / (s / k); f > 1.3 || f < 1/1.3 {
		return f
	}
	return 1
}

// ForecastScenario turns channel forecasts into the options of a scenario
// for the target period: each channel's rate scaled so that rate × weekly
// pattern gives the seasonal forecast, a surge on each peak day, and
// forecast_cv the larger of the history's and the forecast's own held-out
// error.
func (cal *Calibration) ForecastScenario(fc []ChannelForecast, from time.Time, o ScenarioOptions) ScenarioOptions {
	o.Start, o.Days, o.WeeklyRota = from, len(fc[0].Days), true
	o.Rates, o.ForecastCV = map[string]float64{}, map[string]float64{}
	for i, f := range fc {
		c := cal.Channels[i]
		var base, shape float64
		for d, v := range f.Base {
			base += v
			shape += 24 * c.Weekly[(int(from.AddDate(0, 0, d).Weekday())+6)%7]
			if pf := f.PeakFactors[d]; pf != 1 {
				day := from.AddDate(0, 0, d)
				o.Surges = append(o.Surges, Surge{Name: fmt.Sprintf("%s-peak-%s", c.Name, day.Format("01-02")),
					From: day, To: day.AddDate(0, 0, 1), Factor: pf, Channels: []string{c.Name}})
			}
		}
		if shape > 0 {
			o.Rates[c.Name] = base / shape
		}
		o.ForecastCV[c.Name] = math.Max(c.ForecastCV, f.Error.RMSPE)
	}
	return o
}
