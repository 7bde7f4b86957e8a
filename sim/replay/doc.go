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
// # Accounting
//
// Every intended action ends in exactly one outcome (Result.Outcome): ok;
// failed, by class; in doubt (it may have reached the helpdesk and could
// not be settled: a resumed run settles it); or not sent, with the reason
// (NotSentDuration, NotSentCapSaturated, ...). Duration is a hard bound on
// sending: after it no request leaves, requests in flight get Grace to
// finish and are then cut (in doubt). The summary warns when the in-flight
// cap or the client could not keep the schedule.
//
// # Faults
//
// Nothing is lost and nothing is sent twice:
//   - 429: nothing was processed. A pause gate holds every sender for
//     Retry-After (or a growing backoff) and the request is sent again;
//     this is reported as time paused and never counts against Retries.
//   - 5xx on a create, reply or comment: a complete answer, so the ticket
//     is looked up at once by its marker (Adapter.Find), the reply by its
//     nonce (Verifier), and re-sent only when absent.
//   - timeouts and dropped connections: the helpdesk may still be applying
//     the request, so absence is believed only after the Settle window.
//   - owner, queue and status changes (idempotent) are retried; when every
//     attempt timed out the Verifier is asked before calling them in doubt.
//   - a reply or comment that cannot be looked up (no Verifier, or it
//     answers ErrCannotVerify) is in doubt, never re-sent; the ticket's
//     later actions continue. A create in doubt holds its ticket's later
//     actions back (not sent, NotSentTicketDoubt).
//   - 4xx, refusals inside a 2xx and TLS errors are final.
//
// # Journal and resume
//
// Before an action is sent a "begin" record is written, after it completes
// a "done" record (the Result; not-sent actions only count in the "end"
// record of the segment, so a resumed run sends them). Each record is
// written with one write call (so it survives kill -9) and the file is
// fsync'd periodically. Resume reads the journal: ok and failed actions are
// skipped, helpdesk ids are taken from done records, and actions that began
// but never completed, or completed in doubt, are settled: a create is
// looked up by its marker, an owner/queue/status change is checked with the
// Verifier and re-sent otherwise (harmless), a reply or comment is looked
// for by its nonce until one request timeout after it began, then re-sent.
// RepairJournal truncates a journal whose last line was cut by a crash.
package replay
