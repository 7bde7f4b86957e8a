package calibrate

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/sim/trace"
)

// TestReturnsPendingAndExtractionWindow builds the shape DESIGN.md finds
// in real helpdesk logs: tickets pushed back down a level about half as
// often as up, a third waiting on the customer for about a day, and a log
// cut out of a longer history (tickets begun before it, volume growing
// over its three weeks). The calibration must count the returns without
// modelling them, measure the pending time, and warn about the window
// rather than fit it.
func TestReturnsPendingAndExtractionWindow(t *testing.T) {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) // a Monday
	h := NewHistory(Config{Start: start})
	t0 := unix(start)
	add := func(id int, at float64, k trace.Kind, tier, from, to string) {
		h.Add(Event{T: t0 + at, Ticket: fmt.Sprint(id), Kind: k, Channel: "email", Category: "incident", Tier: tier, Agent: tier + "-1", From: from, To: to})
	}
	// An update to a ticket created before the log begins.
	add(0, 60, trace.Resolved, "L1", "", "")
	id := 0
	for day := 0; day < 21; day++ {
		n := 20 + 2*day // volume grows through the window
		for k := 0; k < n; k++ {
			id++
			at := float64(day)*86400 + 3600 + float64(k)*600
			add(id, at, trace.Created, "", "", "")
			add(id, at+60, trace.Answered, "L1", "", "")
			add(id, at+360, trace.AgentReply, "L1", "", "")
			switch {
			case id%3 == 0: // waits on the customer for a day
				add(id, at+360+86400, trace.CustomerReply, "L1", "", "")
				add(id, at+360+86400+60, trace.Answered, "L1", "", "")
				add(id, at+360+86400+300, trace.AgentReply, "L1", "", "")
			case id%5 == 1: // up to L2 and, one time in two, back down
				add(id, at+360, trace.Escalated, "", "L1", "L2")
				add(id, at+400, trace.Answered, "L2", "", "")
				add(id, at+1000, trace.AgentReply, "L2", "", "")
				if id%2 == 1 {
					add(id, at+1000, trace.Escalated, "", "L2", "L1")
					add(id, at+1100, trace.Answered, "L1", "", "")
					add(id, at+1400, trace.AgentReply, "L1", "", "")
				}
			}
			add(id, at+86400*2, trace.Resolved, "L1", "", "")
		}
	}
	cal := h.Estimate("window.csv")
	require.Len(t, cal.Escalation, 1)
	require.Len(t, cal.Returns, 1)
	up, back := cal.Escalation[0], cal.Returns[0]
	require.Equal(t, "L1→L2", up.From+"→"+up.To)
	require.Equal(t, "L2→L1", back.From+"→"+back.To)
	require.InDelta(t, 0.5, float64(back.Escalated)/float64(up.Escalated), 0.05, "returns half as often as escalations")
	require.Equal(t, []string{"L1", "L2"}, []string{cal.Tiers[0].Name, cal.Tiers[1].Name})

	r := categoryOf(cal, "incident").Reply
	require.InDelta(t, 86400, r.MeanSeconds, 1, "pending on the customer for a day")

	all := strings.Join(cal.Warnings, "\n")
	require.Contains(t, all, "created before the history began")
	require.Contains(t, all, "artefact of the extraction window")
	require.Contains(t, all, "went back down from L2 to L1")
}
