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

// ParseRate reads an arrival rate with a unit, "570/h", "12000/d", "10/m",
// "2/s" (also "/min", "/hour", "/day", "/sec"), and returns it per second.
// The rate must be positive.
func ParseRate(s string) (float64, error) {
	in := strings.TrimSpace(s)
	num, unit, ok := strings.Cut(in, "/")
	if !ok {
		return 0, fmt.Errorf("malformed rate %q (want a number and a unit, e.g. \"570/h\", \"12000/d\")", s)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("malformed rate %q (want e.g. \"570/h\", \"12000/d\")", s)
	}
	var per float64
	switch strings.TrimSpace(unit) {
	case "s", "sec", "second":
		per = 1
	case "m", "min", "minute":
		per = 60
	case "h", "hour":
		per = 3600
	case "d", "day":
		per = 86400
	default:
		return 0, fmt.Errorf("rate %q has unknown unit %q (want /s, /m, /h or /d)", s, unit)
	}
	if v <= 0 {
		return 0, fmt.Errorf("rate %q must be positive", s)
	}
	return v / per, nil
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
