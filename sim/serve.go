package sim

import (
	"math"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim/trace"
)

// Service: a ticket waits in a queue, is taken up by an agent (or abandons),
// is handled, and then leaves, escalates or waits for the customer.

// enqueue puts the ticket in its tier's queue, or straight into the hands
// of an available agent.
func (e *engine) enqueue(s int32) {
	t := &e.tickets[s]
	c := int(t.ch)
	ch := &e.p.channels[c]
	t.queued = e.now
	if a := e.findAgent(int(t.tier), c, t.escalated); a >= 0 {
		e.serve(a, s)
		return
	}
	t.state = tsWaiting
	e.queues[t.tier][int(t.prio)*e.nch+c].push(ref{s, t.gen})
	e.setWaiting(c, +1)
	e.emit(s, trace.Queued, e.p.tiers[t.tier].name, "")
	if !t.answered && ch.patience != nil {
		e.ev.push(e.now+ch.patience.Sample(e.patient[c].src), evAbandon, s, int32(t.gen))
	}
}

func (e *engine) abandon(s int32, gen uint32) {
	t := &e.tickets[s]
	if t.gen != gen || t.state != tsWaiting || t.answered {
		return
	}
	c := int(t.ch)
	e.queues[t.tier][int(t.prio)*e.nch+c].count--
	e.setWaiting(c, -1)
	if t.ivl >= 0 {
		for _, k := range [...]*counters{&e.st.ch[c], &e.st.chIv[c][t.ivl], &e.st.prio[c][t.prio]} {
			k.offered++
			k.abandoned++
			k.waited++
		}
	}
	e.emit(s, trace.Abandoned, "", "")
	e.release(s)
}

// serve hands ticket s to agent a.
func (e *engine) serve(a int, s int32) {
	p := e.p
	t := &e.tickets[s]
	c := int(t.ch)
	ch := &p.channels[c]
	ti := p.agents[a].tier // an overflow agent takes the ticket to its tier
	t.tier = int16(ti)
	ag := &e.agents[a]
	wait := p.slaElapsed(c, t.queued, e.now)
	if !t.answered && ch.live {
		t.answered = true
		if t.ivl >= 0 {
			within := wait <= p.prios[t.prio].within[c]
			for _, k := range [...]*counters{&e.st.ch[c], &e.st.chIv[c][t.ivl], &e.st.prio[c][t.prio]} {
				k.offered++
				k.answered++
				k.waitSum += wait
				if wait > 0 {
					k.waited++
				}
				if within {
					k.within++
				}
			}
		}
	}
	if t.escIv >= 0 {
		// An escalation taken up: measured against the tier's target.
		k := &e.st.tierEsc[ti][t.escIv]
		k.offered++
		k.taken++
		k.waitSum += e.now - t.queued
		if e.now-t.queued <= p.tiers[ti].olaWithin {
			k.within++
		}
		t.escIv = -1
	}
	t.state = tsService
	e.removeFromSet(a)
	ag.n++
	conc := p.tiers[ti].conc[c]
	if !ch.concurrent {
		ag.exclusive = true
		conc = 1
	}
	t.weight = 1 / float64(conc)
	e.move(&e.busy[ti], t.weight, e.st.tierBusy[ti])
	var d model.Dist
	if t.escalated && t.escStep > 0 {
		if h := p.cats[t.cat].esc[t.escStep-1].handle; h != nil {
			d = h[ti]
		}
	}
	if d == nil {
		d = p.cats[t.cat].handle[ti]
	}
	ht := d.Sample(e.service[c].src)
	if ch.concurrent && ag.n > 1 && ch.stretch != 1 {
		ht *= math.Pow(ch.stretch, float64(ag.n-1))
	}
	// Only handling inside the reported period is costed to the channel.
	e.st.tierChannelBusy[ti][c] += overlapOf(e.now, ht, 0, p.end) * t.weight
	if e.iv >= 0 {
		e.st.tierChannelBusyIv[ti][c*p.nInterval+e.iv] += ht * t.weight
	}
	e.ev.push(e.now+ht, evFinish, int32(a), s)
	e.emit(s, trace.Answered, p.tiers[ti].name, e.agentName(a))
	e.place(a)
}

func (e *engine) finish(a int, s int32) {
	p := e.p
	t := &e.tickets[s]
	c := int(t.ch)
	ch := &p.channels[c]
	ti := int(t.tier)
	ag := &e.agents[a]
	ag.n--
	if ag.n == 0 {
		ag.exclusive = false
	}
	e.move(&e.busy[ti], -t.weight, e.st.tierBusy[ti])
	if t.ivl >= 0 {
		e.st.tierHandled[ti]++
	}
	e.emit(s, trace.AgentReply, p.tiers[ti].name, e.agentName(a))
	if !ch.live && !t.answered {
		t.answered = true
		e.firstResponse(t)
	}
	e.afterHandling(a, s)
	e.freed(a)
}

func (e *engine) resolve(s int32, a int) {
	t := &e.tickets[s]
	c := int(t.ch)
	if t.ivl >= 0 {
		e.st.ch[c].resolved++
		e.st.ch[c].resolutionSum += e.now - t.created
	}
	if !e.p.channels[c].live {
		e.backlog[c]--
	}
	e.emit(s, trace.Resolved, e.p.tiers[t.tier].name, e.agentName(a))
	e.release(s)
}

func (e *engine) customerReply(s int32, gen uint32) {
	t := &e.tickets[s]
	if t.gen != gen || t.state != tsAway {
		return
	}
	e.emit(s, trace.CustomerReply, e.p.tiers[t.tier].name, "")
	e.enqueue(s)
}
