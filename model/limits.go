package model

import (
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode"
)

// Limits on what a scenario may ask for. Inside them every distribution
// draws finite durations with the mean it was given, every rate and
// multiplier stays finite after the profile and surges multiply it, and the
// loader's work grows linearly with the file. The README's "Input
// validation" section lists them.
const (
	// MaxRatePerHour is the highest base arrival rate of a channel.
	MaxRatePerHour = 100_000
	// MaxPeakRatePerHour is the highest arrival rate of a channel at any
	// moment, once the intraday profile, weekly multiplier and overlapping
	// surges have multiplied its base rate.
	MaxPeakRatePerHour = 1_000_000
	// MaxMultiplier caps a surge factor and a weekly multiplier.
	MaxMultiplier = 100
	// MaxIntradayValue caps one intraday multiplier (they are relative:
	// only their ratio to their mean matters).
	MaxIntradayValue = 1e6
	// MaxIntradaySlices is the most slices of a day a profile may have
	// (one a minute).
	MaxIntradaySlices = 1440
	// MaxDistMean caps the mean (or value) of any duration distribution,
	// and each duration of an empirical file.
	MaxDistMean = 365 * Day
	// MinCV and MaxCV bound the coefficient of variation of a lognormal or
	// gamma distribution: outside them gamma's shape 1/cv² underflows or
	// overflows (NaN draws, a panic), and well before that the draws no
	// longer have the mean asked for.
	MinCV, MaxCV = 0.001, 10
	// MaxEmpiricalValues is the most durations an empirical file may hold.
	MaxEmpiricalValues = 1_000_000
	// MaxDuration caps the simulated period; MaxWarmup its warm-up.
	MaxDuration = 3660 * Day
	MaxWarmup   = 30 * Day
	// MinYear and MaxYear bound the years a scenario's dates may fall in.
	MinYear, MaxYear = 1900, 2999
	// MaxSalary caps an annual salary; MaxDeflectCost the automation cost
	// of one deflected ticket.
	MaxSalary      = 10_000_000
	MaxDeflectCost = 10_000
	// MaxHeadcount caps the headcount of all shifts together.
	MaxHeadcount = 100_000
	// MaxTables caps the number of tables of each kind (channels,
	// categories, shifts…), and MaxDates the dates of one shift.
	MaxTables = 1000
	MaxDates  = 3660
	// MaxEscalationSteps caps the steps of one category's escalation path.
	MaxEscalationSteps = 20
	// MaxNameBytes caps the length of a name.
	MaxNameBytes = 100
	// MaxFileBytes caps the size of a scenario file.
	MaxFileBytes = 4 << 20
	// MaxDepth caps how deeply tables, arrays and dotted keys nest in a
	// scenario file (a scenario needs 4).
	MaxDepth = 10
)

// span is a closed or open range of allowed values. NaN and ±Inf are never
// in a span, so one check catches them with every out-of-range value.
type span struct {
	lo, hi         float64
	openLo, openHi bool
}

// closed is [lo, hi]; halfOpen is [lo, hi); leftOpen is (lo, hi].
func closed(lo, hi float64) span   { return span{lo: lo, hi: hi} }
func halfOpen(lo, hi float64) span { return span{lo: lo, hi: hi, openHi: true} }
func leftOpen(lo, hi float64) span { return span{lo: lo, hi: hi, openLo: true} }

// has reports whether x is a finite number inside the span.
func (s span) has(x float64) bool {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return false
	}
	if x < s.lo || x > s.hi {
		return false
	}
	return !(s.openLo && x == s.lo) && !(s.openHi && x == s.hi)
}

// String writes the span as in messages: (0,1], [0, 100000].
func (s span) String() string {
	l, r := "[", "]"
	if s.openLo {
		l = "("
	}
	if s.openHi {
		r = ")"
	}
	lo, hi := formatBound(s.lo), formatBound(s.hi)
	sep := ", "
	if s.lo == 0 && s.hi == 1 {
		sep = "," // shares: (0,1]
	}
	return l + lo + sep + hi + r
}

func formatBound(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatInt(int64(x), 10)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// check returns nil when x is in s, or an error saying it is not.
func (s span) check(x float64) error {
	if s.has(x) {
		return nil
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return fmt.Errorf("%g is not a finite number; want one in %s", x, s)
	}
	return fmt.Errorf("%g is not in %s", x, s)
}

// inSpan records a problem at path when x is outside s and reports whether
// x was in it.
func (v *validator) inSpan(path, where, field string, x float64, s span) bool {
	if err := s.check(x); err != nil {
		v.bad(path, where, field, "%v", err)
		return false
	}
	return true
}

// counts refuses a scenario with more tables of a kind than MaxTables,
// before checks and the engine do work that grows with their product.
func (v *validator) counts() bool {
	sc := v.sc
	ok := true
	for _, k := range []struct {
		kind string
		n    int
	}{
		{"channel", len(sc.Channels)}, {"profile", len(sc.Profiles)}, {"surge", len(sc.Surges)},
		{"category", len(sc.Categories)}, {"priority", len(sc.Priorities)}, {"tier", len(sc.Tiers)},
		{"shift", len(sc.Shifts)}, {"band", len(sc.Bands)},
	} {
		if k.n > MaxTables {
			v.bad(fmt.Sprintf("%s[%d]", k.kind, MaxTables), "", "", "%d [[%s]] tables; a scenario has at most %d of each kind", k.n, k.kind, MaxTables)
			ok = false
		}
	}
	for i, c := range sc.Categories {
		if len(c.Escalate) > MaxEscalationSteps {
			v.bad(fmt.Sprintf("category[%d].escalate", i), fmt.Sprintf("category %q", c.Name), "escalate", "has %d steps; a path has at most %d", len(c.Escalate), MaxEscalationSteps)
			ok = false
		}
	}
	for i, s := range sc.Shifts {
		if len(s.Dates) > MaxDates {
			v.bad(fmt.Sprintf("shift[%d].dates", i), fmt.Sprintf("shift %q", s.Name), "dates", "lists %d dates; a shift lists at most %d", len(s.Dates), MaxDates)
			ok = false
		}
	}
	return ok
}

// formatRate writes a rate per hour, or per second when the hourly
// figure would overflow.
func formatRate(perSecond float64) string {
	if h := perSecond * 3600; !math.IsInf(h, 0) {
		return strconv.FormatFloat(h, 'g', -1, 64) + "/h"
	}
	return strconv.FormatFloat(perSecond, 'g', -1, 64) + "/s"
}

// checkName returns why a name cannot be used, or nil: names go into
// terminals, CSV cells, file names and HTML, so control characters and
// direction overrides are refused.
func checkName(name string) error {
	if len(name) > MaxNameBytes {
		return fmt.Errorf("is %d bytes long; a name has at most %d", len(name), MaxNameBytes)
	}
	return printable(name, "names")
}

// printable returns an error when text holds a control character or a
// direction override; what names the kind of text in the message.
func printable(text, what string) error {
	for _, r := range text {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == unicode.ReplacementChar {
			return fmt.Errorf("%q holds the control character %U; %s must be printable text", text, r, what)
		}
	}
	return nil
}

// checkYear returns an error when t falls outside [MinYear, MaxYear].
func checkYear(t time.Time) error {
	if y := t.Year(); y < MinYear || y > MaxYear {
		return fmt.Errorf("is in the year %d; dates must fall in %d–%d", y, MinYear, MaxYear)
	}
	return nil
}
