package staffing

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/slasim/slasim/model"
)

// Pattern is a shift a rota can hold: a tier's agents starting at a time of
// day on some weekdays, or on one date, for a length, with breaks.
type Pattern struct {
	Name string
	Tier int
	// Contract names the contract of a position's pattern (plans under
	// contracts only).
	Contract string
	Days     model.Weekdays
	// Date, when set, is the one calendar day the pattern runs on (Days is
	// then unused): generated patterns are per date, so that two Mondays of
	// a period (an ordinary one and Cyber Monday) are staffed apart.
	Date time.Time
	// Dates, when set, are the calendar days a position works (Days is
	// then its weekly cycle, if any, for the roster's text): a dated
	// contract's dates, or a weekly cycle fitted to a period that is not
	// whole weeks (tours.go).
	Dates  []time.Time
	Start  time.Duration // since midnight
	Length time.Duration
	Breaks []model.Break
	// Stagger spreads breaks across the pattern's agents (default 30m).
	Stagger time.Duration
}

// On reports whether the pattern starts an instance on the calendar day of
// t.
func (p *Pattern) On(t time.Time) bool {
	if len(p.Dates) > 0 {
		return model.OnDates(p.Dates, t)
	}
	if !p.Date.IsZero() {
		return model.OnDates([]time.Time{p.Date}, t)
	}
	return p.Days.Has(t.Weekday())
}

// DaysText is the pattern's days as a scenario writes them ("mon",
// "sat,sun"), or its date ("2026-11-30").
func (p *Pattern) DaysText() string {
	if len(p.Dates) > 0 {
		out := make([]string, len(p.Dates))
		for i, d := range p.Dates {
			out[i] = d.Format("2006-01-02")
		}
		return strings.Join(out, ",")
	}
	if !p.Date.IsZero() {
		return p.Date.Format("2006-01-02")
	}
	names := [...]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	var out []string
	for i, on := range p.Days {
		if on {
			out = append(out, names[i])
		}
	}
	return strings.Join(out, ",")
}

// ShiftLine is a pattern with the number of agents the plan puts on it.
type ShiftLine struct {
	Pattern
	Headcount int
}

// generatedPatterns lists, for one tier, shifts starting every startEvery
// on every date of the period, of lengths minLen..maxLen by lenStep, with a
// 30-minute meal break from 6h and two 15-minute breaks from 8h.
func generatedPatterns(tier int, tierName string, o Options, dates []time.Time) []Pattern {
	var ps []Pattern
	for _, date := range dates {
		for s := time.Duration(0); s < 24*time.Hour; s += o.StartEvery {
			for l := o.MinLength; l <= o.MaxLength; l += o.LengthStep {
				p := Pattern{Tier: tier, Date: date, Start: s, Length: l, Stagger: 30 * time.Minute}
				if l >= 6*time.Hour {
					p.Breaks = append(p.Breaks, model.Break{After: model.Duration{Duration: (l / 2).Truncate(30 * time.Minute)}, Length: model.Duration{Duration: 30 * time.Minute}})
				}
				if l >= 8*time.Hour {
					p.Breaks = append(p.Breaks,
						model.Break{After: model.Duration{Duration: 2 * time.Hour}, Length: model.Duration{Duration: 15 * time.Minute}},
						model.Break{After: model.Duration{Duration: l - 2*time.Hour}, Length: model.Duration{Duration: 15 * time.Minute}})
				}
				p.Name = fmt.Sprintf("%s-%s-%02d%02d-%s", tierName, p.DaysText(), int(s.Hours()), int(s.Minutes())%60, model.FormatDuration(l))
				ps = append(ps, p)
			}
		}
	}
	return ps
}

// templatePatterns are the scenario's own shifts of a tier.
func templatePatterns(sc *model.Scenario, tier int) ([]Pattern, error) {
	ls, err := templateLines(sc, tier)
	ps := make([]Pattern, len(ls))
	for i := range ls {
		ps[i] = ls[i].Pattern
	}
	return ps, err
}

