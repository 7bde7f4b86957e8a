package calibrate

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/replay"
	"github.com/slasim/slasim/sim/replay/rt5"
	"github.com/slasim/slasim/sim/trace"
)

// roundTripSpeed is the replay's speed-up: the scenario's 2½ busy hours
// (09:00 to the last resolution near 11:30) take about 45 s of wall time.
// One second of RT's clock (its timestamps' grain) is then 200 s of
// history, which is why handle times are checked against their
// scenario's means of 8 to 25 minutes, with the replay's lag taken out.
const roundTripSpeed = 200

// roundTripScenario is a day of 140 tickets, all arriving between 09:00
// and 10:30 (the replay skips the empty hours), on a deferred channel
// (email) and a live one (phone, with patience), in three categories of
// which one escalates to a second tier. Seed 22 is one whose own trace
// sits well inside every interval (TestRoundTripScenarioFromTrace), so that
// the room left measures what the helpdesk adds, not the draw.
var roundTripScenario = `
[scenario]
name = "calibrate round trip through RT5"
start = 2026-11-02T00:00:00Z
duration = "1d"
interval = "30m"
seed = 22
replications = 1

[[profile]]
name = "morning"
intraday = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 16, 16, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]

[[channel]]
name = "email"
mode = "deferred"
rate = "3.5/h"
profile = "morning"
sla = { target = 0.9, within = "4h" }

[[channel]]
name = "phone"
mode = "sync"
rate = "2.5/h"
profile = "morning"
patience = { dist = "exponential", mean = "10m" }
sla = { target = 0.8, within = "60s" }

[[category]]
name = "order-status"
share = 0.5
handle_time = { dist = "lognormal", mean = "12m", cv = 0.5 }

[[category]]
name = "bug"
share = 0.3
handle_time = { dist = "lognormal", mean = "20m", cv = 0.5 }
escalate = { to = "specialist", p = 0.4, handle_time = { dist = "lognormal", mean = "25m", cv = 0.5 } }

[[category]]
name = "billing"
share = 0.2
handle_time = { dist = "lognormal", mean = "8m", cv = 0.5 }

[[tier]]
name = "representative"
skills = ["email", "phone"]

[[tier]]
name = "specialist"
skills = ["email", "phone"]

[[shift]]
name = "floor"
tier = "representative"
days = "mon-sun"
start = "08:00"
length = "6h"
headcount = 35

[[shift]]
name = "second-line"
tier = "specialist"
days = "mon-sun"
start = "08:00"
length = "6h"
headcount = 10
`

// rt5Env returns the REST2 URL and token of the RT5 that scripts/rt5-up.sh
// brings up (exported by .ci/run, or read from the file RT5_ENV names).
// Without them the test is skipped locally and fails in CI (CI=true), as
// the replay's integration test does.
func rt5Env(t *testing.T) (url, token string) {
	url, token = os.Getenv("RT5_REST2_URL"), os.Getenv("RT5_TOKEN")
	if p := os.Getenv("RT5_ENV"); p != "" && (url == "" || token == "") {
		if f, err := os.Open(p); err == nil {
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				k, v, _ := strings.Cut(sc.Text(), "=")
				switch {
				case k == "RT5_REST2_URL" && url == "":
					url = v
				case k == "RT5_TOKEN" && token == "":
					token = v
				}
			}
			f.Close()
		}
	}
	if url == "" || token == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but RT5_REST2_URL/RT5_TOKEN are not set: run `make rt5-up` and export its env file")
		}
		t.Skip("RT5 not configured (set RT5_REST2_URL and RT5_TOKEN, or RT5_ENV=/tmp/slasim-rt5.env)")
	}
	return url, token
}

