package report

import (
	"fmt"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/slasim/slasim/sim/replay"
)

// ReplayCharts builds the charts of a replay from its per-interval series:
// latency over time (p50 and p99 from the intended send time, p99 from the
// actual send time), throughput (actions due vs completed per second) and
// errors per interval.
func ReplayCharts(s replay.Summary) ([]*Chart, error) {
	iv := s.IntervalS
	if iv <= 0 {
		iv = 1
	}
	pts := func(f func(replay.IntervalStats) float64) plotter.XYs {
		xy := make(plotter.XYs, len(s.Intervals))
		for i, in := range s.Intervals {
			xy[i].X = in.Start + iv/2
			xy[i].Y = finite(f(in))
		}
		return xy
	}
	panel := func(title, ylabel string) *plot.Plot {
		p := plot.New()
		p.Title.Text = title
		p.X.Label.Text = "seconds since start"
		p.Y.Label.Text = ylabel
		p.Legend.Top = true
		p.Add(plotter.NewGrid())
		return p
	}
	maxOf := func(xy ...plotter.XYs) float64 {
		m := 0.0
		for _, s := range xy {
			for _, p := range s {
				m = max(m, p.Y)
			}
		}
		return m
	}

	lat := panel("Latency per interval", "ms")
	p50i := pts(func(in replay.IntervalStats) float64 { return in.P50Intended })
	p99i := pts(func(in replay.IntervalStats) float64 { return in.P99Intended })
	p99s := pts(func(in replay.IntervalStats) float64 { return in.P99Sent })
	for _, l := range []struct {
		xy     plotter.XYs
		name   string
		c      int
		dashed bool
	}{{p50i, "p50 from intended", 0, false}, {p99i, "p99 from intended", 1, false}, {p99s, "p99 from sent", 2, true}} {
		if err := line(lat, l.xy, l.name, palette[l.c], 1.5, l.dashed, nil); err != nil {
			return nil, err
		}
	}
	headroom(lat, maxOf(p50i, p99i, p99s))

	thr := panel("Throughput", fmt.Sprintf("actions per %gs", iv))
	due := pts(func(in replay.IntervalStats) float64 { return float64(in.Due) })
	done := pts(func(in replay.IntervalStats) float64 { return float64(in.Done) })
	if err := line(thr, due, "due (intended)", colGrey, 1.5, true, nil); err != nil {
		return nil, err
	}
	if err := line(thr, done, "completed", colBlue, 1.5, false, nil); err != nil {
		return nil, err
	}
	headroom(thr, maxOf(due, done))

	errp := panel("Errors", fmt.Sprintf("actions not ok per %gs, by intended time", iv))
	errs := pts(func(in replay.IntervalStats) float64 { return float64(in.Errors) })
	doubt := pts(func(in replay.IntervalStats) float64 { return float64(in.InDoubt) })
	unsent := pts(func(in replay.IntervalStats) float64 { return float64(in.NotSent) })
	if err := line(errp, errs, "failed", colRed, 1.5, false, light(colRed, 0.3)); err != nil {
		return nil, err
	}
	if err := line(errp, doubt, "in doubt", colBlue, 1.5, true, nil); err != nil {
		return nil, err
	}
	if err := line(errp, unsent, "due, not sent", colGrey, 1.5, true, nil); err != nil {
		return nil, err
	}
	headroom(errp, maxOf(errs, doubt, unsent))

	h := 3 * vg.Inch
	return []*Chart{
		{Name: "replay-latency", Title: "Replay latency over time",
			Caption: "Latency of each action from its intended send time (includes waiting) and from its actual send time.",
			panels:  []*plot.Plot{lat}, panelH: h},
		{Name: "replay-throughput", Title: "Replay throughput",
			Caption: "Actions due by the schedule and actions completed, per interval.", panels: []*plot.Plot{thr}, panelH: h},
		{Name: "replay-errors", Title: "Replay errors", Caption: "Actions that failed, ended in doubt, or were due and never sent, per interval.",
			panels: []*plot.Plot{errp}, panelH: h},
	}, nil
}

// WriteReplayCharts writes every replay chart as PNG and SVG into dir and
// returns the file names written.
func WriteReplayCharts(dir string, s replay.Summary) ([]string, error) {
	charts, err := ReplayCharts(s)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var names []string
	for _, c := range charts {
		for _, ext := range []string{"png", "svg"} {
			name := c.Name + "." + ext
			f, err := os.Create(filepath.Join(dir, name))
			if err != nil {
				return names, err
			}
			if ext == "png" {
				err = c.WritePNG(f, 0)
			} else {
				err = c.WriteSVG(f)
			}
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return names, fmt.Errorf("%s: %w", name, err)
			}
			names = append(names, name)
		}
	}
	return names, nil
}
