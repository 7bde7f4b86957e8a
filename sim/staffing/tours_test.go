package staffing

import (
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/model"
)

// flatNeed is a need of k agents in every period interval and warm agents
// in each of the w warm-up intervals before it.
func flatNeed(sc *model.Scenario, w, warm, k int) [][]int {
	n := w + intervalCount(sc)
	need := make([][]int, len(sc.Tiers))
	for t := range need {
		need[t] = make([]int, n)
		for i := range need[t] {
			need[t][i] = k
			if i < w {
				need[t][i] = warm
			}
		}
	}
	return need
}

// The roster under the default contract: full-time positions only, each
// 8h five days running, breaks inside their windows; a warm-up need, however
// large, buys nothing; the cover meets the need in every period interval.
func TestRosterDefaultContract(t *testing.T) {
	sc := load(t, "testdata/mmn.toml")
	w := 4
	a, err := rosterSchedule(sc, flatNeed(sc, w, 0, 10), w)
	if err != nil {
		t.Fatal(err)
	}
	b, err := rosterSchedule(sc, flatNeed(sc, w, 60, 10), w)
	if err != nil {
		t.Fatal(err)
	}
	if a.Quality.Cost != b.Quality.Cost || len(a.Roster) != len(b.Roster) {
		t.Errorf("a warm-up need of 60 changed the plan: %d positions ($%.0f) against %d ($%.0f)",
			len(b.Roster), b.Quality.Cost, len(a.Roster), a.Quality.Cost)
	}
	for i, got := range a.Scheduled[0] {
		if got < 10-1e-6 {
			t.Errorf("interval %d: %.2f agents on the floor, need 10", i, got)
		}
	}
	if q := a.Quality; q.FullTime != q.Positions || q.Positions == 0 || q.Gap < -1e-9 || !q.Tiers[0].LPSolved {
		t.Errorf("quality %+v: want every position full time and a gap ≥ 0", *q)
	}
	for _, p := range a.Roster {
		if p.Length != "8h" || p.HoursPerWeek != 40 || !strings.Contains(p.Days, "-") || len(p.Breaks) != 3 {
			t.Errorf("position %+v: want 8h, 40 h a week, a run of five days, three breaks", p)
		}
		start, _ := model.ParseClock(p.Start)
		for k, br := range p.Breaks {
			at, _ := model.ParseClock(br[:5])
			w := model.DefaultBreaks(8 * time.Hour)[k]
			off := (at - start + model.Day) % model.Day
			if off < w.From.Duration || off > w.To.Duration {
				t.Errorf("position %d: break %s starts %s into the shift, outside its window %s–%s",
					p.Number, br, off, w.From.Duration, w.To.Duration)
			}
		}
	}
}

// Opening hours: a tier open 08:00–18:00 gets shifts inside them only, and
// the intervals outside with a need are counted as closed.
func TestRosterOpeningHours(t *testing.T) {
	sc := load(t, "testdata/mmn.toml")
	sc.Openings = []model.Opening{{Tier: "agent", Days: "daily", Open: "08:00", Close: "18:00"}}
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	s, err := rosterSchedule(sc, flatNeed(sc, 0, 0, 3), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range s.Lines {
		if l.Start < 8*time.Hour || l.Start+l.Length > 18*time.Hour {
			t.Errorf("line %s outside the opening hours", l.Name)
		}
	}
	if got, want := s.Quality.Tiers[0].Closed, 48-20; got != want {
		t.Errorf("closed intervals %d, want %d (the day's 48 less 08:00–18:00)", got, want)
	}
}

// A part-time contract capped at a share: the roster keeps it.
func TestRosterPartTimeShare(t *testing.T) {
	sc := load(t, "testdata/mmn.toml")
	sc.Contracts = []model.Contract{{Name: "full-time"}, {Name: "part-time", Lengths: []model.Duration{{Duration: 4 * time.Hour}}, MaxShare: 0.25}}
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	s, err := rosterSchedule(sc, flatNeed(sc, 0, 0, 12), 0)
	if err != nil {
		t.Fatal(err)
	}
	part := 0
	for _, p := range s.Roster {
		if p.Contract == "part-time" {
			part++
		}
	}
	if float64(part) > 0.25*float64(len(s.Roster))+1e-9 {
		t.Errorf("%d of %d positions part time, cap 25%%", part, len(s.Roster))
	}
	t.Logf("%d positions, %d part time, gap %.1f%%", len(s.Roster), part, 100*s.Quality.Gap)
}

// BenchmarkRosterBlackFriday plans the roster of black-friday.toml (three
// tiers, 8 days of half-hour rows, full-time, part-time and peak-day temp
// contracts) for its Erlang requirement: the shift-planning share of a
// plan, without simulation.
func BenchmarkRosterBlackFriday(b *testing.B) { benchRoster(b, "../../scenarios/black-friday.toml") }

// BenchmarkRosterSmallTeam plans the roster of small-team.toml (a team of
// four or five on the floor, full-time and part-time contracts) for its
// Erlang requirement: the gap there is the small team's rounding.
func BenchmarkRosterSmallTeam(b *testing.B) { benchRoster(b, "../../scenarios/small-team.toml") }

func benchRoster(b *testing.B, file string) {
	sc := load(b, file)
	ext, w := withWarmupIntervals(sc)
	d, err := newDemand(ext)
	if err != nil {
		b.Fatal(err)
	}
	need, err := erlangAgents(ext, d, 0.85)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		t0 := time.Now()
		s, err := rosterSchedule(sc, need, w)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(t0).Seconds(), "s/roster")
		b.ReportMetric(float64(s.Quality.Positions), "positions")
		b.ReportMetric(100*s.Quality.Gap, "gap%")
		b.ReportMetric(s.Quality.Cost, "$/week")
		b.ReportMetric(s.Quality.LPCost, "LP$/week")
		// The whole-agent bound, outside the timing (plans skip it).
		measureWholeAgentBound = true
		m, err := rosterSchedule(sc, need, w)
		measureWholeAgentBound = false
		if err != nil {
			b.Fatal(err)
		}
		whole := 0.0
		for _, t := range m.Quality.Tiers {
			whole += t.WholeAgentBound
		}
		b.ReportMetric(whole, "whole-agent$/week")
		b.ReportMetric(100*(s.Quality.Cost/whole-1), "whole-agent-gap%")
	}
}
