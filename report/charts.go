package report

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"sort"
	"time"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
)

// Chart is one figure of a report: one or more panels stacked vertically
// sharing a width, e.g. one panel per channel.
type Chart struct {
	// Name is the file name without extension, e.g. "service-level".
	Name string
	// Title says what the chart shows; Caption how to read it.
	Title   string
	Caption string
	panels  []*plot.Plot
	panelH  vg.Length
}

// ChartWidth is the width charts are drawn at.
const ChartWidth = 10 * vg.Inch

// Size is the chart's size.
func (c *Chart) Size() (w, h vg.Length) {
	return ChartWidth, c.panelH*vg.Length(len(c.panels)) + vg.Points(10)
}

// WritePNG draws the chart as a PNG at dpi dots per inch (0: 144).
func (c *Chart) WritePNG(w io.Writer, dpi int) error {
	if dpi == 0 {
		dpi = 144
	}
	cw, ch := c.Size()
	img := vgimg.NewWith(vgimg.UseWH(cw, ch), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	c.draw(draw.New(img))
	_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(w)
	return err
}

// WriteSVG draws the chart as an SVG document.
func (c *Chart) WriteSVG(w io.Writer) error {
	cw, ch := c.Size()
	svg := vgsvg.New(cw, ch)
	c.draw(draw.New(svg))
	_, err := svg.WriteTo(w)
	return err
}

func (c *Chart) draw(dc draw.Canvas) {
	// A white page, so the SVG reads on dark backgrounds too.
	var bg vg.Path
	bg.Move(dc.Min)
	bg.Line(vg.Point{X: dc.Max.X, Y: dc.Min.Y})
	bg.Line(dc.Max)
	bg.Line(vg.Point{X: dc.Min.X, Y: dc.Max.Y})
	bg.Close()
	dc.SetColor(color.White)
	dc.Fill(bg)

	// Legends go in a strip right of the panels, never over the data.
	rows := make([][]*plot.Plot, len(c.panels))
	var legendW vg.Length
	for i, p := range c.panels {
		rows[i] = []*plot.Plot{p}
		r := p.Legend.Rectangle(dc)
		legendW = max(legendW, r.Max.X-r.Min.X)
	}
	area := dc
	if legendW > 0 {
		// A fifth more than measured: viewers of the SVG may substitute a
		// wider font than the one measured.
		area.Max.X -= legendW*1.2 + vg.Points(14)
	}
	t := draw.Tiles{Rows: len(rows), Cols: 1, PadY: vg.Points(14), PadTop: vg.Points(6),
		PadBottom: vg.Points(4), PadLeft: vg.Points(6), PadRight: vg.Points(16)}
	cs := plot.Align(rows, t, area)
	for i, row := range rows {
		p := row[0]
		legend := p.Legend
		p.Legend = plot.NewLegend()
		p.Draw(cs[i][0])
		p.Legend = legend
		if legendW > 0 {
			lc := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: area.Max.X + vg.Points(4), Y: cs[i][0].Min.Y},
				Max: vg.Point{X: dc.Max.X - vg.Points(4), Y: cs[i][0].Max.Y - vg.Points(20)}}}
			legend.Top, legend.Left, legend.XOffs, legend.YOffs = true, true, 0, 0
			legend.Draw(lc)
		}
	}
}

// Colours of the charts (a colour-blind-safe palette).
var (
	colBlue   = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	colOrange = color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}
	colGreen  = color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}
	colRed    = color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
	colPurple = color.RGBA{R: 0x94, G: 0x67, B: 0xbd, A: 0xff}
	colBrown  = color.RGBA{R: 0x8c, G: 0x56, B: 0x4b, A: 0xff}
	colPink   = color.RGBA{R: 0xe3, G: 0x77, B: 0xc2, A: 0xff}
	colTeal   = color.RGBA{R: 0x17, G: 0xbe, B: 0xcf, A: 0xff}
	colGrey   = color.RGBA{R: 0x7f, G: 0x7f, B: 0x7f, A: 0xff}
	// palette colours channels and tiers; red is kept for targets.
	palette = []color.Color{colBlue, colOrange, colGreen, colPurple, colBrown, colPink, colTeal}
)

