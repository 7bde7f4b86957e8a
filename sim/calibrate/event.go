package calibrate

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/slasim/slasim/sim/trace"
)

// Event is one thing that happened to one ticket of the history: a
// lifecycle action at an absolute time.
type Event struct {
	// Line is the line of the source the event was read from.
	Line int
	// T is the time in seconds since the Unix epoch.
	T float64
	// Ticket identifies the ticket in the source.
	Ticket string
	// Kind says what happened (created, queued, answered…).
	Kind trace.Kind
	// Channel, Category, Priority, Tier, Agent, From and To mean what they
	// mean in a trace.Action.
	Channel, Category, Priority string
	Tier, Agent, From, To       string
}

// Problem kinds of a history, counted by Issues.
const (
	Malformed   = "malformed row"
	BadTime     = "unparsable time"
	OutOfOrder  = "event out of order"
	NoCreated   = "ticket without a created event"
	Duplicate   = "ticket created twice"
	NoEnd       = "ticket without an end"
	MixedZones  = "mixed time zones"
	UnknownKind = "unknown status"
)

// errorKinds are the problems that count against the bad-row threshold; the
// others (tickets still open at the end of the history, mixed offsets read
// correctly, tickets begun before the history) are the shape of an
// extraction window and are reported as warnings.
var errorKinds = map[string]bool{Malformed: true, BadTime: true, OutOfOrder: true, Duplicate: true, UnknownKind: true}

// keepLines is how many example lines Issues keeps per kind.
const keepLines = 5

// Issues counts the problems met in a history, by kind, with the first
// lines of each.
type Issues struct {
	// Rows is the number of rows read.
	Rows int `json:"rows"`
	// Counts holds the number of problems of each kind; Lines the first
	// places of each ("history.csv:12: time \"x\": …").
	Counts map[string]int      `json:"counts"`
	Lines  map[string][]string `json:"lines"`
}

// Add records a problem of a kind at a line ("orders.csv:12: created: …").
func (is *Issues) Add(kind, where string) {
	if is.Counts == nil {
		is.Counts, is.Lines = map[string]int{}, map[string][]string{}
	}
	is.Counts[kind]++
	if len(is.Lines[kind]) < keepLines {
		is.Lines[kind] = append(is.Lines[kind], where)
	}
}

// Errors is the number of rows with a problem that counts against the
// threshold (malformed, bad time, out of order, duplicate, unknown status).
func (is *Issues) Errors() int {
	n := 0
	for k, c := range is.Counts {
		if errorKinds[k] {
			n += c
		}
	}
	return n
}

// Check returns an error when the share of bad rows passes maxShare.
func (is *Issues) Check(maxShare float64) error {
	if is.Rows == 0 {
		return fmt.Errorf("the history has no rows")
	}
	if share := float64(is.Errors()) / float64(is.Rows); share > maxShare {
		return fmt.Errorf("%d of %d rows (%.2f%%) are bad, more than the %.2f%% allowed (--max-bad):\n%s",
			is.Errors(), is.Rows, 100*share, 100*maxShare, is.String())
	}
	return nil
}

// String lists each kind with its count and first lines.
func (is *Issues) String() string {
	kinds := make([]string, 0, len(is.Counts))
	for k := range is.Counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var b strings.Builder
	for _, k := range kinds {
		level := "warning"
		if errorKinds[k] {
			level = "error"
		}
		fmt.Fprintf(&b, "  %s: %s ×%d\n", level, k, is.Counts[k])
		for _, l := range is.Lines[k] {
			fmt.Fprintf(&b, "    %s\n", l)
		}
	}
	return b.String()
}

// cleanEvent makes an event's names safe to write in a scenario (control
// characters and invalid UTF-8 become "_") and names what is left empty;
// it reports false for an event without a channel.
func cleanEvent(ev *Event) bool {
	for _, p := range []*string{&ev.Channel, &ev.Category, &ev.Priority, &ev.Tier, &ev.Agent, &ev.From, &ev.To} {
		*p = cleanName(*p)
	}
	if ev.Category == "" {
		ev.Category = DefaultCategory
	}
	switch ev.Kind {
	case trace.Queued, trace.Answered, trace.AgentReply, trace.CustomerReply, trace.Resolved:
		if ev.Tier == "" {
			ev.Tier = DefaultTier
		}
	case trace.Escalated:
		if ev.To == "" {
			ev.To = ev.Tier
		}
	}
	return ev.Channel != ""
}

func cleanName(s string) string {
	ok := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			ok = false
			break
		}
	}
	if ok {
		return strings.TrimSpace(s)
	}
	s = strings.ToValidUTF8(s, "_")
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || !unicode.IsPrint(r) && r != ' ' {
			return '_'
		}
		return r
	}, s))
}
