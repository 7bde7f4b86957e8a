package report

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/slasim/slasim/sim/staffing"
)

// CurveSummary writes the cost-of-service curve as a table: per target,
// the weekly and yearly cost, FTE and peak headcount per tier, and the
// service level the plan reached re-simulated with fresh random streams.
func CurveSummary(w io.Writer, cv *staffing.Curve) error {
	fmt.Fprintf(w, "Cost of service: %s — target of %v met %s\n", cv.Scenario, cv.Channels, meetWords(cv.Meet))
	if cv.Quantile > 0 {
		fmt.Fprintf(w, "planned for the P%.0f volume of each channel's forecast uncertainty\n", 100*cv.Quantile)
	}
	fmt.Fprintln(w)
	t := &table{indent: "  ", head: []string{"target", "required agent-h", "$/week", "$/year", "Δ $/week", "FTE"}, right: []bool{true, true, true, true, true, true}}
	if len(cv.Points) > 0 {
		for _, tb := range cv.Points[0].Tiers {
			t.head = append(t.head, tb.Tier+" FTE", tb.Tier+" peak")
			t.right = append(t.right, true, true)
		}
	}
	t.head = append(t.head, "re-simulated SL", "met")
	t.right = append(t.right, false, false)
	for k, p := range cv.Points {
		delta := ""
		if k > 0 {
			delta = fmt.Sprintf("%+.0f", p.Weekly-cv.Points[k-1].Weekly)
		}
		row := []string{targetPercent(p.Target), fmt.Sprintf("%.0f", p.RequiredHours), group(int64(math.Round(p.Weekly))), group(int64(math.Round(p.Annual))), delta, fmt.Sprintf("%.1f", p.FTE)}
		for _, tb := range p.Tiers {
			row = append(row, fmt.Sprintf("%.1f", tb.FTE), strconv.Itoa(tb.Headcount))
		}
		got := ""
		for i, g := range p.Got {
			if i > 0 {
				got += ", "
			}
			got += g.Channel + " " + pctStat(g.Got)
		}
		row = append(row, got, map[bool]string{true: "yes", false: "NO"}[p.Met])
		t.addText(row...)
	}
	return t.write(w, false)
}

// CurveChart draws the weekly cost and the FTE against the target.
func CurveChart(cv *staffing.Curve) (*Chart, error) {
	cost, fte := plot.New(), plot.New()
	cost.Title.Text = "Weekly staff cost by service-level target"
	cost.Y.Label.Text = "per week"
	cost.Y.Tick.Marker = moneyTicks{}
	fte.Title.Text = "FTE by tier"
	fte.Y.Label.Text = "FTE"
	for _, pl := range []*plot.Plot{cost, fte} {
		pl.X.Label.Text = "service-level target"
		pl.X.Tick.Marker = targetTicks{}
		pl.Legend.Top, pl.Legend.Left = true, true
	}
	var c plotter.XYs
	for _, p := range cv.Points {
		c = append(c, plotter.XY{X: p.Target, Y: p.Weekly})
	}
	if err := line(cost, c, "total", colBlue, 1.5, false, nil); err != nil {
		return nil, err
	}
	if s, err := plotter.NewScatter(c); err == nil {
		s.GlyphStyle.Color = colBlue
		cost.Add(s)
	}
	if len(cv.Points) > 0 {
		for ti, tb := range cv.Points[0].Tiers {
			var f plotter.XYs
			for _, p := range cv.Points {
				f = append(f, plotter.XY{X: p.Target, Y: p.Tiers[ti].FTE})
			}
			if err := line(fte, f, tb.Tier, palette[ti%len(palette)], 1.2, false, nil); err != nil {
				return nil, err
			}
		}
	}
	return &Chart{Name: "curve", Title: "Cost of service",
		Caption: "One plan per target (requirement by simulation, rota, re-simulated check): weekly cost (top) and FTE per tier (bottom).",
		panels:  []*plot.Plot{cost, fte}, panelH: 3 * vg.Inch}, nil
}

// targetTicks marks a service-level target axis every 5 points.
type targetTicks struct{}

// Ticks implements plot.Ticker.
func (targetTicks) Ticks(min, max float64) []plot.Tick {
	var ts []plot.Tick
	for v := 0; v <= 100; v += 5 {
		if x := float64(v) / 100; x >= min-1e-9 && x <= max+1e-9 {
			ts = append(ts, plot.Tick{Value: x, Label: strconv.Itoa(v) + "%"})
		}
	}
	return ts
}
