package sim

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/model"
)

// theoryCase is one point of the grid on which the engine, configured as
// M/M/n (Erlang C) or M/M/n+M (Erlang A), must agree with the formulas.
type theoryCase struct {
	n        int
	occ      float64 // offered load ÷ n
	patience float64 // mean patience in seconds; 0 = Erlang C
	days     int
	reps     int
}

// agree asserts that the analytic value lies within the simulated value's
// 95% confidence interval, allowing a small absolute slack for the
// discreteness of rare events.
func agree(t *testing.T, what string, got Stat, want float64) {
	t.Helper()
	slack := got.CI95 + 0.002
	if what == "asa" {
		slack = got.CI95 + 0.5 // seconds
	}
	t.Logf("%s: %.4f ± %.4f vs %.4f", what, got.Mean, got.CI95, want)
	assert.InDeltaf(t, want, got.Mean, slack, "%s: simulated %.4f ± %.4f, theory %.4f", what, got.Mean, got.CI95, want)
}

func TestAgreesWithErlangC(t *testing.T) {
	const aht, within = 300.0, 20.0
	cases := []theoryCase{
		{n: 1, occ: 0.5, days: 60, reps: 10},
		{n: 1, occ: 0.8, days: 120, reps: 10},
		{n: 5, occ: 0.9, days: 40, reps: 10},
		{n: 20, occ: 0.7, days: 10, reps: 10},
		{n: 50, occ: 0.95, days: 8, reps: 10},
		{n: 100, occ: 0.98, days: 8, reps: 10},
		{n: 250, occ: 0.9, days: 2, reps: 10},
		{n: 500, occ: 0.5, days: 1, reps: 10},
		{n: 500, occ: 0.98, days: 2, reps: 10},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("n=%d/occ=%.2f", c.n, c.occ), func(t *testing.T) {
			t.Parallel()
			lambda := c.occ * float64(c.n) / aht
			want, err := model.ErlangC(lambda, aht, c.n, within)
			require.NoError(t, err)
			sc := mmcScenario(t, lambda*3600, aht, c.n, 0, c.days, c.reps)
			res, err := Run(sc, Options{Workers: 1})
			require.NoError(t, err)
			ch := res.Channels[0]
			agree(t, "service level", ch.ServiceLevel, want.ServiceLevel)
			agree(t, "p(wait)", ch.PWait, want.PWait)
			agree(t, "asa", ch.ASASeconds, want.ASA)
			agree(t, "occupancy", res.Tiers[0].Occupancy, want.Occupancy)
			assert.Zero(t, ch.Abandoned.Mean)
		})
	}
}

func TestAgreesWithErlangA(t *testing.T) {
	const aht, within = 300.0, 20.0
	cases := []theoryCase{
		{n: 1, occ: 0.7, patience: 120, days: 40, reps: 10},
		{n: 10, occ: 0.9, patience: 60, days: 20, reps: 10},
		{n: 30, occ: 1.1, patience: 180, days: 8, reps: 10},
		{n: 50, occ: 0.98, patience: 600, days: 8, reps: 10},
		{n: 200, occ: 1.2, patience: 90, days: 2, reps: 10},
		{n: 500, occ: 0.95, patience: 300, days: 2, reps: 10},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("n=%d/occ=%.2f/patience=%gs", c.n, c.occ, c.patience), func(t *testing.T) {
			t.Parallel()
			lambda := c.occ * float64(c.n) / aht
			want, err := model.ErlangA(lambda, aht, c.patience, c.n, within)
			require.NoError(t, err)
			sc := mmcScenario(t, lambda*3600, aht, c.n, c.patience, c.days, c.reps)
			res, err := Run(sc, Options{Workers: 1})
			require.NoError(t, err)
			ch := res.Channels[0]
			agree(t, "service level", ch.ServiceLevel, want.ServiceLevel)
			agree(t, "p(wait)", ch.PWait, want.PWait)
			agree(t, "p(abandon)", ch.AbandonRate, want.PAbandon)
			agree(t, "asa", ch.ASASeconds, want.ASA)
			agree(t, "occupancy", res.Tiers[0].Occupancy, want.Occupancy)
		})
	}
}

// TestLongRunWithinOnePoint: a long run lands within 0.01 of theory, not
// just within its own interval.
func TestLongRunWithinOnePoint(t *testing.T) {
	if testing.Short() {
		t.Skip("long run")
	}
	const aht, within, n = 300.0, 20.0, 50
	for _, patience := range []float64{0, 180} {
		lambda := 0.95 * n / aht
		var want model.ErlangResult
		var err error
		if patience == 0 {
			want, err = model.ErlangC(lambda, aht, n, within)
		} else {
			want, err = model.ErlangA(lambda, aht, patience, n, within)
		}
		require.NoError(t, err)
		res, err := Run(mmcScenario(t, lambda*3600, aht, n, patience, 20, 20), Options{})
		require.NoError(t, err)
		ch := res.Channels[0]
		assert.InDelta(t, want.ServiceLevel, ch.ServiceLevel.Mean, 0.01, "service level, patience %g", patience)
		assert.InDelta(t, want.PWait, ch.PWait.Mean, 0.01, "p(wait), patience %g", patience)
		assert.InDelta(t, want.PAbandon, ch.AbandonRate.Mean, 0.01, "p(abandon), patience %g", patience)
		assert.Less(t, ch.ServiceLevel.CI95, 0.01)
	}
}

func TestMemoryDoesNotGrowWithTickets(t *testing.T) {
	short := mmcScenario(t, 0.9*50/300.0*3600, 300, 50, 60, 1, 1)
	long := mmcScenario(t, 0.9*50/300.0*3600, 300, 50, 60, 20, 1)
	slab := func(sc *model.Scenario) (int, int64) {
		p, err := compile(sc)
		require.NoError(t, err)
		e := newEngine(p, 1, 0, nil)
		require.NoError(t, e.run())
		return len(e.tickets), e.nextID
	}
	s1, n1 := slab(short)
	s2, n2 := slab(long)
	require.Greater(t, n2, 15*n1)
	// The slab holds the most tickets ever in the system at once, which is
	// a few hundred here, whatever the number simulated.
	assert.Less(t, s2, 1000)
	assert.Less(t, float64(s2), 3*float64(s1)+100)
}
