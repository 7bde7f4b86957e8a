package report

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/sim/calibrate"
)

// TestWorstBacktestIntervals ranks by the size of the service-level error
// and leaves out intervals with too few contacts to tell.
func TestWorstBacktestIntervals(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	row := func(ch string, offered, slErr float64) calibrate.BacktestRow {
		return calibrate.BacktestRow{Channel: ch, Offered: calibrate.Comparison{Observed: f(offered)},
			ServiceLevel: calibrate.Comparison{Error: f(slErr)}}
	}
	bt := &calibrate.Backtest{Intervals: []calibrate.BacktestRow{
		row("a", 10, 0.05), row("b", 4, -0.9), row("c", 6, -0.30), row("d", 5, 0.20),
		{Channel: "e", Offered: calibrate.Comparison{Observed: f(9)}},
	}}
	var got []string
	for _, r := range worstBacktestIntervals(bt) {
		got = append(got, r.Channel)
	}
	require.Equal(t, []string{"c", "d", "a"}, got)
}
