package sim

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim/trace"
)

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

// TraceEach hands every replication its own trace: replication 0's is the
// one Trace gets, each counts the created tickets its result counts, and
// tracing leaves the result unchanged.
func TestTraceEachTracesEveryReplication(t *testing.T) {
	sc, err := model.Load("../scenarios/small-team.toml")
	require.NoError(t, err)
	var first []trace.Action
	plain, err := Run(sc, Options{Replications: 3, Trace: func(a trace.Action) error { first = append(first, a); return nil }})
	require.NoError(t, err)
	each := make([][]trace.Action, 3)
	traced, err := Run(sc, Options{Replications: 3, Workers: 2, TraceEach: func(r int) func(trace.Action) error {
		return func(a trace.Action) error { each[r] = append(each[r], a); return nil }
	}})
	require.NoError(t, err)
	require.Equal(t, plain, traced, "tracing changes nothing")
	require.Equal(t, first, each[0], "replication 0's trace")
	created := 0.0
	for r := range each {
		for _, a := range each[r] {
			if a.Kind == trace.Created && a.T >= 0 {
				created++
			}
		}
	}
	var arrivals float64
	for _, c := range traced.Channels {
		arrivals += c.Arrivals.Mean
	}
	require.InDelta(t, arrivals*3, created, 1e-6, "created tickets in the period over the replications")
}
