package report

import (
	"fmt"
	"image/color"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/slasim/slasim/sim/staffing"
)

// StaffingCharts draws the requirement against the rota per tier (the
// intervals where the rota falls short shaded red) and, when the plan has a
// sensitivity table, the tornado chart of weekly cost.
func StaffingCharts(p *staffing.Plan) ([]*Chart, error) {
	req := p.Requirements
	c := &Chart{Name: "staffing", Title: "Requirement vs scheduled agents",
		Caption: "Per tier and interval: agents needed by simulation (black), Erlang's figure (grey, dashed) and agents the rota puts on the floor after breaks and absences (blue); red bars mark a shortfall.",
		panelH:  2.6 * vg.Inch}
	// Time axis: Unix seconds, ticked in the scenario's time zone.
	h := req.Interval.Seconds()
	t0 := float64(req.Start.Unix())
	for t, name := range req.Tiers {
		pl := plot.New()
		pl.Title.Text = name
		pl.X.Tick.Marker = timeTicks{loc: req.Start.Location()}
		pl.X.Label.Text = req.Start.Format("MST")
		pl.Y.Label.Text = "agents"
		var sim, erl, sch plotter.XYs
		var gap plotter.XYs
		for i := range req.Simulated[t] {
			x := t0 + float64(i)*h
			sim = append(sim, plotter.XY{X: x, Y: float64(req.Simulated[t][i])}, plotter.XY{X: x + h, Y: float64(req.Simulated[t][i])})
			erl = append(erl, plotter.XY{X: x, Y: float64(req.Erlang[t][i])}, plotter.XY{X: x + h, Y: float64(req.Erlang[t][i])})
			s := p.Schedule.Scheduled[t][i]
			sch = append(sch, plotter.XY{X: x, Y: s}, plotter.XY{X: x + h, Y: s})
			if d := float64(req.Simulated[t][i]) - s; d > 0.05 {
				gap = append(gap, plotter.XY{X: x + h/2, Y: d})
			}
		}
		if err := line(pl, sch, "scheduled", colBlue, 1.2, false, light(colBlue, 0.2)); err != nil {
			return nil, err
		}
		if err := line(pl, erl, "Erlang", colGrey, 0.8, true, nil); err != nil {
			return nil, err
		}
		if err := line(pl, sim, "required (simulated)", colorBlack, 1.2, false, nil); err != nil {
			return nil, err
		}
		if len(gap) > 0 {
			sc, err := plotter.NewScatter(gap)
			if err != nil {
				return nil, err
			}
			sc.GlyphStyle.Color = colRed
			sc.GlyphStyle.Radius = vg.Points(2)
			pl.Add(sc)
			pl.Legend.Add("shortfall (agents)", sc)
		}
		top := 1.0
		for _, xy := range append(append(sim, erl...), sch...) {
			top = max(top, xy.Y)
		}
		headroom(pl, top)
		c.panels = append(c.panels, pl)
	}
	charts := []*Chart{c}
	if len(p.Sensitivity) > 0 {
		t, err := tornado(p)
		if err != nil {
			return nil, err
		}
		charts = append(charts, t)
	}
	return charts, nil
}

var colorBlack = color.Black

// tornado draws, per input, the change of weekly cost for its low and
// high variant, widest bar on top.
func tornado(p *staffing.Plan) (*Chart, error) {
	type bar struct {
		input    string
		lo, hi   float64
		loL, hiL string
	}
	byInput := map[string]*bar{}
	var order []string
	for _, s := range p.Sensitivity {
		if s.NA {
			continue
		}
		b := byInput[s.Input]
		if b == nil {
			b = &bar{input: s.Input}
			byInput[s.Input] = b
			order = append(order, s.Input)
		}
		if b.loL == "" {
			b.lo, b.loL = s.Delta, s.Change
		} else {
			b.hi, b.hiL = s.Delta, s.Change
		}
	}
	bars := make([]*bar, 0, len(order))
	for _, k := range order {
		bars = append(bars, byInput[k])
	}
	sort.Slice(bars, func(i, j int) bool {
		return abs(bars[i].hi-bars[i].lo) < abs(bars[j].hi-bars[j].lo)
	})
	pl := plot.New()
	pl.Title.Text = fmt.Sprintf("Weekly cost change against the plan (%s/week)", Money(p.Budget.Weekly))
	pl.X.Label.Text = "change of the weekly staff cost"
	pl.X.Tick.Marker = moneyTicks{signed: true}
	var names []string
	lo := make(plotter.Values, len(bars))
	hi := make(plotter.Values, len(bars))
	for i, b := range bars {
		names = append(names, b.input+" ("+b.loL+" / "+b.hiL+")")
		lo[i], hi[i] = b.lo, b.hi
	}
	w := vg.Points(18)
	bl, err := plotter.NewBarChart(lo, w)
	if err != nil {
		return nil, err
	}
	bl.Horizontal = true
	bl.Color = colBlue
	bl.LineStyle.Width = 0
	bh, err := plotter.NewBarChart(hi, w)
	if err != nil {
		return nil, err
	}
	bh.Horizontal = true
	bh.Color = colOrange
	bh.LineStyle.Width = 0
	pl.Add(bl, bh)
	pl.Legend.Add("lower input", bl)
	pl.Legend.Add("higher input", bh)
	pl.NominalY(names...)
	return &Chart{Name: "tornado", Title: "Sensitivity of the weekly cost",
		Caption: "Each bar re-plans the rota with one input changed; bars are the change of the weekly staff cost.",
		panels:  []*plot.Plot{pl}, panelH: 3.2 * vg.Inch}, nil
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
