package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/slasim/slasim/sim/replay"
)

// ReplaySummary writes the terminal report of a replay: totals and rates,
// then one row per action type with latency percentiles from the intended
// send time and from the actual send time (both, so coordinated omission
// cannot hide), then status codes and error classes.
func ReplaySummary(w io.Writer, s replay.Summary) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Replay: %d actions in %.1f s: %d ok, %d failed, %d in doubt, %d not sent\n",
		s.Actions, s.Wall, s.OK, s.Failed, s.InDoubt, s.NotSent)
	if s.NotSent > 0 {
		fmt.Fprintf(&b, "Not sent: %s (grace for requests in flight %.1fs)\n", counts(s.NotSentBy), s.Grace)
	}
	if s.InDoubt > 0 {
		fmt.Fprintf(&b, "In doubt (run --resume to settle them): tickets %s\n", ticketList(s.InDoubtTickets))
	}
	fmt.Fprintf(&b, "Requests: %d (%d lookups, %d throttled by 429, %d retries)", s.Requests, s.Lookups, s.Throttled, s.Retries)
	if s.Pauses > 0 {
		fmt.Fprintf(&b, "; paused %.1fs in %d pauses at the helpdesk's request", s.Paused, s.Pauses)
	}
	fmt.Fprintln(&b)
	fmt.Fprintf(&b, "Rate: intended %.1f/s, sent %.1f/s, completed ok %.1f/s\n", s.IntendedRate, s.SentRate, s.CompletionRate)
	fmt.Fprintf(&b, "Scheduling lag: p50 %s  p99 %s  max %s;  wait for a slot: p99 %s  max %s;  behind the same ticket: p50 %s  p99 %s  max %s\n",
		ms(s.Lag.P50), ms(s.Lag.P99), ms(s.Lag.Max), ms(s.SlotWait.P99), ms(s.SlotWait.Max),
		ms(s.OrderWait.P50), ms(s.OrderWait.P99), ms(s.OrderWait.Max))
	if s.Warning != "" {
		fmt.Fprintf(&b, "WARNING: %s\n", s.Warning)
	}
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "Latency from the intended send time (left: successful actions, including waits for the ticket's")
	fmt.Fprintln(&b, "previous action, a free slot or a 429 pause, and due actions never sent, with the time they waited)")
	fmt.Fprintln(&b, "and from the actual send time (right: successful actions).")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "action\tcount\tfailed\tdoubt\tunsent\t|\tp50\tp90\tp99\tp99.9\tmax\t|\tp50\tp90\tp99\tp99.9\tmax\t")
	row := func(a replay.ActionStats) {
		li, ls := a.FromIntended, a.FromSent
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t|\t%s\t%s\t%s\t%s\t%s\t|\t%s\t%s\t%s\t%s\t%s\t\n", a.Action, a.Count, a.Errors,
			a.InDoubt, a.NotSent, ms(li.P50), ms(li.P90), ms(li.P99), ms(li.P999), ms(li.Max),
			ms(ls.P50), ms(ls.P90), ms(ls.P99), ms(ls.P999), ms(ls.Max))
	}
	for _, a := range s.ByAction {
		row(a)
	}
	row(s.Total)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(&b, "\nStatus codes: %s\n", counts(s.StatusCodes))
	if len(s.ErrorClasses) > 0 {
		fmt.Fprintf(&b, "Errors: %s\n", counts(s.ErrorClasses))
	}
	if len(s.Resolved) > 0 {
		fmt.Fprintf(&b, "Unknown outcomes settled: %s\n", counts(s.Resolved))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ticketList shows at most 20 ticket numbers.
func ticketList(ts []int64) string {
	parts := make([]string, 0, min(len(ts), 21))
	for i, t := range ts {
		if i == 20 {
			parts = append(parts, fmt.Sprintf("… (%d in all)", len(ts)))
			break
		}
		parts = append(parts, fmt.Sprint(t))
	}
	return strings.Join(parts, " ")
}

// WriteReplayJSON writes the summary as indented JSON.
func WriteReplayJSON(w io.Writer, s replay.Summary) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

func ms(v float64) string {
	switch {
	case v == 0:
		return "-"
	case v < 10:
		return fmt.Sprintf("%.2fms", v)
	case v < 10000:
		return fmt.Sprintf("%.0fms", v)
	}
	return fmt.Sprintf("%.1fs", v/1000)
}

func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}
