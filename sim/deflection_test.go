package sim

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Deflection: a share of contacts goes to a bot, and a share of those comes
// back to humans (fallback).

func TestDeflectionWithoutFallbackCutsHumanVolume(t *testing.T) {
	const d = 0.4
	sc := newScenario("3d").
		channel("chat", "concurrent", "200/h", sla(0.8, "60s")).
		category("status", 1, exponential("3m"), fmt.Sprintf(`deflect = { rate = %g, bot_time = "1m", fallback = 0, cost = 0.5 }`, d)).
		team("rep", []string{"chat"}, 20, "concurrency = { chat = 2 }").parse(t)
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
	sc := newScenario("3d").
		email("100/h", sla(0.8, "1h")).
		category("status", 1, exponential("3m"), `deflect = { rate = 0.5, bot_time = "2m", fallback = 0.3 }`).
		team("rep", []string{"email"}, 10).parse(t)
	r, err := Run(sc, Options{})
	require.NoError(t, err)
	ch := r.Channels[0]
	assert.InDelta(t, 0.3, ch.Fallback.Mean/ch.Deflected.Mean, 0.02)
	// Offered to humans: not deflected, plus the fallbacks.
	want := ch.Arrivals.Mean - ch.Deflected.Mean + ch.Fallback.Mean
	assert.InDelta(t, want, ch.Offered.Mean, 0.01*want)
}
