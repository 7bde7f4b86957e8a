package calibrate

import (
	"cmp"
	"math"
	"time"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/trace"
)

// Backtest sets the calibrated scenario, simulated over the history's own
// period with the rota seen in it, against what really happened.
type Backtest struct {
	Replications int `json:"replications"`
	// Channels holds one comparison per channel over the whole period,
	// Days one per channel and day.
	Channels []BacktestRow `json:"channels"`
	Days     []BacktestRow `json:"days"`
	// Intervals holds one per channel and interval (at the scenario's
	// interval) in which something was offered, observed or simulated.
	Intervals []BacktestRow `json:"intervals"`
	// Bias is, per channel, the mean over the days of simulated − observed
	// for each figure: where the model leans.
	Bias []BacktestRow `json:"bias"`
}

// BacktestRow compares one channel (over a day, Day ≥ 0, or the whole
// period, Day −1): observed, simulated (mean over replications) and the
// error, simulated − observed. Shares are in [0,1], times in seconds; NaN
// figures (nothing offered) are written as null.
type BacktestRow struct {
	Channel string `json:"channel"`
	Day     int    `json:"day"`
	// Interval is the interval of the day of an interval's row (0 first)
	// and Start when it began; both absent on other rows.
	Interval *int       `json:"interval,omitempty"`
	Start    *time.Time `json:"start,omitempty"`
	Offered  Comparison `json:"offered"`
	// ServiceLevel, ASA and Abandonment as DESIGN.md defines them.
	ServiceLevel Comparison `json:"service_level"`
	ASA          Comparison `json:"asa_seconds"`
	Abandonment  Comparison `json:"abandon_rate"`
	// Backlog is, on a deferred channel, the tickets created in the period
	// still open at the end of the interval or day (on a whole-period row
	// the mean over the day ends); Resolution the mean time from creation
	// to resolution of the row's contacts resolved before the period ended.
	// Both sides are read from lifecycles by the same code: the history's,
	// and each simulated replication's own trace.
	Backlog    Comparison `json:"backlog"`
	Resolution Comparison `json:"resolution_seconds"`
	// ResolutionP50 and ResolutionP90 are percentiles of the resolution
	// time (simulated: the mean over replications), on whole-period rows.
	ResolutionP50 *Comparison `json:"resolution_p50_seconds,omitempty"`
	ResolutionP90 *Comparison `json:"resolution_p90_seconds,omitempty"`
}

// Comparison is an observed figure beside the simulated one.
type Comparison struct {
	Observed  *float64 `json:"observed"`
	Simulated *float64 `json:"simulated"`
	Error     *float64 `json:"error"`
}

