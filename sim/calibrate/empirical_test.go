package calibrate

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
)

// TestEmpiricalHandleTimes writes the calibrated scenario with empirical
// handle times: it must load as a user's would, each category's
// distribution must have the observed mean, each escalation step's the
// observed mean at the tier it reaches (once the engine multiplies its
// tier's factor back in), and the scenario must run.
func TestEmpiricalHandleTimes(t *testing.T) {
	sc := loadBundled(t, "saas-support.toml")
	cal := historyOf(t, sc).Estimate("saas trace")
	dir := t.TempDir()
	paths, err := cal.WriteEmpirical(dir, "saas")
	require.NoError(t, err)
	require.Len(t, paths, len(cal.Categories)+len(cal.Escalation), "a file per category and per escalation step")
	f, err := os.Create(filepath.Join(dir, "saas.toml"))
	require.NoError(t, err)
	require.NoError(t, cal.WriteScenario(f, ScenarioOptions{Empirical: true, FileBase: "saas", Replications: 2}))
	require.NoError(t, f.Close())

	got, err := model.Load(filepath.Join(dir, "saas.toml"))
	require.NoError(t, err)
	steps := 0
	for _, c := range got.Categories {
		require.Equal(t, "empirical", c.HandleTime.Dist, c.Name)
		d, err := c.HandleTime.Build(got.Dir)
		require.NoError(t, err)
		obs := categoryOf(cal, c.Name).HandleTime
		require.Equal(t, obs.N, len(obs.Sample), "%s: every handling is in the file", c.Name)
		require.InDelta(t, obs.Mean, d.Mean(), 1e-9*obs.Mean, "%s: empirical mean", c.Name)
		for _, st := range c.Escalate {
			require.Equal(t, "empirical", st.HandleTime.Dist, "%s at %s", c.Name, st.To)
			d, err := st.HandleTime.Build(got.Dir)
			require.NoError(t, err)
			var want Durations
			for _, e := range cal.Escalation {
				if e.Category == c.Name && e.To == st.To {
					want = e.HandleTime
				}
			}
			require.Greater(t, want.N, 20, "%s at %s", c.Name, st.To)
			f := got.Tiers[got.TierIndex(st.To)].FactorFor(c.Name)
			require.InDelta(t, want.Mean, d.Mean()*f, 1e-9*want.Mean, "%s at %s: empirical mean × the tier's factor", c.Name, st.To)
			steps++
		}
	}
	require.Equal(t, len(cal.Escalation), steps)
	res, err := sim.Run(got, sim.Options{})
	require.NoError(t, err)
	require.Greater(t, res.Channels[0].Offered.Mean, 0.0)
}
