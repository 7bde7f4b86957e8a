package sim

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Escalation: a share of one tier's tickets goes on to the next tier, which
// may have its own target for them (an OLA).

func TestEscalationShareReachesNextTier(t *testing.T) {
	const p = 0.2
	// Enough first-tier agents that l2 never takes l1's new tickets as
	// overflow: everything l2 handles was escalated.
	sc := newScenario("4d").
		email("60/h", sla(0.8, "4h")).
		category("bug", 1, exponential("5m"), fmt.Sprintf(`escalate = [
  { to = "l2", p = %g, handle_time = %s },
  { from = "l2", to = "l3", p = 0.5 },
]`, p, exponential("20m"))).
		team("l1", []string{"email"}, 25).
		team("l2", []string{"email"}, 8).
		team("l3", []string{"email"}, 4).parse(t)
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

// A tier's own target for escalations (an OLA) is measured on the tickets
// escalated to it: met with ample agents, missed with too few.
func TestEscalationTargetOfATier(t *testing.T) {
	run := func(l2 int) *Result {
		sc := newScenario("4d").
			email("60/h", sla(0.8, "4h")).
			category("bug", 1, exponential("5m"), fmt.Sprintf(`escalate = { to = "l2", p = 0.3, handle_time = %s }`, exponential("20m"))).
			team("l1", []string{"email"}, 25).
			team("l2", []string{"email"}, l2, "sla = "+sla(0.8, "30m")).parse(t)
		r, err := Run(sc, Options{})
		require.NoError(t, err)
		return r
	}
	// 18 escalations an hour × 20 minutes = 6 erlangs at l2.
	ample, short := run(14), run(6)
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
