package sim

import "fmt"

// atQueueLimit reports whether channel c holds as many contacts as the
// plan allows (waiting, for a live channel; open, for a deferred one), and
// counts the arrival turned away if so (in the reported period, as
// arrivals are). The bound keeps an unstable
// channel's memory finite; the result says it was reached.
func (e *engine) atQueueLimit(c int) bool {
	limit := e.p.queueLimit
	if limit <= 0 {
		limit = DefaultQueueLimit
	}
	n := e.waiting[c]
	if !e.p.channels[c].live {
		n = e.backlog[c]
	}
	if n < limit {
		return false
	}
	e.st.boundHit[c] = true
	if e.iv >= 0 {
		e.st.turnedAway[c]++
	}
	return true
}

// QueueVerdict says which channels reached the queue bound, in how many
// replications, and what that means; "" when none did.
func (r *Result) QueueVerdict() string {
	var s string
	for _, c := range r.Channels {
		if c.QueueBoundHit == 0 {
			continue
		}
		what := "waiting contacts"
		if c.Mode == "deferred" {
			what = "open tickets"
		}
		s += fmt.Sprintf("channel %q reached the bound of %d %s in %d of %d replications (%s arrivals turned away per replication): "+
			"more arrives than its agents can take, so the queue grows without end and its figures are not a steady state; "+
			"add agents or lower the rate (or raise the bound with --max-queue)\n",
			c.Name, r.QueueBound, what, c.QueueBoundHit, r.Replications, Count(c.TurnedAway))
	}
	return s
}
