package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/model"
)

// A hand-written scenario with the silent mistakes of issue 14: a profile
// no channel names, a phone line open 09:00–17:00 on weekdays while calls
// arrive around the clock at 10/h, a priority class whose share leaves it 0.24 expected calls, and one
// replication. Two days from Monday 00:00: nobody is on shift for
// 9 + 16 + 7 = 32 hours, so about 320 calls.
func TestWarningsOfASilentlyWrongScenario(t *testing.T) {
	sc := newScenario("2d").set("replications", "1").
		channel("phone", "sync", "10/h", sla(0.8, "20s")).
		raw("[[profile]]\nname = \"retail\"\nintraday = [1, 2]").
		category("any", 1, exponential("3m")).
		priority("vip", 0.0005).priority("normal", 0.9995).
		tier("rep", []string{"phone"}).
		shiftOn("rep", `days = "mon-fri"`, "09:00", "8h", 3).
		parse(t)
	ws, err := Warnings(sc, 0)
	require.NoError(t, err)
	kinds := map[string]string{}
	for _, w := range ws {
		kinds[w.Kind] = w.Message
	}
	assert.Len(t, ws, 4, "%v", ws)
	assert.Contains(t, kinds[WarnUnusedProfile], `profile "retail"`)
	assert.Equal(t, `channel "phone": about 320 contacts arrive when no agent skilled for it is on shift (32h in all: Mon 23 Nov 00:00–09:00, Mon 23 Nov 17:00–Tue 24 Nov 09:00, Tue 24 Nov 17:00–00:00)`, kinds[WarnNobodyOnShift])
	assert.Contains(t, kinds[WarnEmptyClass], `priority "vip" on channel "phone": share 0.0005 leaves it about 0.2 contacts`)
	assert.Contains(t, kinds[WarnFewReplications], "1 replication")

	// The run carries the same list, and 2 replications clear the last one.
	r, err := Run(sc, Options{Replications: 2})
	require.NoError(t, err)
	assert.Len(t, r.Warnings, 3)
	for _, w := range r.Warnings {
		assert.NotEqual(t, WarnFewReplications, w.Kind)
	}
}

// The bundled scenarios, as shipped: two raise no warning; Black Friday's
// weekend rota leaves phone and chat without agents for 12 hours.
func TestBundledScenarioWarnings(t *testing.T) {
	want := map[string][]string{
		"small-team":   {},
		"saas-support": {},
		"black-friday": {
			`channel "phone": about 558 contacts arrive when no agent skilled for it is on shift (12h in all: Sat 28 Nov 06:00–08:00, Sat 28 Nov 18:00–22:00, Sun 29 Nov 06:00–08:00, Sun 29 Nov 18:00–22:00)`,
			`channel "chat": about 1285 contacts arrive when no agent skilled for it is on shift (12h in all: Sat 28 Nov 06:00–08:00, Sat 28 Nov 18:00–22:00, Sun 29 Nov 06:00–08:00, Sun 29 Nov 18:00–22:00)`,
		},
	}
	for name, msgs := range want {
		sc, err := model.Load("../scenarios/" + name + ".toml")
		require.NoError(t, err)
		ws, err := Warnings(sc, 0)
		require.NoError(t, err)
		got := []string{}
		for _, w := range ws {
			got = append(got, w.Message)
		}
		assert.Equal(t, msgs, got, name)
	}
}
