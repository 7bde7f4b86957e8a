package model

import (
	"fmt"
	"sort"
	"time"
)

// Checks of the rota: shifts and their breaks.

func (v *validator) shifts() {
	total := 0
	for i := range v.sc.Shifts {
		s := &v.sc.Shifts[i]
		p := fmt.Sprintf("shift[%d]", i)
		w := fmt.Sprintf("shift %q", s.Name)
		if s.Name == "" {
			w = fmt.Sprintf("shift #%d", i+1)
		} else if err := checkName(s.Name); err != nil {
			w = fmt.Sprintf("shift #%d", i+1)
			v.bad(p+".name", w, "name", "%v", err)
		}
		if s.Tier == "" {
			v.bad(p, w, "tier", "is missing: say which [[tier]] works this shift")
		} else if v.sc.TierIndex(s.Tier) < 0 {
			v.bad(p+".tier", w, "tier", "%q is not a [[tier]]", s.Tier)
		}
		v.shiftDays(p, w, s)
		if !s.Start.Set {
			v.bad(p, w, "start", "is missing (e.g. \"06:00\")")
		}
		if s.Length.Duration <= 0 || s.Length.Duration > Day {
			v.bad(p+".length", w, "length", "must be in (0, 24h]")
		}
		if s.Headcount < 0 || s.Headcount > MaxHeadcount {
			v.bad(p+".headcount", w, "headcount", "%d is not in [0, %d]", s.Headcount, MaxHeadcount)
		} else {
			total += s.Headcount
		}
		if s.Stagger == nil {
			s.Stagger = &Duration{30 * time.Minute}
		}
		v.breaks(p, w, s)
	}
	if total > MaxHeadcount {
		v.bad("shift[0].headcount", "[[shift]]", "headcount", "adds up to %d agents over all shifts; the limit is %d", total, MaxHeadcount)
	}
}

// shiftDays checks the days or dates a shift runs on.
func (v *validator) shiftDays(p, w string, s *Shift) {
	switch {
	case len(s.Dates) > 0 && !s.Days.IsZero():
		v.bad(p+".dates", w, "dates", "and days are both given: a shift runs on a pattern of days or on listed dates")
	case len(s.Dates) > 0:
		for j, d := range s.Dates {
			if err := checkYear(d); err != nil {
				v.bad(p+".dates", w, fmt.Sprintf("dates[%d]", j), "%v", err)
				return
			}
		}
	default:
		if s.Days.IsZero() {
			s.Days, _ = ParseDaySet("daily")
		}
	}
}

// breaks checks that each break has a length, that no two overlap, and
// that every agent's break ends within the shift: the engine spreads a
// line's breaks over the stagger window, so the last of n agents starts
// each break (n-1)/n of the window late.
func (v *validator) breaks(p, w string, s *Shift) {
	length := s.Length.Duration
	late := time.Duration(0)
	if s.Headcount > 1 {
		late = s.Stagger.Duration / time.Duration(s.Headcount) * time.Duration(s.Headcount-1)
	}
	order := make([]int, len(s.Breaks))
	for j := range order {
		order[j] = j
	}
	sort.SliceStable(order, func(a, b int) bool { return s.Breaks[order[a]].After.Duration < s.Breaks[order[b]].After.Duration })
	for k, j := range order {
		b := s.Breaks[j]
		f := fmt.Sprintf("breaks[%d]", j)
		end := b.After.Duration + b.Length.Duration
		switch {
		case b.Length.Duration <= 0:
			v.bad(p+".breaks", w, f, "must have a positive length")
		case end > length:
			v.bad(p+".breaks", w, f, "ends %s into the shift, after its end at %s", FormatDuration(end), FormatDuration(length))
		case end+late > length:
			v.bad(p+".breaks", w, f, "ends %s into the shift for the last agent (staggered %s late over stagger = %q), after the shift's end at %s; start it earlier or shorten stagger",
				FormatDuration(end+late), FormatDuration(late), FormatDuration(s.Stagger.Duration), FormatDuration(length))
		}
		if k > 0 {
			prev := s.Breaks[order[k-1]]
			if pe := prev.After.Duration + prev.Length.Duration; b.After.Duration < pe {
				v.bad(p+".breaks", w, f, "starts %s into the shift, before breaks[%d] ends at %s: breaks must not overlap",
					FormatDuration(b.After.Duration), order[k-1], FormatDuration(pe))
			}
		}
	}
}
