package sim

import (
	"encoding/json"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/model"
)

// TestSameSeedSameBytes: the same scenario and seed give byte-identical JSON
// whatever the number of cores and workers; another seed gives another
// result.
func TestSameSeedSameBytes(t *testing.T) {
	sc, err := model.Load("../scenarios/black-friday.toml")
	require.NoError(t, err)
	run := func(procs, workers int, seed uint64) []byte {
		old := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(old)
		r, err := Run(sc, Options{Replications: 6, Workers: workers, Seed: seed, SeedSet: true})
		require.NoError(t, err)
		b, err := json.Marshal(r)
		require.NoError(t, err)
		return b
	}
	one := run(1, 0, 7)
	two := run(2, 0, 7)
	many := run(2, 6, 7)
	assert.Equal(t, string(one), string(two), "GOMAXPROCS=1 vs 2")
	assert.Equal(t, string(one), string(many), "1 worker vs 6")
	assert.NotEqual(t, string(one), string(run(2, 0, 8)), "another seed")
}
