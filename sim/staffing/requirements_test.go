package staffing

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/model"
)

func load(t testing.TB, path string) *model.Scenario {
	t.Helper()
	sc, err := model.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// On M/M/n with constant demand the simulated requirement is Erlang C's
// inverse, within one agent, at every interval.
func TestRequirementsMatchErlangC(t *testing.T) {
	sc := load(t, "testdata/mmn.toml")
	req, err := FindRequirements(sc, Options{Replications: 40})
	if err != nil {
		t.Fatal(err)
	}
	want, err := model.AgentsFor(120.0/3600, 300, 0, 20, 0.80, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Erlang C: %d agents; simulated %v in %d runs", want.Agents, req.Simulated[0], req.Runs)
	for i, n := range req.Simulated[0] {
		if req.Erlang[0][i] != want.Agents {
			t.Errorf("interval %d: Erlang figure %d, want %d", i, req.Erlang[0][i], want.Agents)
		}
		if abs(n-want.Agents) > 1 {
			t.Errorf("interval %d: simulated requirement %d, Erlang C %d", i, n, want.Agents)
		}
	}
}

func TestRequirementsInfeasible(t *testing.T) {
	for _, f := range []string{"testdata/infeasible.toml", "testdata/abandon.toml"} {
		sc := load(t, f)
		_, err := FindRequirements(sc, Options{Replications: 4})
		if !errors.Is(err, ErrInfeasible) {
			t.Errorf("%s: err = %v, want ErrInfeasible", f, err)
			continue
		}
		t.Logf("%s: %v", f, err)
	}
}

// A tier that only takes escalations is searched against its own target
// (OLA): a tighter target needs more specialists, and the plan's check
// reports the tier's target.
func TestEscalationTierSearchedByItsTarget(t *testing.T) {
	need := func(within string, target float64) (int, *Plan) {
		sc := load(t, "testdata/escalation.toml")
		sc.Tiers[1].SLA.Within.Duration, _ = model.ParseDuration(within)
		sc.Tiers[1].SLA.Target = target
		p, err := Build(sc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		sum := 0
		for _, x := range p.Requirements.Simulated[1] {
			sum += x
		}
		return sum, p
	}
	loose, pl := need("2h", 0.8)
	tight, pt := need("5m", 0.95)
	t.Logf("specialist agent-intervals: %d (80%% in 2h), %d (95%% in 5m)", loose, tight)
	if tight <= loose {
		t.Errorf("specialist agent-intervals: %d for 95%% in 5m, %d for 80%% in 2h; the tighter target should need more", tight, loose)
	}
	for _, p := range []*Plan{pl, pt} {
		found := false
		for _, tg := range p.Targets {
			if tg.Tier == "specialist" {
				found = true
				if !tg.Met {
					t.Errorf("specialist target %.2f missed: %.3f ± %.3f", tg.Target, tg.Got.Mean, tg.Got.CI95)
				}
			}
		}
		if !found {
			t.Errorf("the plan's check does not report the specialist target: %+v; need %v; sched %v", p.Targets, p.Need, p.Schedule.Scheduled)
		}
	}
}

// flatOpen lists the open intervals (08:00-16:00) of testdata/flat.toml.
func flatOpen(i int) bool {
	h := (i % 48) / 2
	return h >= 8 && h < 16
}

// checkFlat asserts a flat-load requirement: want ±1 in every open
// interval, none when closed, and identical days identical.
func checkFlat(t *testing.T, req *Requirements, want int) {
	t.Helper()
	off := 0
	for i, n := range req.Simulated[0] {
		switch {
		case flatOpen(i) && abs(n-want) > 1:
			t.Errorf("interval %d: requirement %d, analytic %d", i, n, want)
		case !flatOpen(i) && n != 0:
			t.Errorf("interval %d (closed): requirement %d, want 0", i, n)
		}
		if flatOpen(i) && n != want {
			off++
		}
		if i >= 48 && n != req.Simulated[0][i-48] {
			t.Errorf("interval %d: requirement %d, %d the day before at the same time", i, n, req.Simulated[0][i-48])
		}
	}
	t.Logf("%d of 112 open intervals off the analytic %d; %d classes, %d simulations; %v", off, want, req.Classes, req.Runs, req.Simulated[0][16:32])
}

// On a flat, stationary load (600 calls/h, 5-minute exponential handle
// times, 80% in 20 s, open 08:00-16:00 every day of a week) the
// requirement is Erlang C's inverse, 57, within one agent in every open
// interval, whatever the seed, and identical days get identical
// requirements.
func TestRequirementFlatLoadIsErlangC(t *testing.T) {
	want, err := model.AgentsFor(600.0/3600, 300, 0, 20, 0.80, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want.Agents != 57 {
		t.Fatalf("Erlang C: %d agents, the issue's hand figure is 57", want.Agents)
	}
	for _, seed := range []uint64{1, 2, 3} {
		sc := load(t, "testdata/flat.toml")
		req, err := FindRequirements(sc, Options{Seed: seed, SeedSet: true})
		if err != nil {
			t.Fatal(err)
		}
		checkFlat(t, req, want.Agents)
	}
}

// The same flat load with exponential patience (mean 3 minutes): the
// requirement is Erlang A's inverse within one agent in every interval.
func TestRequirementFlatLoadIsErlangA(t *testing.T) {
	want, err := model.AgentsFor(600.0/3600, 300, 180, 20, 0.80, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, seed := range []uint64{4, 5} {
		sc := load(t, "testdata/flat.toml")
		pd := model.DistSpec{Dist: "exponential", Mean: model.Duration{Duration: 3 * time.Minute}}
		sc.Channels[0].Patience = &pd
		req, err := FindRequirements(sc, Options{Seed: seed, SeedSet: true})
		if err != nil {
			t.Fatal(err)
		}
		checkFlat(t, req, want.Agents)
	}
}

// An infeasibility names the interval by its index in the period, and the
// warm-up's as negative: with 4 warm-up intervals (2h of 30m), horizon
// interval 0 is warm-up interval −4 and horizon interval 6 is interval 2.
func TestInfeasibleNamesThePeriodInterval(t *testing.T) {
	sc := load(t, "testdata/mmn.toml")
	for _, c := range []struct {
		i    int
		want string
	}{{0, "warm-up interval -4 (Sun 1 Mar 22:00)"}, {6, "interval 2 (Mon 2 Mar 01:00)"}} {
		err := infeasibleAt(sc, 4, 0, c.i, 30, 14)
		if !errors.Is(err, ErrInfeasible) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("horizon interval %d: %v, want it to name %q", c.i, err, c.want)
		}
	}
}

// A tier's handle factor for one category counts in the workload the
// analytic requirement starts from: twice the handle time for the only
// category is twice the erlangs, as a tier-wide factor of 2 is.
func TestCategoryHandleFactorInWorkload(t *testing.T) {
	work := func(edit func(*model.Tier)) float64 {
		sc := load(t, "testdata/mmn.toml")
		edit(&sc.Tiers[0])
		d, err := newDemand(sc)
		if err != nil {
			t.Fatal(err)
		}
		return entryWork(sc, d)[0][10]
	}
	plain := work(func(*model.Tier) {})
	tierWide := work(func(tr *model.Tier) { tr.HandleFactor = 2 })
	perCategory := work(func(tr *model.Tier) { tr.CategoryHandleFactor = map[string]float64{"any": 2} })
	if math.Abs(plain-10) > 1e-9 {
		t.Fatalf("120/h × 5 min is 10 erlangs, got %g", plain)
	}
	if math.Abs(perCategory-2*plain) > 1e-9 || math.Abs(perCategory-tierWide) > 1e-9 {
		t.Errorf("category factor 2: %g erlangs, want %g (tier-wide factor 2: %g)", perCategory, 2*plain, tierWide)
	}
}
