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