// TestRT5RoundTrip replays a scenario's trace into the local Request
// Tracker 5, reads it back through REST2 as `slasim calibrate rt5` does,
// and checks that nothing was lost on the way (every ticket, answer,
// reply, escalation and resolution the trace holds comes back) and that
// the calibration recovers the scenario's rates, category shares,
// escalation probability and handle-time means within their 95% intervals.
func TestRT5RoundTrip(t *testing.T) {
	url, token := rt5Env(t)
	sc, err := model.Parse("roundtrip.toml", []byte(roundTripScenario))
	require.NoError(t, err)
	var acts []trace.Action
	require.NoError(t, sim.TraceRun(sc, func(a trace.Action) error { acts = append(acts, a); return nil }))
	owners(acts)

	runID := fmt.Sprintf("cal%d", time.Now().UnixNano()%1e10)
	results := replayIntoRT5(t, url, token, runID, acts)

	// Read back, RT's clock mapped to history time with the replay's speed
	// and the first ticket placed where the trace has it.
	src := &RT5Source{URL: url, Token: token, Prefix: "slasim-" + runID + "-", Speed: roundTripSpeed, Workers: 4,
		Start: sc.Meta.Start.Add(time.Duration(acts[0].T * float64(time.Second))),
		Tiers: map[string]string{"General": "representative", "Tier2": "specialist"}}
	h := NewHistory(Config{Start: sc.Meta.Start, End: sc.Meta.Start.Add(sc.Meta.Duration.Duration),
		Interval: sc.Meta.Interval.Duration, Modes: modesOf(sc)})
	read := map[trace.Kind]int{}
	t0 := time.Now()
	require.NoError(t, src.Read(context.Background(), &h.Issues, func(e Event) { read[e.Kind]++; h.Add(e) }))
	t.Logf("read %d tickets back through REST2 in %v", read[trace.Created], time.Since(t0).Round(time.Millisecond))
	got := h.Estimate("rt5")

	// Nothing lost: the lifecycle RT holds is the trace's, event for event.
	sent := map[trace.Kind]int{}
	for _, a := range acts {
		sent[a.Kind]++
	}
	for _, k := range []trace.Kind{trace.Created, trace.Answered, trace.AgentReply, trace.Escalated, trace.Resolved, trace.Abandoned} {
		require.Equalf(t, sent[k], read[k], "%s events: the trace has %d, RT gave back %d", k, sent[k], read[k])
	}
	require.Zero(t, got.Issues.Errors(), "bad rows read from RT: %v", got.Issues.String())

	for _, c := range sc.Channels {
		e := channelOf(got, c.Name)
		within(t, c.Name+" rate", e.RatePerHour, e.RateCI95, truthRate(sc, c.Name))
	}
	for _, c := range sc.Categories {
		e := categoryOf(got, c.Name)
		within(t, c.Name+" share", e.Share, e.ShareCI95, c.Share)
	}
	require.Len(t, got.Escalation, 1)
	esc := got.Escalation[0]
	require.Equal(t, "bug representative→specialist", esc.Category+" "+esc.From+"→"+esc.To)
	within(t, "bug escalation p", esc.P, esc.PCI95, 0.4)

	// Handle times, with what the replay added taken out (see lagOf).
	lags := lagOf(acts, results)
	for _, c := range sc.Categories {
		e := categoryOf(got, c.Name)
		handleWithin(t, c.Name+" handle time", e.HandleTime, lags[handling{c.Name, false}], c.HandleTime.Mean.Seconds())
	}
	handleWithin(t, "bug handle time at the specialist", esc.HandleTime, lags[handling{"bug", true}], 25*60)
}

// TestRoundTripScenarioFromTrace is the round trip's baseline without RT:
// the scenario's own trace gives its figures back, so that a failure of
// TestRT5RoundTrip is the helpdesk's part.
func TestRoundTripScenarioFromTrace(t *testing.T) {
	sc, err := model.Parse("roundtrip.toml", []byte(roundTripScenario))
	require.NoError(t, err)
	got := historyOf(t, sc).Estimate("trace")
	for _, c := range sc.Channels {
		e := channelOf(got, c.Name)
		within(t, c.Name+" rate", e.RatePerHour, e.RateCI95, truthRate(sc, c.Name))
	}
	for _, c := range sc.Categories {
		e := categoryOf(got, c.Name)
		within(t, c.Name+" share", e.Share, e.ShareCI95, c.Share)
		within(t, c.Name+" handle time", e.HandleTime.Mean, e.HandleTime.MeanCI95, c.HandleTime.Mean.Seconds())
	}
	require.Len(t, got.Escalation, 1)
	esc := got.Escalation[0]
	within(t, "bug escalation p", esc.P, esc.PCI95, 0.4)
	within(t, "bug handle time at the specialist", esc.HandleTime.Mean, esc.HandleTime.MeanCI95, 25*60)
	require.Equal(t, 140, got.Tickets)
}

// owners gives the simulated agents RT users by tier: representatives
// agent1 and agent2, specialists agent3 and agent4. RT records no
// transaction when a ticket is given to the owner it already has, so an
// escalation taken up by the same RT user would leave no trace of when the
// second tier started; real second-line teams are other people.
func owners(acts []trace.Action) {
	for i := range acts {
		a := &acts[i]
		if a.Agent == "" {
			continue
		}
		var n int
		fmt.Sscanf(a.Agent[strings.LastIndexByte(a.Agent, '-')+1:], "%d", &n)
		first := 1
		if a.Tier == "specialist" {
			first = 3
		}
		a.Agent = fmt.Sprintf("agent%d", first+n%2)
	}
}

