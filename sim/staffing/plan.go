package staffing

import (
	"fmt"
	"time"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
)

// Schedule is a rota that covers a requirement: its shift lines and, per
// tier and interval (warm-up first), the agents it puts on the floor.
type Schedule struct {
	Lines []ShiftLine
	// Scheduled[t][i] is the expected agents available in period interval
	// i: on shift, not on break, not absent, on tickets.
	Scheduled [][]float64
	// Uncovered counts the tier-intervals of the period with a requirement
	// that no template shift reaches (with --templates only).
	Uncovered int
	// Roster and Quality: the numbered positions of a plan under
	// contracts, and its gap to the lower bounds (roster.go).
	Roster  []Position `json:"roster,omitempty"`
	Quality *Quality   `json:"quality,omitempty"`
}

// Schedule plans shifts covering need (per tier, warm-up intervals then
// the period's) at least cost: an integer covering program per tier solved
// through its LP relaxation. Generated patterns are planned one date at a
// time, in order, each day covering what the days before it left;
// scenario templates in one program.
func schedule(sc *model.Scenario, need [][]int, w int, opt Options) (*Schedule, error) {
	if !opt.Templates && !opt.Fragments {
		return rosterSchedule(sc, need, w)
	}
	h := newHorizon(sc, w)
	out := &Schedule{}
	attend := 1 - sc.Shrinkage.Total()
	for t := range sc.Tiers {
		tier := &sc.Tiers[t]
		hourly := tierHourly(sc, t)
		var pats []Pattern
		if opt.Templates {
			ps, err := templatePatterns(sc, t)
			if err != nil {
				return nil, err
			}
			pats = ps
		} else {
			pats = generatedPatterns(t, tier.Name, opt, h.dates())
		}
		cov := make([][]float64, len(pats))
		for j := range pats {
			cov[j] = h.coverage(&pats[j], attend*tier.TicketShare)
		}
		// Groups of patterns solved in turn: the scenario's templates in one
		// program; generated patterns date by date, in order.
		var groups [][]int
		var groupDate []time.Time
		if opt.Templates {
			all := make([]int, len(pats))
			for j := range all {
				all[j] = j
			}
			groups = [][]int{all}
		} else {
			for _, day := range h.dates() {
				var g []int
				for j := range pats {
					if pats[j].Date.Equal(day) {
						g = append(g, j)
					}
				}
				groups = append(groups, g)
				groupDate = append(groupDate, day)
			}
		}
		residual := make([]float64, h.n)
		for i := range residual {
			residual[i] = float64(need[t][i])
		}
		got := make([]float64, h.n)
		for gi, g := range groups {
			p := coverProblem{need: make([]float64, h.n)}
			for i := range residual {
				p.need[i] = residual[i]
			}
			// A day's patterns answer for that day's intervals only: what
			// they reach of the next day (a night shift's morning) counts
			// as cover there, but is never bought for it, or the first day
			// planned would staff the next morning with night shifts.
			// Rows no pattern of the group covers belong to another group.
			for i := range p.need {
				if groupDate != nil && !model.OnDates(groupDate[gi:gi+1], h.at(i)) {
					p.need[i] = 0
					continue
				}
				c := false
				for _, j := range g {
					if cov[j][i] > 1e-9 {
						c = true
						break
					}
				}
				if !c {
					p.need[i] = 0
				}
			}
			for _, j := range g {
				p.a = append(p.a, cov[j])
				p.cost = append(p.cost, pats[j].Length.Hours()*hourly)
			}
			x, _, err := solveCover(p)
			if err != nil {
				return nil, fmt.Errorf("tier %q: %w", tier.Name, err)
			}
			for k, j := range g {
				if x[k] == 0 {
					continue
				}
				out.Lines = append(out.Lines, ShiftLine{Pattern: pats[j], Headcount: x[k]})
				for i := range residual {
					residual[i] -= cov[j][i] * float64(x[k])
					got[i] += cov[j][i] * float64(x[k])
				}
			}
		}
		for i := range residual {
			if residual[i] > 1e-6 && opt.Templates {
				// The scenario's own shifts do not reach this interval:
				// a shortfall the plan reports (and its check will show).
				if i >= w {
					out.Uncovered++
				}
				continue
			}
			if residual[i] > 1e-6 {
				at := h.start.Add(time.Duration(float64(i) * h.interval * float64(time.Second))).In(sc.Location)
				return nil, fmt.Errorf("tier %q: interval at %s needs %d agents, the shift patterns cover %.1f", tier.Name, at.Format("Mon 15:04"), need[t][i], got[i])
			}
		}
		out.Scheduled = append(out.Scheduled, got[w:])
	}
	return out, nil
}

