package report

import (
	"bytes"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/slasim/slasim/sim/staffing"
)

// staffingFixture is a hand-made plan of two tiers over two days in
// 30-minute intervals, with a shortfall in the evening peak and a
// sensitivity table, so the staffing charts can be pinned without planning.
func staffingFixture() *staffing.Plan {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	const n = 96
	req := &staffing.Requirements{Tiers: []string{"representative", "specialist"},
		Start: time.Date(2026, 11, 27, 0, 0, 0, 0, loc), Interval: 30 * time.Minute}
	var sched [][]float64
	for t, peak := range []float64{40, 6} {
		erl, simd, sc := make([]int, n), make([]int, n), make([]float64, n)
		for i := range erl {
			h := float64(i%48) / 2
			shape := math.Max(0.05, math.Sin(math.Pi*(h-6)/16))
			erl[i] = int(math.Round(peak * shape))
			simd[i] = erl[i] + (i/7)%2
			sc[i] = float64(simd[i]) + 0.5
			if t == 0 && i >= 84 && i < 88 {
				sc[i] = float64(simd[i]) - 3 // the evening peak short
			}
		}
		req.Erlang, req.Simulated = append(req.Erlang, erl), append(req.Simulated, simd)
		sched = append(sched, sc)
	}
	return &staffing.Plan{Scenario: "Black Friday (fixture)", Requirements: req,
		Schedule: &staffing.Schedule{Scheduled: sched}, Budget: &staffing.Budget{Weekly: 253609.6},
		Sensitivity: []staffing.Sensitivity{
			{Input: "volume", Change: "-10%", Delta: -17804}, {Input: "volume", Change: "+10%", Delta: 16773},
			{Input: "shrinkage", Change: "-1 pt", Delta: -2620}, {Input: "shrinkage", Change: "+1 pt", Delta: 2119}}}
}

// The staffing charts of a fixed plan are pinned as SVG: legends beside
// the data, agents from 0, money ticks and title with the tables' rounding
// (the title reads $253,610, as the budget table does).
func TestStaffingChartsGolden(t *testing.T) {
	charts, err := StaffingCharts(staffingFixture())
	if err != nil {
		t.Fatal(err)
	}
	if len(charts) != 2 {
		t.Fatalf("%d charts, want requirement and tornado", len(charts))
	}
	if got := charts[1].panels[0].Title.Text; got != "Weekly cost change against the plan ($253,610/week)" {
		t.Errorf("tornado title %q", got)
	}
	for _, c := range charts {
		checkChart(t, c)
		if c.panels[0].Y.Min != 0 && c.Name == "staffing" {
			t.Errorf("%s: y from %g, want 0", c.Name, c.panels[0].Y.Min)
		}
		var svg bytes.Buffer
		if err := c.WriteSVG(&svg); err != nil {
			t.Fatal(err)
		}
		golden(t, filepath.Join("charts", "staffing-"+c.Name+".svg"), svg.Bytes())
	}
}
