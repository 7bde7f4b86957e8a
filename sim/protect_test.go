package sim

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/model"
)

// blended is one tier of 30 agents on phone and email, with an endless
// email backlog whose tickets take so long (1000 h) that an agent who
// starts one never comes back to the phone.
func blended(protect int) *model.Scenario {
	b := newScenario("4d").set("replications", "10").
		channel("phone", "sync", "72/h", `{ target = 0.8, within = "20s" }`).
		channel("email", "deferred", "100/h", `{ target = 0.9, within = "24h" }`).
		category("phone-call", 1, `{ dist = "exponential", mean = "5m" }`, `channels = ["phone"]`).
		category("email-case", 1, `{ dist = "constant", value = "1000h" }`, `channels = ["email"]`).
		tier("rep", []string{"phone", "email"}, fmt.Sprintf("protect_live = %d", protect)).
		shift("rep", "00:00", "24h", 30)
	sc, err := model.Parse("blended.toml", []byte(b.String()))
	if err != nil {
		panic(err)
	}
	return sc
}

// With protect_live = K the email takes every agent but K, and the phone
// is served by exactly K agents: an M/M/K queue, so Erlang C with K agents
// gives its service level, probability of waiting and ASA. Without
// protection the email takes everyone and the phone is starved.
func TestProtectLiveLeavesErlangCForThePhone(t *testing.T) {
	const k, aht, within = 8, 300.0, 20.0
	want, err := model.ErlangC(72.0/3600, aht, k, within)
	require.NoError(t, err)
	res, err := Run(blended(k), Options{})
	require.NoError(t, err)
	phone := res.Channels[0]
	agree(t, "service level", phone.ServiceLevel, want.ServiceLevel)
	agree(t, "p(wait)", phone.PWait, want.PWait)
	agree(t, "asa", phone.ASASeconds, want.ASA)

	starved, err := Run(blended(0), Options{})
	require.NoError(t, err)
	assert.Less(t, starved.Channels[0].ServiceLevel.Mean, 0.05, "without protection the email takes every agent")
}

// protect_live is refused where it means nothing.
func TestProtectLiveNeedsLiveAndDeferredSkills(t *testing.T) {
	b := phoneTeam("1d", "60/h", "5m", 3)
	b.tier("solo", []string{"phone"}, "protect_live = 2")
	_, err := model.Parse("p.toml", []byte(b.String()))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `p.toml:36: tier "solo": protect_live applies to a tier skilled for both live and deferred channels`)
}
