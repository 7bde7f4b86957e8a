package sim

import (
	"math"
	"sort"
	"time"

	"github.com/slasim/slasim/model"
)

// Clocks: how long a contact has waited against its SLA, on the calendar or
// on the business-hours clock.

// businessElapsed is the business-hours time between a and b.
func (p *plan) businessElapsed(a, b float64) float64 {
	ws := p.business
	i := sort.Search(len(ws), func(i int) bool { return ws[i].b > a })
	var sum float64
	for ; i < len(ws) && ws[i].a < b; i++ {
		lo, hi := math.Max(ws[i].a, a), math.Min(ws[i].b, b)
		if hi > lo {
			sum += hi - lo
		}
	}
	return sum
}

// slaElapsed is the time from `from` to `to` (seconds since the start) on
// channel c's SLA clock: the calendar, or business hours only. It is the
// one place where waits, first responses and censored contacts meet their
// clock.
func (p *plan) slaElapsed(c int, from, to float64) float64 {
	if p.channels[c].business {
		return p.businessElapsed(from, to)
	}
	return to - from
}

// atClock is the wall-clock time of day clock (an offset from midnight,
// "24:00" included) on the calendar day of d, in d's location: on a
// daylight-saving change day it is not midnight + clock.
func atClock(d time.Time, clock time.Duration) time.Time {
	hh, mm := int(clock/time.Hour), int(clock%time.Hour/time.Minute)
	ss := int(clock % time.Minute / time.Second)
	return time.Date(d.Year(), d.Month(), d.Day(), hh, mm, ss, 0, d.Location())
}

// businessWindows lists the business-hours windows, in seconds since the
// scenario's start, from the day starting at day0 until `until` seconds.
func businessWindows(sc *model.Scenario, day0 time.Time, until float64) []window {
	bh := sc.BusinessHours
	if bh == nil {
		return nil
	}
	open, cl := bh.Open.Offset, bh.Close.Offset
	var ws []window
	for d := day0; secondsSince(sc.Meta.Start, d) < until; d = d.AddDate(0, 0, 1) {
		if bh.Days.Has(d.Weekday()) {
			ws = append(ws, window{secondsSince(sc.Meta.Start, atClock(d, open)), secondsSince(sc.Meta.Start, atClock(d, cl))})
		}
	}
	return ws
}

// overlap is the length of [a, b) ∩ [lo, hi).
func overlap(a, b, lo, hi float64) float64 {
	return math.Max(0, math.Min(b, hi)-math.Max(a, lo))
}

// overlapOf is the part of a span of length d from a that falls in
// [lo, hi): d itself when the whole span does.
func overlapOf(a, d, lo, hi float64) float64 {
	if a >= lo && a+d <= hi {
		return d
	}
	return overlap(a, a+d, lo, hi)
}
