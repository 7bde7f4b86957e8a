package staffing

// Uncertainty is the requirement's own uncertainty, per tier and period
// interval: how far the expected service level at the requirement is from
// its target (the worst target the tier answers for in the interval), with
// its 95% confidence half-width, and whether the decision was conclusive:
// the confidence interval at the requirement above the target and, one
// agent fewer, below it. An inconclusive decision rests on the pooled mean
// after Options.MaxBatches batches of replications.
type Uncertainty struct {
	Slack        [][]float64 `json:"sl_margin"`
	SlackCI      [][]float64 `json:"sl_margin_ci95"`
	Conclusive   [][]bool    `json:"conclusive"`
	Inconclusive []int       `json:"inconclusive_intervals"`
}

// uncertainty fills r.Uncertainty from the search's final verdicts.
func (r *Requirements) uncertainty(s *search) {
	u := &r.Uncertainty
	for t := range s.sc.Tiers {
		var sl, ci []float64
		var sure []bool
		bad := 0
		for i := s.w; i < s.d.n; i++ {
			k := s.cl.of[i]
			v := s.v[t][k]
			n := s.good[t][k]
			c := s.fixed[t] || (v.decided && (n == 0 || (s.lo[t][k] == n-1 && s.loSure[t][k])))
			if !v.measured {
				v.slack, v.ci = 0, 0
			}
			sl, ci, sure = append(sl, v.slack), append(ci, v.ci), append(sure, c)
			if !c {
				bad++
			}
		}
		u.Slack, u.SlackCI, u.Conclusive = append(u.Slack, sl), append(u.SlackCI, ci), append(u.Conclusive, sure)
		u.Inconclusive = append(u.Inconclusive, bad)
	}
}
