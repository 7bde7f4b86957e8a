package sim

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim/trace"
)

// Tests with known answers for each mechanism of the support-team model.

func parse(t *testing.T, src string) *model.Scenario {
	t.Helper()
	sc, err := model.Parse("test.toml", []byte(src))
	require.NoError(t, err)
	return sc
}

// header is a scenario table starting on a Monday, UTC.
func header(duration string, reps int) string {
	return fmt.Sprintf(`[scenario]
name = "mechanism"
start = 2026-11-23T00:00:00Z
duration = %q
interval = "1h"
warmup = "2h"
seed = 3
replications = %d
`, duration, reps)
}

const allDay = `
[[shift]]
name = "always"
tier = "%s"
days = "daily"
start = "00:00"
length = "24h"
headcount = %d
`

func TestDeflectionWithoutFallbackCutsHumanVolume(t *testing.T) {
	const d = 0.4
	sc := parse(t, header("3d", 10)+fmt.Sprintf(`
[[channel]]
name = "chat"
mode = "concurrent"
rate = "200/h"
sla = { target = 0.8, within = "60s" }

[[category]]
name = "status"
share = 1
handle_time = { dist = "exponential", mean = "3m" }
deflect = { rate = %g, bot_time = "1m", fallback = 0, cost = 0.5 }

[[tier]]
name = "rep"
skills = ["chat"]
concurrency = { chat = 2 }
`, d)+fmt.Sprintf(allDay, "rep", 20))
	r, err := Run(sc, Options{})
	require.NoError(t, err)
	ch := r.Channels[0]
	arrivals, deflected, offered := ch.Arrivals.Mean, ch.Deflected.Mean, ch.Offered.Mean
	// Binomial: the share deflected is d within a few standard errors.
	se := math.Sqrt(d * (1 - d) / (arrivals * float64(r.Replications)))
	assert.InDelta(t, d, deflected/arrivals, 4*se)
	assert.InDelta(t, (1-d)*arrivals, offered, 4*se*arrivals+1)
	assert.InDelta(t, 0.5*deflected, r.Cost.Automation.Mean, 1e-6, "automation cost per deflected ticket")
	assert.Zero(t, ch.Fallback.Mean)
}

func TestDeflectionFallbackReachesHumans(t *testing.T) {
	sc := parse(t, header("3d", 10)+`
[[channel]]
name = "email"
mode = "deferred"
rate = "100/h"
sla = { target = 0.8, within = "1h" }

[[category]]
name = "status"
share = 1
handle_time = { dist = "exponential", mean = "3m" }
deflect = { rate = 0.5, bot_time = "2m", fallback = 0.3 }

[[tier]]
name = "rep"
skills = ["email"]
`+fmt.Sprintf(allDay, "rep", 10))
	r, err := Run(sc, Options{})
	require.NoError(t, err)
	ch := r.Channels[0]
	assert.InDelta(t, 0.3, ch.Fallback.Mean/ch.Deflected.Mean, 0.02)
	// Offered to humans: not deflected, plus the fallbacks.
	want := ch.Arrivals.Mean - ch.Deflected.Mean + ch.Fallback.Mean
	assert.InDelta(t, want, ch.Offered.Mean, 0.01*want)
}

// With no slowdown (stretch 1), an agent holding N chats is N servers: 10
// agents with 3 chats each are Erlang C with 30 agents.
func TestConcurrencyIsNTimesTheAgents(t *testing.T) {
	const aht = 360.0
	lambda := 0.92 * 30 / aht
	sc := parse(t, scenarioText(t, lambda, aht))
	r, err := Run(sc, Options{})
	require.NoError(t, err)
	want, err := model.ErlangC(lambda, aht, 30, 30)
	require.NoError(t, err)
	ch := r.Channels[0]
	agree(t, "service level", ch.ServiceLevel, want.ServiceLevel)
	agree(t, "p(wait)", ch.PWait, want.PWait)
	agree(t, "occupancy", r.Tiers[0].Occupancy, want.Occupancy)

	// A stretch above 1 makes the same team slower.
	slow := parse(t, strings.Replace(scenarioText(t, lambda, aht), "stretch = 1", "stretch = 1.3", 1))
	rs, err := Run(slow, Options{})
	require.NoError(t, err)
	assert.Less(t, rs.Channels[0].ServiceLevel.Mean+rs.Channels[0].ServiceLevel.CI95, ch.ServiceLevel.Mean-ch.ServiceLevel.CI95)
}

