package sim

// Routing decides who takes what.
//
//   - A new ticket goes to the first tier listed with its channel among its
//     skills; an escalated one to the tier its path names. Agents of a tier
//     serve every queue of their tier; when their own queues are empty,
//     agents of a later tier help with the new tickets of earlier tiers on
//     the channels they are skilled for (overflow), and a new ticket that
//     finds its tier busy goes to a free agent of such a tier.
//   - A contact that arrives to find an agent free goes to one at once: an
//     idle agent first; for a concurrent channel (chat), otherwise the
//     agent holding the fewest chats with room for one more.
//   - An agent whose hands come free takes, in order: live contacts before
//     deferred ones (an agent reserved for deferred work the other way
//     round), higher priorities first, and within those the contact that
//     has waited longest. An agent holding chats takes only more chats.
//   - A tier that protects live channels (protect_live = N) starts
//     deferred work only while at least N other agents of the tier are
//     idle, so N agents are always ready for the next call; agents
//     reserved for deferred work are not held back.

// Availability sets of a tier: idle agents, idle agents reserved for
// deferred work, then agents holding k concurrent contacts (set 1+k).
const (
	setIdle     = 0
	setReserved = 1
)

func (e *engine) addToSet(a, k int) {
	ag := &e.agents[a]
	ti := e.p.agents[a].tier
	ag.set = int8(k)
	ag.pos = int32(len(e.sets[ti][k]))
	e.sets[ti][k] = append(e.sets[ti][k], int32(a))
}

func (e *engine) removeFromSet(a int) {
	ag := &e.agents[a]
	if ag.set < 0 {
		return
	}
	ti := e.p.agents[a].tier
	set := e.sets[ti][ag.set]
	last := set[len(set)-1]
	set[ag.pos] = last
	e.agents[last].pos = ag.pos
	e.sets[ti][ag.set] = set[:len(set)-1]
	ag.set = -1
}

// accepting reports whether the agent takes new work.
func (ag *agent) accepting() bool {
	return ag.on > 0 && !ag.onBreak && ag.pendingBreak == 0
}

// place puts an agent in the availability set that fits what it holds.
func (e *engine) place(a int) {
	ag := &e.agents[a]
	e.removeFromSet(a)
	if !ag.accepting() || ag.exclusive {
		return
	}
	ap := &e.p.agents[a]
	switch {
	case ag.n == 0 && ap.reserved:
		e.addToSet(a, setReserved)
	case ag.n == 0:
		e.addToSet(a, setIdle)
	case ag.n < e.p.tiers[ap.tier].maxConc:
		e.addToSet(a, 1+ag.n)
	}
}

// deferredWaiting reports whether any deferred ticket waits at the tier.
func (e *engine) deferredWaiting(ti int) bool {
	for c := range e.p.channels {
		if e.p.channels[c].live {
			continue
		}
		for pr := range e.p.prios {
			if e.queues[ti][pr*e.nch+c].count > 0 {
				return true
			}
		}
	}
	return false
}

// findAgent returns an agent free to take a contact of channel c waiting
// at tier ti now: one of tier ti, or, for a ticket not escalated, of a
// later tier skilled for the channel; or −1.
func (e *engine) findAgent(ti, c int, escalated bool) int {
	if a := e.findAgentIn(ti, c); a >= 0 || escalated {
		return a
	}
	for _, hi := range e.p.tiers[ti].overflowTo[c] {
		if a := e.findAgentIn(hi, c); a >= 0 {
			return a
		}
	}
	return -1
}

func (e *engine) findAgentIn(ti, c int) int {
	sets := e.sets[ti]
	ch := &e.p.channels[c]
	if !ch.live && len(sets[setReserved]) > 0 {
		return int(sets[setReserved][len(sets[setReserved])-1])
	}
	if n := len(sets[setIdle]); n > 0 && (ch.live || n > e.p.tiers[ti].protectLive) {
		return int(sets[setIdle][n-1])
	}
	if len(sets[setReserved]) > 0 && (!ch.live || !e.deferredWaiting(ti)) {
		return int(sets[setReserved][len(sets[setReserved])-1])
	}
	if ch.concurrent {
		conc := e.p.tiers[ti].conc[c]
		for k := 1; k < conc && 1+k < len(sets); k++ {
			if n := len(sets[1+k]); n > 0 {
				return int(sets[1+k][n-1])
			}
		}
	}
	return -1
}

