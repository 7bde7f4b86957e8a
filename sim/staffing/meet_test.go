package staffing

import (
	"testing"

	"github.com/slasim/slasim/sim"
)

// periodLevel simulates a requirement (warm-up first, as the search staffs
// it) with fresh random streams and returns the whole period's service
// level of channel 0.
func periodLevel(t *testing.T, path string, req *Requirements, seed uint64) sim.Stat {
	t.Helper()
	sc := load(t, path)
	ext, _ := withWarmupIntervals(sc)
	staff := make([][]int, len(req.Tiers))
	for i := range staff {
		staff[i] = append(append([]int(nil), req.Warmup[i]...), req.Simulated[i]...)
	}
	res, err := sim.Run(ext, sim.Options{Staffing: staff, Replications: 40, Seed: seed, SeedSet: true})
	if err != nil {
		t.Fatal(err)
	}
	return res.Channels[0].ServiceLevel
}

func agentHours(req *Requirements) float64 {
	var h float64
	for _, r := range req.Simulated {
		for _, x := range r {
			h += float64(x) * req.Interval.Hours()
		}
	}
	return h
}

// On a peaky day the per-interval rule overshoots the day's service level;
// --meet period buys fewer agent-hours and, re-simulated with fresh
// streams, still meets the period target without overshooting it by more
// than a few points.
func TestMeetPeriodCheaperAndStillMet(t *testing.T) {
	const path = "testdata/peaks.toml"
	per, err := FindRequirements(load(t, path), Options{})
	if err != nil {
		t.Fatal(err)
	}
	whole, err := FindRequirements(load(t, path), Options{Meet: MeetPeriod})
	if err != nil {
		t.Fatal(err)
	}
	slPer := periodLevel(t, path, per, 99)
	slWhole := periodLevel(t, path, whole, 99)
	t.Logf("interval mode: %.1f agent-hours, period SL %.3f ± %.3f; period mode: %.1f agent-hours, SL %.3f ± %.3f, margin %.3f",
		agentHours(per), slPer.Mean, slPer.CI95, agentHours(whole), slWhole.Mean, slWhole.CI95, whole.Margin[0])
	if agentHours(whole) >= agentHours(per) {
		t.Errorf("period mode %.1f agent-hours, interval mode %.1f: want fewer", agentHours(whole), agentHours(per))
	}
	if slWhole.Mean < 0.80 {
		t.Errorf("period mode re-simulated: service level %.3f < 0.80", slWhole.Mean)
	}
	if slWhole.Mean > 0.85 {
		t.Errorf("period mode re-simulated: service level %.3f overshoots 0.80 by more than 5 points", slWhole.Mean)
	}
}

// In period mode a rota of whole full-time positions over the per-interval
// requirement meets the period's target by far more than it must (the
// small team's phone at 92% against 80%); the trim rosters a smaller
// requirement while the whole 95% interval of the period's service level
// stays above the target, and the plan still meets every target when
// re-simulated with fresh streams, for less. Interval mode never trims.
func TestMeetPeriodTrimsTheRota(t *testing.T) {
	sc := load(t, "../../scenarios/small-team.toml")
	p, err := Build(sc, Options{Meet: MeetPeriod})
	if err != nil {
		t.Fatal(err)
	}
	if p.Trim == nil {
		t.Fatal("no trim in period mode")
	}
	t.Logf("trim %+v, $/week %.0f; targets %v", *p.Trim, p.Budget.Weekly, p.Targets)
	if p.Trim.Scale >= 1 || p.Budget.Weekly >= p.Trim.WeeklyBefore {
		t.Errorf("trim kept scale %.3f at $%.0f/week against $%.0f before", p.Trim.Scale, p.Budget.Weekly, p.Trim.WeeklyBefore)
	}
	if !p.Met {
		t.Errorf("trimmed plan misses: %v", p.Missed())
	}
	// A trim that stopped above its lowest scale (0.625 after four halvings
	// from [0.6, 1]) says what the next smaller rota missed.
	if p.Trim.Scale > 0.625+1e-9 && len(p.Trim.Limit) == 0 {
		t.Errorf("trim stopped at %.3f without saying why", p.Trim.Scale)
	}
	q, err := Build(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if q.Trim != nil {
		t.Errorf("interval mode trimmed: %+v", *q.Trim)
	}
}
