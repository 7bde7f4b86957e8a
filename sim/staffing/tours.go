package staffing

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/slasim/slasim/model"
)

// tours lists, for one tier, every way a position can work under the
// tier's contracts: its working days (a week's days the contract's
// days-off rule allows, fitted to the period's dates when the period is
// not whole weeks, or a dated contract's dates), a shift length and a
// start, the same every working day, with the contract's break windows.
// It returns the patterns, the index of each pattern's contract and the
// contracts.
func tours(sc *model.Scenario, t int) ([]Pattern, []int, []model.Contract) {
	tier := sc.Tiers[t].Name
	cs := sc.ContractsFor(tier)
	open := sc.OpeningFor(tier)
	fit := newWeekFit(sc)
	var ps []Pattern
	var of []int
	for k := range cs {
		c := &cs[k]
		var days []workingDays
		if c.Dated() {
			for _, ds := range c.WorkDates(open) {
				days = append(days, workingDays{dates: ds})
			}
		} else {
			for _, w := range c.WorkWeeks(open) {
				days = append(days, fit.choices(w)...)
			}
		}
		for _, l := range c.LengthsFor() {
			brs, stagger := breaksOf(c.BreaksFor(l))
			for _, s := range c.Starts(l, open) {
				for _, d := range days {
					p := Pattern{Tier: t, Contract: c.Name, Days: d.week, Dates: d.dates, Start: s, Length: l, Breaks: brs, Stagger: stagger}
					p.Name = fmt.Sprintf("%s-%s-%s-%s-%s", tier, c.Name, model.FormatClock(s), model.FormatDuration(l), d.label())
					ps = append(ps, p)
					of = append(of, k)
				}
			}
		}
	}
	return ps, of, cs
}

// breaksOf turns break windows into the engine's breaks: each starts at
// its window's opening, spread over the narrowest window's width.
func breaksOf(ws []model.BreakWindow) ([]model.Break, time.Duration) {
	var out []model.Break
	stagger := time.Duration(-1)
	for _, w := range ws {
		out = append(out, model.Break{After: w.From, Length: w.Length})
		if width := w.To.Duration - w.From.Duration; stagger < 0 || width < stagger {
			stagger = width
		}
	}
	if stagger < 0 {
		stagger = 0
	}
	return out, stagger
}

// rosterSchedule plans positions under the scenario's contracts: per tier,
// one covering program over the whole period whose columns are the weeks
// a position can work (tours), solved through its LP relaxation, rounded
// and improved by local search. Only the period's intervals are covered:
// the warm-up is staffed by what the roster puts on the day before, and no
// shift is bought for it. Intervals outside a tier's opening hours are
// left to wait.
func rosterSchedule(sc *model.Scenario, need [][]int, w int) (*Schedule, error) {
	h := newHorizon(sc, w)
	// Tiers are independent programs: planned two at a time, gathered in
	// tier order, so the plan does not depend on which finishes first.
	plans := make([]tierPlan, len(sc.Tiers))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for t := range sc.Tiers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			plans[t] = planTier(sc, h, need[t], t)
		}()
	}
	wg.Wait()
	out := &Schedule{Quality: &Quality{}}
	for _, tp := range plans {
		if tp.err != nil {
			return nil, tp.err
		}
		out.Lines = append(out.Lines, tp.lines...)
		out.Quality.add(tp.q)
		out.Scheduled = append(out.Scheduled, tp.got[w:])
	}
	out.Roster = roster(sc, out.Lines)
	return out, nil
}

// tierPlan is one tier's roster lines, cover and quality.
type tierPlan struct {
	lines []ShiftLine
	got   []float64
	q     TierQuality
	err   error
}

