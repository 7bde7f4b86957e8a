package calibrate

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/sim/trace"
)

// TestAwayWhileTicketsWait: an agent busy 09:00–17:00 who leaves a ticket
// waiting 30 minutes (a break) is available for 7½ of its 8 hours; a
// ticket taken after a 3-minute wait is routing, not absence; the same
// history out of time order cannot say, and says 0.
func TestAwayWhileTicketsWait(t *testing.T) {
	start := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	ev := func(id int, hhmm string, k trace.Kind) Event {
		at, _ := time.Parse("15:04", hhmm)
		return Event{T: unix(start) + float64(at.Hour()*3600+at.Minute()*60), Ticket: fmt.Sprint(id), Kind: k,
			Channel: "email", Category: "c", Tier: "L1", Agent: "ann"}
	}
	events := []Event{
		ev(1, "09:00", trace.Created), ev(1, "09:00", trace.Answered), ev(1, "09:50", trace.AgentReply), ev(1, "09:50", trace.Resolved),
		ev(2, "10:00", trace.Created), ev(2, "10:00", trace.Queued), ev(2, "10:30", trace.Answered), ev(2, "11:00", trace.AgentReply), ev(2, "11:00", trace.Resolved),
		ev(3, "11:10", trace.Created), ev(3, "11:10", trace.Queued), ev(3, "11:13", trace.Answered), ev(3, "17:00", trace.AgentReply), ev(3, "17:00", trace.Resolved),
	}
	share := func(evs []Event) float64 {
		h := NewHistory(Config{Start: start})
		for _, e := range evs {
			h.Add(e)
		}
		return h.Estimate("h").Tiers[0].TicketShare
	}
	require.InDelta(t, 1-1800.0/(8*3600), share(events), 1e-9)
	swapped := append([]Event(nil), events...)
	swapped[4], swapped[8] = swapped[8], swapped[4] // ticket 2's creation after its end
	require.Equal(t, 0.0, share(swapped))
}
