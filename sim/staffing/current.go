package staffing

import (
	"math"
	"time"

	"github.com/slasim/slasim/model"
)

// Current sets the rota a scenario has today beside the plan: what each
// costs, and where today's rota leaves the floor short of the requirement
// or idle above it.
type Current struct {
	Tiers []CurrentTier `json:"tiers"`
	// Days lists, per tier and date, the short and idle agent-hours.
	Days []CurrentDay `json:"days"`
}

// CurrentTier compares one tier's rota today with the plan's.
type CurrentTier struct {
	Tier string `json:"tier"`
	Band string `json:"band,omitempty"`
	// Positions sum the headcounts of today's rota lines (a dated line's
	// agents count once per date); PlannedPositions are the roster's.
	Positions        int     `json:"positions"`
	PlannedPositions int     `json:"planned_positions"`
	FTE              float64 `json:"fte"`
	PlannedFTE       float64 `json:"planned_fte"`
	Weekly           float64 `json:"cost_per_week"`
	PlannedWeekly    float64 `json:"planned_cost_per_week"`
	// ShortIntervals have fewer agents on the floor than the requirement,
	// IdleIntervals at least one more; the hours are agent-hours below and
	// above it over the period.
	ShortIntervals int     `json:"short_intervals"`
	IdleIntervals  int     `json:"idle_intervals"`
	ShortHours     float64 `json:"short_agent_hours"`
	IdleHours      float64 `json:"idle_agent_hours"`
}

// CurrentDay is one tier's day under today's rota.
type CurrentDay struct {
	Tier           string    `json:"tier"`
	Date           time.Time `json:"date"`
	ShortIntervals int       `json:"short_intervals"`
	ShortHours     float64   `json:"short_agent_hours"`
	IdleHours      float64   `json:"idle_agent_hours"`
	// Worst is the start of the interval most short, and Gap how many
	// agents it lacks there (0 when the day is never short).
	Worst time.Time `json:"worst,omitempty"`
	Gap   float64   `json:"worst_gap"`
}

// compareRota measures the scenario's own rota against the requirement
// the plan covered and costs it as the plan is costed.
func compareRota(sc *model.Scenario, p *Plan, opt Options) (*Current, error) {
	w := p.Requirements.WarmupIntervals
	h := newHorizon(sc, w)
	attend := 1 - sc.Shrinkage.Total()
	today := &Schedule{}
	out := &Current{}
	for t := range sc.Tiers {
		ls, err := templateLines(sc, t)
		if err != nil {
			return nil, err
		}
		today.Lines = append(today.Lines, ls...)
		have := make([]float64, h.n)
		ct := CurrentTier{Tier: sc.Tiers[t].Name, Band: sc.Tiers[t].Band}
		for _, l := range ls {
			ct.Positions += l.Headcount
			cov := h.coverage(&l.Pattern, attend*sc.Tiers[t].TicketShare)
			for i := range have {
				have[i] += cov[i] * float64(l.Headcount)
			}
		}
		if q := p.Schedule.Quality; q != nil && t < len(q.Tiers) {
			ct.PlannedPositions = q.Tiers[t].Positions
		}
		var day *CurrentDay
		for i := w; i < h.n; i++ {
			at := h.at(i)
			y, m, dd := at.Date()
			date := time.Date(y, m, dd, 0, 0, 0, 0, sc.Location)
			if day == nil || !day.Date.Equal(date) {
				out.Days = append(out.Days, CurrentDay{Tier: ct.Tier, Date: date})
				day = &out.Days[len(out.Days)-1]
			}
			need := float64(p.Need[t][i])
			gap := need - have[i]
			hours := math.Abs(gap) * h.interval / 3600
			switch {
			case gap > 0.05:
				ct.ShortIntervals++
				ct.ShortHours += hours
				day.ShortIntervals++
				day.ShortHours += hours
				if gap > day.Gap {
					day.Gap, day.Worst = gap, at
				}
			case gap <= -1:
				ct.IdleIntervals++
				ct.IdleHours += hours
				day.IdleHours += hours
			}
		}
		out.Tiers = append(out.Tiers, ct)
	}
	b := budget(sc, today, opt.ContractHours)
	for t := range out.Tiers {
		out.Tiers[t].FTE, out.Tiers[t].Weekly = b.Tiers[t].FTE, b.Tiers[t].Weekly
		if p.Budget != nil && t < len(p.Budget.Tiers) {
			out.Tiers[t].PlannedFTE, out.Tiers[t].PlannedWeekly = p.Budget.Tiers[t].FTE, p.Budget.Tiers[t].Weekly
		}
	}
	return out, nil
}