// scenarioText is one chat channel (concurrency 3, stretch 1) at lambda
// per second with exponential handle time aht, served by 10 agents.
func scenarioText(t *testing.T, lambda, aht float64) string {
	return header("8d", 10) + fmt.Sprintf(`
[[channel]]
name = "chat"
mode = "concurrent"
rate = "%g/h"
sla = { target = 0.8, within = "30s" }
stretch = 1

[[category]]
name = "any"
share = 1
handle_time = { dist = "exponential", mean = "%gs" }

[[tier]]
name = "rep"
skills = ["chat"]
concurrency = { chat = 3 }
`, lambda*3600, aht) + fmt.Sprintf(allDay, "rep", 10)
}

func TestEscalationShareReachesNextTier(t *testing.T) {
	const p = 0.2
	// Enough first-tier agents that l2 never takes l1's new tickets as
	// overflow: everything l2 handles was escalated.
	sc := parse(t, header("4d", 10)+fmt.Sprintf(`
[[channel]]
name = "email"
mode = "deferred"
rate = "60/h"
sla = { target = 0.8, within = "4h" }

[[category]]
name = "bug"
share = 1
handle_time = { dist = "exponential", mean = "5m" }
escalate = [
  { to = "l2", p = %g, handle_time = { dist = "exponential", mean = "20m" } },
  { from = "l2", to = "l3", p = 0.5 },
]

[[tier]]
name = "l1"
skills = ["email"]

[[tier]]
name = "l2"
skills = ["email"]

[[tier]]
name = "l3"
skills = ["email"]
`, p)+fmt.Sprintf(allDay, "l1", 25)+fmt.Sprintf(allDay, "l2", 8)+fmt.Sprintf(allDay, "l3", 4))
	r, err := Run(sc, Options{})
	require.NoError(t, err)
	l1, l2, l3 := r.Tiers[0], r.Tiers[1], r.Tiers[2]
	n := l1.Handled.Mean * float64(r.Replications)
	se := math.Sqrt(p * (1 - p) / n)
	assert.InDelta(t, p, l2.Handled.Mean/l1.Handled.Mean, 4*se+0.002, "l2 handles p × l1")
	assert.InDelta(t, p, l1.Escalated.Mean/l1.Handled.Mean, 4*se+0.002)
	assert.InDelta(t, 0.5, l3.Handled.Mean/l2.Handled.Mean, 0.03, "the path skips on to l3 with its own p")
	// Resolution spans both tiers: escalated tickets take longer, so the
	// mean resolution exceeds the first tier's handle time.
	assert.Greater(t, r.Channels[0].ResolutionSeconds.Mean, 300.0)
}

// A gap in the rota: the email backlog grows through it and drains after.
func TestRotaGapGrowsAndDrainsBacklog(t *testing.T) {
	sc := parse(t, header("1d", 10)+`
[[channel]]
name = "email"
mode = "deferred"
rate = "60/h"
sla = { target = 0.8, within = "4h" }

[[category]]
name = "any"
share = 1
handle_time = { dist = "exponential", mean = "5m" }

[[tier]]
name = "rep"
skills = ["email"]

[[shift]]
name = "morning"
tier = "rep"
days = "daily"
start = "00:00"
length = "12h"
headcount = 8

[[shift]]
name = "afternoon"
tier = "rep"
days = "daily"
start = "15:00"
length = "9h"
headcount = 8
`)
	r, err := Run(sc, Options{})
	require.NoError(t, err)
	backlog := func(h int) float64 { return r.Intervals[h].Backlog.Mean }
	// Nobody works 12:00-15:00; 60 emails an hour keep coming.
	assert.Less(t, backlog(11), 10.0, "staffed: nothing piles up")
	assert.InDelta(t, 60, backlog(12)-backlog(11), 15)
	assert.InDelta(t, 60, backlog(13)-backlog(12), 15, "the backlog grows through the gap")
	assert.InDelta(t, 60, backlog(14)-backlog(13), 15)
	assert.Less(t, backlog(15), backlog(14), "and drains after it")
	assert.Less(t, backlog(16), backlog(15))
	assert.Less(t, backlog(21), 10.0)
	for h := 13; h < 15; h++ {
		assert.InDelta(t, 0, r.TierIntervals[h].Staffed.Mean, 1e-9, "nobody on the floor in the gap")
	}
}

