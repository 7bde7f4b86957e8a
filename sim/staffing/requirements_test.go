package staffing

import (
	"errors"
	"testing"

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
