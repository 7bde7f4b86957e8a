package calibrate

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// seasonalSeries is a daily series with a linear trend and a weekly
// pattern, with a deterministic ±3% wobble.
func seasonalSeries(days int) []float64 {
	weekly := []float64{1.3, 1.1, 1.0, 1.0, 0.9, 0.4, 0.3}
	y := make([]float64, days)
	for t := range y {
		wobble := 1 + 0.03*math.Sin(float64(t)*2.3)
		y[t] = (200 + 3*float64(t)) * weekly[t%7] * wobble
	}
	return y
}

// TestHoltWintersRecoversSeasonalTrend fits eight weeks of a trending
// weekly series and forecasts the next two within 5% per day (the series'
// own wobble is 3%); the held-out weeks report an error of the same size.
func TestHoltWintersRecoversSeasonalTrend(t *testing.T) {
	y := seasonalSeries(70)
	h, err := FitHoltWinters(y[:56])
	require.NoError(t, err)
	f := h.Forecast(14)
	for i, v := range f {
		truth := y[56+i]
		require.InDelta(t, truth, v, 0.05*truth, "day %d", 56+i)
	}
	e := HeldOut(y[:56], 4)
	require.Equal(t, 4, e.Weeks)
	require.Less(t, e.MAPE, 0.05)
	require.Less(t, math.Abs(e.Bias), 0.03)
	// A seasonal naive forecast, last week again, misses the trend by
	// about 3 × 7 ÷ 370 ≈ 6% a week: Holt-Winters must do better.
	var naive, hw float64
	for i := 0; i < 7; i++ {
		naive += math.Abs(y[49+i]-y[56+i]) / y[56+i]
		hw += math.Abs(f[i]-y[56+i]) / y[56+i]
	}
	require.Less(t, hw, naive)
}

func TestPeakFactorFindsLastYearsPeak(t *testing.T) {
	y := seasonalSeries(400)
	y[30] *= 3 // last year's Black Friday
	require.InDelta(t, 3, peakFactor(y, 30), 0.3)
	require.Equal(t, 1.0, peakFactor(y, 31))
	require.Equal(t, 1.0, peakFactor(y, -5))
}
