package report

import (
	"fmt"
	"image/color"
	"io"
	"math"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/slasim/slasim/sim/calibrate"
)

// WriteCalibrationHTML writes calibration.html: one self-contained page
// with what was estimated and the fitted-vs-observed charts (daily volume
// against level × weekly pattern, the intraday profile, patience's
// Kaplan–Meier curve against the fitted exponential, and the backtest's
// daily service level when there is one).
func WriteCalibrationHTML(w io.Writer, cal *calibrate.Calibration) error {
	charts, err := CalibrationCharts(cal)
	if err != nil {
		return err
	}
	v := htmlView{Title: "Calibration: " + cal.Source, Sentence: calibrationSentence(cal)}
	for _, c := range cal.Channels {
		v.Headlines = append(v.Headlines, headline{Label: c.Name + " rate", Value: fmt.Sprintf("%.3g/h", c.RatePerHour),
			Detail: fmt.Sprintf("± %.2g · %s contacts", c.RateCI95, group(int64(c.Contacts)))})
	}
	if err := addCharts(&v, charts); err != nil {
		return err
	}
	v.Tables = []htmlTable{
		fromTable("Channels", "Rates with 95% intervals; patience by the exponential MLE with answered waits censored (the naive mean of abandoned waits is biased low).", calChannelTable(cal)),
		fromTable("Categories", "Handle times fitted by maximum likelihood; the fit with the smaller Kolmogorov–Smirnov distance goes in the scenario.", calCategoryTable(cal)),
	}
	if t := calEscalationTable(cal); len(t.rows) > 0 {
		v.Tables = append(v.Tables, fromTable("Escalations", "Tickets escalated from a tier ÷ tickets that ended a handling there.", t))
	}
	if cal.Backtest != nil {
		v.Tables = append(v.Tables, fromTable("Backtest", "The calibrated scenario simulated over the history's period; error = simulated − observed.", backtestTable(cal)))
	}
	v.Footer = fmt.Sprintf("slasim calibrate · %s · %d warnings, %d bad rows", cal.Source, len(cal.Warnings), cal.Issues.Errors())
	return htmlPage.Execute(w, v)
}

// CalibrationCharts draws the fitted-vs-observed charts of a calibration.
func CalibrationCharts(cal *calibrate.Calibration) ([]*Chart, error) {
	daily := &Chart{Name: "calibration-daily", Title: "Daily volume: observed and fitted", Caption: "Contacts created each day (solid) against the fitted rate × 24 h × the weekday's multiplier (dashed).", panelH: 2.2 * vg.Inch}
	intra := &Chart{Name: "calibration-intraday", Title: "Intraday profile", Caption: "Contacts per interval of the day over all days, scaled to mean 1.", panelH: 2 * vg.Inch}
	pat := &Chart{Name: "calibration-patience", Title: "Patience: Kaplan–Meier against the fitted exponential", Caption: "Share of customers still willing to wait after t (solid, Kaplan–Meier with answered waits censored) against exp(−t ÷ MLE mean) (dashed).", panelH: 2.2 * vg.Inch}
	bt := &Chart{Name: "calibration-backtest", Title: "Backtest: daily service level", Caption: "Observed (solid) and simulated (dashed) share answered within the threshold, per day.", panelH: 2 * vg.Inch}
	backlog := &Chart{Name: "calibration-backlog", Title: "Backtest: backlog at the end of each day", Caption: "Deferred channels: tickets of the period still open at the day's end, observed (solid) and simulated (dashed, mean over replications).", panelH: 2 * vg.Inch}
	resolution := &Chart{Name: "calibration-resolution", Title: "Backtest: daily resolution time", Caption: "Mean time from creation to resolution of each day's contacts resolved in the period, observed (solid) and simulated (dashed).", panelH: 2 * vg.Inch}
	for i, c := range cal.Channels {
		col := palette[i%len(palette)]
		var obs, fit, prof plotter.XYs
		for d, n := range c.Daily {
			dow := (int(cal.Start.AddDate(0, 0, d).Weekday()) + 6) % 7
			obs = append(obs, plotter.XY{X: float64(d + 1), Y: n})
			fit = append(fit, plotter.XY{X: float64(d + 1), Y: c.RatePerHour * 24 * c.Weekly[dow]})
		}
		for s, m := range c.Intraday {
			prof = append(prof, plotter.XY{X: 24 * float64(s) / float64(len(c.Intraday)), Y: m})
		}
		p := simplePanel(c.Name, "day of the history", "contacts")
		if err := addLines(p, []plotter.XYs{obs, fit}, []string{"observed", "fitted"}, col); err != nil {
			return nil, err
		}
		daily.panels = append(daily.panels, p)
		p = simplePanel(c.Name, "hour of the day", "multiplier")
		if err := addLines(p, []plotter.XYs{prof}, []string{"profile"}, col); err != nil {
			return nil, err
		}
		intra.panels = append(intra.panels, p)
		if pt := c.Patience; pt != nil && pt.Abandons > 0 && len(pt.Survival) > 1 {
			var km, ex plotter.XYs
			for _, s := range pt.Survival {
				km = append(km, plotter.XY{X: s[0], Y: s[1]})
				ex = append(ex, plotter.XY{X: s[0], Y: math.Exp(-s[0] / pt.MeanMLE)})
			}
			p = simplePanel(c.Name, "seconds waited", "still waiting")
			if err := addLines(p, []plotter.XYs{km, ex}, []string{"Kaplan–Meier", "exponential MLE"}, col); err != nil {
				return nil, err
			}
			pat.panels = append(pat.panels, p)
		}
		if cal.Backtest != nil {
			if err := backtestPanels(cal, c.Name, col, bt, backlog, resolution); err != nil {
				return nil, err
			}
		}
	}
	var out []*Chart
	for _, c := range []*Chart{daily, intra, pat, bt, backlog, resolution} {
		if len(c.panels) > 0 {
			out = append(out, c)
		}
	}
	return out, nil
}

