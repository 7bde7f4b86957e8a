package staffing

import (
	"math"
	"testing"
	"time"

	"github.com/slasim/slasim/model"
)

// peakWeek is mmn.toml over 8 days, Monday 2 to Monday 9 March 2026, the
// tier open 08:00-16:00 (so every position works 08:00-16:00), under the
// default full-time contract and, when temps is set, a dated contract for
// the second Monday.
func peakWeek(t *testing.T, temps bool) *model.Scenario {
	t.Helper()
	sc := load(t, "testdata/mmn.toml")
	sc.Meta.Duration.Duration = 8 * 24 * time.Hour
	all, _ := model.ParseDays("daily")
	sc.Openings = []model.Opening{{Tier: sc.Tiers[0].Name, Days: "daily", Open: "08:00", Close: "16:00", OnDays: all, From: 8 * time.Hour, To: 16 * time.Hour}}
	sc.Contracts = []model.Contract{model.DefaultContract()}
	if temps {
		tc := model.DefaultContract()
		tc.Name, tc.ConsecutiveOff, tc.Days = "temp", nil, 1
		tc.Dates = []time.Time{time.Date(2026, 3, 9, 0, 0, 0, 0, sc.Location)}
		sc.Contracts = append(sc.Contracts, tc)
	}
	return sc
}

// dayCover plans the tours of a scenario against a need per date (one row
// per day: every tour works 08:00-16:00) and returns the paid hours of the
// best cover and the LP bound.
func dayCover(t *testing.T, sc *model.Scenario, pats []Pattern, need []float64) (hours, bound float64) {
	t.Helper()
	f := newWeekFit(sc)
	p := coverProblem{need: need}
	for j := range pats {
		col := make([]float64, len(f.dates))
		for d, day := range f.dates {
			if pats[j].On(day) {
				col[d] = 1
			}
		}
		p.a = append(p.a, col)
		p.cost = append(p.cost, periodHours(sc, &pats[j]))
	}
	x, bound, err := solveCover(p)
	if err != nil {
		t.Fatal(err)
	}
	for j, n := range x {
		hours += float64(n) * p.cost[j]
	}
	return hours, bound
}

// A week and a Monday whose second Monday is the peak: 2 agents Monday to
// Friday, none at the weekend, 6 on the second Monday. The optimum, by
// hand (every position works 08:00-16:00, 8 paid hours a day):
//   - weekly cycle: the 6 on the second Monday work the first Monday too
//     and five days of the week: 6 × 6 days × 8 h = 288 h;
//   - the cycle fitted to the dates (a run of 7 days and one more, left
//     off or not): 4 positions work Tuesday to Friday and the second
//     Monday (40 h) and 2 both Mondays and the days between (48 h): 6
//     positions must work the second Monday, each at least 40 h, and the
//     first Monday's 2 cost 8 h more each: 4×40 + 2×48 = 256 h;
//   - with temps for the second Monday: 2 positions Monday to Friday
//     (40 h) and 6 temps (8 h), or 2 on both Mondays and 4 temps: 128 h.
func TestDatedContractsKnownOptimum(t *testing.T) {
	need := []float64{2, 2, 2, 2, 2, 0, 0, 6}
	sc := peakWeek(t, false)
	cycle := peakWeek(t, false)
	pats, _, _ := tours(sc, 0)
	var weekly []Pattern // the same tours on the weekly cycle alone
	for _, p := range pats {
		if len(p.Dates) == 0 || len(fitExcept(sc, &p)) == 0 {
			q := p
			q.Dates = nil
			weekly = append(weekly, q)
		}
	}
	for _, c := range []struct {
		name  string
		sc    *model.Scenario
		pats  []Pattern
		hours float64
	}{
		{"weekly cycle", cycle, weekly, 288},
		{"fitted to the dates", sc, pats, 256},
		{"with temps", peakWeek(t, true), nil, 128},
	} {
		if c.pats == nil {
			c.pats, _, _ = tours(c.sc, 0)
		}
		hours, bound := dayCover(t, c.sc, c.pats, need)
		if math.Abs(hours-c.hours) > 1e-9 {
			t.Errorf("%s: %g paid hours, want %g (LP bound %.1f)", c.name, hours, c.hours, bound)
		}
		if bound > hours+1e-6 {
			t.Errorf("%s: LP bound %.2f above the plan's %g", c.name, bound, hours)
		}
	}
}

