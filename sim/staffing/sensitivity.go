package staffing

import (
	"fmt"
	"math"
	"time"

	"github.com/slasim/slasim/model"
)

// Sensitivity is the budget under one change of an input.
type Sensitivity struct {
	Input  string `json:"input"`
	Change string `json:"change"`
	// NA marks a change the scenario has no input for (deflection ±10
	// points without deflection, a shrinkage component of 0 lowered);
	// Note says why.
	NA   bool   `json:"n_a,omitempty"`
	Note string `json:"note,omitempty"`
	// Resimulated is true when the requirement was searched again by
	// simulation; shrinkage changes only how many must be rostered for
	// the same agents on the floor, so its requirement stands.
	Resimulated bool    `json:"resimulated"`
	FTE         float64 `json:"fte"`
	Weekly      float64 `json:"cost_per_week"`
	Annual      float64 `json:"cost_per_year"`
	// Delta is the change of the weekly cost against a baseline planned
	// the same way from the unchanged scenario (see sensitivity).
	Delta float64 `json:"delta_per_week"`
	// LPDelta is the same change of the LP bound (the cost of fractional
	// positions under the contracts): free of the roster's rounding, so it
	// moves with the input where the whole-position roster may not.
	LPDelta float64 `json:"lp_delta_per_week"`
}

// variant is one what-if: an edit of a copy of the scenario, or why it
// does not apply.
type variant struct {
	input, change string
	edit          func(c *model.Scenario)
	na            string
	resimulate    bool
}

func variants(sc *model.Scenario) []variant {
	scaleRate := func(f float64) func(c *model.Scenario) {
		return func(c *model.Scenario) {
			c.Channels = append([]model.Channel(nil), c.Channels...)
			for i := range c.Channels {
				c.Channels[i].Rate.PerSecond *= f
			}
		}
	}
	scaleAHT := func(f float64) func(c *model.Scenario) {
		return func(c *model.Scenario) {
			c.Tiers = append([]model.Tier(nil), c.Tiers...)
			for i := range c.Tiers {
				c.Tiers[i].HandleFactor *= f
			}
		}
	}
	shiftDeflect := func(dp float64) func(c *model.Scenario) {
		return func(c *model.Scenario) {
			c.Categories = append([]model.Category(nil), c.Categories...)
			for i := range c.Categories {
				if df := c.Categories[i].Deflect; df != nil {
					x := *df
					x.Rate = math.Min(1, math.Max(0, x.Rate+dp))
					c.Categories[i].Deflect = &x
				}
			}
		}
	}
	vs := []variant{
		{input: "volume", change: "-10%", edit: scaleRate(0.9), resimulate: true},
		{input: "volume", change: "+10%", edit: scaleRate(1.1), resimulate: true},
		{input: "handle time", change: "-10%", edit: scaleAHT(0.9), resimulate: true},
		{input: "handle time", change: "+10%", edit: scaleAHT(1.1), resimulate: true},
		{input: "deflection", change: "-10 pts", edit: shiftDeflect(-0.10), resimulate: true},
		{input: "deflection", change: "+10 pts", edit: shiftDeflect(0.10), resimulate: true},
	}
	deflects := false
	for _, c := range sc.Categories {
		deflects = deflects || (c.Deflect != nil && c.Deflect.Rate > 0)
	}
	if !deflects {
		vs[4].na, vs[5].na = "the scenario has no deflection", "the scenario has no deflection"
	}
	for _, comp := range []struct {
		name string
		f    func(s *model.Shrinkage) *float64
	}{
		{"pto", func(s *model.Shrinkage) *float64 { return &s.PTO }},
		{"sick", func(s *model.Shrinkage) *float64 { return &s.Sick }},
		{"training", func(s *model.Shrinkage) *float64 { return &s.Training }},
		{"other", func(s *model.Shrinkage) *float64 { return &s.Other }},
	} {
		for _, dp := range []float64{-0.01, 0.01} {
			v := variant{input: "shrinkage " + comp.name, change: fmt.Sprintf("%+.0f pt", 100*dp),
				edit: func(c *model.Scenario) { *comp.f(&c.Shrinkage) += dp }}
			if *comp.f(&sc.Shrinkage)+dp < -1e-12 {
				v.na = fmt.Sprintf("%s shrinkage is %.0f%%", comp.name, 100**comp.f(&sc.Shrinkage))
			}
			vs = append(vs, v)
		}
	}
	return vs
}