// light returns c blended with white, for bands and areas.
func light(c color.Color, alpha float64) color.Color {
	r, g, b, _ := c.RGBA()
	mix := func(v uint32) uint8 { return uint8(255 - alpha*(255-float64(v>>8))) }
	return color.RGBA{R: mix(r), G: mix(g), B: mix(b), A: 0xff}
}

// Charts builds every chart of a result: service level by interval per
// channel with its target and 95% band, queue depth per channel, agents
// staffed and busy per tier, arrivals offered and deflected per channel,
// and cost per salary band.
func Charts(r *sim.Result, sc *model.Scenario) ([]*Chart, error) {
	b := chartBuilder{r: r, loc: location(r, sc)}
	b.group()
	var out []*Chart
	for _, f := range []func() (*Chart, error){b.serviceLevel, b.queueDepth, b.agents, b.arrivals, b.costPerBand} {
		c, err := f()
		if err != nil {
			return nil, err
		}
		if len(c.panels) > 0 {
			out = append(out, c)
		}
	}
	return out, nil
}

type chartBuilder struct {
	r        *sim.Result
	loc      *time.Location
	byChan   map[string][]sim.IntervalResult
	byTier   map[string][]sim.TierIntervalResult
	min, max float64
}

func (b *chartBuilder) group() {
	b.byChan = map[string][]sim.IntervalResult{}
	for _, x := range b.r.Intervals {
		b.byChan[x.Channel] = append(b.byChan[x.Channel], x)
	}
	for _, xs := range b.byChan {
		sort.SliceStable(xs, func(i, j int) bool { return xs[i].Index < xs[j].Index })
	}
	b.byTier = map[string][]sim.TierIntervalResult{}
	for _, x := range b.r.TierIntervals {
		b.byTier[x.Tier] = append(b.byTier[x.Tier], x)
	}
	for _, xs := range b.byTier {
		sort.SliceStable(xs, func(i, j int) bool { return xs[i].Index < xs[j].Index })
	}
	b.min = float64(b.r.Start.Unix())
	b.max = b.min + b.r.DurationSeconds
}

// mid is the x of an interval: its middle, in Unix seconds.
func (b *chartBuilder) mid(start time.Time) float64 {
	return float64(start.Unix()) + b.r.IntervalSeconds/2
}

// panel makes a time-series panel with the chart's look.
func (b *chartBuilder) panel(title, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(12)
	p.Title.TextStyle.Font.Weight = xfont.WeightBold
	p.Title.Padding = vg.Points(4)
	p.Y.Label.Text = ylabel
	p.X.Min, p.X.Max = b.min, b.max
	p.X.Tick.Marker = timeTicks{loc: b.loc}
	p.X.Tick.Label.Font.Size = vg.Points(9)
	p.Y.Tick.Label.Font.Size = vg.Points(9)
	p.Y.Tick.Marker = countTicks{}
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	p.Legend.ThumbnailWidth = vg.Points(16)
	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Gray{Y: 225}
	grid.Horizontal.Color = color.Gray{Y: 225}
	p.Add(grid)
	return p
}

// line adds a line (with a filled area below when fill is set) and names
// it in the legend.
func line(p *plot.Plot, pts plotter.XYs, name string, c color.Color, widthPt float64, dashed bool, fill color.Color) error {
	if len(pts) == 0 {
		return nil
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		return err
	}
	l.Color = c
	l.Width = vg.Points(widthPt)
	if dashed {
		l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	}
	l.FillColor = fill
	p.Add(l)
	if name != "" {
		p.Legend.Add(name, l)
	}
	return nil
}

// headroom starts a count axis at 0 and leaves a little air above the
// data (legends are drawn beside the panels, not over them).
func headroom(p *plot.Plot, top float64) {
	if top <= 0 || math.IsNaN(top) {
		top = 1
	}
	p.Y.Min = 0
	p.Y.Max = top * 1.08
}

