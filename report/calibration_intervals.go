package report

import (
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/slasim/slasim/sim/calibrate"
)

// WorstBacktestIntervals is how many intervals the backtest summary lists, and
// MinIntervalContacts how many contacts an interval must have seen to be
// ranked: with fewer, its error is mostly Poisson noise.
const (
	WorstBacktestIntervals = 8
	MinIntervalContacts    = 5
)

// worstBacktestIntervals picks the backtest's intervals with the largest service
// level error, |simulated − observed|, among those with at least
// MinIntervalContacts observed contacts; ties go to the earlier row.
func worstBacktestIntervals(bt *calibrate.Backtest) []calibrate.BacktestRow {
	var rows []calibrate.BacktestRow
	for _, r := range bt.Intervals {
		if r.ServiceLevel.Error != nil && r.Offered.Observed != nil && *r.Offered.Observed >= MinIntervalContacts {
			rows = append(rows, r)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		return math.Abs(*rows[i].ServiceLevel.Error) > math.Abs(*rows[j].ServiceLevel.Error)
	})
	return rows[:min(len(rows), WorstBacktestIntervals)]
}

// writeWorstIntervals writes the table of the worst intervals.
func writeWorstIntervals(w io.Writer, cal *calibrate.Calibration) error {
	rows := worstBacktestIntervals(cal.Backtest)
	if len(rows) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\nWorst intervals by service-level error (intervals of %s with %d or more contacts observed; all in calibration.json):\n", cal.Interval, MinIntervalContacts)
	t := &table{indent: "  ", head: []string{"channel", "interval", "offered obs/sim", "SLA obs/sim (err)", "ASA obs/sim (err)", "abandoned obs/sim (err)", "backlog obs/sim (err)"},
		right: []bool{false, false, true, true, true, true, true}}
	for _, r := range rows {
		at := ""
		if r.Start != nil {
			at = r.Start.In(cal.Start.Location()).Format("Mon 2 Jan 15:04")
		}
		t.addText(r.Channel, at, cmpCount(r.Offered), cmpShare(r.ServiceLevel), cmpTime(r.ASA), cmpShare(r.Abandonment), cmpBacklog(r.Backlog))
	}
	return t.write(w, false)
}
