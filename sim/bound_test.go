package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestQueueBoundTurnsArrivalsAway: an unstable queue (twice the arrivals
// the agents can take, nobody abandons) stops growing at the bound, and
// the result says in which replications and how many arrivals were turned
// away; a stable one leaves no trace of the bound.
func TestQueueBoundTurnsArrivalsAway(t *testing.T) {
	// 120/h at 6 minutes each is 12 erlangs on 6 agents.
	sc := mmcScenario(t, 120, 360, 6, 0, 2, 3)
	res, err := Run(sc, Options{QueueLimit: 40})
	require.NoError(t, err)
	ch := res.Channels[0]
	assert.Equal(t, 40, res.QueueBound)
	assert.Equal(t, 3, ch.QueueBoundHit)
	assert.LessOrEqual(t, ch.MaxQueue.Mean, 40.0)
	assert.Equal(t, 40.0, ch.MaxQueue.Mean, "every replication fills the queue to the bound")
	// About half of 48 hours × 120/h is turned away once the queue is full.
	assert.InDelta(t, 2880, ch.TurnedAway, 600)
	assert.InDelta(t, ch.Arrivals.Mean+ch.TurnedAway, 120*48, 250, "arrivals + turned away = all that came")
	assert.Contains(t, res.QueueVerdict(), `channel "phone" reached the bound of 40 waiting contacts in 3 of 3 replications`)

	stable := mmcScenario(t, 30, 360, 6, 0, 2, 3)
	res, err = Run(stable, Options{QueueLimit: 40})
	require.NoError(t, err)
	assert.Zero(t, res.QueueBound)
	assert.Zero(t, res.Channels[0].QueueBoundHit)
	assert.Empty(t, res.QueueVerdict())
}
