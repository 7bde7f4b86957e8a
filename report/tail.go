package report

import (
	"image/color"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/slasim/slasim/sim"
)

// The end-of-period tail in the reports: the contacts still open when the
// period ended (sim.TailResult). Those not yet past their target have no
// outcome; every report says how many there are, and charts shade the
// intervals from which they make up the figures.

// tailNote is the end-of-period note, in words, for the legends and captions.
const tailNote = "outcome not yet known"

// tailOf is the tail of a channel, or nil when nothing is open at the end.
func tailOf(r *sim.Result, channel string) *sim.TailResult {
	for i := range r.Tail {
		t := &r.Tail[i]
		if t.Channel == channel && (t.Undecided.Mean > 0 || t.MissedOpen.Mean > 0) {
			return t
		}
	}
	return nil
}

// hasTail says whether any channel has undecided contacts at the end.
func hasTail(r *sim.Result) bool {
	for _, t := range r.Tail {
		if t.Undecided.Mean > 0 && t.FromSeconds < r.DurationSeconds {
			return true
		}
	}
	return false
}

// tailTable lists, per channel, the contacts still open at the end: those
// not yet past the target (left out of the figures) and since when they
// arrived, and those already past it (counted as missed).
func tailTable(r *sim.Result, loc *time.Location) *table {
	t := &table{indent: "  ", head: []string{"channel", "outcome not yet known", "tail from", "open past target (missed)"},
		right: []bool{false, true, false, true}}
	for _, c := range r.Channels {
		tr := tailOf(r, c.Name)
		if tr == nil {
			continue
		}
		from := "–"
		if tr.FromSeconds < r.DurationSeconds {
			from = when(r.Start.Add(time.Duration(tr.FromSeconds*float64(time.Second))), loc)
		}
		t.addText(c.Name, countStat(tr.Undecided), from, countStat(tr.MissedOpen))
	}
	return t
}

// undecidedAt maps (channel, interval index) to the mean undecided
// contacts that arrived in the interval.
func undecidedAt(r *sim.Result) map[string]map[int]float64 {
	m := map[string]map[int]float64{}
	for _, t := range r.Tail {
		for _, iv := range t.Intervals {
			if m[t.Channel] == nil {
				m[t.Channel] = map[int]float64{}
			}
			m[t.Channel][iv.Index] = iv.Undecided.Mean
		}
	}
	return m
}

// tailColour shades the end-of-period band: a light grey, distinct from
// every series in grey print too.
var tailColour = color.NRGBA{R: 0x60, G: 0x60, B: 0x60, A: 0x30}

// shadeTail shades a channel's panel from the start of its tail to the end
// of the period, across the panel's y range, and names the band in the
// legend. Call it once the y range is set.
func (b *chartBuilder) shadeTail(p *plot.Plot, channel string) error {
	tr := tailOf(b.r, channel)
	if tr == nil || tr.Undecided.Mean <= 0 || tr.FromSeconds >= b.r.DurationSeconds {
		return nil
	}
	x0 := b.min + tr.FromSeconds
	poly, err := plotter.NewPolygon(plotter.XYs{{X: x0, Y: p.Y.Min}, {X: b.max, Y: p.Y.Min}, {X: b.max, Y: p.Y.Max}, {X: x0, Y: p.Y.Max}})
	if err != nil {
		return err
	}
	poly.Color = tailColour
	poly.LineStyle.Width = vg.Points(0.6)
	poly.LineStyle.Color = color.Gray{Y: 150}
	poly.LineStyle.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
	p.Add(poly)
	p.Legend.Add(tailNote, poly)
	return nil
}

// tailCaption is the sentence charts add when some contacts are still open
// at the end.
func tailCaption(r *sim.Result) string {
	if !hasTail(r) {
		return ""
	}
	return " The grey band at the end marks intervals whose contacts were still open when the period ended and not yet past their target: their outcome is not yet known, so they are left out of offered and of the service level there (see the end-of-period table)."
}

// inTail says whether an interval lies in its channel's end-of-period
// tail, where undecided contacts are left out of the figures.
func inTail(r *sim.Result, x sim.IntervalResult) bool {
	tr := tailOf(r, x.Channel)
	return tr != nil && tr.Undecided.Mean > 0 && float64(x.Index)*r.IntervalSeconds >= tr.FromSeconds
}