// Rota returns a copy of the scenario whose rota is the schedule's lines,
// validated, ready to simulate.
func (s *Schedule) Rota(sc *model.Scenario) (*model.Scenario, error) {
	c := *sc
	c.Shifts = nil
	for _, l := range s.Lines {
		st := model.Duration{Duration: l.Stagger}
		days, dates := model.DaySet{Weekdays: l.Days, Text: l.DaysText()}, []time.Time(nil)
		if !l.Date.IsZero() {
			days, dates = model.DaySet{}, []time.Time{l.Date}
		}
		if len(l.Dates) > 0 {
			days, dates = model.DaySet{}, l.Dates
		}
		c.Shifts = append(c.Shifts, model.Shift{
			Name: l.Name, Tier: sc.Tiers[l.Tier].Name, Days: days, Dates: dates,
			Start:  model.ClockAt(l.Start),
			Length: model.Duration{Duration: l.Length}, Breaks: l.Breaks, Headcount: l.Headcount, Stagger: &st,
		})
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("planned rota: %w", err)
	}
	return &c, nil
}

// Target is one target of the scenario as a simulation of the plan met it.
type Target struct {
	Channel  string `json:"channel,omitempty"`
	Priority string `json:"priority,omitempty"`
	// Tier is set for a tier's own target for escalations.
	Tier string `json:"tier,omitempty"`
	// Kind is "service_level", "abandon_rate" or "escalation_service_level".
	Kind   string   `json:"kind"`
	Target float64  `json:"target"`
	Within float64  `json:"within_seconds,omitempty"`
	Got    sim.Stat `json:"got"`
	Met    bool     `json:"met"`
	// Confident is true when the whole 95% confidence interval is on the
	// right side of the target.
	Confident bool `json:"confident"`
}

// targets lists every target of the scenario and whether res met it.
func targets(sc *model.Scenario, res *sim.Result) []Target {
	var out []Target
	for _, ch := range res.Channels {
		t := Target{Channel: ch.Name, Kind: "service_level", Target: ch.Target, Within: ch.WithinSeconds, Got: ch.ServiceLevel}
		t.Met = ch.ServiceLevel.Mean >= ch.Target
		t.Confident = ch.ServiceLevel.Mean-ch.ServiceLevel.CI95 >= ch.Target
		out = append(out, t)
		if cap := sc.Channels[sc.ChannelIndex(ch.Name)].SLA.MaxAbandon; cap > 0 {
			a := Target{Channel: ch.Name, Kind: "abandon_rate", Target: cap, Got: ch.AbandonRate}
			a.Met = ch.AbandonRate.Mean <= cap
			a.Confident = ch.AbandonRate.Mean+ch.AbandonRate.CI95 <= cap
			out = append(out, a)
		}
	}
	for _, p := range res.Priorities {
		if len(sc.Priorities) == 0 {
			break
		}
		t := Target{Channel: p.Channel, Priority: p.Priority, Kind: "service_level", Target: p.Target, Within: p.WithinSeconds, Got: p.ServiceLevel}
		t.Met = len(p.ServiceLevel.Samples) == 0 || p.ServiceLevel.Mean >= p.Target
		t.Confident = len(p.ServiceLevel.Samples) == 0 || p.ServiceLevel.Mean-p.ServiceLevel.CI95 >= p.Target
		out = append(out, t)
	}
	for _, tr := range res.Tiers {
		if tr.EscalationServiceLevel == nil {
			continue
		}
		got := *tr.EscalationServiceLevel
		t := Target{Tier: tr.Name, Kind: "escalation_service_level", Target: tr.EscalationTarget, Within: tr.EscalationWithinSeconds, Got: got}
		t.Met = got.Mean >= t.Target
		t.Confident = got.Mean-got.CI95 >= t.Target
		out = append(out, t)
	}
	return out
}

func allMet(ts []Target) bool {
	for _, t := range ts {
		if !t.Met {
			return false
		}
	}
	return true
}
