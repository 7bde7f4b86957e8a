package staffing

import (
	"fmt"
	"math"
	"slices"

	"github.com/slasim/slasim/model"
	"gonum.org/v1/gonum/stat/distuv"
)

// CurvePoint is the plan for one service-level target: what it costs, in
// FTE and headcount per tier, and the service level its rota reached
// re-simulated with fresh random streams.
type CurvePoint struct {
	Target float64 `json:"target"`
	Met    bool    `json:"met"`
	// RequiredHours is the requirement's agent-hours on the floor in the
	// period (all tiers): what the target asks before rostering.
	RequiredHours float64      `json:"required_agent_hours"`
	FTE           float64      `json:"fte"`
	Weekly        float64      `json:"cost_per_week"`
	Annual        float64      `json:"cost_per_year"`
	Tiers         []TierBudget `json:"tiers"`
	// Got is the re-simulated service level per channel whose target the
	// curve moves.
	Got  []Target `json:"got"`
	Runs int      `json:"runs"`
}

// Curve is the cost of service: a plan per target.
type Curve struct {
	Scenario string   `json:"scenario"`
	Channels []string `json:"channels"`
	Meet     Meet     `json:"meet"`
	// Quantile is the volume quantile planned for (0: the expected volume).
	Quantile float64      `json:"quantile,omitempty"`
	Points   []CurvePoint `json:"points"`
}

// CostCurve plans the scenario once per target, with the service-level
// target of the named channels (every channel when none is named) set to
// it, and costs each plan. progress, if set, is told after each plan.
func CostCurve(sc *model.Scenario, opt Options, targets []float64, channels []string, progress func(done, total int)) (*Curve, error) {
	if len(channels) == 0 {
		for _, ch := range sc.Channels {
			channels = append(channels, ch.Name)
		}
	}
	for _, name := range channels {
		if sc.ChannelIndex(name) < 0 {
			return nil, fmt.Errorf("curve: no channel %q in the scenario", name)
		}
	}
	opt.Sensitivity = false
	o := opt.withDefaults(sc)
	cv := &Curve{Scenario: sc.Meta.Name, Channels: channels, Meet: o.Meet, Quantile: opt.Quantile}
	for k, target := range targets {
		c := *sc
		c.Channels = append([]model.Channel(nil), sc.Channels...)
		for _, name := range channels {
			c.Channels[c.ChannelIndex(name)].SLA.Target = target
		}
		p, err := Build(&c, opt)
		if err != nil {
			return nil, fmt.Errorf("curve: target %.2f: %w", target, err)
		}
		pt := CurvePoint{Target: target, Met: p.Met, FTE: p.Budget.FTE, Weekly: p.Budget.Weekly, Annual: p.Budget.Annual, Tiers: p.Budget.Tiers, Runs: p.Runs}
		for _, r := range p.Requirements.Simulated {
			for _, x := range r {
				pt.RequiredHours += float64(x) * p.Requirements.Interval.Hours()
			}
		}
		for _, tg := range p.Targets {
			if tg.Kind == "service_level" && tg.Priority == "" && slices.Contains(channels, tg.Channel) {
				pt.Got = append(pt.Got, tg)
			}
		}
		cv.Points = append(cv.Points, pt)
		if progress != nil {
			progress(k+1, len(targets))
		}
	}
	return cv, nil
}

// VolumeQuantile is the q-quantile of a day-level forecast factor with
// mean 1 and coefficient of variation cv (lognormal, as the engine draws
// it): the volume multiplier a P90 plan (q = 0.9) is planned for.
func VolumeQuantile(cv, q float64) float64 {
	if cv <= 0 {
		return 1
	}
	s2 := math.Log1p(cv * cv)
	return math.Exp(-s2/2 + math.Sqrt(s2)*distuv.UnitNormal.Quantile(q))
}

// atQuantile returns the scenario with each channel's volume at the
// q-quantile of its forecast uncertainty, the uncertainty then removed
// (the plan is for that volume), and the factors applied.
func atQuantile(sc *model.Scenario, q float64) (*model.Scenario, []float64) {
	c := *sc
	c.Channels = append([]model.Channel(nil), sc.Channels...)
	f := make([]float64, len(c.Channels))
	for i := range c.Channels {
		f[i] = VolumeQuantile(c.Channels[i].ForecastCV, q)
		c.Channels[i].Rate.PerSecond *= f[i]
		c.Channels[i].ForecastCV = 0
	}
	return &c, f
}

// QuantilePlan says what planning for a quantile of the volume costs: the
// factors applied per channel and the plan for the median volume beside.
type QuantilePlan struct {
	Quantile float64   `json:"quantile"`
	Channels []string  `json:"channels"`
	Factors  []float64 `json:"volume_factors"`
	// MedianFTE and MedianWeekly are the plan for the median volume (P50);
	// Premium is what the quantile adds a week.
	MedianFTE    float64 `json:"median_fte"`
	MedianWeekly float64 `json:"median_cost_per_week"`
	Premium      float64 `json:"premium_per_week"`
}

// buildQuantile plans for the opt.Quantile quantile of the volume and,
// beside it, for the median, to say what the quantile costs.
func buildQuantile(sc *model.Scenario, opt Options) (*Plan, error) {
	q := opt.Quantile
	opt.Quantile = 0
	scQ, f := atQuantile(sc, q)
	p, err := Build(scQ, opt)
	if err != nil {
		return nil, err
	}
	p.Scenario = sc.Meta.Name
	qp := &QuantilePlan{Quantile: q, Factors: f}
	for _, ch := range sc.Channels {
		qp.Channels = append(qp.Channels, ch.Name)
	}
	med := opt
	med.Sensitivity, med.Progress = false, nil
	scM, _ := atQuantile(sc, 0.5)
	pm, err := Build(scM, med)
	if err != nil {
		return nil, fmt.Errorf("median plan: %w", err)
	}
	qp.MedianFTE, qp.MedianWeekly = pm.Budget.FTE, pm.Budget.Weekly
	qp.Premium = p.Budget.Weekly - pm.Budget.Weekly
	p.Runs += pm.Runs
	p.Quantile = qp
	return p, nil
}