// sensitivity re-plans for ±10% volume, ±10% handle time, ±10 points
// deflection (requirement searched again by simulation, from the same
// seed, at most two batches a decision, starting from the plan's
// requirement moved by the change in Erlang's figure) and ±1 point of each shrinkage
// component (same requirement, re-rostered), and costs each plan.
//
// Each change is set against a baseline planned the same way from the
// unchanged scenario: the re-simulated variants against the requirement
// searched again with the same (shorter) search, the shrinkage variants
// against the plan's requirement re-rostered without repair rounds. So a
// delta is the input's effect alone, not the difference between a short
// and a full search.
func sensitivity(sc *model.Scenario, p *Plan, opt Options, m *meter) ([]Sensitivity, error) {
	vo := sensitivityOptions(opt)
	vo.base = p.Requirements
	type costed struct {
		b  *Budget
		lp float64
	}
	plan := func(c *model.Scenario, resimulate bool) (costed, error) {
		need := p.Need
		if resimulate {
			o := vo
			o.Progress = m.within(searchCap(o))
			req, err := FindRequirements(c, o)
			if err != nil {
				return costed{}, err
			}
			m.ended(req.Runs, searchCap(o))
			need = make([][]int, len(req.Tiers))
			for t := range need {
				need[t] = append(append([]int(nil), req.Warmup[t]...), req.Simulated[t]...)
			}
		}
		t0 := time.Now()
		sched, err := schedule(c, need, p.Requirements.WarmupIntervals, opt)
		p.SolveTime += time.Since(t0)
		if err != nil {
			return costed{}, err
		}
		out := costed{b: budget(c, sched, opt.ContractHours)}
		if sched.Quality != nil {
			out.lp = sched.Quality.LPCost
		}
		return out, nil
	}
	baselines := map[bool]*costed{}
	var out []Sensitivity
	for _, v := range variants(sc) {
		s := Sensitivity{Input: v.input, Change: v.change, Resimulated: v.resimulate}
		if v.na != "" {
			s.NA, s.Note = true, v.na
			if v.resimulate {
				m.drop(searchCap(vo))
			}
			out = append(out, s)
			continue
		}
		if baselines[v.resimulate] == nil {
			b0, err := plan(sc, v.resimulate)
			if err != nil {
				return nil, fmt.Errorf("sensitivity baseline: %w", err)
			}
			baselines[v.resimulate] = &b0
		}
		c := *sc
		v.edit(&c)
		b, err := plan(&c, v.resimulate)
		if err != nil {
			return nil, fmt.Errorf("sensitivity %s %s: %w", v.input, v.change, err)
		}
		s.FTE, s.Weekly, s.Annual = b.b.FTE, b.b.Weekly, b.b.Annual
		s.Delta = b.b.Weekly - baselines[v.resimulate].b.Weekly
		s.LPDelta = b.lp - baselines[v.resimulate].lp
		out = append(out, s)
	}
	return out, nil
}

// sensitivityOptions are the options of the sensitivity's searches: two
// batches a decision at most, sensitivityRuns simulations.
func sensitivityOptions(opt Options) Options {
	opt.MaxBatches = min(opt.MaxBatches, 2)
	opt.MaxRuns = min(opt.MaxRuns, sensitivityRuns)
	return opt
}

// sensitivityRuns caps each re-simulated variant's search (and its
// baseline's): both start from the plan's requirement, so most classes
// close within a few steps, and a class still open at the cap takes the
// safer side of its bracket.
const sensitivityRuns = 20
