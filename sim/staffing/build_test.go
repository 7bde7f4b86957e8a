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
// (requirements, shifts, check, sensitivity).
func BenchmarkPlanBlackFriday(b *testing.B) {
	sc := load(b, "../../scenarios/black-friday.toml")
	for b.Loop() {
		t0 := time.Now()
		p, err := Build(sc, Options{Sensitivity: true})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(t0).Seconds(), "s/plan")
		b.ReportMetric(p.SolveTime.Seconds(), "s-solve/plan")
		b.ReportMetric(float64(p.Runs), "simulations/plan")
	}
}
