package staffing

import (
	"math"
	"sort"
	"time"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
)

// TierBudget is what one tier's rota costs.
type TierBudget struct {
	Tier string `json:"tier"`
	Band string `json:"band,omitempty"`
	// PeriodHours are the paid shift hours inside the period (the warm-up
	// is never bought); PeriodCost what they cost.
	PeriodHours float64 `json:"rostered_hours_in_period"`
	PeriodCost  float64 `json:"cost_of_period"`
	// ScheduledHours per week: agent hours on the floor the rota expects
	// (after absences); RosteredHours per week are the paid shift hours,
	// both for the FTE the period needs (see Budget.Basis).
	ScheduledHours float64 `json:"scheduled_hours_per_week"`
	RosteredHours  float64 `json:"rostered_hours_per_week"`
	// FTE = paid hours in the period ÷ the hours one full-timer works in
	// it (Budget.FTEHours).
	FTE float64 `json:"fte"`
	// Headcount is the most agents of the tier on shift at once in the
	// period (absent ones included: it is the rota's).
	Headcount  int     `json:"peak_headcount"`
	HourlyCost float64 `json:"hourly_cost"`
	Weekly     float64 `json:"cost_per_week"`
	Annual     float64 `json:"cost_per_year"`
}

// BandBudget is the cost of one salary band.
type BandBudget struct {
	Band   string  `json:"band"`
	FTE    float64 `json:"fte"`
	Weekly float64 `json:"cost_per_week"`
	Annual float64 `json:"cost_per_year"`
}

// Budget is the headcount and money a schedule needs.
type Budget struct {
	Shrinkage     float64 `json:"shrinkage"`
	ContractHours float64 `json:"contract_hours_per_week"`
	// Days is the calendar days the period touches, WorkDays the days of
	// them one full-timer works (five of every seven, at most five of a
	// partial week), FTEHours the hours that is (ContractHours ÷ 5 a day).
	Days     int     `json:"period_days"`
	WorkDays int     `json:"work_days_per_fte"`
	FTEHours float64 `json:"fte_hours_in_period"`
	// Basis says, in words, what the weekly and yearly figures assume.
	Basis string       `json:"basis"`
	Tiers []TierBudget `json:"tiers"`
	Bands []BandBudget `json:"bands"`
	FTE   float64      `json:"fte"`
	// PeriodCost is what the rota's paid hours in the period cost.
	PeriodCost float64 `json:"cost_of_period"`
	Weekly     float64 `json:"cost_per_week"`
	Annual     float64 `json:"cost_per_year"`
	// PerResolved is staff cost over the period plus automation cost,
	// divided by the tickets resolved, as the plan's simulation found.
	PerResolved float64 `json:"cost_per_resolved_ticket"`
}

// budgetBasis is the label of the weekly and yearly figures.
const budgetBasis = "the FTE this period's rota needs, employed for a week (FTE × contract hours: the period's paid hours × 5 ÷ its work days, the week PLAN QUALITY's roster $/week also uses) and for 52 weeks; work still open at the end of the period is not in it"

// workDays is how many of days calendar days one full-timer works: five
// of every seven, at most five of what is left.
func workDays(days int) int {
	return 5*(days/7) + min(days%7, 5)
}

// periodDays is the number of calendar days a period of d touches
// (an 8-hour period is one day).
func periodDays(d time.Duration) int {
	return max(1, int(math.Ceil(d.Hours()/24-1e-9)))
}

// budget costs the schedule's shift lines: the paid hours of every
// instance inside the period (the warm-up is not bought), the FTE they
// take (hours ÷ what one full-timer works in the period), and those FTE
// employed for a week and a year.
func budget(sc *model.Scenario, s *Schedule, contract float64) *Budget {
	shrink := sc.Shrinkage.Total()
	b := &Budget{Shrinkage: shrink, ContractHours: contract, Basis: budgetBasis}
	b.Days = periodDays(sc.Meta.Duration.Duration)
	b.WorkDays = workDays(b.Days)
	b.FTEHours = contract / 5 * float64(b.WorkDays)
	bands := map[string]*BandBudget{}
	for t := range sc.Tiers {
		tier := &sc.Tiers[t]
		tb := TierBudget{Tier: tier.Name, Band: tier.Band}
		if bi := sc.BandIndex(tier.Band); bi >= 0 {
			tb.HourlyCost = sc.Bands[bi].HourlyCost(tier.Annual)
		}
		hours, peak := rotaHours(sc, s, t)
		tb.Headcount = peak
		tb.PeriodHours = hours
		tb.PeriodCost = hours * tb.HourlyCost
		tb.FTE = hours / b.FTEHours
		// FTE × contract hours = hours × weekFactor: the same week as the
		// plan quality's.
		tb.RosteredHours = hours * weekFactor(sc)
		tb.ScheduledHours = tb.RosteredHours * (1 - shrink)
		tb.Weekly = tb.RosteredHours * tb.HourlyCost
		tb.Annual = tb.Weekly * 52
		b.Tiers = append(b.Tiers, tb)
		b.FTE += tb.FTE
		b.Weekly += tb.Weekly
		b.PeriodCost += tb.PeriodCost
		bb := bands[tier.Band]
		if bb == nil {
			bb = &BandBudget{Band: tier.Band}
			bands[tier.Band] = bb
		}
		bb.FTE += tb.FTE
		bb.Weekly += tb.Weekly
		bb.Annual += tb.Annual
	}
	b.Annual = b.Weekly * 52
	for _, bb := range bands {
		b.Bands = append(b.Bands, *bb)
	}
	sort.Slice(b.Bands, func(i, j int) bool { return b.Bands[i].Band < b.Bands[j].Band })
	return b
}

