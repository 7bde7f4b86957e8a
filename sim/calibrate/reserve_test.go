package calibrate

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim/trace"
)

// TestDeferredShareFromChoices feeds back traces of blended tiers: on
// saas-support half the representatives are reserved for email
// (deferred_share 0.5, 6 of 12 and 5 of 10 on the weekday shifts), on the
// small team (with protect_live 2, so that email waits while calls do)
// none is. Every choice agrees with the engine's rule, the
// share comes back within 0.06 (it leans high: a reserved agent's day of
// activity starts with the night's email, before the first call), and the
// scenario written carries it; protect_live is never written.
func TestDeferredShareFromChoices(t *testing.T) {
	for _, c := range []struct {
		scenario string
		truth    float64
		agents   int // reserved agents seen
		set      string
	}{
		{"saas-support.toml", 0.5, 11, ""},
		{"small-team.toml", 0, 0, "2"},
	} {
		sc := loadBundled(t, c.scenario)
		if c.set != "" {
			require.NoError(t, sc.Set("tier.representative.protect_live", c.set))
			require.NoError(t, sc.Validate())
		}
		cal := historyOf(t, sc).Estimate("trace")
		re := cal.Tiers[0].Reserve
		require.NotNil(t, re, c.scenario)
		t.Logf("%s: %d choices, %d of %d agents reserved, share %v", c.scenario, re.Choices, re.Reserved, re.Classified, fmtShare(re.DeferredShare))
		require.GreaterOrEqual(t, re.Choices, minReserveChoices, c.scenario)
		require.Equal(t, 1.0, re.Consistent, c.scenario)
		require.Equal(t, c.agents, re.Reserved, c.scenario)
		require.NotNil(t, re.DeferredShare, c.scenario)
		require.InDelta(t, c.truth, *re.DeferredShare, 0.06, c.scenario)
		require.GreaterOrEqual(t, *re.DeferredShare, c.truth, "%s: leans high", c.scenario)

		var b bytes.Buffer
		require.NoError(t, cal.WriteScenario(&b, ScenarioOptions{}))
		got, err := model.Parse("calibrated.toml", b.Bytes())
		require.NoError(t, err, b.String())
		require.InDelta(t, *re.DeferredShare, got.Tiers[0].DeferredShare, 0.005, c.scenario)
		require.Zero(t, got.Tiers[0].ProtectLive, c.scenario)
		require.Contains(t, b.String(), "protect_live is not in a ticket history")
	}
}

// TestDeferredShareNeedsTimeOrder: a history whose tickets come one after
// another (as a CSV export sorted by ticket) cannot tell what waited when
// an agent came free, and says so instead of writing a share.
func TestDeferredShareNeedsTimeOrder(t *testing.T) {
	h := NewHistory(Config{})
	ev := func(id string, at float64, k string) Event {
		kind, err := trace.ParseKind(k)
		require.NoError(t, err)
		ch := "phone"
		if id == "b" {
			ch = "email"
		}
		return Event{T: 1.7e9 + at, Ticket: id, Kind: kind, Channel: ch, Tier: "rep", Agent: "rep-1"}
	}
	for _, e := range []Event{ev("a", 100, "created"), ev("a", 110, "queued"), ev("a", 130, "answered"), ev("a", 400, "agent_reply"), ev("a", 400, "resolved"),
		ev("b", 10, "created"), ev("b", 10, "queued"), ev("b", 500, "answered"), ev("b", 800, "agent_reply"), ev("b", 800, "resolved")} {
		h.Add(e)
	}
	cal := h.Estimate("sorted.csv")
	re := cal.Tiers[0].Reserve
	require.NotNil(t, re)
	require.Nil(t, re.DeferredShare)
	require.Contains(t, re.Note, "not in time order")
}

func fmtShare(p *float64) string {
	if p == nil {
		return "none"
	}
	return fmt.Sprintf("%.3f", *p)
}
