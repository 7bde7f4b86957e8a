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
