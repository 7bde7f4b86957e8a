package staffing

import (
	"testing"
	"time"

	"github.com/slasim/slasim/model"
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
	x, _, err := solveCover(p)
	if err != nil {
		t.Fatal(err)
	}
	if x[0] != 2 || x[1] != 1 {
		t.Errorf("x = %v, want [2 1]", x)
	}
	// Fractional cover (shrinkage 20%): each agent counts 0.8; needs 1, 1.
	p = coverProblem{a: [][]float64{{0.8, 0.8}, {0.8, 0}}, cost: []float64{3, 1}, need: []float64{1, 1}}
	x, _, err = solveCover(p)
	if err != nil {
		t.Fatal(err)
	}
	if x[0] != 2 || x[1] != 0 {
		t.Errorf("x = %v, want [2 0]", x)
	}
}

// Free shift patterns (Options.Fragments) are planned per date: in an 8-day period whose second
// Monday has three times the volume (a Cyber Monday), the first Monday is
// not staffed like the second.
func TestPlanIsPerDate(t *testing.T) {
	sc := load(t, "testdata/mmn.toml")
	sc.Meta.Duration.Duration = 8 * 24 * time.Hour
	from := sc.Meta.Start.Add(7 * 24 * time.Hour)
	sc.Surges = []model.Surge{{Name: "cyber-monday", From: from, To: from.Add(24 * time.Hour), Factor: 3}}
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	p, err := Build(sc, Options{Replications: 4, Fragments: true})
	if err != nil {
		t.Fatal(err)
	}
	hours := map[string]float64{}
	for _, l := range p.Schedule.Lines {
		if l.Date.IsZero() {
			t.Fatalf("generated line %q has no date", l.Name)
		}
		hours[l.Date.Format("2006-01-02")] += float64(l.Headcount) * l.Length.Hours()
	}
	first, second := hours[sc.Meta.Start.Format("2006-01-02")], hours[from.Format("2006-01-02")]
	if second < 2*first {
		t.Errorf("paid hours starting on the first Monday %.0f, on the surge Monday %.0f: want the surge day well above", first, second)
	}
	t.Logf("paid hours: first Monday %.0f, surge Monday %.0f", first, second)
}
