package sim

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/model"
)

// The warm-up is simulated but never counted: with a 10 h warm-up and a 1 h
// period, the tier's handled contacts are the channel's answered ones, less
// those still in an agent's hands at the end (at most one per agent).
func TestWarmupIsLeftOutOfTierFigures(t *testing.T) {
	const agents = 57
	sc := phoneTeam("1h", "600/h", "5m", agents).set("warmup", `"10h"`).set("replications", "4").parse(t)
	r, err := Run(sc, Options{})
	require.NoError(t, err)
	answered := r.Channels[0].Answered.Mean
	handled := r.Tiers[0].Handled.Mean
	require.Greater(t, answered, 400.0, "an hour of 600 calls/h")
	assert.LessOrEqual(t, handled, answered)
	assert.GreaterOrEqual(t, handled, answered-agents, "handled %g vs answered %g", handled, answered)
}

// Business hours follow the wall clock on daylight-saving change days: the
// window of 09:00–17:00 starts at 09:00 local time, not midnight + 9 h.
func TestBusinessHoursOnDaylightSavingDays(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	for _, day := range []string{"2026-03-08", "2026-11-01"} { // DST starts, ends
		b := newScenario("2d").set("start", day+"T00:00:00-05:00").set("timezone", `"America/New_York"`).
			channel("email", "deferred", "10/h", `{ target = 0.9, within = "4h", clock = "business" }`).
			category("all", 1, `{ dist = "exponential", mean = "5m" }`).
			tier("rep", []string{"email"}).shift("rep", "09:00", "8h", 2).
			raw("[business_hours]\ndays = \"daily\"\nopen = \"09:00\"\nclose = \"17:00\"")
		sc := b.parse(t)
		p, err := compile(sc)
		require.NoError(t, err)
		d, _ := time.ParseInLocation("2006-01-02", day, ny)
		want := window{
			a: time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, ny).Sub(sc.Meta.Start).Seconds(),
			b: time.Date(d.Year(), d.Month(), d.Day(), 17, 0, 0, 0, ny).Sub(sc.Meta.Start).Seconds(),
		}
		assert.Contains(t, p.business, want, "%s: windows %v", day, p.business)
		assert.InDelta(t, 8*3600, want.b-want.a, 0, "an 8-hour business day on %s", day)
	}
}

// The engine refuses a scenario that did not pass validation, rather than
// panicking on the defaults validation fills in.
func TestRunRefusesAnUnvalidatedScenario(t *testing.T) {
	sc := phoneTeam("1h", "60/h", "5m", 3).parse(t)
	raw := *sc
	raw.Shifts = append([]model.Shift(nil), sc.Shifts...)
	bare := &model.Scenario{Meta: sc.Meta, Channels: sc.Channels, Categories: sc.Categories, Tiers: sc.Tiers, Shifts: sc.Shifts}
	_, err := Run(bare, Options{})
	assert.ErrorIs(t, err, ErrNotValidated)
	assert.ErrorIs(t, TraceRun(bare, nil), ErrNotValidated)
	require.NoError(t, raw.Validate(), "a changed copy validates again")
	_, err = Run(&raw, Options{Replications: 1})
	assert.NoError(t, err)
}

// A live channel may keep business hours: a chat that arrives in the hour
// before opening waits on the business clock only from the opening.
func TestLiveChannelOnBusinessClock(t *testing.T) {
	// Chats come 07:00–16:00 (nine equal hours); agents are on 08:00–16:00.
	intraday := "[0,0,0,0,0,0,0,1,1,1,1,1,1,1,1,1,0,0,0,0,0,0,0,0]"
	b := newScenario("1d").set("warmup", `"0s"`).set("replications", "5").
		channel("chat", "sync", "30/h", `{ target = 0.8, within = "1m", clock = "business" }`, `profile = "day"`).
		category("all", 1, `{ dist = "exponential", mean = "1m" }`).
		tier("rep", []string{"chat"}).shift("rep", "08:00", "8h", 40).
		raw("[[profile]]\nname = \"day\"\nintraday = " + intraday + "\nweekly = [1,1,1,1,1,1,1]").
		raw("[business_hours]\ndays = \"daily\"\nopen = \"08:00\"\nclose = \"16:00\"")
	sc := b.parse(t)
	bc, err := Run(sc, Options{})
	require.NoError(t, err)
	sc.Channels[0].SLA.Clock = model.ClockCalendar
	require.NoError(t, sc.Validate())
	cal, err := Run(sc, Options{})
	require.NoError(t, err)
	// Calendar clock: the ninth of the chats that came before opening
	// waited past a minute. Business clock: 40 agents take most of the
	// ~80 waiting at 08:00 at once, and the rest within a handle time.
	assert.InDelta(t, 8.0/9, cal.Channels[0].ServiceLevel.Mean, 0.04)
	assert.Greater(t, bc.Channels[0].ServiceLevel.Mean, 0.95)
	assert.Less(t, bc.Channels[0].ASASeconds.Mean, cal.Channels[0].ASASeconds.Mean/20)
}

// A run stops with its context: a cancelled context ends it before all
// replications, with the context's error.
func TestRunStopsWithItsContext(t *testing.T) {
	sc := phoneTeam("28d", "600/h", "5m", 57).set("replications", "200").parse(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := 0
	_, err := RunContext(ctx, sc, Options{Progress: func(d, n int) {
		if done = d; d == 2 {
			cancel()
		}
	}})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, done, 200)
	err = TraceRunContext(ctx, sc, nil)
	assert.ErrorIs(t, err, context.Canceled)
}
