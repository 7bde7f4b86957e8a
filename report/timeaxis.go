package report

import (
	"time"

	"gonum.org/v1/plot"
)

// timeTicks marks a time axis whose values are Unix seconds, in a time zone,
// at readable places: hours within a day or two, days over a week or two,
// weeks beyond. Days are labelled "Fri 27 Nov", hours "15:00".
type timeTicks struct {
	loc *time.Location
}

// Ticks implements plot.Ticker.
func (tt timeTicks) Ticks(min, max float64) []plot.Tick {
	lo := time.Unix(int64(min), 0).In(tt.loc)
	hi := time.Unix(int64(max), 0).In(tt.loc)
	span := hi.Sub(lo)
	day := time.Date(lo.Year(), lo.Month(), lo.Day(), 0, 0, 0, 0, tt.loc)
	var ticks []plot.Tick
	add := func(t time.Time, label string) {
		if v := float64(t.Unix()); v >= min && v <= max {
			ticks = append(ticks, plot.Tick{Value: v, Label: label})
		}
	}
	switch {
	case span <= 36*time.Hour:
		step := 3
		if span <= 12*time.Hour {
			step = 1
		}
		for d := day; !d.After(hi); d = d.AddDate(0, 0, 1) {
			for h := 0; h < 24; h++ {
				t := time.Date(d.Year(), d.Month(), d.Day(), h, 0, 0, 0, tt.loc)
				switch {
				case h == 0:
					add(t, t.Format("Mon 2 Jan"))
				case h%step == 0:
					add(t, t.Format("15:04"))
				default:
					add(t, "")
				}
			}
		}
	case span <= 4*24*time.Hour:
		for d := day; !d.After(hi); d = d.AddDate(0, 0, 1) {
			for h := 0; h < 24; h += 3 {
				t := time.Date(d.Year(), d.Month(), d.Day(), h, 0, 0, 0, tt.loc)
				switch {
				case h == 0:
					add(t, t.Format("Mon 2 Jan"))
				case h == 12:
					add(t, "12:00")
				default:
					add(t, "")
				}
			}
		}
	case span <= 16*24*time.Hour:
		for d := day; !d.After(hi); d = d.AddDate(0, 0, 1) {
			add(d, d.Format("Mon 2 Jan"))
			for h := 6; h < 24; h += 6 {
				add(time.Date(d.Year(), d.Month(), d.Day(), h, 0, 0, 0, tt.loc), "")
			}
		}
	default:
		for d := day; !d.After(hi); d = d.AddDate(0, 0, 1) {
			if d.Weekday() == time.Monday {
				add(d, d.Format("Mon 2 Jan"))
			} else {
				add(d, "")
			}
		}
	}
	if len(ticks) < 2 {
		return plot.DefaultTicks{}.Ticks(min, max)
	}
	return ticks
}