func num(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

func compare(obs, simulated float64) Comparison {
	return Comparison{Observed: num(obs), Simulated: num(simulated), Error: num(simulated - obs)}
}

// RunBacktest simulates sc (the calibrated scenario of cal, over the
// history's period) and compares it with the history's outcomes. Each
// replication's lifecycle trace is read as the history was (the same
// periods, intervals, modes and thresholds) for the backlog and the
// resolution times.
func RunBacktest(cal *Calibration, sc *model.Scenario, opt sim.Options) (*Backtest, error) {
	n := cmp.Or(opt.Replications, sc.Meta.Replications)
	cfg := cal.cfg
	cfg.Start, cfg.End = sc.Meta.Start, sc.Meta.Start.Add(sc.Meta.Duration.Duration)
	if cfg.Interval == 0 {
		cfg.Interval = sc.Meta.Interval.Duration
	}
	replays := make([]*History, max(n, 0))
	t0 := unix(sc.Meta.Start)
	opt.TraceEach = func(r int) func(trace.Action) error {
		h := NewHistory(cfg)
		replays[r] = h
		return func(a trace.Action) error { h.Add(traceEvent(a, t0, 0)); return nil }
	}
	res, err := sim.Run(sc, opt)
	if err != nil {
		return nil, err
	}
	bt := &Backtest{Replications: res.Replications}
	perDay := int(86400 / res.IntervalSeconds)
	for _, c := range cal.Channels {
		r := res.Channels[sc.ChannelIndex(c.Name)]
		lc := pooledLifecycles(replays, c.Name, cal)
		o := c.Observed
		whole := BacktestRow{Channel: c.Name, Day: -1,
			Offered:      compare(o.Offered, r.Offered.Mean),
			ServiceLevel: compare(o.ServiceLevel(), r.ServiceLevel.Mean),
			ASA:          compare(o.ASA(), r.ASASeconds.Mean),
			Abandonment:  compare(o.AbandonRate(), r.AbandonRate.Mean),
			Backlog:      compareP(o.Backlog, lc.period.Backlog),
			Resolution:   compare(o.ResolutionTime(), lc.period.ResolutionTime())}
		p50, p90 := compareP(c.ResolutionP50, lc.p50), compareP(c.ResolutionP90, lc.p90)
		whole.ResolutionP50, whole.ResolutionP90 = &p50, &p90
		bt.Channels = append(bt.Channels, whole)
		days := simulatedDays(res, c.Name, perDay, len(c.ObservedDays))
		var bias biasSum
		for d, od := range c.ObservedDays {
			row := rowOf(c.Name, d, od, days[d], lc.at(lc.days, d))
			bias.add(row)
			bt.Days = append(bt.Days, row)
		}
		bt.Bias = append(bt.Bias, bias.row(c.Name))
		bt.Intervals = append(bt.Intervals, intervalRows(res, c, perDay, lc)...)
	}
	return bt, nil
}

// biasSum gathers the daily errors of a channel's figures.
type biasSum struct {
	sum [6]float64
	n   [6]int
}

func (b *biasSum) add(r BacktestRow) {
	for i, c := range r.figures() {
		if c.Error != nil {
			b.sum[i] += *c.Error
			b.n[i]++
		}
	}
}

// row is the mean daily error of each figure.
func (b *biasSum) row(channel string) BacktestRow {
	var f [6]Comparison
	for i := range f {
		f[i].Error = num(b.sum[i] / float64(b.n[i]))
	}
	return BacktestRow{Channel: channel, Day: -1, Offered: f[0], ServiceLevel: f[1], ASA: f[2],
		Abandonment: f[3], Backlog: f[4], Resolution: f[5]}
}

// figures are a row's comparisons in a fixed order.
func (r BacktestRow) figures() [6]Comparison {
	return [6]Comparison{r.Offered, r.ServiceLevel, r.ASA, r.Abandonment, r.Backlog, r.Resolution}
}

// rowOf compares what a channel's contacts of one day (or interval) met
// with what the simulated ones did: sd from the simulation's result, lc
// from its replications' lifecycles.
func rowOf(channel string, day int, od Outcome, sd simDay, lc Outcome) BacktestRow {
	return BacktestRow{Channel: channel, Day: day,
		Offered:      compare(od.Offered, sd.offered),
		ServiceLevel: compare(od.ServiceLevel(), ratio(sd.within, sd.offered)),
		ASA:          compare(od.ASA(), ratio(sd.waitSum, sd.answered)),
		Abandonment:  compare(od.AbandonRate(), ratio(sd.abandoned, sd.offered)),
		Backlog:      compareP(od.Backlog, lc.Backlog),
		Resolution:   compare(od.ResolutionTime(), lc.ResolutionTime())}
}

func compareP(obs, simulated *float64) Comparison {
	c := Comparison{Observed: obs, Simulated: simulated}
	if obs != nil && simulated != nil {
		c.Error = num(*simulated - *obs)
	}
	return c
}

// intervalRows compares a channel interval by interval over the history's
// days, leaving out the intervals where nothing was offered either way.
func intervalRows(res *sim.Result, c ChannelEstimate, perDay int, lc lifecycles) []BacktestRow {
	n := len(c.ObservedIntervals)
	simulated := make([]simDay, n)
	starts := make([]time.Time, n)
	for _, iv := range res.Intervals {
		if iv.Channel != c.Name || iv.Index >= n {
			continue
		}
		simulated[iv.Index].add(iv)
		starts[iv.Index] = iv.Start
	}
	var rows []BacktestRow
	for i, od := range c.ObservedIntervals {
		if od.Offered == 0 && simulated[i].offered == 0 {
			continue
		}
		r := rowOf(c.Name, i/perDay, od, simulated[i], lc.at(lc.intervals, i))
		s, at := i%perDay, starts[i]
		r.Interval, r.Start = &s, &at
		rows = append(rows, r)
	}
	return rows
}

// simDay is a channel's simulated day, summed from its intervals (means
// over replications).
type simDay struct{ offered, answered, abandoned, within, waitSum float64 }

func simulatedDays(res *sim.Result, channel string, perDay, days int) []simDay {
	out := make([]simDay, days)
	for _, iv := range res.Intervals {
		if iv.Channel != channel {
			continue
		}
		d := iv.Index / perDay
		if d >= days {
			continue
		}
		out[d].add(iv)
	}
	return out
}

// add sums one simulated interval in.
func (s *simDay) add(iv sim.IntervalResult) {
	s.offered += iv.Offered.Mean
	s.answered += iv.Answered.Mean
	s.abandoned += iv.Abandoned.Mean
	if iv.ServiceLevel != nil {
		s.within += iv.ServiceLevel.Mean * iv.Offered.Mean
	}
	if iv.ASASeconds != nil {
		s.waitSum += iv.ASASeconds.Mean * iv.Answered.Mean
	}
}
