package replay

import (
	"fmt"

	"github.com/slasim/slasim/sim/trace"
)

// Mapping decides how trace actions become operations: which helpdesk user
// stands for a simulated agent and which queue stands for a tier.
type Mapping struct {
	// RunID makes ticket markers unique across runs ("slasim-<RunID>-<ticket>").
	RunID string
	// Users are the helpdesk users that simulated agents ("tier-N") are
	// mapped to, round-robin in order of first appearance. Empty: the
	// simulated agent name is used as is.
	Users []string
	// Queues maps a tier name to a queue or group. A tier not in the map
	// goes to FirstQueue if it is the first tier seen (or "representative"),
	// otherwise to EscalationQueue.
	Queues          map[string]string
	FirstQueue      string // default "General"
	EscalationQueue string // default "Tier2"
	// RequesterDomain is the mail domain of simulated customers
	// (default "customers.example").
	RequesterDomain string
}

// Mapper turns trace actions into operations. It keeps the agent → user
// assignment, so one Mapper must see the whole trace in order (also the
// actions a resumed run skips). It is not safe for concurrent use.
type Mapper struct {
	m      Mapping
	agents map[string]string
}

// NewMapper returns a Mapper with the defaults of m filled in.
func NewMapper(m Mapping) *Mapper {
	if m.FirstQueue == "" {
		m.FirstQueue = "General"
	}
	if m.EscalationQueue == "" {
		m.EscalationQueue = "Tier2"
	}
	if m.RequesterDomain == "" {
		m.RequesterDomain = "customers.example"
	}
	if m.RunID == "" {
		m.RunID = "run"
	}
	return &Mapper{m: m, agents: map[string]string{}}
}

// Marker is the unique marker of a simulated ticket in this run.
func (mp *Mapper) Marker(ticket int64) string {
	return fmt.Sprintf("slasim-%s-%d", mp.m.RunID, ticket)
}

// Queue is the queue standing for tier.
func (mp *Mapper) Queue(tier string) string {
	if q, ok := mp.m.Queues[tier]; ok {
		return q
	}
	if tier == "" || tier == "representative" {
		return mp.m.FirstQueue
	}
	return mp.m.EscalationQueue
}

// Owner is the helpdesk user standing for a simulated agent.
func (mp *Mapper) Owner(agent string) string {
	if len(mp.m.Users) == 0 {
		return agent
	}
	if u, ok := mp.agents[agent]; ok {
		return u
	}
	u := mp.m.Users[len(mp.agents)%len(mp.m.Users)]
	mp.agents[agent] = u
	return u
}

// Ops returns the operations for the index-th action of the trace (nil for
// actions that send nothing, such as queued).
func (mp *Mapper) Ops(index int, a trace.Action) []Op {
	base := Op{
		Ticket:   a.Ticket,
		Marker:   mp.Marker(a.Ticket),
		Nonce:    fmt.Sprintf("%s-a%d", mp.Marker(a.Ticket), index),
		Channel:  a.Channel,
		Category: a.Category,
		Priority: a.Priority,
	}
	with := func(k OpKind, f func(*Op)) Op {
		o := base
		o.Kind = k
		if f != nil {
			f(&o)
		}
		return o
	}
	comment := func(text string) Op {
		return with(OpComment, func(o *Op) { o.Body = text + " [" + o.Nonce + "]" })
	}
	switch a.Kind {
	case trace.Created:
		return []Op{with(OpCreate, func(o *Op) {
			o.Subject = fmt.Sprintf("[%s] %s via %s (%s)", o.Marker, a.Category, a.Channel, a.Priority)
			o.Body = fmt.Sprintf("Simulated %s contact about %s, priority %s. [%s]", a.Channel, a.Category, a.Priority, o.Nonce)
			o.Requester = fmt.Sprintf("customer-%d@%s", a.Ticket, mp.m.RequesterDomain)
			o.Queue = mp.Queue(a.Tier)
		})}
	case trace.Deflected:
		return []Op{comment("Taken by automation (deflection).")}
	case trace.Fallback:
		return []Op{comment("Automation fell back to a human agent.")}
	case trace.Answered:
		return []Op{with(OpSetOwner, func(o *Op) { o.Owner = mp.Owner(a.Agent) })}
	case trace.AgentReply:
		return []Op{with(OpAgentReply, func(o *Op) {
			o.Body = fmt.Sprintf("Reply from %s. [%s]", a.Agent, o.Nonce)
		})}
	case trace.CustomerReply:
		return []Op{with(OpCustomerReply, func(o *Op) {
			o.Subject = fmt.Sprintf("Re: [%s]", o.Marker)
			o.Body = fmt.Sprintf("Customer writes again. [%s]", o.Nonce)
			o.Requester = fmt.Sprintf("customer-%d@%s", a.Ticket, mp.m.RequesterDomain)
		})}
	case trace.Escalated:
		return []Op{
			comment(fmt.Sprintf("Escalated from %s to %s.", a.From, a.To)),
			with(OpMove, func(o *Op) { o.Queue = mp.Queue(a.To) }),
		}
	case trace.Resolved, trace.DeflectedDone:
		return []Op{with(OpResolve, func(o *Op) { o.Status = "resolved" })}
	case trace.Abandoned:
		return []Op{
			comment("Customer abandoned before an agent answered."),
			with(OpResolve, func(o *Op) { o.Status = "resolved" }),
		}
	}
	return nil
}
