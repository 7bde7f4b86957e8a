package sim

// Action kinds of the lifecycle trace, in the order a ticket meets them.
const (
	ActCreated       = "created"            // a customer contact arrives (channel, category, priority)
	ActDeflected     = "deflected"          // automation takes the ticket (bot, help center)
	ActFallback      = "fallback"           // a deflected ticket falls back to a human queue
	ActQueued        = "queued"             // the ticket waits in a tier's queue
	ActAnswered      = "answered"           // an agent (agent, tier) takes the ticket
	ActAgentReply    = "agent_reply"        // the agent's reply is sent (end of a handling)
	ActCustomerReply = "customer_reply"     // the customer writes again; the ticket goes back to a queue
	ActEscalated     = "escalated"          // passed from one tier to a higher one (from, to)
	ActResolved      = "resolved"           // closed
	ActAbandoned     = "abandoned"          // the customer gave up before an agent answered
	ActDeflectedDone = "deflected_resolved" // automation resolved it; no human involved
)

// Action is one line of the lifecycle trace: something that happened to one
// ticket at a simulated time. The trace of a run is a stream of Actions in
// non-decreasing time order, written as JSON lines by `slasim run --trace`
// and consumed by the replayer.
type Action struct {
	// T is the simulated time in seconds since the scenario's start.
	T float64 `json:"t"`
	// Ticket identifies the ticket within the run, from 1.
	Ticket int64 `json:"ticket"`
	// Kind is one of the Act* constants.
	Kind string `json:"action"`
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