func TestSurgeMultipliesArrivalsInItsWindow(t *testing.T) {
	sc := parse(t, header("2d", 20)+`
[[channel]]
name = "chat"
mode = "concurrent"
rate = "100/h"
sla = { target = 0.8, within = "60s" }

[[channel]]
name = "phone"
mode = "sync"
rate = "100/h"
sla = { target = 0.8, within = "60s" }

[[surge]]
name = "sale"
from = 2026-11-23T10:00:00Z
to = 2026-11-23T14:00:00Z
factor = 3
channels = ["chat"]

[[category]]
name = "any"
share = 1
handle_time = { dist = "exponential", mean = "1m" }

[[tier]]
name = "rep"
skills = ["chat", "phone"]
concurrency = { chat = 3 }
`+fmt.Sprintf(allDay, "rep", 20))
	r, err := Run(sc, Options{})
	require.NoError(t, err)
	nI := len(r.Intervals) / 2
	chat := func(h int) Stat { return r.Intervals[h].Arrivals }
	phone := func(h int) Stat { return r.Intervals[nI+h].Arrivals }
	for h := 0; h < nI; h++ {
		want := 100.0
		if h >= 10 && h < 14 {
			want = 300
		}
		// Poisson counts: mean want, sd √want per replication.
		tol := 4 * math.Sqrt(want/float64(r.Replications))
		assert.InDeltaf(t, want, chat(h).Mean, tol, "chat arrivals in hour %d", h)
		assert.InDeltaf(t, 100, phone(h).Mean, 4*math.Sqrt(100/float64(r.Replications)), "phone arrivals in hour %d (no surge)", h)
	}
}

func TestVIPWaitsLessUnderLoad(t *testing.T) {
	sc := parse(t, header("3d", 10)+`
[[channel]]
name = "phone"
mode = "sync"
rate = "190/h"
patience = { dist = "exponential", mean = "5m" }
sla = { target = 0.8, within = "20s" }

[[priority]]
name = "vip"
share = 0.1
sla = { target = 0.9, within = "10s" }

[[priority]]
name = "normal"
share = 0.9

[[category]]
name = "any"
share = 1
handle_time = { dist = "exponential", mean = "5m" }

[[tier]]
name = "rep"
skills = ["phone"]
`+fmt.Sprintf(allDay, "rep", 16))
	r, err := Run(sc, Options{})
	require.NoError(t, err)
	require.Len(t, r.Priorities, 2)
	vip, normal := r.Priorities[0], r.Priorities[1]
	assert.Equal(t, "vip", vip.Priority)
	assert.Equal(t, 0.9, vip.Target)
	assert.Equal(t, 10.0, vip.WithinSeconds)
	assert.Less(t, vip.ASASeconds.Mean*2, normal.ASASeconds.Mean, "vip ASA %.1f s, normal %.1f s", vip.ASASeconds.Mean, normal.ASASeconds.Mean)
	assert.Less(t, vip.AbandonRate.Mean, normal.AbandonRate.Mean)
	assert.Greater(t, normal.ASASeconds.Mean, 20.0, "the queue really is under load")
}