func finite(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}

func (b *chartBuilder) serviceLevel() (*Chart, error) {
	c := &Chart{Name: "service-level", Title: "Service level by interval",
		Caption: "Share of offered contacts answered within the target time (deferred channels: first reply), by the interval they arrived in. The line is the mean over replications, the shaded band its 95% confidence interval, the red dashed line the target. Gaps are intervals where no contact was offered and decided.",
		panelH:  2.6 * vg.Inch}
	c.Caption += tailCaption(b.r)
	for i, ch := range b.r.Channels {
		col := palette[i%len(palette)]
		p := b.panel(fmt.Sprintf("%s — service level (target %s, overall %s)", ch.Name,
			slaText(ch.Target, ch.WithinSeconds, ch.Clock), pctStat(ch.ServiceLevel)), "within target")
		p.Y.Min, p.Y.Max = 0, 1.08
		p.Y.Tick.Marker = percentTicks{}
		// Contiguous runs of intervals where the service level is defined.
		var segs [][]sim.IntervalResult
		var cur []sim.IntervalResult
		for _, x := range b.byChan[ch.Name] {
			if x.ServiceLevel == nil || math.IsNaN(x.ServiceLevel.Mean) {
				if len(cur) > 0 {
					segs = append(segs, cur)
				}
				cur = nil
				continue
			}
			cur = append(cur, x)
		}
		if len(cur) > 0 {
			segs = append(segs, cur)
		}
		for k, seg := range segs {
			var upper, lower, mean plotter.XYs
			for _, x := range seg {
				sl := x.ServiceLevel
				xv := b.mid(x.Start)
				mean = append(mean, plotter.XY{X: xv, Y: finite(sl.Mean)})
				upper = append(upper, plotter.XY{X: xv, Y: math.Min(1, finite(sl.Mean+sl.CI95))})
				lower = append(lower, plotter.XY{X: xv, Y: math.Max(0, finite(sl.Mean-sl.CI95))})
			}
			if len(seg) == 1 { // a lone interval: give its band some width
				for _, xy := range []*plotter.XYs{&upper, &lower, &mean} {
					pt := (*xy)[0]
					*xy = plotter.XYs{{X: pt.X - b.r.IntervalSeconds/2, Y: pt.Y}, {X: pt.X + b.r.IntervalSeconds/2, Y: pt.Y}}
				}
			}
			band := append(plotter.XYs{}, upper...)
			for j := len(lower) - 1; j >= 0; j-- {
				band = append(band, lower[j])
			}
			poly, err := plotter.NewPolygon(band)
			if err != nil {
				return nil, err
			}
			poly.Color = light(col, 0.25)
			poly.LineStyle.Width = 0
			p.Add(poly)
			name := ""
			if k == 0 {
				name = "service level"
			}
			if err := line(p, mean, name, col, 1.4, false, nil); err != nil {
				return nil, err
			}
			if k == 0 {
				p.Legend.Add("95% CI", poly)
			}
		}
		target := plotter.XYs{{X: b.min, Y: ch.Target}, {X: b.max, Y: ch.Target}}
		if err := line(p, target, "target", colRed, 1.2, true, nil); err != nil {
			return nil, err
		}
		if err := b.shadeTail(p, ch.Name); err != nil {
			return nil, err
		}
		c.panels = append(c.panels, p)
	}
	return c, nil
}