// weekFactor turns paid hours in the period into paid hours a week: a
// week holds five work days, the period WorkDays (workDays of its calendar
// days). It is the one definition of "a week" every weekly figure uses:
// the budget's FTE and $/week, and the plan quality's roster and LP bound.
func weekFactor(sc *model.Scenario) float64 {
	return 5 / float64(workDays(periodDays(sc.Meta.Duration.Duration)))
}

// instances calls fn with the start and end, clipped to the period, of
// every instance of the pattern that is paid inside it (instances on the
// day before the period count for their hours after its start).
func instances(sc *model.Scenario, p *Pattern, fn func(a, z time.Time)) {
	start, end := sc.Meta.Start, sc.Meta.Start.Add(sc.Meta.Duration.Duration)
	loc := sc.Location
	y, m, d := start.In(loc).Date()
	day0 := time.Date(y, m, d, 0, 0, 0, 0, loc)
	for day := day0.AddDate(0, 0, -1); day.Before(end); day = day.AddDate(0, 0, 1) {
		if !p.On(day) {
			continue
		}
		a := time.Date(day.Year(), day.Month(), day.Day(), int(p.Start.Hours()), int(p.Start.Minutes())%60, 0, 0, loc)
		z := a.Add(p.Length)
		if a, z = later(a, start), earlier(z, end); z.After(a) {
			fn(a, z)
		}
	}
}

// periodHours are one agent's paid hours on the pattern inside the period.
func periodHours(sc *model.Scenario, p *Pattern) float64 {
	var h float64
	instances(sc, p, func(a, z time.Time) { h += z.Sub(a).Hours() })
	return h
}

// rotaHours is tier t's paid shift hours inside the period and the most
// of its agents on shift at once there.
func rotaHours(sc *model.Scenario, s *Schedule, t int) (hours float64, peak int) {
	type change struct {
		at time.Time
		n  int
	}
	var changes []change
	for _, l := range s.Lines {
		if l.Tier != t {
			continue
		}
		instances(sc, &l.Pattern, func(a, z time.Time) {
			hours += z.Sub(a).Hours() * float64(l.Headcount)
			changes = append(changes, change{a, l.Headcount}, change{z, -l.Headcount})
		})
	}
	// Ends before starts at the same instant: a shift handing over to the
	// next is not two agents at once.
	sort.Slice(changes, func(i, j int) bool {
		if !changes[i].at.Equal(changes[j].at) {
			return changes[i].at.Before(changes[j].at)
		}
		return changes[i].n < changes[j].n
	})
	on := 0
	for _, c := range changes {
		on += c.n
		peak = max(peak, on)
	}
	return hours, peak
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// perResolved is the plan's staff cost over the period plus automation,
// per resolved ticket, from a simulation of it.
func perResolved(b *Budget, res *sim.Result) float64 {
	if res.Cost.PerResolved.Mean <= 0 || math.IsNaN(res.Cost.PerResolved.Mean) {
		return math.NaN()
	}
	resolved := res.Cost.Total.Mean / res.Cost.PerResolved.Mean
	return (b.PeriodCost + res.Cost.Automation.Mean) / resolved
}

// OpenWork is the work of a channel still open when the period ends: it
// is in no service level of the period and its handling in no budget.
type OpenWork struct {
	Channel string   `json:"channel"`
	Open    sim.Stat `json:"open_at_end"`
	// Share is the open tickets over the contacts offered in the period.
	Share float64 `json:"share_of_offered"`
}

// openWork lists the channels with tickets still open at the end of the
// plan's check.
func openWork(res *sim.Result) []OpenWork {
	var out []OpenWork
	for _, ch := range res.Channels {
		if ch.BacklogEnd.Mean <= 0 {
			continue
		}
		w := OpenWork{Channel: ch.Name, Open: ch.BacklogEnd}
		if ch.Offered.Mean > 0 {
			w.Share = ch.BacklogEnd.Mean / ch.Offered.Mean
		}
		out = append(out, w)
	}
	return out
}
