package sim

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The rota: shifts, dated overlays, breaks, shrinkage and ticket share
// decide who is on the floor when.

// A gap in the rota: the email backlog grows through it and drains after.
func TestRotaGapGrowsAndDrainsBacklog(t *testing.T) {
	sc := newScenario("1d").
		email("60/h", sla(0.8, "4h")).
		category("any", 1, exponential("5m")).
		tier("rep", []string{"email"}).
		shift("rep", "00:00", "12h", 8).
		shift("rep", "15:00", "9h", 8).parse(t)
	r, err := Run(sc, Options{})
	require.NoError(t, err)
	backlog := func(h int) float64 { return r.Intervals[h].Backlog.Mean }
	// Nobody works 12:00-15:00; 60 emails an hour keep coming.
	assert.Less(t, backlog(11), 10.0, "staffed: nothing piles up")
	assert.InDelta(t, 60, backlog(12)-backlog(11), 15)
	assert.InDelta(t, 60, backlog(13)-backlog(12), 15, "the backlog grows through the gap")
	assert.InDelta(t, 60, backlog(14)-backlog(13), 15)
	assert.Less(t, backlog(15), backlog(14), "and drains after it")
	assert.Less(t, backlog(16), backlog(15))
	assert.Less(t, backlog(21), 10.0)
	for h := 13; h < 15; h++ {
		assert.InDelta(t, 0, r.TierIntervals[h].Staffed.Mean, 1e-9, "nobody on the floor in the gap")
	}
}

// A rota line with dates runs on those days only: a Black Friday overlay.
func TestDatedShiftRunsOnItsDatesOnly(t *testing.T) {
	sc := newScenario("3d").set("replications", "2").
		email("10/h", sla(0.8, "4h")).
		category("any", 1, exponential("2m")).
		tier("rep", []string{"email"}).
		shift("rep", "08:00", "8h", 2).
		shiftOn("rep", "dates = [2026-11-24]", "10:00", "4h", 5).parse(t)
	r, err := Run(sc, Options{})
	require.NoError(t, err)
	for _, ti := range r.TierIntervals {
		want := 0.0
		if h := ti.Start.Hour(); h >= 8 && h < 16 {
			want = 2
			if ti.Start.Day() == 24 && h >= 10 && h < 14 {
				want = 7
			}
		}
		// (an agent finishing a ticket after the shift adds a little)
		assert.InDelta(t, want, ti.Staffed.Mean, 0.2, "staffed at %s", ti.Start.Format("Mon 2 15:04"))
	}
}

func TestShrinkageAndTicketShareAndStaggeredBreaks(t *testing.T) {
	sc := newScenario("7d").set("replications", "20").
		channel("phone", "sync", "10/h", sla(0.8, "20s")).
		category("any", 1, exponential("3m")).
		tier("rep", []string{"phone"}).
		tier("lead", []string{"phone"}, "ticket_share = 0.5").
		shift("rep", "08:00", "8h", 20, `breaks = [{ after = "4h", length = "30m" }]`, `stagger = "1h"`).
		shift("lead", "08:00", "8h", 4).
		raw("[shrinkage]\npto = 0.10\nsick = 0.05").parse(t)
	r, err := Run(sc, Options{})
	require.NoError(t, err)
	scheduled := 20.0 * 8 * 7
	assert.InDelta(t, 0.85*scheduled, r.Tiers[0].StaffedHours.Mean, 0.02*scheduled, "15% of agent-days absent")
	// Leads are on the floor for half of each hour.
	var staffed, avail float64
	for _, ti := range r.TierIntervals {
		if ti.Tier == "lead" {
			staffed += ti.Staffed.Mean
			avail += ti.Available.Mean
		}
	}
	assert.InDelta(t, 0.5, avail/staffed, 0.02)
	// The 30-minute lunch break starts, agent by agent, spread over an hour
	// from 12:00: on average 3/8 of the reps are away in 12:00-13:00 and 1/8
	// in 13:00-14:00 (all at once would be 1/2 and 0), and nobody outside.
	for _, ti := range r.TierIntervals {
		if ti.Tier != "rep" || ti.Staffed.Mean == 0 {
			continue
		}
		away := 1 - ti.Available.Mean/ti.Staffed.Mean
		switch ti.Start.Hour() {
		case 12:
			assert.InDelta(t, 0.375, away, 0.03, "share on break at %s", ti.Start.Format("Mon 15:04"))
		case 13:
			assert.InDelta(t, 0.125, away, 0.03, "share on break at %s", ti.Start.Format("Mon 15:04"))
		default:
			assert.InDelta(t, 0, away, 1e-9, "share on break at %s", ti.Start.Format("Mon 15:04"))
		}
	}
}

// Hourly away blocks (ticket_share) are spread over the hour across a
// tier's agents: two leads on one-agent lines starting together, or two on
// one line, keep about one lead on tickets in every quarter-hour. Kept
// inside the hour, both were away in the same half-hour (2, 2, 0, 0, ...,
// or for a line of two 2, 1, 0, 1, ...).
func TestAwayBlocksSpreadOverTheHour(t *testing.T) {
	for name, lines := range map[string][]int{"two one-agent lines": {1, 1}, "one line of two": {2}} {
		b := newScenario("1d").set("replications", "1").set("interval", `"15m"`).
			channel("phone", "sync", "1/h", sla(0.8, "20s")).
			category("any", 1, exponential("3m")).
			tier("lead", []string{"phone"}, "ticket_share = 0.5")
		for k, n := range lines {
			b = b.raw(fmt.Sprintf("[[shift]]\nname = \"lead-%d\"\ntier = \"lead\"\ndays = \"daily\"\nstart = \"08:00\"\nlength = \"8h\"\nheadcount = %d", k, n))
		}
		r, err := Run(b.parse(t), Options{})
		require.NoError(t, err)
		checked := 0
		for _, ti := range r.TierIntervals {
			h := ti.Start.Hour()
			if h < 9 || h >= 15 {
				continue // the first and last hour: the blocks start or end there
			}
			checked++
			assert.InDelta(t, 1, ti.Available.Mean, 0.3, "%s: leads on tickets at %s", name, ti.Start.Format("15:04"))
		}
		require.Positive(t, checked)
	}
}