// fitExcept are the period's dates a fitted pattern leaves off its cycle.
func fitExcept(sc *model.Scenario, p *Pattern) []time.Time {
	return newWeekFit(sc).daysOf(p).except
}

// Fitted tours keep the days-off rule on any 7 consecutive days: at most
// five working days, two of the days off consecutive (read as a week: a
// window's last day and its first count as consecutive, as Sunday and
// Monday do in the contract's weekly rule); in the 8-day period
// each weekly cycle with Monday on gives three sets of dates (both
// Mondays, either one), the others one.
func TestWeekFitKeepsDaysOffRule(t *testing.T) {
	sc := peakWeek(t, false)
	f := newWeekFit(sc)
	c := model.DefaultContract()
	n := 0
	for _, w := range c.WorkWeeks(nil) {
		ch := f.choices(w)
		want := 1
		if w[0] {
			want = 3
		}
		if len(ch) != want {
			t.Errorf("cycle %s: %d sets of dates, want %d", compactDays(w), len(ch), want)
		}
		n += len(ch)
		for _, d := range ch {
			p := Pattern{Days: d.week, Dates: d.dates}
			all := append(append([]time.Time(nil), f.before...), f.dates...)
			for s := 0; s+7 <= len(all); s++ {
				// The window read as a week, as the contract reads its
				// days off (the last day and the first are consecutive).
				var week model.Weekdays
				on := 0
				for k, day := range all[s : s+7] {
					if week[k] = p.On(day); week[k] {
						on++
					}
				}
				if on > 5 || !offBlockOf(week, 2) {
					t.Errorf("%s: %d working days, days off %v from %s", d.label(), on, week, all[s].Format("Mon 2 Jan"))
				}
			}
		}
	}
	if n != 17 {
		t.Errorf("%d sets of dates, want 7 cycles + 5 × 2 with one Monday left off = 17", n)
	}
}

// The roster of the peak week with temps: the second Monday's peak goes to
// temps and full-time positions that leave a Monday off; the temps' lines
// run on their date, the rota validates and simulates as listed dates, and
// the budget agrees with the plan quality.
func TestRosterWithTemps(t *testing.T) {
	sc := peakWeek(t, true)
	w := 4
	h := newHorizon(sc, w)
	need := make([][]int, 1)
	need[0] = make([]int, h.n)
	for i := w; i < h.n; i++ {
		at := h.at(i)
		if at.Hour() < 8 || at.Hour() >= 16 || at.Weekday() == time.Saturday || at.Weekday() == time.Sunday {
			continue
		}
		need[0][i] = 2
		if at.Day() == 9 {
			need[0][i] = 6
		}
	}
	s, err := rosterSchedule(sc, need, w)
	if err != nil {
		t.Fatal(err)
	}
	temps, ft := 0, 0
	for _, p := range s.Roster {
		switch p.Contract {
		case "temp":
			temps++
			if p.Days != "2026-03-09" || p.HoursInPeriod != 8 || p.HoursPerWeek != 8 {
				t.Errorf("temp %+v: want 2026-03-09, 8 h", p)
			}
		default:
			ft++
			if p.HoursPerWeek != 40 || p.HoursInPeriod < 40 || p.HoursInPeriod > 48 {
				t.Errorf("full-time %+v: want 40 h a week, 40-48 h in the 8 days", p)
			}
		}
	}
	if temps == 0 || ft == 0 {
		t.Errorf("%d temps and %d full-time positions, want both", temps, ft)
	}
	for i, got := range s.Scheduled[0] {
		if float64(need[0][w+i]) > got+1e-6 {
			t.Errorf("interval %d: %.2f on the floor, need %d", i, got, need[0][w+i])
		}
	}
	rota, err := s.Rota(sc)
	if err != nil {
		t.Fatal(err)
	}
	dated := 0
	for _, sh := range rota.Shifts {
		if len(sh.Dates) > 0 {
			dated++
		}
	}
	if dated == 0 {
		t.Error("no rota line runs on listed dates")
	}
	if b := budget(sc, s, 40); math.Abs(b.Weekly-s.Quality.Cost) > 1e-6*b.Weekly {
		t.Errorf("budget $%.2f a week, plan quality $%.2f", b.Weekly, s.Quality.Cost)
	}
	t.Logf("%d positions (%d temps), gap %.1f%%", len(s.Roster), temps, 100*s.Quality.Gap)
}
