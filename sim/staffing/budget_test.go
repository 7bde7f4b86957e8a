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

// The budget and the plan quality state one weekly cost: the roster's
// paid hours in the period × 5 ÷ the period's work days × the hourly cost.
// For a day, a week, 8 days (a week and a Monday) and nine days, the
// budget of a roster equals its quality's cost, tier by tier, and the
// total is what the positions' own hours in the period say.
func TestBudgetAgreesWithPlanQuality(t *testing.T) {
	for _, c := range []struct {
		name string
		days int
	}{{"one day", 1}, {"week", 7}, {"8 days", 8}, {"nine days", 9}} {
		sc := load(t, "testdata/mmn.toml")
		sc.Meta.Duration.Duration = time.Duration(c.days) * 24 * time.Hour
		// Starts every 2 hours keep the program small.
		ft := model.DefaultContract()
		ft.StartEvery.Duration = 2 * time.Hour
		sc.Contracts = []model.Contract{ft}
		w := 4
		s, err := rosterSchedule(sc, flatNeed(sc, w, 0, 6), w)
		if err != nil {
			t.Fatal(err)
		}
		b := budget(sc, s, 40)
		q := s.Quality
		if math.Abs(b.Weekly-q.Cost) > 1e-6*q.Cost || q.Cost == 0 {
			t.Errorf("%s: budget $%.2f a week, plan quality $%.2f", c.name, b.Weekly, q.Cost)
		}
		for i, tq := range q.Tiers {
			if tb := b.Tiers[i]; math.Abs(tb.Weekly-tq.Cost) > 1e-6*tq.Cost || math.Abs(tb.RosteredHours-tq.PaidHours) > 1e-6*tq.PaidHours {
				t.Errorf("%s %s: budget $%.2f and %.2f h a week, quality $%.2f and %.2f h", c.name, tq.Tier, tb.Weekly, tb.RosteredHours, tq.Cost, tq.PaidHours)
			}
		}
		hours := 0.0
		for _, p := range s.Roster {
			hours += p.HoursInPeriod
		}
		wd := float64(workDays(c.days))
		if want := hours * 5 / wd * tierHourly(sc, 0); math.Abs(q.Cost-want) > 1e-6*want {
			t.Errorf("%s: quality $%.2f a week, positions' %.1f h in the period × 5 ÷ %g work days say $%.2f", c.name, q.Cost, hours, wd, want)
		}
		t.Logf("%s: %d positions, %.1f FTE, $%.0f a week, gap %.1f%%", c.name, q.Positions, b.FTE, b.Weekly, 100*q.Gap)
	}
}