// An email written on Saturday and answered on Monday morning is within a
// 2-hour business-hours SLA, and far outside a calendar one.
func TestBusinessHoursClockStopsOutsideHours(t *testing.T) {
	src := func(clock string) string {
		return header("8d", 5) + fmt.Sprintf(`
[business_hours]
days = "mon-fri"
open = "09:00"
close = "17:00"

[[profile]]
name = "saturday-only"
weekly = [0, 0, 0, 0, 0, 1, 0]

[[channel]]
name = "email"
mode = "deferred"
rate = "20/h"
profile = "saturday-only"
sla = { target = 0.9, within = "2h", clock = %q }

[[category]]
name = "any"
share = 1
handle_time = { dist = "exponential", mean = "2m" }

[[tier]]
name = "rep"
skills = ["email"]

[[shift]]
name = "weekdays"
tier = "rep"
days = "mon-fri"
start = "09:00"
length = "8h"
headcount = 20
`, clock)
	}
	biz, err := Run(parse(t, src("business")), Options{})
	require.NoError(t, err)
	cal, err := Run(parse(t, src("calendar")), Options{})
	require.NoError(t, err)
	assert.Greater(t, biz.Channels[0].Offered.Mean, 300.0)
	assert.Greater(t, biz.Channels[0].ServiceLevel.Mean, 0.99, "business clock: Saturday and Sunday do not count")
	assert.Less(t, cal.Channels[0].ServiceLevel.Mean, 0.01, "calendar clock: 40+ hours late")

	// The clock itself: Friday 16:00 to Monday 10:00 is 2 business hours.
	p, err := compile(parse(t, src("business")))
	require.NoError(t, err)
	fri16 := 4*86400.0 + 16*3600
	mon10 := 7*86400.0 + 10*3600
	assert.InDelta(t, 2*3600, p.businessElapsed(fri16, mon10), 1e-6)
}

func TestForecastUncertaintyWidensOutcomes(t *testing.T) {
	src := func(cv float64) string {
		return header("3d", 30) + fmt.Sprintf(`
[[channel]]
name = "phone"
mode = "sync"
rate = "100/h"
forecast_cv = %g
sla = { target = 0.8, within = "20s" }

[[category]]
name = "any"
share = 1
handle_time = { dist = "exponential", mean = "3m" }

[[tier]]
name = "rep"
skills = ["phone"]
`, cv) + fmt.Sprintf(allDay, "rep", 7)
	}
	sure, err := Run(parse(t, src(0)), Options{})
	require.NoError(t, err)
	unsure, err := Run(parse(t, src(0.2)), Options{})
	require.NoError(t, err)
	// Poisson alone: sd of 3 days of arrivals ≈ √7200 ≈ 85. A 20% day
	// factor adds ≈ 0.2 × 2400 × √3 ≈ 830.
	assert.Greater(t, unsure.Channels[0].Arrivals.CI95, 4*sure.Channels[0].Arrivals.CI95)
	assert.Greater(t, unsure.Channels[0].ServiceLevel.CI95, 2*sure.Channels[0].ServiceLevel.CI95)
	// The bad week (P10 of service level) is well below the mean.
	u := unsure.Channels[0]
	assert.Less(t, u.ServiceLevelP10, u.ServiceLevel.Mean-0.05, "P10 %.3f, mean %.3f", u.ServiceLevelP10, u.ServiceLevel.Mean)
	assert.Greater(t, u.ServiceLevelP90, u.ServiceLevelP10)
	s := sure.Channels[0]
	assert.Greater(t, u.ServiceLevel.Mean-u.ServiceLevelP10, 2*(s.ServiceLevel.Mean-s.ServiceLevelP10))
}

