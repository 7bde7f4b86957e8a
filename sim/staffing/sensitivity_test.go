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
		// The LP bound cannot fall when attendance does; the whole-position
		// roster, priced by its paid hours in the period, may move by
		// rounding (a half-hour tail of a shift), never by a paid hour in
		// the period (5 paid hours a week, this period being one work day).
		hour := s.Weekly / s.FTE / 40 * weekFactor(sc)
		if !ok || s.NA || s.Resimulated || s.LPDelta < 0 || s.Delta < -hour {
			t.Errorf("%s: %+v, want a re-rostered plan whose LP bound costs no less, its roster within a paid hour in the period", k, s)
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

// On the small team every change goes the way it must: more volume or
// longer handling costs more, less costs less, and a point more shrinkage
// never costs less (each against a baseline planned the same way; before,
// +10% volume read as a saving against the fully searched plan).
func TestSensitivityDirectionsOnSmallTeam(t *testing.T) {
	sc := load(t, "../../scenarios/small-team.toml")
	p, err := Build(sc, Options{Sensitivity: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range p.Sensitivity {
		if s.NA {
			continue
		}
		up := s.Change[0] == '+'
		switch {
		case s.Input == "volume" || s.Input == "handle time" || len(s.Input) > 9 && s.Input[:9] == "shrinkage":
			t.Logf("%s %s: roster Δ $%.0f, LP bound Δ $%.0f", s.Input, s.Change, s.Delta, s.LPDelta)
			if up && s.LPDelta < 0 || !up && s.LPDelta > 0 {
				t.Errorf("%s %s: LP bound Δ $%.0f/week goes the wrong way", s.Input, s.Change, s.LPDelta)
			}
		}
	}
}
