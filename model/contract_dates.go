package model

import "time"

// MaxDateChoices bounds the sets of dates a dated contract's position may
// work (the ways of choosing Days of its Dates): each is a column of the
// planner's covering program.
const MaxDateChoices = 1000

// Dated reports whether the contract's positions work listed dates (a
// dated contract: temps, volunteers) rather than a weekly cycle.
func (c *Contract) Dated() bool { return len(c.Dates) > 0 }

// WorkDates are the sets of dates a position on a dated contract may
// work: Days of its Dates, those on the opening days if any, each set in
// date order, the sets in a fixed order.
func (c *Contract) WorkDates(o *Opening) [][]time.Time {
	var ds []time.Time
	for _, d := range c.Dates {
		if o == nil || o.OnDays.Has(d.Weekday()) {
			ds = append(ds, d)
		}
	}
	var out [][]time.Time
	var pick func(from int, set []time.Time)
	pick = func(from int, set []time.Time) {
		if len(set) == c.Days {
			out = append(out, append([]time.Time(nil), set...))
			return
		}
		for i := from; i < len(ds); i++ {
			pick(i+1, append(set, ds[i]))
		}
	}
	if c.Days <= len(ds) && choices(len(ds), c.Days) <= MaxDateChoices {
		pick(0, nil)
	}
	return out
}

// choices is n choose k, capped above MaxDateChoices.
func choices(n, k int) int {
	c := 1
	for i := 0; i < k; i++ {
		c = c * (n - i) / (i + 1)
		if c > MaxDateChoices {
			return MaxDateChoices + 1
		}
	}
	return c
}

// contractDates checks a dated contract: no date twice; it works between 1
// and all of them; a days-off rule, which only a weekly contract keeps, is
// not given. It keeps the dates that fall in the period: a position
// works Days of those (none, when fewer are left). False when the contract is
// too broken to enumerate its shifts.
func (v *validator) contractDates(p, w string, c *Contract) bool {
	ok := true
	bad := func(field, format string, args ...any) {
		v.bad(p+"."+field, w, field, format, args...)
		ok = false
	}
	m := v.sc.Meta
	var first, last time.Time
	if !m.Start.IsZero() && m.Duration.Duration > 0 {
		first = calendarDay(m.Start, v.sc.Location)
		last = calendarDay(m.Start.Add(m.Duration.Duration-time.Nanosecond), v.sc.Location)
	}
	seen := map[string]bool{}
	declared := len(c.Dates)
	var inPeriod []time.Time
	for _, d := range c.Dates {
		day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, v.sc.Location)
		key := day.Format("2006-01-02")
		if seen[key] {
			bad("dates", "%s is listed twice", key)
		}
		seen[key] = true
		// A date outside the period is not worked in it, as a dated
		// [[shift]] outside it does not run: shortening the period
		// (--set scenario.duration=2d) keeps the scenario valid.
		if first.IsZero() || !day.Before(first) && !day.After(last) {
			inPeriod = append(inPeriod, day)
		}
	}
	c.Dates = inPeriod
	if c.Days < 1 || c.Days > declared {
		bad("days", "%d working days is not in [1, %d]: a dated contract works some of its %d dates", c.Days, declared, declared)
	} else if n := choices(declared, c.Days); n > MaxDateChoices {
		bad("days", "%d of %d dates gives more than %d sets of dates to choose from; list fewer dates", c.Days, declared, MaxDateChoices)
	}
	if c.ConsecutiveOff != nil {
		bad("consecutive_off", "is a weekly rule: a dated contract works listed dates, with no days off to arrange")
	}
	return ok
}

// calendarDay is the midnight that starts t's calendar day in loc.
func calendarDay(t time.Time, loc *time.Location) time.Time {
	y, mo, d := t.In(loc).Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, loc)
}