func TestShrinkageAndTicketShareAndStaggeredBreaks(t *testing.T) {
	sc := parse(t, header("7d", 20)+`
[[channel]]
name = "phone"
mode = "sync"
rate = "10/h"
sla = { target = 0.8, within = "20s" }

[[category]]
name = "any"
share = 1
handle_time = { dist = "exponential", mean = "3m" }

[[tier]]
name = "rep"
skills = ["phone"]

[[tier]]
name = "lead"
skills = ["phone"]
ticket_share = 0.5

[[shift]]
name = "day"
tier = "rep"
days = "daily"
start = "08:00"
length = "8h"
breaks = [{ after = "4h", length = "30m" }]
stagger = "1h"
headcount = 20

[[shift]]
name = "lead"
tier = "lead"
days = "daily"
start = "08:00"
length = "8h"
headcount = 4

[shrinkage]
pto = 0.10
sick = 0.05
`)
	r, err := Run(sc, Options{})
	require.NoError(t, err)
	scheduled := 20.0 * 8 * 7
	assert.InDelta(t, 0.85*scheduled, r.Tiers[0].StaffedHours.Mean, 0.02*scheduled, "15% of agent-days absent")
	// Leads are on the floor for half of each hour.
	var staffed, avail float64
	for _, ti := range r.TierIntervals {
		if ti.Tier == "lead" {
			staffed += ti.Staffed.Mean
			avail += ti.Available.Mean
		}
	}
	assert.InDelta(t, 0.5, avail/staffed, 0.02)
	// The 30-minute lunch break starts, agent by agent, spread over an hour
	// from 12:00: on average 3/8 of the reps are away in 12:00-13:00 and 1/8
	// in 13:00-14:00 (all at once would be 1/2 and 0), and nobody outside.
	for _, ti := range r.TierIntervals {
		if ti.Tier != "rep" || ti.Staffed.Mean == 0 {
			continue
		}
		away := 1 - ti.Available.Mean/ti.Staffed.Mean
		switch ti.Start.Hour() {
		case 12:
			assert.InDelta(t, 0.375, away, 0.03, "share on break at %s", ti.Start.Format("Mon 15:04"))
		case 13:
			assert.InDelta(t, 0.125, away, 0.03, "share on break at %s", ti.Start.Format("Mon 15:04"))
		default:
			assert.InDelta(t, 0, away, 1e-9, "share on break at %s", ti.Start.Format("Mon 15:04"))
		}
	}
}

// The lifecycle trace: every ticket starts with created and ends resolved,
// abandoned, or automated; times never go back; it agrees with the counts.
func TestTraceIsCompleteAndOrdered(t *testing.T) {
	sc, err := model.Load("../scenarios/saas-support.toml")
	require.NoError(t, err)
	var acts []trace.Action
	require.NoError(t, TraceRun(sc, func(a trace.Action) error { acts = append(acts, a); return nil }))
	require.NotEmpty(t, acts)
	first := map[int64]trace.Kind{}
	last := map[int64]trace.Kind{}
	kinds := map[trace.Kind]int{}
	prev := math.Inf(-1)
	for _, a := range acts {
		require.GreaterOrEqual(t, a.T, prev, "time order")
		prev = a.T
		if _, ok := first[a.Ticket]; !ok {
			first[a.Ticket] = a.Kind
		}
		last[a.Ticket] = a.Kind
		kinds[a.Kind]++
		require.NotEmpty(t, a.Channel)
		require.NotEmpty(t, a.Category)
		require.NotEmpty(t, a.Priority)
		switch a.Kind {
		case trace.Answered, trace.AgentReply:
			require.NotEmpty(t, a.Agent)
			require.NotEmpty(t, a.Tier)
		case trace.Escalated:
			require.NotEmpty(t, a.From)
			require.NotEmpty(t, a.To)
			// Escalation goes up the tiers only, even for a ticket a
			// higher tier took as overflow.
			require.Less(t, sc.TierIndex(a.From), sc.TierIndex(a.To), "escalated from %s to %s", a.From, a.To)
		}
	}
	for id, k := range first {
		require.Equal(t, trace.Created, k, "ticket %d", id)
	}
	open := 0
	for _, k := range last {
		switch k {
		case trace.Resolved, trace.Abandoned, trace.DeflectedDone:
		default:
			open++
		}
	}
	assert.Less(t, open, len(last)/5, "most tickets close within the week")
	for _, k := range []trace.Kind{trace.Created, trace.Queued, trace.Answered, trace.AgentReply, trace.CustomerReply, trace.Escalated, trace.Resolved, trace.Abandoned, trace.Deflected, trace.Fallback, trace.DeflectedDone} {
		assert.Positive(t, kinds[k], k)
	}
	// Replication 0 of Run sees the same tickets.
	r, err := Run(sc, Options{Replications: 1})
	require.NoError(t, err)
	var escalated float64
	for _, tr := range r.Tiers {
		escalated += tr.Escalated.Mean
	}
	var inPeriod int
	for _, a := range acts {
		if a.Kind == trace.Escalated && a.T >= 0 {
			inPeriod++
		}
	}
	assert.InDelta(t, escalated, float64(inPeriod), escalated*0.05+2)
}

