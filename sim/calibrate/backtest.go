package calibrate

import (
	"math"
	"time"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
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
// history's period) and compares it with the history's outcomes.
func RunBacktest(cal *Calibration, sc *model.Scenario, opt sim.Options) (*Backtest, error) {
	res, err := sim.Run(sc, opt)
	if err != nil {
		return nil, err
	}
	bt := &Backtest{Replications: res.Replications}
	perDay := int(86400 / res.IntervalSeconds)
	for ci, c := range cal.Channels {
		r := res.Channels[sc.ChannelIndex(c.Name)]
		o := c.Observed
		bt.Channels = append(bt.Channels, BacktestRow{Channel: c.Name, Day: -1,
			Offered:      compare(o.Offered, r.Offered.Mean),
			ServiceLevel: compare(o.ServiceLevel(), r.ServiceLevel.Mean),
			ASA:          compare(o.ASA(), r.ASASeconds.Mean),
			Abandonment:  compare(o.AbandonRate(), r.AbandonRate.Mean)})
		days := simulatedDays(res, c.Name, perDay, len(c.ObservedDays))
		var bias [4]float64
		var nb [4]int
		for d, od := range c.ObservedDays {
			row := rowOf(c.Name, d, od, days[d])
			for i, cmp := range []Comparison{row.Offered, row.ServiceLevel, row.ASA, row.Abandonment} {
				if cmp.Error != nil {
					bias[i] += *cmp.Error
					nb[i]++
				}
			}
			bt.Days = append(bt.Days, row)
		}
		mean := func(i int) *float64 { return num(bias[i] / float64(nb[i])) }
		bt.Bias = append(bt.Bias, BacktestRow{Channel: cal.Channels[ci].Name, Day: -1,
			Offered: Comparison{Error: mean(0)}, ServiceLevel: Comparison{Error: mean(1)},
			ASA: Comparison{Error: mean(2)}, Abandonment: Comparison{Error: mean(3)}})
		bt.Intervals = append(bt.Intervals, intervalRows(res, c, perDay)...)
	}
	return bt, nil
}

// rowOf compares what a channel's contacts of one day (or interval) met
// with what the simulated ones did.
func rowOf(channel string, day int, od Outcome, sd simDay) BacktestRow {
	return BacktestRow{Channel: channel, Day: day,
		Offered:      compare(od.Offered, sd.offered),
		ServiceLevel: compare(od.ServiceLevel(), ratio(sd.within, sd.offered)),
		ASA:          compare(od.ASA(), ratio(sd.waitSum, sd.answered)),
		Abandonment:  compare(od.AbandonRate(), ratio(sd.abandoned, sd.offered))}
}

// intervalRows compares a channel interval by interval over the history's
// days, leaving out the intervals where nothing was offered either way.
func intervalRows(res *sim.Result, c ChannelEstimate, perDay int) []BacktestRow {
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
		r := rowOf(c.Name, i/perDay, od, simulated[i])
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
