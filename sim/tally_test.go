package sim

import (
	"encoding/json"
	"math"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/model"
)

// TestMomentsMatchTwoPass: the one-pass moments give the mean and CI of the
// two-pass NewStat, NaN values left out, on hand-checked data.
func TestMomentsMatchTwoPass(t *testing.T) {
	xs := []float64{4, math.NaN(), 7, 13, 16}
	var m moments
	for _, x := range xs {
		m.add(x)
	}
	got := m.stat(map[int]float64{})
	// mean 10, sample variance (36+9+9+36)/3 = 30.
	want := Stat{Mean: 10, CI95: TQuantile975(3) * math.Sqrt(30) / 2}
	assert.Equal(t, want.Mean, got.Mean)
	assert.InDelta(t, want.CI95, got.CI95, 1e-12)
	assert.InDelta(t, NewStat(xs).CI95, got.CI95, 1e-12)

	var one moments
	one.add(3)
	assert.Equal(t, Stat{Mean: 3}, one.stat(map[int]float64{}))
	var none moments
	none.add(math.NaN())
	assert.Equal(t, Stat{}, none.stat(map[int]float64{}))
}

// TestFoldedResultMatchesKeptReplications runs the bundled scenarios and
// sets the folded result against the figures computed as before folding,
// from every replication's record kept in memory: whole-period figures are
// byte-identical, interval figures equal to 1e-12 relative (the one-pass
// variance and the running sum round differently from the two-pass ones in
// the last bits).
func TestFoldedResultMatchesKeptReplications(t *testing.T) {
	files, err := filepath.Glob("../scenarios/*.toml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			sc, err := model.Load(f)
			require.NoError(t, err)
			require.NoError(t, sc.Set("scenario.duration", "2d"))
			const n = 5
			res, err := Run(sc, Options{Replications: n, Seed: 7, SeedSet: true})
			require.NoError(t, err)
			p, err := compile(sc)
			require.NoError(t, err)
			reps := make([]*repStats, n)
			for r := range reps {
				e := newEngine(p, 7, r, nil)
				require.NoError(t, e.run())
				reps[r] = e.st
			}
			keep := func(read func(*plan, *repStats, int) float64, k int) Stat {
				v := make([]float64, n)
				for r, st := range reps {
					v[r] = read(p, st, k)
				}
				return NewStat(v)
			}
			for c := range res.Channels {
				for _, fig := range ChannelFigures {
					assert.Equal(t, keep(fig.read, c), *fig.Of(&res.Channels[c]), "channel %d %s", c, fig.Name)
				}
			}
			for ti := range res.Tiers {
				for _, fig := range TierFigures {
					if fig.olaOnly && sc.Tiers[ti].SLA == nil {
						continue
					}
					want, got := keep(fig.read, ti), fig.Of(&res.Tiers[ti])
					if len(want.Samples) == 0 && fig.opt != nil {
						assert.Nil(t, got, "tier %d %s", ti, fig.Name)
					} else if assert.NotNil(t, got, "tier %d %s", ti, fig.Name) {
						assert.Equal(t, want, *got, "tier %d %s", ti, fig.Name)
					}
				}
			}
			for _, fig := range CostFigures {
				assert.Equal(t, keep(fig.read, 0), *fig.Of(&res.Cost), "cost %s", fig.Name)
			}
			for k := range res.Intervals {
				for _, fig := range IntervalFigures {
					want, got := keep(fig.read, k), fig.Of(&res.Intervals[k])
					if len(want.Samples) == 0 && fig.opt != nil {
						assert.Nil(t, got, "interval %d %s", k, fig.Name)
						continue
					}
					require.NotNil(t, got, "interval %d %s", k, fig.Name)
					assert.InEpsilon(t, want.Mean+1, got.Mean+1, 1e-12, "interval %d %s mean", k, fig.Name)
					assert.InEpsilon(t, want.CI95+1, got.CI95+1, 1e-12, "interval %d %s ci95", k, fig.Name)
				}
			}
		})
	}
}

// TestFigureNamesAreJSONKeys: each row of the metric tables names the JSON
// key of the figure it points at, so that the tables, the result contract
// and compare speak of the same thing.
func TestFigureNamesAreJSONKeys(t *testing.T) {
	marker := Stat{Mean: 12345.5}
	check := func(name string, v any) {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		var m map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(b, &m))
		got, ok := m[name]
		if assert.True(t, ok, "no JSON key %q in %s", name, b) {
			assert.Contains(t, string(got), "12345.5", "key %q does not hold the figure", name)
		}
	}
	checkTable(t, ChannelFigures, marker, check)
	checkTable(t, PriorityFigures, marker, check)
	checkTable(t, TierFigures, marker, check)
	checkTable(t, BandFigures, marker, check)
	checkTable(t, CostFigures, marker, check)
	checkTable(t, ChannelCostFigures, marker, check)
	checkTable(t, IntervalFigures, marker, check)
	checkTable(t, TierIntervalFigures, marker, check)
}

func checkTable[T any](t *testing.T, figs []Figure[T], marker Stat, check func(string, any)) {
	t.Helper()
	for i := range figs {
		var x T
		figs[i].set(&x, marker)
		check(figs[i].Name, &x)
	}
}