// A rota line with dates runs on those days only: a Black Friday overlay.
func TestDatedShiftRunsOnItsDatesOnly(t *testing.T) {
	sc := parse(t, header("3d", 2)+`
[[channel]]
name = "email"
mode = "deferred"
rate = "10/h"
sla = { target = 0.8, within = "4h" }

[[category]]
name = "any"
share = 1
handle_time = { dist = "exponential", mean = "2m" }

[[tier]]
name = "rep"
skills = ["email"]

[[shift]]
name = "base"
tier = "rep"
days = "daily"
start = "08:00"
length = "8h"
headcount = 2

[[shift]]
name = "overlay"
tier = "rep"
dates = [2026-11-24]
start = "10:00"
length = "4h"
headcount = 5
`)
	r, err := Run(sc, Options{})
	require.NoError(t, err)
	for _, ti := range r.TierIntervals {
		want := 0.0
		if h := ti.Start.Hour(); h >= 8 && h < 16 {
			want = 2
			if ti.Start.Day() == 24 && h >= 10 && h < 14 {
				want = 7
			}
		}
		// (an agent finishing a ticket after the shift adds a little)
		assert.InDelta(t, want, ti.Staffed.Mean, 0.2, "staffed at %s", ti.Start.Format("Mon 2 15:04"))
	}
}

// A tier's own target for escalations (an OLA) is measured on the tickets
// escalated to it: met with ample agents, missed with too few.
func TestEscalationTargetOfATier(t *testing.T) {
	src := func(l2 int) string {
		return header("4d", 10) + `
[[channel]]
name = "email"
mode = "deferred"
rate = "60/h"
sla = { target = 0.8, within = "4h" }

[[category]]
name = "bug"
share = 1
handle_time = { dist = "exponential", mean = "5m" }
escalate = { to = "l2", p = 0.3, handle_time = { dist = "exponential", mean = "20m" } }

[[tier]]
name = "l1"
skills = ["email"]

[[tier]]
name = "l2"
skills = ["email"]
sla = { target = 0.8, within = "30m" }
` + fmt.Sprintf(allDay, "l1", 25) + fmt.Sprintf(allDay, "l2", l2)
	}
	// 18 escalations an hour × 20 minutes = 6 erlangs at l2.
	ample, err := Run(parse(t, src(14)), Options{})
	require.NoError(t, err)
	short, err := Run(parse(t, src(6)), Options{})
	require.NoError(t, err)
	a, s := ample.Tiers[1], short.Tiers[1]
	require.NotNil(t, a.EscalationServiceLevel)
	require.NotNil(t, s.EscalationServiceLevel)
	assert.Equal(t, 0.8, a.EscalationTarget)
	assert.Equal(t, 1800.0, a.EscalationWithinSeconds)
	assert.Greater(t, a.EscalationServiceLevel.Mean, 0.99)
	assert.Less(t, a.EscalationWaitSeconds.Mean, 60.0)
	assert.Less(t, s.EscalationServiceLevel.Mean, 0.5, "6 agents for 6 erlangs cannot keep up")
	assert.Greater(t, s.EscalationWaitSeconds.Mean, 1800.0)
	var perInterval int
	for _, ti := range ample.TierIntervals {
		if ti.Tier == "l2" && ti.EscalationServiceLevel != nil {
			perInterval++
		}
		if ti.Tier == "l1" {
			assert.Nil(t, ti.EscalationServiceLevel, "l1 has no target")
		}
	}
	assert.Greater(t, perInterval, 80)
	assert.Nil(t, ample.Tiers[0].EscalationServiceLevel)
}

