package calibrate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/sim/trace"
)

// badCSV has one row of each problem a real export shows, beside good rows.
const badCSV = `Case ID,Timestamp,Status,Channel,Category,Support Level,Resource
1,2026-11-02T09:00:00+01:00,created,phone,order,,
1,2026-11-02T09:00:30+01:00,answered,phone,order,L1,ann
1,2026-11-02T09:05:30+01:00,agent_reply,phone,order,L1,ann
1,2026-11-02T09:05:30+01:00,resolved,phone,order,L1,ann
2,2026-11-02T10:00:00+01:00,created,phone,order,,
2,yesterday,answered,phone,order,L1,ann
2,2026-11-02 10:01:00,abandoned,phone,order,,
2,2026-11-02T09:10:00Z,abandoned,phone,order,,
3,2026-11-02T08:59:00+01:00,answered,phone,order,L1,bob
4,2026-11-02T11:00:00+01:00,created,email,advice,,
4,2026-11-02T11:00:00+01:00,teleported,email,advice,,
4,2026-11-02T09:30:00Z,agent_reply,email,advice,L1,ann
5,"2026-11-02T12:00:00+01:00,created
`

func TestBadHistoryCountedByLine(t *testing.T) {
	h := NewHistory(Config{})
	require.NoError(t, ReadCSV(strings.NewReader(badCSV), "export.csv", Mapping{}, &h.Issues, h.Add))
	cal := h.Estimate("export.csv")
	is := cal.Issues
	require.Equal(t, map[string]int{
		BadTime:     2, // "yesterday"; a time without a zone and no mapping timezone
		OutOfOrder:  1, // ticket 4's reply at 09:30Z, before its creation at 10:00Z
		NoCreated:   1, // ticket 3 begins before the history
		UnknownKind: 1, // "teleported"
		Malformed:   1, // the unterminated quote
		MixedZones:  2, // two rows in Z among +01:00 ones, read as their instants
		NoEnd:       1, // ticket 4
	}, is.Counts, is.String())
	require.Contains(t, is.Lines[BadTime][0], "export.csv:7: time \"yesterday\"")
	require.Contains(t, is.Lines[NoCreated][0], "line 10: ticket 3")
	require.Contains(t, is.Lines[OutOfOrder][0], "line 13: ticket 4")
	require.Contains(t, is.Lines[NoEnd][0], "line 11: ticket 4")
	// Ticket 2 abandoned at 09:10Z = 10:10+01 after a 10-minute wait.
	p := cal.Channels[0].Patience
	require.Equal(t, 1, p.Abandons)
	require.Equal(t, 630.0, p.MeanMLE, "(600 s + ticket 1's 30 s censored wait) ÷ 1 abandonment")
	require.Equal(t, 13, is.Rows)
	require.Error(t, is.Check(0.2), "6 bad rows of 13 is past a 20% threshold")
	require.NoError(t, is.Check(0.5))
}

func TestTimesWithoutZoneNeedTheMappingsZone(t *testing.T) {
	csv := "ticket,time,status,channel\n1,2026-11-02 09:00:00,created,email\n1,2026-11-02 09:30:00,agent_reply,email\n"
	h := NewHistory(Config{Location: time.UTC})
	m := Mapping{TimeZone: "Europe/Amsterdam"}
	require.NoError(t, ReadCSV(strings.NewReader(csv), "x.csv", m, &h.Issues, h.Add))
	require.Empty(t, h.Issues.Counts)
	cal := h.Estimate("x.csv")
	require.Equal(t, 1, cal.Tickets)
	require.Equal(t, 1.0, cal.Channels[0].Observed.Answered)
}

// TestMappingReadsAnIncidentLog reads a log with its own headers and
// statuses through the README's mapping file.
func TestMappingReadsAnIncidentLog(t *testing.T) {
	dir := t.TempDir()
	mp := filepath.Join(dir, "mapping.toml")
	require.NoError(t, os.WriteFile(mp, []byte(`timezone = "Europe/Amsterdam"
[columns]
ticket = "Incident ID"
status = "Incident State"
[status]
"Awaiting User Info" = "agent_reply"
"Closed" = "resolved"
`), 0o644))
	m, err := LoadMapping(mp)
	require.NoError(t, err)
	log := `Incident ID,Incident State,Timestamp,Channel,Category,Support Level,Resource
INC1,New,2026-11-02 09:00:00,email,bug,,
INC1,In Progress,2026-11-02 09:20:00,email,bug,L1,ann
INC1,Awaiting User Info,2026-11-02 09:30:00,email,bug,L1,ann
INC1,Closed,2026-11-02 09:30:00,email,bug,L1,ann
`
	h := NewHistory(Config{})
	require.NoError(t, ReadCSV(strings.NewReader(log), "incidents.csv", m, &h.Issues, h.Add))
	require.Empty(t, h.Issues.Counts)
	cal := h.Estimate("incidents.csv")
	require.Equal(t, 1, cal.Tickets)
	require.Equal(t, 600.0, cal.Categories[0].HandleTime.Mean, "09:20 taken, 09:30 replied")
	require.Equal(t, 1800.0, cal.Channels[0].Observed.WaitSum, "first response after 30 minutes")

	_, err = LoadMapping(writeFile(t, dir, "bad.toml", "[colums]\nticket = \"x\"\n"))
	require.ErrorContains(t, err, "unknown key")
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	return p
}

// TestWeeklyProfileKeepsTheVolume: over an 8-day history (Monday twice,
// once as a peak), rate × 24 h × the weekday multipliers of the history's
// days must give back its volume.
func TestWeeklyProfileKeepsTheVolume(t *testing.T) {
	start := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) // a Monday
	h := NewHistory(Config{Start: start})
	perDay := []int{10, 10, 10, 10, 30, 5, 5, 40}
	id := 0
	for d, n := range perDay {
		for k := 0; k < n; k++ {
			id++
			at := unix(start) + float64(d)*86400 + float64(k)*600
			h.Add(Event{T: at, Ticket: fmt.Sprint(id), Kind: trace.Created, Channel: "email", Category: "order"})
			h.Add(Event{T: at + 60, Ticket: fmt.Sprint(id), Kind: trace.Resolved, Channel: "email", Category: "order"})
		}
	}
	cal := h.Estimate("synthetic")
	require.Equal(t, 8, cal.Days)
	c := cal.Channels[0]
	total := 0.0
	for d := range perDay {
		total += c.RatePerHour * 24 * c.Weekly[(int(start.AddDate(0, 0, d).Weekday())+6)%7]
	}
	require.InDelta(t, 120, total, 1e-9)
	require.InDelta(t, 25.0/15, c.Weekly[0], 1e-9, "Monday: mean of 10 and 40 over the mean day of 15")
}

func TestAbsurdTimeIsABadRowNotAHugeTable(t *testing.T) {
	csv := "ticket,time,status,channel\n1,2026-11-02T09:00:00Z,created,email\n2,9999-12-31T00:00:00Z,created,email\n1,2026-11-02T09:30:00Z,resolved,email\n"
	h := NewHistory(Config{})
	require.NoError(t, ReadCSV(strings.NewReader(csv), "x.csv", Mapping{}, &h.Issues, h.Add))
	cal := h.Estimate("x.csv")
	require.Equal(t, 1, cal.Issues.Counts[BadTime])
	require.Contains(t, cal.Issues.Lines[BadTime][0], "line 3: ticket 2")
	require.Equal(t, 1, cal.Days)
}
