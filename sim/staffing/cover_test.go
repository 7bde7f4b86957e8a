package staffing

import (
	"math"
	"testing"
)

// Two single-row positions (cost 1 each) against one that covers both rows
// (cost 1.5): from the two singles, no move of one agent helps (dropping
// either and repairing buys it back), the pair move finds the 1.5 cover.
func TestImprovePairs(t *testing.T) {
	p := coverProblem{a: [][]float64{{1, 0}, {0, 1}, {1, 1}}, cost: []float64{1, 1, 1.5}, need: []float64{1, 1}}
	r, err := reduce(p)
	if err != nil {
		t.Fatal(err)
	}
	s := r.start([]int{1, 1, 0})
	s.improve(20)
	s.swap(20)
	if s.cost() != 2 {
		t.Fatalf("one-agent moves reached cost %g; the instance wants them stuck at 2", s.cost())
	}
	s.improvePairs(40)
	if s.cost() != 1.5 || !s.feasible() {
		t.Errorf("after pair moves: %v at cost %g, want the 1.5 cover", s.x, s.cost())
	}
}

// The whole-agent bound counts agents, not fractions: a need of 1 in a
// row where each agent is on the floor 87% of the time takes two agents
// (cost 2), where the LP buys 1/0.87 = 1.149.
func TestWholeAgentBound(t *testing.T) {
	p := coverProblem{a: [][]float64{{0.87}, {0.87}}, cost: []float64{1, 1}, need: []float64{1}}
	r, err := reduce(p)
	if err != nil {
		t.Fatal(err)
	}
	_, lp, err := r.relax()
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(lp-1/0.87) > 1e-6 {
		t.Errorf("LP bound %.4f, want %.4f", lp, 1/0.87)
	}
	if got := wholeAgentBound(p); math.Abs(got-2) > 1e-6 {
		t.Errorf("whole-agent bound %.4f, want 2", got)
	}
	x, _, err := solveCover(p)
	if err != nil || x[0]+x[1] != 2 {
		t.Errorf("cover %v (%v), want two agents", x, err)
	}
}

// The small team's roster for its Erlang requirement with other shrinkage
// moved by −2 to +2 points: the LP bound rises with shrinkage (exactly:
// every agent covers less), and each roster costs no less than its LP
// bound; -v logs the figures the README quotes. Under -long (about 10 s).
func TestRosterShrinkageSweep(t *testing.T) {
	if !*long {
		t.Skip("-long")
	}
	prev := 0.0
	for _, dp := range []float64{-0.02, -0.01, 0, 0.01, 0.02} {
		sc := load(t, "../../scenarios/small-team.toml")
		sc.Shrinkage.Other += dp
		ext, w := withWarmupIntervals(sc)
		d, err := newDemand(ext)
		if err != nil {
			t.Fatal(err)
		}
		need, err := erlangAgents(ext, d, 0.85)
		if err != nil {
			t.Fatal(err)
		}
		s, err := rosterSchedule(sc, need, w)
		if err != nil {
			t.Fatal(err)
		}
		q := s.Quality
		if q.LPCost < prev-1e-6 || q.Cost < q.LPCost-1e-6 {
			t.Errorf("other %+.2f: LP $%.0f after $%.0f, roster $%.0f: want the LP rising, the roster above it", dp, q.LPCost, prev, q.Cost)
		}
		prev = q.LPCost
		t.Logf("other shrinkage %+.0f pt: roster $%.0f a week (%d positions), LP bound $%.0f, gap %.1f%%", 100*dp, q.Cost, q.Positions, q.LPCost, 100*q.Gap)
	}
}

// The small team's full plan, its roster against the LP bound and the
// whole-agent bound for the same requirement: LP ≤ whole-agent ≤ roster;
// -v logs the figures the README quotes. Under -long (a plan, seconds).
func TestSmallTeamPlanWholeAgentBound(t *testing.T) {
	if !*long {
		t.Skip("-long")
	}
	sc := load(t, "../../scenarios/small-team.toml")
	p, err := Build(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	measureWholeAgentBound = true
	defer func() { measureWholeAgentBound = false }()
	s, err := rosterSchedule(sc, p.Need, p.Requirements.WarmupIntervals)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range s.Quality.Tiers {
		if q.LPCost > q.WholeAgentBound+1e-6 || q.WholeAgentBound > q.Cost+1e-6 {
			t.Errorf("%s: LP $%.0f, whole-agent $%.0f, roster $%.0f: want them in that order", q.Tier, q.LPCost, q.WholeAgentBound, q.Cost)
		}
		t.Logf("%s: roster $%.0f a week (%d positions), LP bound $%.0f, whole-agent bound $%.0f", q.Tier, q.Cost, q.Positions, q.LPCost, q.WholeAgentBound)
	}
}