// backtestPanels adds one channel's daily observed-against-simulated
// service level, backlog (deferred channels) and resolution time to their
// charts.
func backtestPanels(cal *calibrate.Calibration, channel string, col color.Color, sl, backlog, resolution *Chart) error {
	figures := []struct {
		chart  *Chart
		ylabel string
		scale  float64
		of     func(calibrate.BacktestRow) calibrate.Comparison
	}{
		{sl, "service level", 1, func(r calibrate.BacktestRow) calibrate.Comparison { return r.ServiceLevel }},
		{backlog, "open tickets", 1, func(r calibrate.BacktestRow) calibrate.Comparison { return r.Backlog }},
		{resolution, "hours", 1.0 / 3600, func(r calibrate.BacktestRow) calibrate.Comparison { return r.Resolution }},
	}
	for _, f := range figures {
		var o, s plotter.XYs
		for _, r := range cal.Backtest.Days {
			if c := f.of(r); r.Channel == channel && c.Observed != nil && c.Simulated != nil {
				o = append(o, plotter.XY{X: float64(r.Day + 1), Y: *c.Observed * f.scale})
				s = append(s, plotter.XY{X: float64(r.Day + 1), Y: *c.Simulated * f.scale})
			}
		}
		if len(o) == 0 {
			continue
		}
		p := simplePanel(channel, "day of the history", f.ylabel)
		if err := addLines(p, []plotter.XYs{o, s}, []string{"observed", "simulated"}, col); err != nil {
			return err
		}
		f.chart.panels = append(f.chart.panels, p)
	}
	return nil
}

// simplePanel is a panel with numeric axes in the charts' look.
func simplePanel(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(12)
	p.Title.TextStyle.Font.Weight = xfont.WeightBold
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	p.X.Tick.Label.Font.Size = vg.Points(9)
	p.Y.Tick.Label.Font.Size = vg.Points(9)
	p.Legend.Top = true
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Gray{Y: 225}
	grid.Horizontal.Color = color.Gray{Y: 225}
	p.Add(grid)
	return p
}

// addLines draws the first series solid and the others dashed, all in col.
func addLines(p *plot.Plot, series []plotter.XYs, names []string, col color.Color) error {
	top := 0.0
	for i, s := range series {
		for _, pt := range s {
			top = math.Max(top, pt.Y)
		}
		if err := line(p, s, names[i], col, 1.5, i > 0, nil); err != nil {
			return err
		}
	}
	headroom(p, top)
	return nil
}
