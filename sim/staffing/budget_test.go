package staffing

import (
	"math"
	"testing"
	"time"

	"github.com/slasim/slasim/model"
)

// budgetFor costs one daily 08:00 shift line of length l and headcount hc
// over a period of duration d starting Monday 2026-03-02 00:00 UTC, with a
// 2-hour warm-up (never bought).
func budgetFor(t *testing.T, d, l time.Duration, hc int) *Budget {
	t.Helper()
	sc := load(t, "testdata/mmn.toml")
	sc.Meta.Duration.Duration = d
	sc.Shrinkage = model.Shrinkage{PTO: 0.1}
	days, err := model.ParseDays("daily")
	if err != nil {
		t.Fatal(err)
	}
	start := 8 * time.Hour
	if d < 24*time.Hour {
		start = 0
	}
	s := &Schedule{Lines: []ShiftLine{{Pattern: Pattern{Tier: 0, Days: days, Start: start, Length: l}, Headcount: hc}}}
	return budget(sc, s, 40)
}

// FTE and cost hold for any period: hours ÷ what one full-timer (40 h a
// week, 8 h a day on 5 days of 7) works in the period; the peak headcount
// is the most on shift at once. Figures computed by hand.
func TestBudgetAnyPeriod(t *testing.T) {
	hourly := (40000.0 + 50000) / 2 * 1.3 / 2080
	for _, c := range []struct {
		name          string
		period, shift time.Duration
		hc            int
		hours, fte    float64
		days, work    int
	}{
		// 58 agents on one 8-hour shift in an 8-hour period (08:00-16:00
		// of one day: the period is 24h, the shift 8h): 464 hours, one
		// work day of 8 h: 58 FTE, not 464 × 168/24 ÷ 40 = 487.
		{"one day", 24 * time.Hour, 8 * time.Hour, 58, 464, 58, 1, 1},
		// The case: an 8-hour period, 58 agents on one 8-hour
		// shift (00:00-08:00 here): 58 FTE, not 243.6.
		{"8-hour period", 8 * time.Hour, 8 * time.Hour, 58, 464, 58, 1, 1},
		// A week of daily 8-hour shifts for 10: 560 h ÷ 40 h = 14 FTE.
		{"week", 7 * 24 * time.Hour, 8 * time.Hour, 10, 560, 14, 7, 5},
		// A fortnight: 1,120 h ÷ 80 h = 14 FTE.
		{"fortnight", 14 * 24 * time.Hour, 8 * time.Hour, 10, 1120, 14, 14, 10},
		// Ten days: 800 h ÷ (8 work days × 8 h) = 12.5 FTE.
		{"ten days", 10 * 24 * time.Hour, 8 * time.Hour, 10, 800, 12.5, 10, 8},
	} {
		b := budgetFor(t, c.period, c.shift, c.hc)
		tb := b.Tiers[0]
		if b.Days != c.days || b.WorkDays != c.work {
			t.Errorf("%s: %d days, %d work days; want %d, %d", c.name, b.Days, b.WorkDays, c.days, c.work)
		}
		if math.Abs(tb.PeriodHours-c.hours) > 1e-9 || math.Abs(tb.FTE-c.fte) > 1e-9 {
			t.Errorf("%s: %.1f paid hours, %.2f FTE; want %.1f, %.2f", c.name, tb.PeriodHours, tb.FTE, c.hours, c.fte)
		}
		if math.Abs(tb.Weekly-c.fte*40*hourly) > 1e-6 || math.Abs(tb.Annual-52*tb.Weekly) > 1e-6 {
			t.Errorf("%s: $%.2f a week, want FTE × 40 h × $%.4f = $%.2f", c.name, tb.Weekly, hourly, c.fte*40*hourly)
		}
		if math.Abs(tb.PeriodCost-c.hours*hourly) > 1e-6 {
			t.Errorf("%s: period cost $%.2f, want $%.2f", c.name, tb.PeriodCost, c.hours*hourly)
		}
		if tb.Headcount != c.hc {
			t.Errorf("%s: peak headcount %d, want %d (agents on shift at once, not shift instances)", c.name, tb.Headcount, c.hc)
		}
	}
}

// A shift that starts in the warm-up (the day before the period) is paid
// only for its hours inside the period.
func TestBudgetBuysNoWarmup(t *testing.T) {
	sc := load(t, "testdata/mmn.toml") // warm-up 2h before Monday 00:00
	var days model.Weekdays
	days[6] = true // sunday
	s := &Schedule{Lines: []ShiftLine{{Pattern: Pattern{Tier: 0, Days: days, Start: 22 * time.Hour, Length: 8 * time.Hour}, Headcount: 3}}}
	b := budget(sc, s, 40)
	if got := b.Tiers[0].PeriodHours; got != 18 {
		t.Errorf("Sunday 22:00 shift of 8h for 3: %.1f paid hours in the period, want 3 × 6 = 18", got)
	}
}