// replayIntoRT5 replays the trace at roundTripSpeed and returns every
// action's result by its index in the trace; it fails the test unless all
// succeeded.
func replayIntoRT5(t *testing.T, url, token, runID string, acts []trace.Action) map[int]*replay.Result {
	ad, err := rt5.New(rt5.Config{URL: url, Token: token,
		HTTP: &replay.HTTP{Client: replay.NewClient(replay.ClientOptions{MaxConns: 16})}})
	require.NoError(t, err)
	var mu sync.Mutex
	results := map[int]*replay.Result{}
	m, err := replay.Run(context.Background(), slices.Values(acts), ad,
		replay.WithMapping(replay.Mapping{RunID: runID}), replay.WithPacer(replay.SpeedPacer{Speed: roundTripSpeed}),
		replay.MaxInFlight(10), replay.Timeout(30*time.Second), replay.AbortOnErrorRate(0.05, 20),
		replay.OnResult(func(r *replay.Result) { mu.Lock(); results[r.Index] = r; mu.Unlock() }))
	require.NoError(t, err)
	s := m.Summary()
	t.Logf("replayed run %s: %d actions, %d requests, %d failed %v, %d in doubt, %d not sent in %.1f s; latency p50 %.0f ms p99 %.0f ms from sent",
		runID, s.Actions, s.Requests, s.Failed, s.ErrorClasses, s.InDoubt, s.NotSent, s.Wall, s.Total.FromSent.P50, s.Total.FromSent.P99)
	require.Zero(t, s.Failed+s.InDoubt+s.NotSent, "replay errors: %v", s.ErrorClasses)
	return results
}

// handling is a cell of handle times as the calibration pools them: a
// category's handlings at any tier it was not escalated to, or those after
// an escalation.
type handling struct {
	category  string
	escalated bool
}

// lag is what the replay added to a cell's handle times, in history
// seconds. RT stamps a transaction somewhere between the moment the
// request left (Sent) and its answer (Done), and the handle time read from
// RT is the owner change (the trace's answered) to the correspondence
// (agent_reply). So each handle time read from RT is the trace's plus
// speed × ((stamp − intended) of the reply − (stamp − intended) of the
// answer), which lies within Half of Mid. Both are means over the cell.
type lag struct {
	Mid, Half float64
	N         int
}

// lagOf pairs each answered action with the agent_reply that ends it and
// averages, per cell, what the replay's timing added between the two.
func lagOf(acts []trace.Action, results map[int]*replay.Result) map[handling]lag {
	type open struct {
		i    int
		tier string
	}
	started := map[int64]open{}
	escalatedTo := map[int64]map[string]bool{}
	sums := map[handling]*lag{}
	off := func(r *replay.Result) (mid, half float64) {
		span := r.Done.Sub(r.Sent).Seconds()
		return r.Sent.Sub(r.Intended).Seconds() + span/2, span / 2
	}
	for i, a := range acts {
		switch a.Kind {
		case trace.Escalated:
			if escalatedTo[a.Ticket] == nil {
				escalatedTo[a.Ticket] = map[string]bool{}
			}
			escalatedTo[a.Ticket][a.To] = true
		case trace.Answered:
			started[a.Ticket] = open{i, a.Tier}
		case trace.AgentReply:
			o, ok := started[a.Ticket]
			if !ok {
				continue
			}
			delete(started, a.Ticket)
			k := handling{a.Category, escalatedTo[a.Ticket][o.tier]}
			if sums[k] == nil {
				sums[k] = &lag{}
			}
			ma, ha := off(results[o.i])
			mr, hr := off(results[i])
			sums[k].Mid += roundTripSpeed * (mr - ma)
			sums[k].Half += roundTripSpeed * (hr + ha)
			sums[k].N++
		}
	}
	out := map[handling]lag{}
	for k, s := range sums {
		out[k] = lag{Mid: s.Mid / float64(s.N), Half: s.Half / float64(s.N), N: s.N}
	}
	return out
}

// handleWithin asserts that a handle-time mean read from RT, less what
// the replay added, covers the scenario's mean within its 95% interval
// widened by the uncertainty of where in its request RT stamped each
// transaction. RT's one-second stamps (speed seconds of history) add
// noise with mean zero to each handle time, which the sample's interval
// already holds; but they also make some short handle times 0, which the
// fits leave out (Durations.Zeros): the mean here counts them again.
func handleWithin(t *testing.T, what string, d Durations, l lag, truth float64) {
	t.Helper()
	require.Equal(t, l.N, d.N+d.Zeros, "%s: handlings read from RT and in the trace", what)
	read := d.Mean * float64(d.N) / float64(d.N+d.Zeros)
	corrected := read - l.Mid
	t.Logf("%s: read %.0f s ± %.0f (%d of %d in the same RT second), replay lag %.0f ± %.0f s, corrected %.0f s, scenario %.0f s",
		what, read, d.MeanCI95, d.Zeros, l.N, l.Mid, l.Half, corrected, truth)
	require.LessOrEqualf(t, math.Abs(corrected-truth), d.MeanCI95+l.Half,
		"%s: %.0f s (read %.0f less the replay's %.0f) ± %.0f + %.0f does not cover the scenario's %.0f s",
		what, corrected, read, l.Mid, d.MeanCI95, l.Half, truth)
}