// templateLines are the scenario's own shifts of a tier with their
// headcounts: the rota it has today.
func templateLines(sc *model.Scenario, tier int) ([]ShiftLine, error) {
	var ps []ShiftLine
	for _, s := range sc.Shifts {
		if sc.TierIndex(s.Tier) != tier {
			continue
		}
		var days model.Weekdays
		if len(s.Dates) == 0 {
			days = s.Days.Weekdays
		}
		start := s.Start.Offset
		st := 30 * time.Minute
		if s.Stagger != nil {
			st = s.Stagger.Duration
		}
		p := Pattern{Name: s.Name, Tier: tier, Days: days, Start: start, Length: s.Length.Duration, Breaks: s.Breaks, Stagger: st}
		if len(s.Dates) == 0 {
			ps = append(ps, ShiftLine{p, s.Headcount})
		}
		for _, d := range s.Dates { // a dated line: one pattern per date
			p.Date = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, sc.Location)
			p.Name = s.Name + "-" + p.Date.Format("2006-01-02")
			ps = append(ps, ShiftLine{p, s.Headcount})
		}
	}
	return ps, nil
}

// horizon describes the intervals a plan covers: the warm-up intervals
// then the period's, as in Requirements.
type horizon struct {
	sc       *model.Scenario
	start    time.Time // start of the first (warm-up) interval
	interval float64
	n        int // warm-up + period intervals
	w        int
}

func newHorizon(sc *model.Scenario, w int) horizon {
	iv := sc.Meta.Interval.Duration
	return horizon{sc: sc, start: sc.Meta.Start.Add(-time.Duration(w) * iv), interval: iv.Seconds(), n: w + intervalCount(sc), w: w}
}

// at is the start of interval i in the scenario's time zone.
func (h horizon) at(i int) time.Time {
	return h.start.Add(time.Duration(float64(i) * h.interval * float64(time.Second))).In(h.sc.Location)
}

// dates are the calendar days (midnights, scenario time zone) that hold an
// interval of the horizon, in order.
func (h horizon) dates() []time.Time {
	loc := h.sc.Location
	var out []time.Time
	for i := 0; i < h.n; i++ {
		y, m, d := h.at(i).Date()
		day := time.Date(y, m, d, 0, 0, 0, 0, loc)
		if len(out) == 0 || !out[len(out)-1].Equal(day) {
			out = append(out, day)
		}
	}
	return out
}

// coverage is the expected number of a pattern's agents on the floor per
// interval, per agent on the line: its instances (as the engine unrolls
// them, from the day before the warm-up), less breaks spread over the
// stagger window, times the tier's share of time on tickets and the
// attendance after shrinkage.
func (h horizon) coverage(p *Pattern, factor float64) []float64 {
	sc := h.sc
	loc := sc.Location
	a := make([]float64, h.n)
	y, m, d := h.start.In(loc).Date()
	day0 := time.Date(y, m, d, 0, 0, 0, 0, loc)
	end := h.start.Add(time.Duration(float64(h.n) * h.interval * float64(time.Second)))
	const step = 60.0 // seconds
	for day := day0.AddDate(0, 0, -1); day.Before(end); day = day.AddDate(0, 0, 1) {
		if !p.On(day) {
			continue
		}
		hh, mm := int(p.Start/time.Hour), int(p.Start%time.Hour/time.Minute)
		st := time.Date(day.Year(), day.Month(), day.Day(), hh, mm, 0, 0, loc)
		s0 := st.Sub(h.start).Seconds()
		length := p.Length.Seconds()
		for x := step / 2; x < length; x += step {
			t := s0 + x
			k := int(math.Floor(t / h.interval))
			if k < 0 || k >= h.n {
				continue
			}
			present := 1.0
			for _, b := range p.Breaks {
				present -= onBreak(x, b.After.Seconds(), b.Length.Seconds(), p.Stagger.Seconds())
			}
			a[k] += math.Max(0, present) * step / h.interval * factor
		}
	}
	return a
}

// onBreak is the share of a line's agents on a break at time x into the
// shift, break starts spread evenly over the stagger window.
func onBreak(x, after, length, stagger float64) float64 {
	if stagger <= 0 {
		if x >= after && x < after+length {
			return 1
		}
		return 0
	}
	// start ~ U[after, after+stagger]; on break if start ≤ x < start+length.
	lo, hi := math.Max(after, x-length), math.Min(after+stagger, x)
	return math.Max(0, hi-lo) / stagger
}
