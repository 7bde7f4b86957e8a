package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Day is the length of a calendar day in simulated time. Durations accept
// the unit "d" for it: "7d", "1d12h".
const Day = 24 * time.Hour

// ParseDuration reads a duration with units: "20s", "5m", "8h30m", "7d",
// "1d12h", "1.5h". Go's units (ns…h) are accepted, plus "d" for days. The
// value must not be negative.
func ParseDuration(s string) (time.Duration, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return 0, fmt.Errorf("empty duration (want e.g. \"20s\", \"5m\", \"8h30m\", \"7d\")")
	}
	rest := in
	var days float64
	if i := strings.IndexByte(rest, 'd'); i >= 0 {
		n, err := strconv.ParseFloat(rest[:i], 64)
		if err != nil || n < 0 || math.IsInf(n, 0) || math.IsNaN(n) {
			return 0, fmt.Errorf("malformed duration %q (want e.g. \"20s\", \"5m\", \"8h30m\", \"7d\")", s)
		}
		days = n
		rest = rest[i+1:]
	}
	var d time.Duration
	if rest != "" {
		var err error
		d, err = time.ParseDuration(rest)
		if err != nil {
			return 0, fmt.Errorf("malformed duration %q (want e.g. \"20s\", \"5m\", \"8h30m\", \"7d\")", s)
		}
	} else if days == 0 && !strings.HasSuffix(in, "d") {
		return 0, fmt.Errorf("malformed duration %q", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %q", s)
	}
	total := float64(d) + days*float64(Day)
	if total > math.MaxInt64/2 {
		return 0, fmt.Errorf("duration %q is too long", s)
	}
	return d + time.Duration(days*float64(Day)), nil
}

// ParseRate reads a rate with a unit and returns it per second: "570/h",
// "12000/d", "10/m", "2/s" (also "/min", "/hour", "/day", "/sec"), or per
// interval as WFM people state volume: "100/30m", "25/15m", "900/2h". It is
// the one rate grammar of slasim: scenario files, --set overrides, erlang and
// replay all read rates with it. The rate must be positive and finite.
func ParseRate(s string) (float64, error) {
	in := strings.TrimSpace(s)
	num, unit, ok := strings.Cut(in, "/")
	if !ok {
		return 0, fmt.Errorf("malformed rate %q (want a number and a unit, e.g. \"570/h\", \"12000/d\", \"100/30m\")", s)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("malformed rate %q (want e.g. \"570/h\", \"12000/d\", \"100/30m\")", s)
	}
	per, err := ratePeriod(strings.TrimSpace(unit))
	if err != nil {
		return 0, fmt.Errorf("rate %q: %w", s, err)
	}
	if v <= 0 {
		return 0, fmt.Errorf("rate %q must be positive", s)
	}
	return v / per, nil
}

// ratePeriod is the length in seconds of a rate's unit: a unit name or a
// duration ("30m", "1h30m").
func ratePeriod(unit string) (float64, error) {
	switch unit {
	case "s", "sec", "second":
		return 1, nil
	case "m", "min", "minute":
		return 60, nil
	case "h", "hour":
		return 3600, nil
	case "d", "day":
		return 86400, nil
	}
	d, err := ParseDuration(unit)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("unknown unit %q (want /s, /m, /h, /d or an interval such as /30m)", unit)
	}
	return d.Seconds(), nil
}

// Duration is a non-negative span of time in a scenario file, written as a
// string with units ("20s", "8h30m", "7d"). It decodes itself, so a
// malformed value is reported with its line.
type Duration struct{ time.Duration }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(FormatDuration(d.Duration)), nil }

// Seconds returns the duration in seconds.
func (d Duration) Seconds() float64 { return d.Duration.Seconds() }

// FormatDuration writes d with a "d" unit for whole days: 7d, 1d12h0m0s, 30m0s.
func FormatDuration(d time.Duration) string {
	if d >= Day {
		days := d / Day
		rest := d % Day
		if rest == 0 {
			return fmt.Sprintf("%dd", days)
		}
		return fmt.Sprintf("%dd%s", days, rest)
	}
	return d.String()
}

// Rate is an arrival rate in a scenario file, written "570/h" or "12000/d";
// PerSecond holds its value.
type Rate struct{ PerSecond float64 }

// UnmarshalText implements encoding.TextUnmarshaler.
func (r *Rate) UnmarshalText(b []byte) error {
	v, err := ParseRate(string(b))
	if err != nil {
		return err
	}
	r.PerSecond = v
	return nil
}

// PerHour returns the rate per hour.
func (r Rate) PerHour() float64 { return r.PerSecond * 3600 }
