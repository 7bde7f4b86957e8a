package staffing

import (
	"fmt"
	"math"
	"time"

	"github.com/slasim/slasim/model"
)

// Meet is how a service-level target is contracted: per interval, as the
// average of each day, or over the whole period.
type Meet string

// The modes of meeting a service-level target.
const (
	// MeetInterval asks every interval to meet the target (the default,
	// the strictest).
	MeetInterval Meet = "interval"
	// MeetDay asks each day's service level, pooled over its contacts, to
	// meet it.
	MeetDay Meet = "day"
	// MeetPeriod asks the whole period's service level to meet it.
	MeetPeriod Meet = "period"
)

// ParseMeet reads "interval", "day" or "period".
func ParseMeet(s string) (Meet, error) {
	switch m := Meet(s); m {
	case MeetInterval, MeetDay, MeetPeriod:
		return m, nil
	}
	return "", fmt.Errorf("%q: want interval, day or period", s)
}

// loosenSteps is the number of bisection steps on each channel's
// per-interval target in day and period mode (1/16 of the range).
const loosenSteps = 4

// settleRounds is how many times loosen searches again at the loosest
// margins that held, asking a point more of a channel that then misses.
const settleRounds = 3

// loosen lowers, by bisection per channel, the service level each
// interval must reach as far as the daily or whole-period target still
// holds (pooled over the search's replications, see aggregateHolds),
// searching the requirement again at each step from the
// last answer; it ends on the loosest margins that held.
func (s *search) loosen() error {
	// The day's or period's verdict decides here, each interval's only
	// steers: two batches a decision at most, and the budget of three
	// searches.
	s.opt.MaxBatches = min(s.opt.MaxBatches, 2)
	s.opt.MaxRuns = *s.runs + 2*s.opt.MaxRuns
	nc := len(s.sc.Channels)
	first, firstEv, firstV := s.good, s.ev, s.v
	ok, hi := make([]float64, nc), make([]float64, nc)
	for c := range s.sc.Channels {
		ok[c] = s.ck.margin[c]
		hi[c] = -math.Min(s.sc.Channels[c].SLA.Target-0.05, 0.5)
	}
	for step := 0; step < loosenSteps; step++ {
		for c := range s.ck.margin {
			s.ck.margin[c] = (ok[c] + hi[c]) / 2
		}
		if err := s.rerun(); err != nil {
			return err
		}
		for c, h := range s.aggregateHolds(s.ev) {
			if h {
				ok[c] = s.ck.margin[c]
			} else {
				hi[c] = s.ck.margin[c]
			}
		}
	}
	if allZero(ok) {
		// Nothing looser held: the per-interval answer stands.
		copy(s.ck.margin, ok)
		s.good, s.ev, s.v = first, firstEv, firstV
		return nil
	}
	// The loosest margins held one at a time, maybe not together: search
	// at them, asking a point more of a channel that then misses.
	for round := 0; round < settleRounds; round++ {
		copy(s.ck.margin, ok)
		if err := s.rerun(); err != nil {
			return err
		}
		held := s.aggregateHolds(s.ev)
		if allTrue(held) {
			return nil
		}
		for c, h := range held {
			if !h {
				ok[c] = math.Min(0, ok[c]+0.01)
			}
		}
	}
	return nil
}

func allZero(xs []float64) bool {
	for _, x := range xs {
		if x != 0 {
			return false
		}
	}
	return true
}

func allTrue(b []bool) bool {
	for _, x := range b {
		if !x {
			return false
		}
	}
	return true
}

// aggregateHolds reports, per channel, whether its service level pooled
// over each day (MeetDay) or the period (MeetPeriod), and its abandonment
// cap and priority classes over the period, hold: the period's with half
// its 95% confidence interval on the right side (a margin for the plan's
// check, which re-simulates it with fresh streams), each day's by its mean
// (a quiet day's interval is wide).
func (s *search) aggregateHolds(ev *evidence) []bool {
	groups := s.aggregateGroups()
	short, _ := s.ck.periodMisses(ev.results)
	out := make([]bool, len(s.sc.Channels))
	for c := range s.sc.Channels {
		ch := &s.sc.Channels[c]
		out[c] = short[c] <= 0
		for _, ivs := range groups {
			sure := 0.5
			if len(groups) > 1 {
				sure = 0
			}
			if m, h, okSL := ev.serviceLevel(c, ivs); okSL && m-sure*h < ch.SLA.Target {
				out[c] = false
			}
			if cap := ch.SLA.MaxAbandon; cap > 0 && ch.Live() {
				if m, h, okA := ev.abandonRate(c, ivs); okA && m+sure*h > cap {
					out[c] = false
				}
			}
		}
	}
	return out
}

// aggregateGroups are the intervals of the period (warm-up left out) a
// target is pooled over: one group per calendar day (MeetDay) or one for
// the period.
func (s *search) aggregateGroups() [][]int {
	return meetGroups(s.sc, s.w, s.d.n, s.opt.Meet)
}

// meetGroups are the intervals from..n-1 of sc's horizon (interval 0 at
// its start) a target is pooled over: one group per calendar day
// (MeetDay) or one for them all.
func meetGroups(sc *model.Scenario, from, n int, meet Meet) [][]int {
	var groups [][]int
	var last time.Time
	for i := from; i < n; i++ {
		if meet == MeetPeriod {
			if len(groups) == 0 {
				groups = append(groups, nil)
			}
		} else {
			at := sc.Meta.Start.Add(time.Duration(i) * sc.Meta.Interval.Duration).In(sc.Location)
			y, m, d := at.Date()
			day := time.Date(y, m, d, 0, 0, 0, 0, sc.Location)
			if len(groups) == 0 || !day.Equal(last) {
				groups = append(groups, nil)
				last = day
			}
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], i)
	}
	return groups
}
