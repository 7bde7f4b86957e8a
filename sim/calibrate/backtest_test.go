package calibrate

import (
	"bytes"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat"

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
	// Per interval: the rows add up to the whole week, and the simulated
	// offered follows the observed through the day (summed over the week's
	// days per interval of the day: one interval of one day holds a few
	// contacts, too few to tell shape from Poisson noise).
	for _, c := range bt.Channels {
		obs, simulated := make([]float64, 48), make([]float64, 48)
		var sumObs, sumSim float64
		for _, r := range bt.Intervals {
			if r.Channel != c.Channel {
				continue
			}
			require.NotNil(t, r.Interval)
			require.Less(t, *r.Interval, 48, "30-minute intervals")
			require.Equal(t, r.Day, int(r.Start.Sub(calibrated.Meta.Start).Hours()/24))
			if r.ServiceLevel.Error != nil {
				require.InDelta(t, *r.ServiceLevel.Simulated-*r.ServiceLevel.Observed, *r.ServiceLevel.Error, 1e-12)
			}
			obs[*r.Interval] += *r.Offered.Observed
			simulated[*r.Interval] += *r.Offered.Simulated
			sumObs, sumSim = sumObs+*r.Offered.Observed, sumSim+*r.Offered.Simulated
		}
		require.Equal(t, *c.Offered.Observed, sumObs, "%s: observed offered over the intervals", c.Channel)
		require.InDelta(t, *c.Offered.Simulated, sumSim, 1e-6**c.Offered.Simulated, "%s: simulated offered over the intervals", c.Channel)
		require.Greater(t, stat.Correlation(obs, simulated, nil), 0.9, "%s: intraday shape per interval", c.Channel)
	}
}