func (b *chartBuilder) queueDepth() (*Chart, error) {
	c := &Chart{Name: "queue-depth", Title: "Queue depth over time",
		Caption: "Contacts waiting for an agent: the time-average in each interval (filled) and the largest queue seen in it; for deferred channels also the open backlog at the interval's end. Means over replications.",
		panelH:  2.3 * vg.Inch}
	c.Caption += tailCaption(b.r)
	for i, ch := range b.r.Channels {
		col := palette[i%len(palette)]
		p := b.panel(fmt.Sprintf("%s — queue depth (peak %s)", ch.Name, count(ch.MaxQueue.Mean)), "contacts waiting")
		var mean, mx, backlog plotter.XYs
		top := 0.0
		for _, x := range b.byChan[ch.Name] {
			xv := b.mid(x.Start)
			mean = append(mean, plotter.XY{X: xv, Y: finite(x.QueueMean.Mean)})
			mx = append(mx, plotter.XY{X: xv, Y: finite(x.MaxQueue.Mean)})
			backlog = append(backlog, plotter.XY{X: xv, Y: finite(x.Backlog.Mean)})
			top = math.Max(top, finite(x.MaxQueue.Mean))
			if ch.Mode == model.ModeDeferred {
				top = math.Max(top, finite(x.Backlog.Mean))
			}
		}
		if err := line(p, mean, "mean waiting", col, 1.2, false, light(col, 0.35)); err != nil {
			return nil, err
		}
		if err := line(p, mx, "most waiting", col, 0.8, true, nil); err != nil {
			return nil, err
		}
		if ch.Mode == model.ModeDeferred {
			if err := line(p, backlog, "open backlog", colGrey, 1.2, false, nil); err != nil {
				return nil, err
			}
		}
		headroom(p, top)
		if err := b.shadeTail(p, ch.Name); err != nil {
			return nil, err
		}
		c.panels = append(c.panels, p)
	}
	return c, nil
}

func (b *chartBuilder) agents() (*Chart, error) {
	c := &Chart{Name: "agents", Title: "Agents staffed and busy",
		Caption: "Time-average agents per tier in each interval: on shift (staffed), on shift and not on break (available), and busy with contacts. The gap between available and busy is idle capacity.",
		panelH:  2.3 * vg.Inch}
	for i, t := range b.r.Tiers {
		col := palette[i%len(palette)]
		p := b.panel(fmt.Sprintf("%s — agents (occupancy %s)", t.Name, pctStat(t.Occupancy)), "agents")
		var staffed, avail, busy plotter.XYs
		top := 0.0
		for _, x := range b.byTier[t.Name] {
			xv := b.mid(x.Start)
			staffed = append(staffed, plotter.XY{X: xv, Y: finite(x.Staffed.Mean)})
			avail = append(avail, plotter.XY{X: xv, Y: finite(x.Available.Mean)})
			busy = append(busy, plotter.XY{X: xv, Y: finite(x.Busy.Mean)})
			top = math.Max(top, finite(x.Staffed.Mean))
		}
		if err := line(p, staffed, "staffed", colGrey, 1, false, color.Gray{Y: 232}); err != nil {
			return nil, err
		}
		if err := line(p, avail, "available", colGrey, 0.8, true, nil); err != nil {
			return nil, err
		}
		if err := line(p, busy, "busy", col, 1.2, false, light(col, 0.45)); err != nil {
			return nil, err
		}
		headroom(p, top)
		c.panels = append(c.panels, p)
	}
	return c, nil
}

func (b *chartBuilder) arrivals() (*Chart, error) {
	c := &Chart{Name: "arrivals", Title: "Arrivals: offered to agents and deflected",
		Caption: fmt.Sprintf("Contacts per %s interval: every arrival, those offered to an agent queue, and those taken by automation (deflected). Means over replications.", seconds(b.r.IntervalSeconds)),
		panelH:  2.3 * vg.Inch}
	c.Caption += tailCaption(b.r)
	for i, ch := range b.r.Channels {
		col := palette[i%len(palette)]
		p := b.panel(fmt.Sprintf("%s — arrivals (%s in the period, %s deflected)", ch.Name,
			count(ch.Arrivals.Mean), count(ch.Deflected.Mean)), "contacts per "+seconds(b.r.IntervalSeconds))
		var arr, off, defl plotter.XYs
		top := 0.0
		for _, x := range b.byChan[ch.Name] {
			xv := b.mid(x.Start)
			arr = append(arr, plotter.XY{X: xv, Y: finite(x.Arrivals.Mean)})
			off = append(off, plotter.XY{X: xv, Y: finite(x.Offered.Mean)})
			defl = append(defl, plotter.XY{X: xv, Y: finite(x.Deflected.Mean)})
			top = math.Max(top, finite(x.Arrivals.Mean))
		}
		if err := line(p, arr, "arrivals", colGrey, 1, false, nil); err != nil {
			return nil, err
		}
		if err := line(p, off, "offered", col, 1.4, false, light(col, 0.3)); err != nil {
			return nil, err
		}
		if err := line(p, defl, "deflected", colorBlack, 1.2, true, nil); err != nil {
			return nil, err
		}
		headroom(p, top)
		if err := b.shadeTail(p, ch.Name); err != nil {
			return nil, err
		}
		c.panels = append(c.panels, p)
	}
	return c, nil
}

