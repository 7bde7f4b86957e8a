package report

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
)

// fixture builds a plausible two-day result by hand, with 3 channels, a
// priority split on phone, 2 tiers and 2 bands, so the report can be tested
// without the engine. Values come from a fixed stream.
func fixture() (*sim.Result, *model.Scenario) {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	start := time.Date(2026, 11, 27, 0, 0, 0, 0, loc)
	rng := rand.New(rand.NewPCG(1, 2))
	const reps = 10
	stat := func(mean, sd float64) sim.Stat {
		xs := make([]float64, reps)
		for i := range xs {
			xs[i] = mean + sd*rng.NormFloat64()
		}
		return sim.NewStat(xs)
	}
	share := func(mean, sd float64) sim.Stat {
		xs := make([]float64, reps)
		for i := range xs {
			xs[i] = math.Min(1, math.Max(0, mean+sd*rng.NormFloat64()))
		}
		return sim.NewStat(xs)
	}
	sc := &model.Scenario{
		Meta:     model.Meta{Name: "Black Friday (fixture)", Start: start},
		Location: loc,
		Tiers:    []model.Tier{{Name: "representative"}, {Name: "specialist"}},
		Shifts:   []model.Shift{{Name: "early", Headcount: 30}, {Name: "late", Headcount: 20}, {Name: "l2", Headcount: 8}},
	}
	r := &sim.Result{
		Scenario: sc.Meta.Name, Seed: 7, Replications: reps, Start: start,
		DurationSeconds: 2 * 86400, IntervalSeconds: 1800, WarmupSeconds: 7200,
	}
	type ch struct {
		name, mode string
		rate       float64 // per interval at peak
		target     float64
		within     float64
		clock      string
	}
	chans := []ch{
		{"phone", model.ModeSync, 120, 0.8, 20, model.ClockCalendar},
		{"chat", model.ModeConcurrent, 200, 0.8, 60, model.ClockCalendar},
		{"email", model.ModeDeferred, 150, 0.9, 4 * 3600, model.ClockBusiness},
	}
	n := int(r.DurationSeconds / r.IntervalSeconds)
	nf := float64(n)
	var tailIv []sim.TailInterval
	undSum := 0.0
	for ci, c := range chans {
		slBase := []float64{0.84, 0.72, 0.93}[ci]
		for i := 0; i < n; i++ {
			t := start.Add(time.Duration(i) * 30 * time.Minute)
			h := float64(t.Hour()) + float64(t.Minute())/60
			shape := math.Max(0.05, math.Sin(math.Pi*(h-6)/16))
			if h < 6 || h > 22 {
				shape = 0.05
			}
			arr := c.rate * shape
			defl := arr * 0.2
			off := arr - defl
			// The email of the last 4 hours is mostly undecided at the end.
			if c.mode == model.ModeDeferred && i >= n-8 {
				und := off * 0.9
				off -= und
				tailIv = append(tailIv, sim.TailInterval{Index: i, Undecided: stat(und, math.Sqrt(und))})
				undSum += und
			}
			x := sim.IntervalResult{Channel: c.name, Index: i, Start: t,
				Arrivals: stat(arr, math.Sqrt(arr)), Deflected: stat(defl, math.Sqrt(defl)),
				Offered: stat(off, math.Sqrt(off)), Answered: stat(off*0.96, math.Sqrt(off)),
				Abandoned: stat(off*0.04, 1), QueueMean: stat(10*shape*shape, 1), MaxQueue: stat(30*shape*shape, 3),
				Backlog: stat(0, 0)}
			if c.mode == model.ModeDeferred {
				x.Backlog = stat(300*shape, 20)
				x.Abandoned = stat(0, 0)
			}
			if off >= 1 {
				sl := share(slBase-0.25*shape*shape*float64(i%7)/6, 0.05)
				asa := stat(20+40*shape, 5)
				pw := share(0.5, 0.1)
				ab := share(0.04, 0.01)
				x.ServiceLevel, x.ASASeconds, x.PWait, x.AbandonRate = &sl, &asa, &pw, &ab
			}
			r.Intervals = append(r.Intervals, x)
		}
		r.Channels = append(r.Channels, sim.ChannelResult{
			Name: c.name, Mode: c.mode, Target: c.target, WithinSeconds: c.within, Clock: c.clock,
			Arrivals: stat(c.rate*nf/3, 50), Deflected: stat(c.rate*nf/15, 20), Fallback: stat(c.rate*nf/60, 10),
			Offered: stat(c.rate*nf/4, 40), Answered: stat(c.rate*nf/4.2, 40), Abandoned: stat(c.rate*nf/100, 5),
			ServiceLevel: share(slBase, 0.01), PWait: share(0.45, 0.02), ASASeconds: stat(35+float64(ci)*2000, 3),
			AbandonRate: share(0.04, 0.004), MaxQueue: stat(40, 4), MaxQueueAt: 86400 + 10.5*3600,
			ResolutionSeconds: stat(900, 30), BacklogEnd: stat(map[bool]float64{true: 120}[c.mode == model.ModeDeferred], 10),
		})
	}
	r.Tail = []sim.TailResult{
		{Channel: "phone", Undecided: stat(1.2, 0.5), MissedOpen: stat(0.4, 0.3), FromSeconds: r.DurationSeconds - 1800,
			Intervals: []sim.TailInterval{{Index: n - 1, Undecided: stat(1.2, 0.5)}}},
		{Channel: "chat", FromSeconds: r.DurationSeconds},
		{Channel: "email", Undecided: stat(undSum, 8), MissedOpen: stat(35, 4), FromSeconds: r.DurationSeconds - 4*3600, Intervals: tailIv},
	}
	r.Warnings = []sim.Warning{{Kind: sim.WarnNobodyOnShift, Message: `channel "chat": about 558 contacts arrive when no agent skilled for it is on shift (12h in all: Sat 28 Nov 06:00–08:00, Sat 28 Nov 18:00–22:00)`}}
	r.Priorities = []sim.PriorityResult{
		{Channel: "phone", Priority: "vip", Target: 0.9, WithinSeconds: 10, Offered: stat(500, 20),
			ServiceLevel: share(0.93, 0.01), ASASeconds: stat(6, 1), AbandonRate: share(0.01, 0.002)},
		{Channel: "phone", Priority: "normal", Target: 0.8, WithinSeconds: 20, Offered: stat(4000, 50),
			ServiceLevel: share(0.82, 0.01), ASASeconds: stat(38, 3), AbandonRate: share(0.045, 0.004)},
	}
	tiers := []struct {
		name, band   string
		head, hourly float64
	}{{"representative", "representative", 50, 31.25}, {"specialist", "specialist", 8, 39}}
	for _, t := range tiers {
		var staffedHours, cost []float64
		for rep := 0; rep < reps; rep++ {
			staffedHours = append(staffedHours, 0)
			cost = append(cost, 0)
		}
		for i := 0; i < n; i++ {
			st := start.Add(time.Duration(i) * 30 * time.Minute)
			h := float64(st.Hour())
			staffed := 0.0
			if h >= 6 && h < 22 {
				staffed = t.head * 0.6
			}
			busy := staffed * 0.8
			tc := stat(staffed*0.5*t.hourly, 0)
			r.TierIntervals = append(r.TierIntervals, sim.TierIntervalResult{Tier: t.name, Index: i, Start: st,
				Staffed: stat(staffed, 0), Available: stat(staffed*0.9, 0.3), Busy: stat(busy, 1), Cost: tc})
			for rep := range staffedHours {
				staffedHours[rep] += staffed * 0.5
				cost[rep] += staffed * 0.5 * t.hourly
			}
		}
		r.Tiers = append(r.Tiers, sim.TierResult{Name: t.name, Band: t.band, Handled: stat(9000*t.head/50, 80),
			Escalated: stat(300*t.head/50, 15), Occupancy: share(0.83, 0.01), StaffedHours: sim.NewStat(staffedHours),
			Cost: sim.NewStat(cost)})
		r.Bands = append(r.Bands, sim.BandResult{Name: t.band, HourlyCost: t.hourly, Cost: sim.NewStat(cost)})
	}
	staff := r.Bands[0].Cost.Mean + r.Bands[1].Cost.Mean
	r.Cost = sim.CostResult{Staff: stat(staff, 0), Automation: stat(1250, 30), Total: stat(staff+1250, 30),
		PerResolved: stat(3.42, 0.05), PerChannel: []sim.ChannelCost{
			{Channel: "phone", Cost: stat(staff*0.5, 100)}, {Channel: "chat", Cost: stat(staff*0.3, 100)},
			{Channel: "email", Cost: stat(staff*0.2+1250, 100)}}}
	return r, sc
}