// The cost of each interval, split over channels, adds up to the period's
// total cost (staff and automation).
func TestIntervalCostsAddUp(t *testing.T) {
	sc, err := model.Load("../scenarios/black-friday.toml")
	require.NoError(t, err)
	r, err := Run(sc, Options{Replications: 3})
	require.NoError(t, err)
	var sum float64
	perChannel := map[string]float64{}
	for _, iv := range r.Intervals {
		sum += iv.Cost.Mean
		perChannel[iv.Channel] += iv.Cost.Mean
	}
	assert.InDelta(t, r.Cost.Total.Mean, sum, 1e-6*r.Cost.Total.Mean)
	// Email, with most of the handle time, carries more cost than SMS.
	assert.Greater(t, perChannel["email"], 2*perChannel["sms"])
}

// Agents reserved for deferred work (deferred_share) take email before
// calls: the email backlog is answered sooner and phone waits longer than
// when every agent puts live contacts first.
func TestDeferredShareReservesAgentsForBacklog(t *testing.T) {
	src := func(share float64) string {
		return header("3d", 10) + fmt.Sprintf(`
[[channel]]
name = "phone"
mode = "sync"
rate = "120/h"
sla = { target = 0.8, within = "20s" }

[[channel]]
name = "email"
mode = "deferred"
rate = "30/h"
sla = { target = 0.8, within = "1h" }

[[category]]
name = "any"
share = 1
handle_time = { dist = "exponential", mean = "5m" }

[[tier]]
name = "rep"
skills = ["phone", "email"]
deferred_share = %g
`, share) + fmt.Sprintf(allDay, "rep", 13)
	}
	live, err := Run(parse(t, src(0)), Options{})
	require.NoError(t, err)
	split, err := Run(parse(t, src(0.3)), Options{})
	require.NoError(t, err)
	// Clear of both confidence intervals: email first response (which
	// includes the 5-minute handling) shorter, phone ASA longer.
	le, se := live.Channels[1].ASASeconds, split.Channels[1].ASASeconds
	lp, sp := live.Channels[0].ASASeconds, split.Channels[0].ASASeconds
	t.Logf("email first response %.0fs → %.0fs, phone ASA %.1fs → %.1fs", le.Mean, se.Mean, lp.Mean, sp.Mean)
	assert.Less(t, se.Mean+se.CI95, le.Mean-le.CI95, "email first response: %.0fs with reserved agents, %.0fs without", se.Mean, le.Mean)
	assert.Greater(t, sp.Mean-sp.CI95, lp.Mean+lp.CI95, "phone ASA: %.1fs with reserved agents, %.1fs without", sp.Mean, lp.Mean)
}

// A tier's handle_factor scales its handle times, and an empirical
// distribution draws from its file: a tier at factor 2 on a constant 3m is
// busy exactly twice as long per ticket.
func TestHandleFactorAndEmpiricalTimes(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "times.csv"), []byte("seconds\n120\n240\n"), 0o644))
	src := func(factor float64) string {
		return header("2d", 5) + fmt.Sprintf(`
[[channel]]
name = "email"
mode = "deferred"
rate = "20/h"
sla = { target = 0.8, within = "4h" }

[[category]]
name = "any"
share = 1
handle_time = { dist = "empirical", file = "times.csv" }

[[tier]]
name = "rep"
skills = ["email"]
handle_factor = %g
`, factor) + fmt.Sprintf(allDay, "rep", 20)
	}
	busyPerTicket := func(factor float64) float64 {
		path := filepath.Join(dir, fmt.Sprintf("f%g.toml", factor))
		require.NoError(t, os.WriteFile(path, []byte(src(factor)), 0o644))
		sc, err := model.Load(path)
		require.NoError(t, err)
		r, err := Run(sc, Options{})
		require.NoError(t, err)
		var busy float64
		for _, ti := range r.TierIntervals {
			busy += ti.Busy.Mean * r.IntervalSeconds
		}
		return busy / r.Tiers[0].Handled.Mean
	}
	one, two := busyPerTicket(1), busyPerTicket(2)
	// The file's mean is 180 s; handlings that straddle the period's ends
	// blur it a little.
	assert.InDelta(t, 180, one, 10)
	assert.InDelta(t, 2, two/one, 0.1)
}
