package staffing

import (
	"testing"
)

// Three intervals needing 2, 3 and 1 agents; pattern A covers intervals 0
// and 1 for cost 2, pattern B covers 1 and 2 for cost 2. The optimum is
// A = 2 (covers 2, 2) plus B = 1 (covers 0+1 = 3 in interval 1, 1 in 2):
// cost 6.
func TestSolveCoverHandComputed(t *testing.T) {
	p := coverProblem{
		a:    [][]float64{{1, 1, 0}, {0, 1, 1}},
		cost: []float64{2, 2},
		need: []float64{2, 3, 1},
	}
	x, err := solveCover(p)
	if err != nil {
		t.Fatal(err)
	}
	if x[0] != 2 || x[1] != 1 {
		t.Errorf("x = %v, want [2 1]", x)
	}
	// Fractional cover (shrinkage 20%): each agent counts 0.8; needs 1, 1.
	p = coverProblem{a: [][]float64{{0.8, 0.8}, {0.8, 0}}, cost: []float64{3, 1}, need: []float64{1, 1}}
	x, err = solveCover(p)
	if err != nil {
		t.Fatal(err)
	}
	if x[0] != 2 || x[1] != 0 {
		t.Errorf("x = %v, want [2 0]", x)
	}
}
