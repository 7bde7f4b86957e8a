// Package trace is the lifecycle trace of a simulation: one Action per thing
// that happens to a ticket (created, queued, answered, escalated, resolved…)
// at a simulated time, and its JSON-lines encoding.
//
// `slasim run --trace FILE` writes it, `slasim replay` reads it and drives a
// helpdesk from it, and the calibrator can take it back as history. The kinds
// are a closed set: a line with an unknown kind is an error, never dropped.
package trace

import (
	"fmt"
	"strconv"
)

// Kind says what happened to the ticket.
type Kind uint8

// The kinds of action, in the order a ticket meets them.
const (
	Created       Kind = iota + 1 // a customer contact arrives (channel, category, priority)
	Deflected                     // automation takes the ticket (bot, help center)
	Fallback                      // a deflected ticket falls back to a human queue
	Queued                        // the ticket waits in a tier's queue
	Answered                      // an agent (agent, tier) takes the ticket
	AgentReply                    // the agent's reply is sent (end of a handling)
	CustomerReply                 // the customer writes again; the ticket goes back to a queue
	Escalated                     // passed from one tier to a higher one (from, to)
	Resolved                      // closed by an agent
	Abandoned                     // the customer gave up before an agent answered
	DeflectedDone                 // automation resolved it; no human involved
)

var kindNames = [...]string{
	Created:       "created",
	Deflected:     "deflected",
	Fallback:      "fallback",
	Queued:        "queued",
	Answered:      "answered",
	AgentReply:    "agent_reply",
	CustomerReply: "customer_reply",
	Escalated:     "escalated",
	Resolved:      "resolved",
	Abandoned:     "abandoned",
	DeflectedDone: "deflected_resolved",
}

// Kinds lists every kind in lifecycle order.
func Kinds() []Kind {
	out := make([]Kind, 0, len(kindNames)-1)
	for k := Created; int(k) < len(kindNames); k++ {
		out = append(out, k)
	}
	return out
}

// String is the kind's name as written in the trace ("agent_reply").
func (k Kind) String() string {
	if k >= 1 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// ParseKind reads a kind by its trace name.
func ParseKind(s string) (Kind, error) {
	for k := Created; int(k) < len(kindNames); k++ {
		if kindNames[k] == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown action %q", s)
}

// Ends reports whether the kind ends a ticket's lifecycle (resolved by an
// agent or by automation, or abandoned).
func (k Kind) Ends() bool { return k == Resolved || k == Abandoned || k == DeflectedDone }

// MarshalText writes the kind's name.
func (k Kind) MarshalText() ([]byte, error) {
	if k < 1 || int(k) >= len(kindNames) {
		return nil, fmt.Errorf("trace: invalid action kind %d", k)
	}
	return []byte(kindNames[k]), nil
}

// UnmarshalText reads a kind's name; an unknown name is an error.
func (k *Kind) UnmarshalText(b []byte) error {
	v, err := ParseKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// Action is one line of the lifecycle trace: something that happened to one
// ticket at a simulated time. The trace of a run is a stream of Actions in
// non-decreasing time order.
type Action struct {
	// T is the simulated time in seconds since the scenario's start.
	T float64 `json:"t"`
	// Ticket identifies the ticket within the run, from 1.
	Ticket int64 `json:"ticket"`
	// Kind says what happened.
	Kind Kind `json:"action"`
	// Channel, Category and Priority are set on every action.
	Channel  string `json:"channel"`
	Category string `json:"category"`
	Priority string `json:"priority"`
	// Tier is the tier whose queue or agent the action concerns (queued,
	// answered, agent_reply, customer_reply, resolved).
	Tier string `json:"tier,omitempty"`
	// Agent is the agent who answered or replied, as "tier-N" (answered,
	// agent_reply, resolved by an agent).
	Agent string `json:"agent,omitempty"`
	// From and To are the tiers of an escalation.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}
