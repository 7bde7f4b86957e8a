package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An email channel that nobody answers after Monday's first hour: at the
// end of the period, the emails of the last four hours (the target) are
// undecided and every earlier one is missed. Each contact that arrived in
// the period is either offered or undecided, in every replication, and the
// tail starts exactly four hours before the end.
func TestTailCountsUndecidedContacts(t *testing.T) {
	sc := newScenario("2d").set("replications", "8").
		email("10/h", sla(0.9, "4h")).
		category("any", 1, exponential("10m")).
		tier("rep", []string{"email"}).
		shiftOn("rep", `days = "mon"`, "00:00", "1h", 1).
		parse(t)
	r, err := Run(sc, Options{})
	require.NoError(t, err)
	require.Len(t, r.Tail, 1)
	tail, ch := r.Tail[0], r.Channels[0]
	for i := range ch.Arrivals.Samples {
		assert.Equal(t, ch.Arrivals.Samples[i], ch.Offered.Samples[i]+tail.Undecided.Samples[i], "replication %d", i)
	}
	assert.Equal(t, 44*3600.0, tail.FromSeconds)
	require.Len(t, tail.Intervals, 4)
	for k, iv := range tail.Intervals {
		assert.Equal(t, 44+k, iv.Index)
	}
	// Poisson: 40 expected in the last 4 hours; the mean of 8 replications
	// has a standard error of √(40/8) ≈ 2.2, so ±9 is four of them.
	assert.InDelta(t, 40, tail.Undecided.Mean, 9)
	assert.Greater(t, tail.MissedOpen.Mean, 300.0, "the earlier emails wait past 4h, unanswered")
}
