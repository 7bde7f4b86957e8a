package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

var dayNames = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// Weekdays is a set of days of the week, Monday first.
type Weekdays [7]bool

// Has reports whether the set holds the weekday of t.
func (w Weekdays) Has(d time.Weekday) bool { return w[(int(d)+6)%7] }

// ParseDays reads a pattern of days: "mon-fri", "sat,sun", "mon,wed-fri",
// "fri", "daily" (or "all").
func ParseDays(s string) (Weekdays, error) {
	var w Weekdays
	in := strings.ToLower(strings.TrimSpace(s))
	if in == "daily" || in == "all" || in == "every day" {
		return Weekdays{true, true, true, true, true, true, true}, nil
	}
	if in == "" {
		return w, fmt.Errorf("days is empty (want e.g. \"mon-fri\", \"sat,sun\", \"daily\")")
	}
	for _, part := range strings.Split(in, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, b := dayIndex(lo), dayIndex(hi)
		if !isRange {
			b = a
		}
		if a < 0 || b < 0 {
			return w, fmt.Errorf("%q is not a day (want e.g. \"mon-fri\", \"sat,sun\", \"daily\")", part)
		}
		for i := a; ; i = (i + 1) % 7 {
			w[i] = true
			if i == b {
				break
			}
		}
	}
	return w, nil
}

func dayIndex(s string) int {
	s = strings.TrimSpace(s)
	if len(s) > 3 {
		s = s[:3]
	}
	for i, n := range dayNames {
		if n == s {
			return i
		}
	}
	return -1
}

// ParseClock reads a wall-clock time "06:00" or "17:30" and returns it as
// an offset from midnight. "24:00" is accepted as the end of the day.
func ParseClock(s string) (time.Duration, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("malformed time of day %q (want \"HH:MM\", e.g. \"06:00\")", s)
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, nil
}

// Clock is a wall-clock time of day in a scenario file, written "06:00" or
// "17:30" ("24:00" is the end of the day). It decodes itself, so a
// malformed time is reported with its line and nothing downstream parses
// it again.
type Clock struct {
	// Offset is the time since midnight.
	Offset time.Duration
	// Set is true when a time was given.
	Set bool
}

// ClockAt is the clock time offset d after midnight.
func ClockAt(d time.Duration) Clock { return Clock{Offset: d, Set: true} }

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Clock) UnmarshalText(b []byte) error {
	d, err := ParseClock(string(b))
	if err != nil {
		return err
	}
	*c = ClockAt(d)
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (c Clock) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// String writes the time as "HH:MM".
func (c Clock) String() string { return FormatClock(c.Offset) }

// DaySet is a pattern of weekdays in a scenario file: "mon-fri",
// "sat,sun", "mon,wed-fri", "daily". It decodes itself and keeps the text
// the user wrote, for messages and reports.
type DaySet struct {
	Weekdays
	// Text is the pattern as written; empty when none was given.
	Text string
}

// ParseDaySet reads a pattern of days (see ParseDays).
func ParseDaySet(s string) (DaySet, error) {
	w, err := ParseDays(s)
	if err != nil {
		return DaySet{}, err
	}
	return DaySet{Weekdays: w, Text: strings.TrimSpace(s)}, nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *DaySet) UnmarshalText(b []byte) error {
	v, err := ParseDaySet(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d DaySet) MarshalText() ([]byte, error) { return []byte(d.Text), nil }

// String is the pattern as written.
func (d DaySet) String() string { return d.Text }

// IsZero reports whether no pattern was given.
func (d DaySet) IsZero() bool { return d.Text == "" }
