package calibrate

import (
	"bytes"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
)

// TestBacktestReproducesItsHistory calibrates the small team from its own
// trace, simulates the calibrated scenario (with the rota inferred from
// the agents' activity) over the same week, and requires the whole-week
// figures to land near what the trace shows: offered within 10%, service
// level within 10 points, abandonment within 5 points.
func TestBacktestReproducesItsHistory(t *testing.T) {
	sc := loadBundled(t, "small-team.toml")
	cal := historyOf(t, sc).Estimate("small-team trace")
	var b bytes.Buffer
	require.NoError(t, cal.WriteScenario(&b, ScenarioOptions{Replications: 4}))
	calibrated, err := model.Parse("calibrated.toml", b.Bytes())
	require.NoError(t, err)
	bt, err := RunBacktest(cal, calibrated, sim.Options{})
	require.NoError(t, err)
	require.Len(t, bt.Channels, 2)
	require.Len(t, bt.Days, 14)
	for _, r := range bt.Channels {
		require.InDelta(t, *r.Offered.Observed, *r.Offered.Simulated, 0.1**r.Offered.Observed, "%s offered", r.Channel)
		require.Less(t, math.Abs(*r.ServiceLevel.Error), 0.10, "%s service level", r.Channel)
		require.Less(t, math.Abs(*r.Abandonment.Error), 0.05, "%s abandonment", r.Channel)
	}
}
