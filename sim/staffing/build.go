package staffing

import (
	"fmt"
	"math"
	"sync"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
)

// Plan answers "how many people, on which shifts, and what does it cost?":
// the requirement per tier and interval, the shifts that cover it, how the
// rota fares re-simulated with fresh random streams, and the budget.
type Plan struct {
	Scenario     string        `json:"scenario"`
	Replications int           `json:"replications"`
	Seed         uint64        `json:"seed"`
	VerifySeed   uint64        `json:"verify_seed"`
	Requirements *Requirements `json:"requirements"`
	Schedule     *Schedule     `json:"schedule"`
	// Need is the requirement the schedule covers, per tier and interval
	// (warm-up first): the simulated one, raised where a simulation of an
	// earlier rota missed a target.
	Need [][]int `json:"-"`
	// Repairs counts the re-plans after a rota simulation (search seed)
	// missed a target.
	Repairs int `json:"repairs"`
	// Targets: the rota re-simulated with VerifySeed.
	Targets     []Target      `json:"targets"`
	Met         bool          `json:"met"`
	Budget      *Budget       `json:"budget"`
	Sensitivity []Sensitivity `json:"sensitivity,omitempty"`
	// Verify is the re-simulation of the rota.
	Verify *sim.Result `json:"-"`
	// Runs counts every simulation made.
	Runs int `json:"runs"`
	// Current is the scenario's own rota beside the plan (planned under
	// contracts, when the scenario has a rota).
	Current *Current `json:"current,omitempty"`
}

// Build plans the scenario: requirements by simulation, a least-cost
// rota covering them, re-simulated as a real rota (breaks, absences) with
// the search's seed and re-planned where it misses a target, then
// re-simulated with fresh streams, and costed.
func Build(sc *model.Scenario, opt Options) (*Plan, error) {
	opt = opt.withDefaults(sc)
	req, err := FindRequirements(sc, opt)
	if err != nil {
		return nil, err
	}
	p := &Plan{Scenario: sc.Meta.Name, Replications: opt.Replications, Seed: opt.Seed, VerifySeed: opt.VerifySeed, Requirements: req, Runs: req.Runs}
	w := req.WarmupIntervals
	need := make([][]int, len(req.Tiers))
	for t := range need {
		need[t] = append(append([]int(nil), req.Warmup[t]...), req.Simulated[t]...)
	}
	run := func(stage string, rota *model.Scenario, seed uint64) (*sim.Result, error) {
		res, err := sim.Run(rota, sim.Options{Replications: opt.Replications, Seed: seed, SeedSet: true, Workers: opt.Workers})
		p.Runs++
		if opt.Progress != nil {
			opt.Progress(stage, p.Runs)
		}
		return res, err
	}
	d, err := newDemand(sc)
	if err != nil {
		return nil, err
	}
	ck := newChecker(sc, d)
	copy(ck.margin, req.Margin)
	var sched *Schedule
	var rota *model.Scenario
	for round := 0; ; round++ {
		sched, err = schedule(sc, need, w, opt)
		if err != nil {
			return nil, err
		}
		rota, err = sched.Rota(sc)
		if err != nil {
			return nil, err
		}
		if round >= opt.RepairRounds {
			break
		}
		res, err := run("rota", rota, opt.Seed)
		if err != nil {
			return nil, err
		}
		fail := ck.failures(res)
		if !anyFail(fail) && allMet(targets(sc, res)) {
			break
		}
		p.Repairs++
		for t := range fail {
			for i, f := range fail[t] {
				if f {
					need[t][w+i]++
				}
			}
		}
		if !anyFail(fail) {
			// Only a whole-period target: one more agent wherever the
			// channel's entry tier works.
			for _, tg := range targets(sc, res) {
				if tg.Met {
					continue
				}
				e := d.entry[sc.ChannelIndex(tg.Channel)]
				for i := range need[e] {
					if need[e][i] > 0 {
						need[e][i]++
					}
				}
			}
		}
	}
	p.Need, p.Schedule = need, sched
	res, err := run("verify", rota, opt.VerifySeed)
	if err != nil {
		return nil, err
	}
	p.Verify = res
	p.Targets = targets(sc, res)
	p.Met = allMet(p.Targets)
	p.Budget = budget(sc, sched, opt.ContractHours)
	p.Budget.PerResolved = perResolved(p.Budget, sc, res)
	if len(sc.Shifts) > 0 && !opt.Templates {
		if p.Current, err = compareRota(sc, p, opt); err != nil {
			return nil, err
		}
	}
	if opt.Sensitivity {
		s, err := sensitivity(sc, p, opt)
		if err != nil {
			return nil, err
		}
		p.Sensitivity = s
	}
	return p, nil
}

