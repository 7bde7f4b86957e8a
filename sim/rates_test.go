package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The rate table is the engine's: profile, weekday and surge multiply the
// base rate, and the simulated arrivals per interval agree with it.
func TestRatesAreTheEnginesRates(t *testing.T) {
	sc := newScenario("7d").set("replications", "20").
		channel("phone", "sync", "120/h", `{ target = 0.8, within = "20s" }`, `profile = "p"`).
		category("all", 1, `{ dist = "exponential", mean = "1m" }`).
		tier("rep", []string{"phone"}).shift("rep", "00:00", "24h", 10).
		raw("[[profile]]\nname = \"p\"\nintraday = [1, 3]\nweekly = [1, 1, 1, 1, 2, 1, 1]").
		raw("[[surge]]\nname = \"peak\"\nfrom = 2026-11-27T12:00:00Z\nto = 2026-11-27T18:00:00Z\nfactor = 3").parse(t)
	rt, err := NewRates(sc)
	require.NoError(t, err)
	h := 3600.0
	assert.InDelta(t, 120*0.5/h, rt.At(0, 2*h), 1e-12, "Monday night: intraday 1 of mean 2")
	assert.InDelta(t, 120*1.5/h, rt.At(0, 14*h), 1e-12, "Monday afternoon")
	fri := 4 * 24 * h
	assert.InDelta(t, 120*1.5*2*3/h, rt.At(0, fri+13*h), 1e-12, "Friday surge")
	assert.InDelta(t, 120*1.5*2/h, rt.At(0, fri+19*h), 1e-12, "Friday after the surge")
	assert.Zero(t, rt.At(0, 8*24*h), "past the end")
	assert.InDelta(t, 120*1.5*2, rt.Expected(0, -2*h, 0), 1e-9, "the warm-up is Sunday 22:00-24:00, the second half of the day")

	res, err := Run(sc, Options{})
	require.NoError(t, err)
	ivs := rt.Intervals(0)
	require.Len(t, res.Intervals, len(ivs))
	var want, got float64
	for _, p := range res.Intervals {
		want += ivs[p.Index] * h
		got += p.Arrivals.Mean
	}
	assert.InDelta(t, want, got, 0.01*want, "simulated arrivals over the week")
}
