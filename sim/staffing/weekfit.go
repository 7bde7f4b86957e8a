package staffing

import (
	"strings"
	"time"

	"github.com/slasim/slasim/model"
)

// workingDays are the days a position works: a weekly cycle (week), the
// dates it works (dates), or both, when the cycle is fitted to a period
// that is not whole weeks (dates then drop some of the cycle's days, in
// except).
type workingDays struct {
	week   model.Weekdays
	dates  []time.Time
	except []time.Time
}

// label names the working days as a roster writes them: "mon-fri", "thu-mon
// except 2026-11-23", or a dated contract's dates "2026-11-27,2026-11-30".
func (d workingDays) label() string {
	if d.week == (model.Weekdays{}) {
		return joinDates(d.dates)
	}
	s := compactDays(d.week)
	if len(d.except) > 0 {
		s += " except " + joinDates(d.except)
	}
	return s
}

func joinDates(ds []time.Time) string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Format("2006-01-02")
	}
	return strings.Join(out, ",")
}

// weekFit fits weekly cycles to the period's dates. A position repeats
// its week, so in a period of whole weeks (or one of a week or less) its
// cycle is its dates. In a period of k whole weeks and r more days (Black
// Friday's 8: a week and Cyber Monday), the cycle holds on some run of 7k
// consecutive dates and each of the r dates outside it may be worked as
// the cycle says or left off: a position may work the second Monday and not
// the first. The run starts or ends the period. Days are only ever dropped from the cycle, so any 7
// consecutive days keep at most the contract's working days and a block
// of its days off.
type weekFit struct {
	dates  []time.Time // the period's calendar days
	before []time.Time // calendar days before it whose shifts reach it
	whole  int         // whole weeks in the period
}

func newWeekFit(sc *model.Scenario) weekFit {
	loc := sc.Location
	day := func(t time.Time) time.Time {
		y, m, d := t.In(loc).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, loc)
	}
	first := day(sc.Meta.Start)
	last := day(sc.Meta.Start.Add(sc.Meta.Duration.Duration - time.Nanosecond))
	f := weekFit{}
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		f.dates = append(f.dates, d)
	}
	// The warm-up and a night shift from the day before reach the period
	// (the engine unrolls shifts from the day before the warm-up).
	warm := day(sc.Meta.Start.Add(-sc.Meta.Warmup.Duration)).AddDate(0, 0, -1)
	for d := warm; d.Before(first); d = d.AddDate(0, 0, 1) {
		f.before = append(f.before, d)
	}
	f.whole = len(f.dates) / 7
	return f
}

// choices are the ways a position on the weekly cycle w works the period:
// the cycle itself when the period is whole weeks (or shorter than one
// week and a day), otherwise the cycle on the run of whole weeks that
// starts the period or the one that ends it, with each working day
// outside the run kept or dropped, each set of dates once.
func (f weekFit) choices(w model.Weekdays) []workingDays {
	extra := len(f.dates) - 7*f.whole
	if f.whole == 0 || extra == 0 {
		return []workingDays{{week: w}}
	}
	var out []workingDays
	seen := map[string]bool{}
	// The run of whole weeks starts the period or ends it (more runs
	// multiply the columns for little: a position's extra days sit
	// before or after its full weeks).
	for _, a := range []int{0, extra} {
		var free []int // working days of the cycle outside the run
		for i, d := range f.dates {
			if (i < a || i >= a+7*f.whole) && w.Has(d.Weekday()) {
				free = append(free, i)
			}
		}
		for mask := 0; mask < 1<<len(free); mask++ {
			drop := map[int]bool{}
			for b, i := range free {
				if mask&(1<<b) != 0 {
					drop[i] = true
				}
			}
			d := f.fitted(w, drop)
			if key := joinDates(d.dates); !seen[key] {
				seen[key] = true
				out = append(out, d)
			}
		}
	}
	return out
}

// fitted are the dates the cycle w works, less the period's dates in drop.
func (f weekFit) fitted(w model.Weekdays, drop map[int]bool) workingDays {
	d := workingDays{week: w}
	for _, day := range f.before {
		if w.Has(day.Weekday()) {
			d.dates = append(d.dates, day)
		}
	}
	for i, day := range f.dates {
		switch {
		case !w.Has(day.Weekday()):
		case drop[i]:
			d.except = append(d.except, day)
		default:
			d.dates = append(d.dates, day)
		}
	}
	return d
}

// daysOf are the working days of a pattern, with the period's dates its
// weekly cycle leaves off (for the roster's text).
func (f weekFit) daysOf(p *Pattern) workingDays {
	d := workingDays{week: p.Days, dates: p.Dates}
	if p.Days == (model.Weekdays{}) || len(p.Dates) == 0 {
		return d
	}
	for _, day := range f.dates {
		if p.Days.Has(day.Weekday()) && !model.OnDates(p.Dates, day) {
			d.except = append(d.except, day)
		}
	}
	return d
}
