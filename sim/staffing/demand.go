package staffing

import (
	"fmt"
	"math"
	"time"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
)

// demand is the work the scenario offers, per channel and interval, as the
// analytic formulas see it: arrival rates after deflection, handle times at
// the tier that takes the contact, and the escalated work each tier receives.
type demand struct {
	n        int
	interval float64
	// rate[c][i] is contacts per second reaching an agent queue (arrivals ×
	// (1 − deflected + deflected × fallback)).
	rate [][]float64
	// aht[c] is the mean handle time, seconds, at the channel's entry tier
	// (replies on deferred channels included).
	aht []float64
	// escalated[t][i] is the escalated work reaching tier t, in erlangs.
	escalated [][]float64
	entry     []int
}

func intervalCount(sc *model.Scenario) int {
	return int(math.Ceil(sc.Meta.Duration.Seconds()/sc.Meta.Interval.Seconds() - 1e-9))
}

// newDemand computes the offered work of every channel and tier.
func newDemand(sc *model.Scenario) (*demand, error) {
	iv := sc.Meta.Interval.Seconds()
	d := &demand{n: intervalCount(sc), interval: iv}
	d.escalated = make([][]float64, len(sc.Tiers))
	for t := range d.escalated {
		d.escalated[t] = make([]float64, d.n)
	}
	rates, err := sim.NewRates(sc)
	if err != nil {
		return nil, err
	}
	for ci := range sc.Channels {
		ch := &sc.Channels[ci]
		e := sc.EntryTier(ch.Name)
		d.entry = append(d.entry, e)
		// Arrival rate averaged over each interval, as the engine draws
		// arrivals.
		arr := rates.Intervals(ci)
		if len(arr) != d.n {
			return nil, fmt.Errorf("channel %q: %d intervals of arrival rates for %d", ch.Name, len(arr), d.n)
		}
		// Category mix: share, human fraction, handle time, escalations.
		var shareSum float64
		for _, cat := range sc.Categories {
			if model.Covers(cat.Channels, ch.Name) {
				shareSum += cat.Share
			}
		}
		human, work := 0.0, 0.0 // per arriving contact
		esc := make([]float64, len(sc.Tiers))
		for _, cat := range sc.Categories {
			if !model.Covers(cat.Channels, ch.Name) || shareSum <= 0 {
				continue
			}
			share := cat.Share / shareSum
			h := 1.0
			if df := cat.Deflect; df != nil && model.Covers(df.Channels, ch.Name) {
				h = 1 - df.Rate + df.Rate*df.Fallback
			}
			base, err := cat.HandleTime.Build(sc.Dir)
			if err != nil {
				return nil, fmt.Errorf("category %q: handle_time: %w", cat.Name, err)
			}
			replies := 1.0
			if r := cat.Reply; r != nil && !ch.Live() && r.P > 0 && r.P < 1 {
				replies = 1 / (1 - r.P)
			}
			human += share * h
			work += share * h * base.Mean() * sc.Tiers[e].FactorFor(cat.Name) * replies
			cur, p := e, share*h
			for _, st := range cat.Escalate {
				if st.From != "" && sc.TierIndex(st.From) != cur {
					break
				}
				to := sc.TierIndex(st.To)
				if to < 0 {
					break
				}
				p *= st.P
				ht := base.Mean() * sc.Tiers[to].FactorFor(cat.Name)
				if st.HandleTime != nil {
					hd, err := st.HandleTime.Build(sc.Dir)
					if err != nil {
						return nil, fmt.Errorf("category %q: escalate.handle_time: %w", cat.Name, err)
					}
					ht = hd.Mean() * sc.Tiers[to].FactorFor(cat.Name)
				}
				esc[to] += p * ht / float64(sc.Tiers[to].ConcurrencyFor(ch.Name))
				cur = to
			}
		}
		if shareSum <= 0 {
			// No category: the engine cannot draw handle times for it.
			return nil, fmt.Errorf("channel %q: no category covers it", ch.Name)
		}
		rate := make([]float64, d.n)
		for i := range rate {
			rate[i] = arr[i] * human
			for t := range esc {
				d.escalated[t][i] += arr[i] * esc[t]
			}
		}
		d.rate = append(d.rate, rate)
		d.aht = append(d.aht, work/human)
	}
	return d, nil
}

// erlangAgents is the analytic requirement per tier and interval: Erlang A
// (or C without patience) per live channel at its entry tier, chat handle
// time divided by the concurrency; deferred work and escalations as their
// workload (erlangs), escalations at most maxOcc busy.
func erlangAgents(sc *model.Scenario, d *demand, maxOcc float64) ([][]int, error) {
	out := make([][]int, len(sc.Tiers))
	work := make([][]float64, len(sc.Tiers))
	for t := range out {
		out[t] = make([]int, d.n)
		work[t] = make([]float64, d.n)
		for i := range work[t] {
			work[t][i] = d.escalated[t][i] / maxOcc
		}
	}
	for ci := range sc.Channels {
		ch := &sc.Channels[ci]
		e := d.entry[ci]
		aht := d.aht[ci]
		if ch.Mode == model.ModeConcurrent {
			aht /= float64(sc.Tiers[e].ConcurrencyFor(ch.Name))
		}
		if !ch.Live() {
			for i := 0; i < d.n; i++ {
				work[e][i] += d.rate[ci][i] * aht
			}
			continue
		}
		patience := 0.0
		if ch.Patience != nil {
			pd, err := ch.Patience.Build(sc.Dir)
			if err != nil {
				return nil, fmt.Errorf("channel %q: patience: %w", ch.Name, err)
			}
			patience = pd.Mean()
		}
		cache := map[float64]int{}
		for i := 0; i < d.n; i++ {
			lam := d.rate[ci][i]
			if lam <= 0 {
				continue
			}
			if n, ok := cache[lam]; ok {
				out[e][i] += n
				continue
			}
			r, err := model.AgentsFor(lam, aht, patience, ch.SLA.Within.Seconds(), ch.SLA.Target, ch.SLA.MaxAbandon)
			if err != nil {
				at := sc.Meta.Start.Add(time.Duration(float64(i) * d.interval * float64(time.Second))).In(sc.Location)
				return nil, fmt.Errorf("channel %q, interval at %s: %w", ch.Name, at.Format("Mon 2 Jan 15:04"), err)
			}
			cache[lam] = r.Agents
			out[e][i] += r.Agents
		}
	}
	for t := range out {
		for i := range out[t] {
			out[t][i] += int(math.Ceil(work[t][i] - 1e-9))
		}
	}
	return out, nil
}

// entryWork is, per tier and interval, the work (erlangs) the channels the
// tier takes first offer it: arrivals reaching an agent × handle time, chat
// divided by the tier's concurrency.
func entryWork(sc *model.Scenario, d *demand) [][]float64 {
	work := make([][]float64, len(sc.Tiers))
	for t := range work {
		work[t] = make([]float64, d.n)
	}
	for ci := range sc.Channels {
		e := d.entry[ci]
		aht := d.aht[ci]
		if sc.Channels[ci].Mode == model.ModeConcurrent {
			aht /= float64(sc.Tiers[e].ConcurrencyFor(sc.Channels[ci].Name))
		}
		for i := 0; i < d.n; i++ {
			work[e][i] += d.rate[ci][i] * aht
		}
	}
	return work
}
