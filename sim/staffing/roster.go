package staffing

import (
	"sort"
	"time"

	"github.com/slasim/slasim/model"
)

// Position is one numbered job of a roster a manager can publish: who
// works which weekdays, from when to when, with breaks at set times.
type Position struct {
	Number   int    `json:"number"`
	Tier     string `json:"tier"`
	Contract string `json:"contract"`
	// Days are the working weekdays, "mon-fri", "sat-wed" (a run across
	// the weekend) or "mon,wed,fri"; in a period that is not whole weeks
	// with the dates the week leaves off, "mon-fri except 2026-11-23"; on
	// a dated contract its dates, "2026-11-27,2026-11-30".
	Days string `json:"days"`
	// Start and End are wall-clock times, "08:00" and "16:00" (End may be
	// the next day's, for a night shift).
	Start string `json:"start"`
	End   string `json:"end"`
	// Length is the paid shift length, "8h".
	Length string `json:"length"`
	// Breaks are the break times, "10:15-10:30".
	Breaks []string `json:"breaks"`
	// HoursPerWeek are the position's paid hours a week under its
	// contract; HoursInPeriod its paid hours inside the period.
	HoursPerWeek  float64 `json:"hours_per_week"`
	HoursInPeriod float64 `json:"hours_in_period"`
	// Line is the name of the shift line the position belongs to.
	Line string `json:"line"`
}

// Quality measures a plan under contracts against lower bounds no plan
// can beat.
type Quality struct {
	Tiers []TierQuality `json:"tiers"`
	// Totals over the tiers.
	RequiredHours float64 `json:"required_agent_hours"`
	LPCost        float64 `json:"lp_cost_per_week"`
	// Cost is the roster's cost a week, the budget's $/week of the same
	// rota.
	Cost      float64 `json:"cost_per_week"`
	Gap       float64 `json:"gap"`
	Positions int     `json:"positions"`
	FullTime  int     `json:"full_time_positions"`
}

// TierQuality is one tier's plan against its bounds.
type TierQuality struct {
	Tier string `json:"tier"`
	// RequiredHours are the agent-hours on the floor the requirement asks
	// for over the period.
	RequiredHours float64 `json:"required_agent_hours"`
	// PaidHours are the roster's paid hours a week: its paid hours in the
	// period × 5 ÷ the period's work days, as the budget counts them.
	PaidHours float64 `json:"paid_hours_per_week"`
	// LPCost is the cost a week (the budget's week: paid hours in the
	// period × 5 ÷ its work days) of the LP relaxation of the covering
	// program under the contracts (fractional positions): a lower bound
	// on any roster's cost. Cost is the integer roster's; Gap = Cost ÷
	// LPCost − 1.
	LPCost float64 `json:"lp_cost_per_week"`
	Cost   float64 `json:"cost_per_week"`
	Gap    float64 `json:"gap"`
	// WholeAgentBound, measured by the benchmarks only, is the LP's cost
	// with whole-agent cuts (a need of 1 at 87% attendance takes two agents
	// on shift): a stronger lower bound than LPCost.
	WholeAgentBound float64 `json:"-"`
	// LPSolved is false when the simplex failed numerically: the roster
	// was then built greedily and LPCost and Gap are 0.
	LPSolved  bool `json:"lp_solved"`
	Positions int  `json:"positions"`
	// FullTime counts positions of 35 paid hours a week or more.
	FullTime int `json:"full_time_positions"`
	// Closed counts intervals with a requirement outside the tier's
	// opening hours: the work waits for the tier to open.
	Closed int `json:"closed_intervals"`
}

func (q *Quality) add(t TierQuality) {
	q.Tiers = append(q.Tiers, t)
	q.RequiredHours += t.RequiredHours
	q.LPCost += t.LPCost
	q.Cost += t.Cost
	q.Positions += t.Positions
	q.FullTime += t.FullTime
	q.Gap = 0
	if q.LPCost > 0 {
		q.Gap = q.Cost/q.LPCost - 1
	}
}

// roster numbers the positions of the lines: per tier, by start, length
// and working days; within a line, breaks spread over their windows as
// the simulation spreads them (evenly over the stagger), so the floor
// never empties at once.
func roster(sc *model.Scenario, lines []ShiftLine) []Position {
	ls := append([]ShiftLine(nil), lines...)
	sort.SliceStable(ls, func(a, b int) bool {
		x, y := ls[a], ls[b]
		if x.Tier != y.Tier {
			return x.Tier < y.Tier
		}
		if x.Start != y.Start {
			return x.Start < y.Start
		}
		if x.Length != y.Length {
			return x.Length > y.Length
		}
		return x.DaysText() < y.DaysText()
	})
	fit := newWeekFit(sc)
	var out []Position
	for _, l := range ls {
		for k := 0; k < l.Headcount; k++ {
			p := Position{Number: len(out) + 1, Tier: sc.Tiers[l.Tier].Name, Contract: l.Contract, Days: fit.daysOf(&l.Pattern).label(),
				Start: model.FormatClock(l.Start), End: model.FormatClock((l.Start + l.Length) % model.Day),
				Length: model.ShortDuration(l.Length), HoursPerWeek: weeklyHours(&l.Pattern), HoursInPeriod: periodHours(sc, &l.Pattern), Line: l.Name}
			for _, b := range l.Breaks {
				at := b.After.Duration
				if l.Stagger > 0 {
					at += (time.Duration(float64(l.Stagger) * (float64(k) + 0.5) / float64(l.Headcount))).Round(5 * time.Minute)
				}
				from := (l.Start + at) % model.Day
				p.Breaks = append(p.Breaks, model.FormatClock(from)+"-"+model.FormatClock((from+b.Length.Duration)%model.Day))
			}
			out = append(out, p)
		}
	}
	return out
}

// compactDays writes a set of weekdays as a rota does: one run on the
// weekly cycle as "first-last" ("mon-fri", "thu-mon"), otherwise a list.
func compactDays(w model.Weekdays) string {
	names := [...]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	n := 0
	for _, on := range w {
		if on {
			n++
		}
	}
	switch n {
	case 0:
		return ""
	case 7:
		return "daily"
	}
	for s := 0; s < 7; s++ {
		if !w[s] || w[(s+6)%7] {
			continue
		}
		run := 0
		for run < 7 && w[(s+run)%7] {
			run++
		}
		if run == n {
			if n == 1 {
				return names[s]
			}
			return names[s] + "-" + names[(s+n-1)%7]
		}
	}
	p := Pattern{Days: w}
	return p.DaysText()
}