// planTier solves one tier's covering program over its tours.
func planTier(sc *model.Scenario, h horizon, need []int, t int) tierPlan {
	tier := &sc.Tiers[t]
	hourly := tierHourly(sc, t)
	attend := 1 - sc.Shrinkage.Total()
	pats, of, cs := tours(sc, t)
	pats, of = paidTours(sc, pats, of)
	// A tour costs its paid hours in the period, turned into a week's as
	// the budget turns them (weekFactor): the roster's cost, its LP bound
	// and the budget are one figure.
	wf := weekFactor(sc)
	p := coverProblem{need: make([]float64, h.n)}
	for j := range pats {
		p.a = append(p.a, h.coverage(&pats[j], attend*tier.TicketShare))
		p.cost = append(p.cost, periodHours(sc, &pats[j])*wf*hourly)
	}
	out := tierPlan{q: TierQuality{Tier: tier.Name}, got: make([]float64, h.n)}
	q := &out.q
	for i := h.w; i < h.n; i++ {
		if need[i] <= 0 {
			continue
		}
		q.RequiredHours += float64(need[i]) * h.interval / 3600
		if !reached(p.a, i) {
			if sc.OpeningFor(tier.Name) != nil {
				q.Closed++
				continue
			}
			out.err = fmt.Errorf("tier %q: %w: %s needs %d agents and no shift its contracts allow reaches it",
				tier.Name, ErrInfeasible, h.at(i).Format("Mon 2 Jan 15:04"), need[i])
			return out
		}
		p.need[i] = float64(need[i])
	}
	p.side = shareRows(cs, of)
	if measureWholeAgentBound {
		q.WholeAgentBound = wholeAgentBound(p)
	}
	x, bound, err := solveCover(p)
	if err != nil {
		out.err = fmt.Errorf("tier %q: %w", tier.Name, err)
		return out
	}
	for j, n := range x {
		if n == 0 {
			continue
		}
		out.lines = append(out.lines, ShiftLine{Pattern: pats[j], Headcount: n})
		for i := range out.got {
			out.got[i] += p.a[j][i] * float64(n)
		}
		q.Positions += n
		q.PaidHours += p.cost[j] / hourly * float64(n)
		q.Cost += p.cost[j] * float64(n)
		if isFullTime(&pats[j]) {
			q.FullTime += n
		}
	}
	if q.LPSolved = !math.IsNaN(bound); q.LPSolved && bound > 0 {
		q.LPCost = bound
		q.Gap = q.Cost/bound - 1
	}
	return out
}

// measureWholeAgentBound, set by the benchmarks only, makes every tier's
// plan also solve its LP with whole-agent cuts (TierQuality.
// WholeAgentBound): a stronger bound that says how much of the gap to the
// LP is the integrality of small teams, at several times the LP's time.
var measureWholeAgentBound = false

// wholeAgentBound is the cost of the LP relaxation with whole-agent cuts
// (wholeAgentCuts, on rows where they raise the head count by 5% or more):
// a lower bound on any roster, NaN when the simplex fails.
func wholeAgentBound(p coverProblem) float64 {
	cuts, k := wholeAgentCuts(p, 0.05)
	p.side = append(append([][]float64(nil), p.side...), cuts...)
	p.sideNeed = append(make([]float64, len(p.side)-len(cuts)), k...)
	r, err := reduce(p)
	if err != nil {
		return math.NaN()
	}
	_, bound, err := r.relax()
	if err != nil {
		return math.NaN()
	}
	return bound
}

// paidTours keeps the tours with paid hours inside the period (a tour
// whose days all fall outside a short period covers nothing and costs
// nothing), with their contract indexes.
func paidTours(sc *model.Scenario, pats []Pattern, of []int) ([]Pattern, []int) {
	var ps []Pattern
	var os []int
	for j := range pats {
		if periodHours(sc, &pats[j]) > 0 {
			ps = append(ps, pats[j])
			os = append(os, of[j])
		}
	}
	return ps, os
}

// shareRows are the caps of contracts on their share of positions:
// Σ_{j on k} x_j ≤ share·Σ_j x_j, written share·Σ x − Σ_{j on k} x ≥ 0.
func shareRows(cs []model.Contract, of []int) [][]float64 {
	var rows [][]float64
	for k := range cs {
		if cs[k].MaxShare >= 1 {
			continue
		}
		row := make([]float64, len(of))
		for j := range row {
			row[j] = cs[k].MaxShare
			if of[j] == k {
				row[j]--
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// reached reports whether some pattern puts an agent on the floor in
// interval i.
func reached(a [][]float64, i int) bool {
	for _, col := range a {
		if col[i] > 1e-9 {
			return true
		}
	}
	return false
}

// weeklyHours are the paid hours a week of one position on the pattern
// under its contract: its weekly cycle's, or, on a dated contract, its
// hours over its dates.
func weeklyHours(p *Pattern) float64 {
	if p.Days == (model.Weekdays{}) {
		return p.Length.Hours() * float64(len(p.Dates))
	}
	n := 0
	for _, on := range p.Days {
		if on {
			n++
		}
	}
	return p.Length.Hours() * float64(n)
}

// isFullTime: a position of 35 paid hours a week or more.
func isFullTime(p *Pattern) bool { return weeklyHours(p) >= 35-1e-9 }

// tierHourly is the cost of one paid hour of the tier (1 without a band).
func tierHourly(sc *model.Scenario, t int) float64 {
	if b := sc.BandIndex(sc.Tiers[t].Band); b >= 0 {
		return sc.Bands[b].HourlyCost(sc.Tiers[t].Annual)
	}
	return 1
}
