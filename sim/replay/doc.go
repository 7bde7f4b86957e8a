// Package replay drives a live helpdesk API from the simulated ticket
// lifecycle: every action of the trace (trace.Action) is turned into
// helpdesk-neutral operations (Op) and sent, through an Adapter, at its
// scheduled wall-clock time. It answers "does our helpdesk hold the load?".
//
// The pieces follow Vegeta's split: a Pacer says when each action is due (the
// open-loop schedule is a value), an Adapter turns an Op into HTTP, the Runner
// emits one Result per action, Results are folded into Metrics, and the
// Journal is the same stream of Results written as JSON lines. A summary can be
// rebuilt from a journal alone (ReadJournal + Metrics).
//
// # Mapping of trace actions to operations
//
//	created             CreateTicket{marker, subject, channel, category, priority, queue of the first tier}
//	deflected           InternalComment ("taken by automation")
//	fallback            InternalComment ("automation fell back to a human")
//	queued              nothing (the queue is implied by create and escalations)
//	answered            SetOwner (agent "tier-N" → a helpdesk user, round-robin in order of first appearance)
//	agent_reply         AgentReply (public)
//	customer_reply      CustomerReply (as the requester)
//	escalated           InternalComment ("escalated from → to") + Move to the queue of the target tier
//	resolved            Resolve
//	abandoned           InternalComment ("customer abandoned") + Resolve
//	deflected_resolved  Resolve
//
// Tier → queue is configurable (Mapping.Queues); the default sends the first
// tier ("representative") to "General" and every other tier to "Tier2".
//
// # Schedule and measurement
//
// Actions are due at Pacer.Due(i, action) after the start: SpeedPacer divides
// simulated time by a speed, RatePacer spaces them at a fixed rate. The
// scheduler never waits for a response before dispatching the next action
// (open loop, no coordinated omission). Actions of one ticket stay in order:
// an action waits until the ticket's previous action has completed and its
// helpdesk id is known; that wait is measured (Result.OrderWait) and never
// delays other tickets. A cap on requests in flight (MaxInFlight) bounds the
// concurrency; time spent waiting for a slot counts in the latency from the
// intended time. Each Result carries the latency from the intended send time
// and from the actual send time.
//
// # Faults
//
// 429 responses are honoured (Retry-After plus jitter). Other failures are
// retried with exponential backoff only when the operation is safe to repeat:
// SetOwner, Move and Resolve always; replies and comments only when the
// request cannot have reached the helpdesk (connection refused, 429); a
// CreateTicket is retried only after the adapter's Find reports that no
// ticket carries its unique marker, so a ticket is never created twice.
//
// # Journal and resume
//
// Before an action is sent a "begin" record is written, after it completes
// a "done" record (the Result). Both are written to the file with one write
// each (so they survive kill -9) and fsync'd periodically. Resume reads the
// journal: done actions are skipped, helpdesk ids are taken from done
// creates, and actions that were in flight when the process died are in
// doubt: an in-doubt create is looked up by its marker before re-creating;
// an in-doubt SetOwner/Move/Resolve is checked with the adapter's Verifier
// (is the ticket already in that state?) and re-sent otherwise (harmless);
// an in-doubt reply or comment is looked for with the Verifier for up to one
// request timeout after it began, then re-sent, and without a Verifier it is
// recorded as in_doubt rather than risk sending it twice.
package replay