// Sensitivity is the budget under one change of an input.
type Sensitivity struct {
	Input  string  `json:"input"`
	Change string  `json:"change"`
	FTE    float64 `json:"fte"`
	Weekly float64 `json:"cost_per_week"`
	Annual float64 `json:"cost_per_year"`
	// Delta is the change of the weekly cost against the plan.
	Delta float64 `json:"delta_per_week"`
}

// sensitivity re-plans the rota for ±10% volume, ±10% handle time, ±10
// points deflection and ±1 point shrinkage, without simulating: the
// requirement moves by what Erlang says the change is worth in each
// interval (shrinkage only changes the cover), then shifts are re-planned
// and costed.
func sensitivity(sc *model.Scenario, p *Plan, opt Options) ([]Sensitivity, error) {
	ext, _ := withWarmupIntervals(sc)
	d0, err := newDemand(ext)
	if err != nil {
		return nil, err
	}
	base, err := erlangAgents(ext, d0, opt.MaxOccupancy)
	if err != nil {
		return nil, err
	}
	type variant struct {
		input, change string
		edit          func(c *model.Scenario)
	}
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
	shiftShrink := func(dp float64) func(c *model.Scenario) {
		return func(c *model.Scenario) { c.Shrinkage.Other = math.Max(0, c.Shrinkage.Other+dp) }
	}
	vs := []variant{
		{"volume", "-10%", scaleRate(0.9)}, {"volume", "+10%", scaleRate(1.1)},
		{"handle time", "-10%", scaleAHT(0.9)}, {"handle time", "+10%", scaleAHT(1.1)},
		{"deflection", "-10 pts", shiftDeflect(-0.10)}, {"deflection", "+10 pts", shiftDeflect(0.10)},
		{"shrinkage", "-1 pt", shiftShrink(-0.01)}, {"shrinkage", "+1 pt", shiftShrink(0.01)},
	}
	// Variants are independent: plan them two at a time.
	out := make([]Sensitivity, len(vs))
	errs := make([]error, len(vs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for k, v := range vs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			c := *sc
			v.edit(&c)
			ce, _ := withWarmupIntervals(&c)
			dv, err := newDemand(ce)
			if err != nil {
				errs[k] = err
				return
			}
			ev, err := erlangAgents(ce, dv, opt.MaxOccupancy)
			if err != nil {
				errs[k] = fmt.Errorf("sensitivity %s %s: %w", v.input, v.change, err)
				return
			}
			need := make([][]int, len(p.Need))
			for t := range need {
				need[t] = make([]int, len(p.Need[t]))
				for i := range need[t] {
					need[t][i] = max(0, p.Need[t][i]+ev[t][i]-base[t][i])
				}
			}
			s, err := schedule(&c, need, p.Requirements.WarmupIntervals, opt)
			if err != nil {
				errs[k] = fmt.Errorf("sensitivity %s %s: %w", v.input, v.change, err)
				return
			}
			b := budget(&c, s, opt.ContractHours)
			out[k] = Sensitivity{Input: v.input, Change: v.change, FTE: b.FTE, Weekly: b.Weekly, Annual: b.Annual, Delta: b.Weekly - p.Budget.Weekly}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
