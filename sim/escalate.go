package sim

import "github.com/slasim/slasim/sim/trace"

// Escalation: where a ticket goes once an agent has handled it. A category
// lists escalation steps in order; each step passes the ticket up to a
// higher tier with its probability. Escalation never goes back down: a step
// to the tier that has just handled the ticket, or to an earlier one, is
// already done (an agent of a later tier took the ticket as overflow).

// afterHandling sends ticket s, just handled by agent a, up a tier, back to
// the customer for a reply (deferred channels), or to resolution.
func (e *engine) afterHandling(a int, s int32) {
	p := e.p
	t := &e.tickets[s]
	ti := int(t.tier)
	cat := &p.cats[t.cat]
	step, decided := e.escalation(t, ti)
	switch {
	case step != nil:
		e.escalate(s, ti, step)
	case !decided && cat.replyP > 0 && !p.channels[t.ch].live && e.flow.Float64() < cat.replyP:
		t.state = tsAway
		e.ev.push(e.now+cat.replyIn.Sample(e.flow.src), evReply, s, int32(t.gen))
	default:
		e.resolve(s, a)
	}
}

// escalation draws whether the ticket, handled at tier ti, takes its next
// escalation step. decided is true when a step applied (taken or not): the
// ticket then does not also wait for a customer reply.
func (e *engine) escalation(t *ticket, ti int) (step *escStep, decided bool) {
	cat := &e.p.cats[t.cat]
	for int(t.escStep) < len(cat.esc) && cat.esc[t.escStep].to <= ti {
		t.escStep++
	}
	if int(t.escStep) >= len(cat.esc) {
		return nil, false
	}
	next := &cat.esc[t.escStep]
	if next.from >= 0 && next.from != ti {
		return nil, false
	}
	t.escStep++
	if e.flow.Float64() < next.p {
		return next, true
	}
	return nil, true
}

// escalate moves ticket s from tier ti to the step's tier and queues it
// there, keeping the time already spent.
func (e *engine) escalate(s int32, ti int, step *escStep) {
	p := e.p
	t := &e.tickets[s]
	if t.ivl >= 0 {
		e.st.tierEscalated[ti]++
	}
	t.escalated = true
	t.tier = int16(step.to)
	e.emitAction(s, trace.Action{Kind: trace.Escalated, From: p.tiers[ti].name, To: p.tiers[step.to].name})
	if e.iv >= 0 {
		t.escIv = int32(e.iv)
	}
	e.enqueue(s)
}