// next pops the ticket agent a should take now, or returns −1: from its
// own tier's queues, then, as overflow, the new tickets of earlier tiers.
func (e *engine) next(a int) int32 {
	ap := &e.p.agents[a]
	if s := e.popBest(a, ap.tier, !ap.reserved, false); s >= 0 {
		return s
	}
	for _, lo := range e.p.tiers[ap.tier].helps {
		if s := e.popBest(a, lo, true, true); s >= 0 {
			return s
		}
	}
	return -1
}

// popBest pops, from tier ti's queues, the ticket agent a should take:
// live before deferred (or the other way round), higher priority first,
// then the one that has waited longest. An agent holding chats takes only
// more chats. overflow limits the choice to new tickets on channels the
// agent's own tier is skilled for.
func (e *engine) popBest(a, ti int, liveFirst, overflow bool) int32 {
	ag := &e.agents[a]
	ap := &e.p.agents[a]
	tp := &e.p.tiers[ap.tier]
	qs := e.queues[ti]
	for pass := 0; pass < 2; pass++ {
		wantLive := (pass == 0) == liveFirst
		if !wantLive && e.protectsLive(a) {
			continue
		}
		for pr := range e.p.prios {
			best, bestT := -1, 0.0
			for c := range e.p.channels {
				ch := &e.p.channels[c]
				if ch.live != wantLive || (overflow && !tp.skilled[c]) {
					continue
				}
				if ag.n > 0 && (!ch.concurrent || tp.conc[c] <= ag.n) {
					continue
				}
				q := &qs[pr*e.nch+c]
				if q.count == 0 {
					continue
				}
				t := &e.tickets[e.head(q).slot]
				if overflow && t.escalated {
					continue
				}
				if best < 0 || t.queued < bestT {
					best, bestT = c, t.queued
				}
			}
			if best >= 0 {
				q := &qs[pr*e.nch+best]
				h := e.head(q)
				q.head++
				q.count--
				e.compact(q)
				e.setWaiting(best, -1)
				return h.slot
			}
		}
	}
	return -1
}

// protectsLive reports whether agent a must leave deferred work alone now:
// its tier keeps protect_live agents idle for live contacts and fewer other
// agents than that are idle. Agents reserved for deferred work are exempt.
func (e *engine) protectsLive(a int) bool {
	ap := &e.p.agents[a]
	n := e.p.tiers[ap.tier].protectLive
	return n > 0 && !ap.reserved && len(e.sets[ap.tier][setIdle]) < n
}

// head skips abandoned entries and returns the first waiting ticket of a
// queue with count > 0.
func (e *engine) head(q *queue) ref {
	for {
		r := q.buf[q.head]
		t := &e.tickets[r.slot]
		if t.gen == r.gen && t.state == tsWaiting {
			return r
		}
		q.head++
	}
}

// compact reclaims the consumed front of a queue's buffer.
func (e *engine) compact(q *queue) {
	if q.count == 0 {
		q.buf, q.head = q.buf[:0], 0
		return
	}
	if q.head > 1024 && q.head*2 > len(q.buf) {
		n := copy(q.buf, q.buf[q.head:])
		q.buf, q.head = q.buf[:n], 0
	}
}

// freed is called when an agent's hands come (partly) free: it leaves,
// starts a pending break, or takes more work.
func (e *engine) freed(a int) {
	ag := &e.agents[a]
	if ag.n == 0 {
		if ag.on == 0 {
			e.leave(a)
			return
		}
		if ag.pendingBreak > 0 {
			d := ag.pendingBreak
			ag.pendingBreak = 0
			e.startBreak(a, d)
			return
		}
	}
	e.pull(a)
}

// pull gives an accepting agent work from its queues until it is full or
// they are empty, then files it in the right availability set.
func (e *engine) pull(a int) {
	ag := &e.agents[a]
	for ag.accepting() && !ag.exclusive {
		s := e.next(a)
		if s < 0 {
			break
		}
		e.serve(a, s)
	}
	e.place(a)
}
