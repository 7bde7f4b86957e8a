package sim

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEstimateCountsExpectedArrivals: the estimate of an M/M/n scenario is
// its rate times the horizon with the warm-up (2 days + 4 h at 120/h), its
// intervals and replications; past a limit Check says what to change.
func TestEstimateCountsExpectedArrivals(t *testing.T) {
	sc := mmcScenario(t, 120, 360, 6, 0, 2, 3)
	w, err := Estimate(sc, Options{})
	require.NoError(t, err)
	assert.InDelta(t, 120*52, w.Tickets, 1e-6)
	assert.Equal(t, 48, w.Intervals)
	assert.Equal(t, 3, w.Replications)
	assert.Equal(t, 1, w.Channels)
	assert.InDelta(t, 3*120*52, w.TotalTickets(), 1e-6)
	assert.Greater(t, w.Bytes, float64(64<<20))
	require.NoError(t, w.Check(DefaultLimits))

	w, err = Estimate(sc, Options{Replications: 1000})
	require.NoError(t, err)
	err = w.Check(Limits{Tickets: 1e6})
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrTooBig))
	assert.Contains(t, err.Error(), "6.2 million tickets (6240 per replication × 1000 replications) exceed the limit of 1.0 million")
	assert.Contains(t, err.Error(), "--max-tickets")

	err = w.Check(Limits{Bytes: 1 << 20})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "48 intervals × 1 channels")

	w.Tickets = math.NaN()
	assert.Error(t, w.Check(DefaultLimits), "a NaN estimate is refused")
}