func (b *chartBuilder) costPerBand() (*Chart, error) {
	c := &Chart{Name: "cost", Title: "Cost per salary band",
		Caption: "Staff cost of each salary band over the period (staffed hours × hourly cost), and automation cost of deflected tickets; error bars are 95% confidence intervals.",
		panelH:  3.2 * vg.Inch}
	var names []string
	var vals plotter.Values
	var errs plotter.YErrors
	for _, bd := range b.r.Bands {
		names = append(names, bd.Name)
		vals = append(vals, finite(bd.Cost.Mean))
		errs = append(errs, struct{ Low, High float64 }{finite(bd.Cost.CI95), finite(bd.Cost.CI95)})
	}
	if b.r.Cost.Automation.Mean > 0 {
		names = append(names, "automation")
		vals = append(vals, finite(b.r.Cost.Automation.Mean))
		errs = append(errs, struct{ Low, High float64 }{finite(b.r.Cost.Automation.CI95), finite(b.r.Cost.Automation.CI95)})
	}
	if len(vals) == 0 {
		return c, nil
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Cost per salary band — total %s (%s per resolved ticket)", Money(b.r.Cost.Total.Mean), Money(b.r.Cost.PerResolved.Mean))
	p.Title.TextStyle.Font.Size = vg.Points(12)
	p.Title.TextStyle.Font.Weight = xfont.WeightBold
	p.Title.Padding = vg.Points(4)
	p.Y.Label.Text = "cost"
	p.Y.Tick.Marker = moneyTicks{}
	p.X.Tick.Label.Font.Size = vg.Points(10)
	p.Y.Tick.Label.Font.Size = vg.Points(9)
	grid := plotter.NewGrid()
	grid.Vertical.Width = 0
	grid.Horizontal.Color = color.Gray{Y: 225}
	p.Add(grid)
	bars, err := plotter.NewBarChart(vals, vg.Points(60))
	if err != nil {
		return nil, err
	}
	bars.Color = colBlue
	bars.LineStyle.Width = 0
	p.Add(bars)
	pts := make(plotter.XYs, len(vals))
	for i, v := range vals {
		pts[i] = plotter.XY{X: float64(i), Y: v}
	}
	eb, err := plotter.NewYErrorBars(struct {
		plotter.XYs
		plotter.YErrors
	}{pts, errs})
	if err != nil {
		return nil, err
	}
	eb.LineStyle.Width = vg.Points(1.2)
	p.Add(eb)
	labels, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: func() []string {
		ls := make([]string, len(vals))
		for i, v := range vals {
			ls[i] = Money(v)
		}
		return ls
	}()})
	if err != nil {
		return nil, err
	}
	for i := range labels.TextStyle {
		labels.TextStyle[i].XAlign = draw.XCenter
		labels.TextStyle[i].Font.Size = vg.Points(10)
	}
	labels.Offset = vg.Point{Y: vg.Points(8)}
	p.Add(labels)
	p.NominalX(names...)
	top := 0.0
	for i, v := range vals {
		top = math.Max(top, v+errs[i].High)
	}
	p.Y.Min, p.Y.Max = 0, math.Max(1, top*1.2)
	c.panels = append(c.panels, p)
	return c, nil
}
