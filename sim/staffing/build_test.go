package staffing

import (
	"testing"
	"time"
)

// The plan for black-friday.toml meets every target when its rota is
// re-simulated with fresh random streams. Minutes on 2 cores: run with
// -long.
func TestPlanBlackFridayMeetsTargets(t *testing.T) {
	if !*long {
		t.Skip("plans a week of Black Friday: run with -long")
	}
	sc := load(t, "../../scenarios/black-friday.toml")
	p, err := Build(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.VerifySeed == p.Seed {
		t.Fatalf("verify seed %d is the search seed", p.VerifySeed)
	}
	for _, tg := range p.Targets {
		if !tg.Met {
			t.Errorf("%s %s %s: got %.3f ± %.3f, target %.3f", tg.Channel, tg.Priority, tg.Kind, tg.Got.Mean, tg.Got.CI95, tg.Target)
		}
	}
	if p.Budget.FTE <= 0 || p.Budget.Weekly <= 0 {
		t.Errorf("budget %+v", *p.Budget)
	}
	t.Logf("%d runs, %d repairs, %.1f FTE, $%.0f/week", p.Runs, p.Repairs, p.Budget.FTE, p.Budget.Weekly)
}

// BenchmarkPlanBlackFriday measures a whole plan of black-friday.toml
// under its contracts (requirements, roster, checks), and the same plan
// with the sensitivity table (seven more requirement searches), reporting
// how the time splits between simulation and shift planning.
func BenchmarkPlanBlackFriday(b *testing.B) {
	sc := load(b, "../../scenarios/black-friday.toml")
	for _, sens := range []bool{false, true} {
		name := "plan"
		if sens {
			name = "with-sensitivity"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				t0 := time.Now()
				p, err := Build(sc, Options{Sensitivity: sens})
				if err != nil {
					b.Fatal(err)
				}
				wall := time.Since(t0)
				b.ReportMetric(wall.Seconds(), "s/plan")
				b.ReportMetric(p.SolveTime.Seconds(), "s-solve/plan")
				b.ReportMetric((wall - p.SolveTime).Seconds(), "s-other/plan")
				b.ReportMetric(float64(p.Runs), "simulations/plan")
				b.ReportMetric(float64(p.Requirements.Runs), "search-simulations/plan")
			}
		})
	}
}

// On Black Friday week (384 half-hour intervals of the horizon, hardly two
// with the same load: 357 classes a tier) the search closes the brackets
// of at least 99% of its classes well within its budget, and the plan
// meets every target when re-simulated with fresh streams. Before, it used
// all 120 simulations and fell back, not converged.
func TestBlackFridaySearchConverges(t *testing.T) {
	if !*long {
		t.Skip("a Black Friday plan: run with -long")
	}
	sc := load(t, "../../scenarios/black-friday.toml")
	p, err := Build(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := p.Requirements
	t.Logf("search: %d simulations, %d classes, %d left open; plan: %d simulations, %d repairs", r.Runs, r.Classes, r.Open, p.Runs, p.Repairs)
	if r.Unconverged {
		t.Errorf("search not converged in %d simulations", r.Runs)
	}
	if r.Runs > 60 {
		t.Errorf("search used %d simulations, want at most 60", r.Runs)
	}
	if open := r.Open; 100*open > 3*r.Classes {
		t.Errorf("%d classes left open of %d tiers × %d", open, len(r.Tiers), r.Classes)
	}
	if !p.Met {
		t.Errorf("plan misses: %v", p.Missed())
	}
}
