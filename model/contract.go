package model

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Contract is a kind of employment a planned roster may use: the shift
// lengths, working days and hours a week, start times and break windows
// its positions keep, and the largest share of a tier's positions it may
// hold (a cap on part-time, say). slasim staff chooses, within these
// rules, each position's start, length, days off and breaks.
type Contract struct {
	Name string `toml:"name"`
	// Tiers the contract is offered to; none means every tier.
	Tiers []string `toml:"tiers"`
	// Lengths are the paid shift lengths allowed, breaks included
	// (default ["8h"]).
	Lengths []Duration `toml:"lengths"`
	// Days is the number of working days a week (default 5); of a dated
	// contract, how many of its Dates each position works (default all).
	Days int `toml:"days"`
	// ConsecutiveOff is how many of the days off come together as one
	// block (default 7 − days: all of them, so 5 days means two
	// consecutive days off); 0 lets the days off fall anywhere.
	ConsecutiveOff *int `toml:"consecutive_off"`
	// MinHours and MaxHours bound the paid hours a week, of a dated
	// contract its hours over its Days dates (0: no bound).
	MinHours float64 `toml:"min_hours"`
	MaxHours float64 `toml:"max_hours"`
	// EarliestStart and LatestStart bound the shift start, "06:00" and
	// "14:00" (default any time of day).
	EarliestStart string `toml:"earliest_start"`
	LatestStart   string `toml:"latest_start"`
	// StartEvery is the grid of start times (default 30m).
	StartEvery Duration `toml:"start_every"`
	// Breaks are windows, measured from the shift start, in which each
	// break must start; the planner spreads the positions of a line over
	// the window. Default for shifts of 6h or more: a 30m meal in the
	// middle hour; from 8h two 15m breaks as well.
	Breaks []BreakWindow `toml:"breaks"`
	// MaxShare caps the share of a tier's positions on this contract, in
	// (0, 1] (default 1: no cap).
	MaxShare float64 `toml:"max_share"`
	// Dates, when given, make a dated contract (seasonal temps,
	// volunteers): its positions work only on these calendar dates of the
	// period (TOML dates, [2026-11-27, 2026-11-30]), Days of them each
	// (default all); days off and hours a week do not apply. Validation
	// keeps the dates inside the period; with fewer than Days left the
	// contract offers no position.
	Dates []time.Time `toml:"dates"`

	// Earliest and Latest are EarliestStart and LatestStart as offsets
	// from midnight, filled by validation.
	Earliest time.Duration `toml:"-"`
	Latest   time.Duration `toml:"-"`
}

// BreakWindow is a break of a length that starts between From and To
// after the shift starts.
type BreakWindow struct {
	Length Duration `toml:"length"`
	From   Duration `toml:"from"`
	To     Duration `toml:"to"`
}

// Opening is when a tier works: outside these hours no shift of the tier
// is planned and its work waits (specialists need not be bought 24/7 for
// a handful of escalations).
type Opening struct {
	Tier string `toml:"tier"`
	// Days, "mon-fri" (default "daily").
	Days string `toml:"days"`
	// Open and Close, "08:00" and "20:00": every shift starts at or after
	// Open and ends by Close.
	Open  string `toml:"open"`
	Close string `toml:"close"`

	// OnDays, From and To are the parsed Days, Open and Close.
	OnDays   Weekdays      `toml:"-"`
	From, To time.Duration `toml:"-"`
}

// DefaultContract is the contract of a tier a scenario gives none: full
// time, 8-hour shifts five days a week with two consecutive days off,
// starting on the half hour at any time of day, breaks in windows.
func DefaultContract() Contract {
	two := 2
	c := Contract{Name: "full-time", Lengths: []Duration{{8 * time.Hour}}, Days: 5, ConsecutiveOff: &two,
		StartEvery: Duration{30 * time.Minute}, Latest: Day - 30*time.Minute, MaxShare: 1}
	c.Breaks = DefaultBreaks(8 * time.Hour)
	return c
}

// DefaultBreaks are the break windows of a shift of a length: from 6h a
// 30-minute meal starting in the hour around the middle, from 8h a
// 15-minute break in the hour around the first and last quarters.
func DefaultBreaks(length time.Duration) []BreakWindow {
	var out []BreakWindow
	win := func(l, mid time.Duration) BreakWindow {
		from := (mid - 30*time.Minute).Truncate(15 * time.Minute)
		return BreakWindow{Length: Duration{l}, From: Duration{from}, To: Duration{from + time.Hour}}
	}
	if length >= 8*time.Hour {
		out = append(out, win(15*time.Minute, length/4))
	}
	if length >= 6*time.Hour {
		out = append(out, win(30*time.Minute, length/2-15*time.Minute))
	}
	if length >= 8*time.Hour {
		out = append(out, win(15*time.Minute, length*3/4))
	}
	return out
}

