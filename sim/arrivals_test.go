package sim

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Arrivals: surges multiply the rate in their window, and forecast
// uncertainty scales each replication's days.

func TestSurgeMultipliesArrivalsInItsWindow(t *testing.T) {
	sc := newScenario("2d").set("replications", "20").
		channel("chat", "concurrent", "100/h", sla(0.8, "60s")).
		channel("phone", "sync", "100/h", sla(0.8, "60s")).
		surge("sale", "2026-11-23T10:00:00Z", "2026-11-23T14:00:00Z", 3, `channels = ["chat"]`).
		category("any", 1, exponential("1m")).
		team("rep", []string{"chat", "phone"}, 20, "concurrency = { chat = 3 }").parse(t)
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

func TestForecastUncertaintyWidensOutcomes(t *testing.T) {
	run := func(cv float64) *Result {
		sc := newScenario("3d").set("replications", "30").
			channel("phone", "sync", "100/h", sla(0.8, "20s"), fmt.Sprintf("forecast_cv = %g", cv)).
			category("any", 1, exponential("3m")).
			team("rep", []string{"phone"}, 7).parse(t)
		r, err := Run(sc, Options{})
		require.NoError(t, err)
		return r
	}
	sure, unsure := run(0), run(0.2)
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
