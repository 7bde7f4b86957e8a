package sim

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Routing: which waiting contact a free agent takes next (priorities,
// agents reserved for deferred work).

func TestVIPWaitsLessUnderLoad(t *testing.T) {
	sc := newScenario("3d").
		channel("phone", "sync", "190/h", sla(0.8, "20s"), "patience = "+exponential("5m")).
		priority("vip", 0.1, "sla = "+sla(0.9, "10s")).
		priority("normal", 0.9).
		category("any", 1, exponential("5m")).
		team("rep", []string{"phone"}, 16).parse(t)
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

// Agents reserved for deferred work (deferred_share) take email before
// calls: the email backlog is answered sooner and phone waits longer than
// when every agent puts live contacts first.
func TestDeferredShareReservesAgentsForBacklog(t *testing.T) {
	run := func(share float64) *Result {
		sc := newScenario("3d").
			channel("phone", "sync", "120/h", sla(0.8, "20s")).
			email("30/h", sla(0.8, "1h")).
			category("any", 1, exponential("5m")).
			team("rep", []string{"phone", "email"}, 13, fmt.Sprintf("deferred_share = %g", share)).parse(t)
		r, err := Run(sc, Options{})
		require.NoError(t, err)
		return r
	}
	live, split := run(0), run(0.3)
	// Clear of both confidence intervals: email first response (which
	// includes the 5-minute handling) shorter, phone ASA longer.
	le, se := live.Channels[1].ASASeconds, split.Channels[1].ASASeconds
	lp, sp := live.Channels[0].ASASeconds, split.Channels[0].ASASeconds
	t.Logf("email first response %.0fs → %.0fs, phone ASA %.1fs → %.1fs", le.Mean, se.Mean, lp.Mean, sp.Mean)
	assert.Less(t, se.Mean+se.CI95, le.Mean-le.CI95, "email first response: %.0fs with reserved agents, %.0fs without", se.Mean, le.Mean)
	assert.Greater(t, sp.Mean-sp.CI95, lp.Mean+lp.CI95, "phone ASA: %.1fs with reserved agents, %.1fs without", sp.Mean, lp.Mean)
}
