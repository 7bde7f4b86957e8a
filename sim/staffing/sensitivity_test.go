package staffing

import (
	"math"
	"testing"
)

// The sensitivity re-plans by simulation, covers every shrinkage
// component, and marks n/a what the scenario has no input for: mmn.toml
// has no deflection and no shrinkage, so deflection ±10 points and every
// component lowered are n/a, while each raised costs more.
func TestSensitivityResimulatedAndNA(t *testing.T) {
	sc := load(t, "testdata/mmn.toml")
	p, err := Build(sc, Options{Sensitivity: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Sensitivity{}
	for _, s := range p.Sensitivity {
		got[s.Input+" "+s.Change] = s
	}
	for _, k := range []string{"deflection -10 pts", "deflection +10 pts", "shrinkage pto -1 pt", "shrinkage sick -1 pt", "shrinkage training -1 pt", "shrinkage other -1 pt"} {
		if s, ok := got[k]; !ok || !s.NA || s.Note == "" {
			t.Errorf("%s: %+v, want n/a with a reason", k, s)
		}
	}
	for _, k := range []string{"shrinkage pto +1 pt", "shrinkage sick +1 pt", "shrinkage training +1 pt", "shrinkage other +1 pt"} {
		s, ok := got[k]
		if !ok || s.NA || s.Resimulated || s.Delta < 0 {
			t.Errorf("%s: %+v, want a re-rostered plan costing no less", k, s)
		}
	}
	up, down := got["volume +10%"], got["volume -10%"]
	if !up.Resimulated || !down.Resimulated || !(up.Delta > 0) || !(down.Delta < 0) {
		t.Errorf("volume ±10%%: %+v / %+v, want re-simulated, dearer and cheaper", up, down)
	}
	if math.IsNaN(up.FTE) {
		t.Error("NaN FTE")
	}
}