// ContractsFor are the contracts offered to a tier: those naming it or
// naming no tier, or the default contract if there are none.
func (s *Scenario) ContractsFor(tier string) []Contract {
	var out []Contract
	for _, c := range s.Contracts {
		if Covers(c.Tiers, tier) {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		out = append(out, DefaultContract())
	}
	return out
}

// OpeningFor is the tier's opening hours, or nil when it may work around
// the clock.
func (s *Scenario) OpeningFor(tier string) *Opening {
	for i := range s.Openings {
		if s.Openings[i].Tier == tier {
			return &s.Openings[i]
		}
	}
	return nil
}

// BreaksFor are the contract's break windows for a shift length: its own
// windows that fit in the shift, or the default ones.
func (c *Contract) BreaksFor(length time.Duration) []BreakWindow {
	if len(c.Breaks) == 0 {
		return DefaultBreaks(length)
	}
	var out []BreakWindow
	for _, b := range c.Breaks {
		if b.To.Duration+b.Length.Duration <= length {
			out = append(out, b)
		}
	}
	return out
}

// Starts are the start times (since midnight) the contract allows for a
// shift of the length, within the opening hours if any.
func (c *Contract) Starts(length time.Duration, o *Opening) []time.Duration {
	var out []time.Duration
	step := c.StartEvery.Duration
	if step <= 0 {
		step = 30 * time.Minute
	}
	for s := c.Earliest; s <= c.Latest && s < Day; s += step {
		if o != nil && (s < o.From || s+length > o.To) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// LengthsFor are the contract's shift lengths whose weekly hours fall
// within its bounds.
func (c *Contract) LengthsFor() []time.Duration {
	var out []time.Duration
	for _, l := range c.Lengths {
		h := l.Hours() * float64(c.Days)
		if (c.MinHours > 0 && h < c.MinHours-1e-9) || (c.MaxHours > 0 && h > c.MaxHours+1e-9) {
			continue
		}
		out = append(out, l.Duration)
	}
	return out
}

// WorkWeeks are the sets of working weekdays the contract allows, within
// the opening days if any: Days days, the days off holding a block of
// ConsecutiveOff days (Sunday and Monday count as consecutive), in a fixed
// order.
func (c *Contract) WorkWeeks(o *Opening) []Weekdays {
	block := 7 - c.Days
	if c.ConsecutiveOff != nil {
		block = *c.ConsecutiveOff
	}
	var out []Weekdays
	for mask := 0; mask < 1<<7; mask++ {
		var w Weekdays
		n := 0
		for d := 0; d < 7; d++ {
			if mask&(1<<d) != 0 {
				w[d] = true
				n++
			}
		}
		if n != c.Days || !offBlock(w, block) {
			continue
		}
		if o != nil && !within(w, o.OnDays) {
			continue
		}
		out = append(out, w)
	}
	sort.SliceStable(out, func(i, j int) bool { return firstOff(out[i]) < firstOff(out[j]) })
	return out
}

// offBlock reports whether the days off of w hold k consecutive days on
// the weekly cycle.
func offBlock(w Weekdays, k int) bool {
	if k <= 0 {
		return true
	}
	for s := 0; s < 7; s++ {
		ok := true
		for d := 0; d < k; d++ {
			if w[(s+d)%7] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func within(w, allowed Weekdays) bool {
	for d := range w {
		if w[d] && !allowed[d] {
			return false
		}
	}
	return true
}

// firstOff is the first day off of a week starting a block after a
// working day, for a stable order (off Sat–Sun first when it exists).
func firstOff(w Weekdays) int {
	for s := 0; s < 7; s++ {
		if !w[(s+5)%7] {
			return s
		}
	}
	return 7
}

// contracts checks the [[contract]] and [[opening]] tables and fills their
// defaults: a contract must have possible working weeks and lengths, and
// leave some shift each tier it is offered to can work.
func (v *validator) contracts() {
	v.openings()
	seen := map[string]bool{}
	for i := range v.sc.Contracts {
		c := &v.sc.Contracts[i]
		p, w := v.named("contract", i, c.Name, seen)
		for _, t := range c.Tiers {
			if v.sc.TierIndex(t) < 0 {
				v.bad(p+".tiers", w, "tiers", "%q is not a [[tier]]", t)
			}
		}
		v.contractDefaults(c)
		if !v.contractRules(p, w, c) {
			continue
		}
		if c.Dated() && len(c.Dates) < c.Days {
			// The period holds too few of its dates: unused here, by the
			// period's choice, not the contract's fault.
			continue
		}
		for _, t := range v.sc.Tiers {
			if !Covers(c.Tiers, t.Name) {
				continue
			}
			if n := c.shapes(v.sc.OpeningFor(t.Name)); n == 0 {
				v.bad(p, w, "", "leaves tier %q no shift it can work (lengths %v, starts %s–%s, %d days a week, opening hours): no interval can use it",
					t.Name, c.Lengths, FormatClock(c.Earliest), FormatClock(c.Latest), c.Days)
			}
		}
	}
}

func (v *validator) contractDefaults(c *Contract) {
	if len(c.Lengths) == 0 {
		c.Lengths = []Duration{{8 * time.Hour}}
	}
	if c.Days == 0 && len(c.Dates) > 0 {
		c.Days = len(c.Dates)
	}
	if c.Days == 0 {
		c.Days = 5
	}
	if c.StartEvery.Duration == 0 {
		c.StartEvery.Duration = 30 * time.Minute
	}
	if c.MaxShare == 0 {
		c.MaxShare = 1
	}
	c.Latest = Day - c.StartEvery.Duration
}

// contractRules checks the keys of one contract; false when it is too
// broken to enumerate its shifts.
func (v *validator) contractRules(p, w string, c *Contract) bool {
	ok := true
	bad := func(field, format string, args ...any) {
		v.bad(p+"."+field, w, field, format, args...)
		ok = false
	}
	for _, l := range c.Lengths {
		if l.Duration < time.Hour || l.Duration > 16*time.Hour {
			bad("lengths", "%s is not in [1h, 16h]", FormatDuration(l.Duration))
		}
	}
	if len(c.Dates) > 0 {
		ok = v.contractDates(p, w, c) && ok
	} else if c.Days < 1 || c.Days > 7 {
		bad("days", "%d working days a week is not in [1, 7]", c.Days)
	} else if c.ConsecutiveOff != nil && (*c.ConsecutiveOff < 0 || c.Days+*c.ConsecutiveOff > 7) {
		bad("consecutive_off", "%d consecutive days off with %d working days do not fit in a week: an impossible days-off rule", *c.ConsecutiveOff, c.Days)
	}
	if c.MinHours < 0 || c.MaxHours < 0 || (c.MaxHours > 0 && c.MinHours > c.MaxHours) {
		bad("min_hours", "%g and max_hours %g must be ≥ 0 with min ≤ max", c.MinHours, c.MaxHours)
	}
	if st := c.StartEvery.Duration; st < 5*time.Minute || Day%st != 0 {
		bad("start_every", "%s must be at least 5m and divide a day", FormatDuration(st))
	}
	for _, k := range []struct {
		key, val string
		at       *time.Duration
	}{{"earliest_start", c.EarliestStart, &c.Earliest}, {"latest_start", c.LatestStart, &c.Latest}} {
		if k.val == "" {
			continue
		}
		t, err := ParseClock(k.val)
		if err != nil || t >= Day {
			bad(k.key, "%q is not a time of day such as \"06:00\"", k.val)
			continue
		}
		*k.at = t
	}
	if c.Earliest > c.Latest {
		bad("latest_start", "%s is before earliest_start %s", FormatClock(c.Latest), FormatClock(c.Earliest))
	}
	for j, b := range c.Breaks {
		if b.Length.Duration <= 0 || b.To.Duration < b.From.Duration {
			bad("breaks", "[%d]: want a positive length and from ≤ to", j)
		}
	}
	if !(c.MaxShare > 0 && c.MaxShare <= 1) {
		bad("max_share", "%g is not in (0, 1]", c.MaxShare)
	}
	if ok && len(c.LengthsFor()) == 0 {
		bad("lengths", "%v × %d days a week: no length gives between min_hours %g and max_hours %g", c.Lengths, c.Days, c.MinHours, c.MaxHours)
	}
	return ok
}

// shapes counts the shifts (working week, length, start) a tier with the
// opening hours can work under the contract.
func (c *Contract) shapes(o *Opening) int {
	n := 0
	for _, l := range c.LengthsFor() {
		n += len(c.Starts(l, o))
	}
	if c.Dated() {
		return n * len(c.WorkDates(o))
	}
	return n * len(c.WorkWeeks(o))
}

func (v *validator) openings() {
	for i := range v.sc.Openings {
		o := &v.sc.Openings[i]
		p := fmt.Sprintf("opening[%d]", i)
		w := fmt.Sprintf("opening %q", o.Tier)
		if v.sc.TierIndex(o.Tier) < 0 {
			v.bad(p+".tier", w, "tier", "%q is not a [[tier]]", o.Tier)
		}
		if o.Days == "" {
			o.Days = "daily"
		}
		var err error
		if o.OnDays, err = ParseDays(o.Days); err != nil {
			v.bad(p+".days", w, "days", "%v", err)
		}
		if o.From, err = ParseClock(o.Open); err != nil {
			v.bad(p+".open", w, "open", "%v", err)
		}
		if o.To, err = ParseClock(o.Close); err != nil {
			v.bad(p+".close", w, "close", "%v", err)
		} else if o.To <= o.From {
			v.bad(p+".close", w, "close", "%s must be after open %s", o.Close, o.Open)
		}
		for j := 0; j < i; j++ {
			if v.sc.Openings[j].Tier == o.Tier {
				v.bad(p+".tier", w, "tier", "has opening hours twice")
			}
		}
	}
}

// ShortDuration writes a duration the way a rota does: "8h", "8h30m",
// "45m", "1d".
func ShortDuration(d time.Duration) string {
	s := FormatDuration(d)
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// FormatClock writes an offset from midnight as a wall-clock time, "06:30".
func FormatClock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60)
}
