package sim

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim/trace"
)

// Service: how long an agent is busy with a contact (concurrency, stretch,
// a tier's handle factor, empirical handle times).

// With no slowdown (stretch 1), an agent holding N chats is N servers: 10
// agents with 3 chats each are Erlang C with 30 agents.
func TestConcurrencyIsNTimesTheAgents(t *testing.T) {
	const aht = 360.0
	lambda := 0.92 * 30 / aht
	r, err := Run(chatTeam(lambda, aht, 1).parse(t), Options{})
	require.NoError(t, err)
	want, err := model.ErlangC(lambda, aht, 30, 30)
	require.NoError(t, err)
	ch := r.Channels[0]
	agree(t, "service level", ch.ServiceLevel, want.ServiceLevel)
	agree(t, "p(wait)", ch.PWait, want.PWait)
	agree(t, "occupancy", r.Tiers[0].Occupancy, want.Occupancy)

	// A stretch above 1 makes the same team slower.
	rs, err := Run(chatTeam(lambda, aht, 1.3).parse(t), Options{})
	require.NoError(t, err)
	assert.Less(t, rs.Channels[0].ServiceLevel.Mean+rs.Channels[0].ServiceLevel.CI95, ch.ServiceLevel.Mean-ch.ServiceLevel.CI95)
}

// chatTeam is one chat channel (concurrency 3) at lambda per second with
// exponential handle time aht and the given stretch, served by 10 agents.
func chatTeam(lambda, aht, stretch float64) *builder {
	return newScenario("8d").
		channel("chat", "concurrent", fmt.Sprintf("%g/h", lambda*3600), sla(0.8, "30s"), fmt.Sprintf("stretch = %g", stretch)).
		category("any", 1, exponential(fmt.Sprintf("%gs", aht))).
		team("rep", []string{"chat"}, 10, "concurrency = { chat = 3 }")
}

// A tier's handle_factor scales its handle times, and an empirical
// distribution draws from its file: a tier at factor 2 on a constant 3m is
// busy exactly twice as long per ticket.
func TestHandleFactorAndEmpiricalTimes(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "times.csv"), []byte("seconds\n120\n240\n"), 0o644))
	busyPerTicket := func(factor float64) float64 {
		b := newScenario("2d").set("replications", "5").
			email("20/h", sla(0.8, "4h")).
			category("any", 1, `{ dist = "empirical", file = "times.csv" }`).
			team("rep", []string{"email"}, 20, fmt.Sprintf("handle_factor = %g", factor))
		// Loaded from a file, so that times.csv is found next to it.
		path := filepath.Join(dir, fmt.Sprintf("f%g.toml", factor))
		require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
		sc, err := model.Load(path)
		require.NoError(t, err)
		r, err := Run(sc, Options{})
		require.NoError(t, err)
		var busy float64
		for _, ti := range r.TierIntervals {
			busy += ti.Busy.Mean * r.IntervalSeconds
		}
		return busy / r.Tiers[0].Handled.Mean
	}
	one, two := busyPerTicket(1), busyPerTicket(2)
	// The file's mean is 180 s; handlings that straddle the period's ends
	// blur it a little.
	assert.InDelta(t, 180, one, 10)
	assert.InDelta(t, 2, two/one, 0.1)
}

// A tier's category_handle_factor scales that category's handle times on
// top of handle_factor, first-hand and after an escalation, and leaves the
// other categories at handle_factor alone: with constant 3m handle times,
// every handling in the trace lasts exactly 3m × the factor.
func TestCategoryHandleFactor(t *testing.T) {
	sc := newScenario("1d").set("replications", "1").
		email("20/h", sla(0.8, "4h")).
		category("order", 0.5, `{ dist = "constant", value = "3m" }`).
		category("bug", 0.5, `{ dist = "constant", value = "3m" }`,
			`escalate = { to = "l2", p = 1, handle_time = { dist = "constant", value = "3m" } }`).
		team("rep", []string{"email"}, 20, "handle_factor = 1.5", `category_handle_factor = { bug = 2 }`).
		team("l2", []string{"email"}, 10, `category_handle_factor = { bug = 0.5 }`).
		parse(t)
	want := map[[2]string]float64{{"rep", "order"}: 270, {"rep", "bug"}: 540, {"l2", "bug"}: 90}
	start := map[int64]float64{}
	seen := map[[2]string]int{}
	require.NoError(t, TraceRun(sc, func(a trace.Action) error {
		switch a.Kind {
		case trace.Answered:
			start[a.Ticket] = a.T
		case trace.AgentReply:
			k := [2]string{a.Tier, a.Category}
			require.Contains(t, want, k)
			require.InDelta(t, want[k], a.T-start[a.Ticket], 1e-6, "%s handling %s", a.Tier, a.Category)
			seen[k]++
		}
		return nil
	}))
	for k := range want {
		require.Greater(t, seen[k], 50, "handlings of %s at %s", k[1], k[0])
	}
}
