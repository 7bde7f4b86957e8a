package sim

import (
	"math"

	"github.com/slasim/slasim/sim/trace"
)

// Arrivals: contacts enter the system from each channel's non-homogeneous
// Poisson process, get their category and priority, and are deflected to
// automation or queued for a human.

// scheduleArrival draws the next arrival of a channel after time t from the
// non-homogeneous Poisson process of its rate pieces, exactly: an Exp(1)
// budget is spent against the integrated rate.
func (e *engine) scheduleArrival(c int, t float64) {
	ch := &e.p.channels[c]
	budget := e.arrive[c].ExpFloat64()
	segs := ch.segs
	// find the piece holding t
	lo, hi := 0, len(segs)
	for lo < hi {
		m := (lo + hi) / 2
		if segs[m].t1 <= t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	for k := lo; k < len(segs); k++ {
		s := &segs[k]
		r := s.rate * e.dayFac[c][s.day]
		from := math.Max(t, s.t0)
		if r <= 0 {
			continue
		}
		span := (s.t1 - from) * r
		if budget <= span {
			e.ev.push(from+budget/r, evArrive, int32(c), 0)
			return
		}
		budget -= span
	}
}

func pick(cum []float64, u float64) int {
	for i, c := range cum {
		if u < c {
			return i
		}
	}
	return len(cum) - 1
}

func (e *engine) newTicket() int32 {
	var s int32
	if n := len(e.free); n > 0 {
		s = e.free[n-1]
		e.free = e.free[:n-1]
	} else {
		e.tickets = append(e.tickets, ticket{})
		s = int32(len(e.tickets) - 1)
	}
	return s
}

func (e *engine) release(s int32) {
	t := &e.tickets[s]
	t.state = tsFree
	t.gen++
	e.free = append(e.free, s)
}

func (e *engine) arrival(c int) {
	p := e.p
	e.scheduleArrival(c, e.now)
	ch := &p.channels[c]
	if e.atQueueLimit(c) {
		return
	}
	s := e.newTicket()
	t := &e.tickets[s]
	e.nextID++
	a := &e.attrs[c]
	*t = ticket{id: e.nextID, gen: t.gen, ch: int16(c), created: e.now, ivl: int32(e.iv), escIv: -1, tier: int16(ch.entryTier)}
	if len(ch.catIdx) == 1 {
		t.cat = int16(ch.catIdx[0])
	} else {
		t.cat = int16(ch.catIdx[pick(ch.catCum, a.Float64())])
	}
	if len(ch.prioIdx) == 1 {
		t.prio = int16(ch.prioIdx[0])
	} else {
		t.prio = int16(ch.prioIdx[pick(ch.prioCum, a.Float64())])
	}
	if t.ivl >= 0 {
		e.st.ch[c].arrivals++
		e.st.chIv[c][t.ivl].arrivals++
	}
	if !ch.live {
		e.backlog[c]++
	}
	e.emit(s, trace.Created, "", "")
	if d := &p.cats[t.cat].deflect[c]; d.rate > 0 && a.Float64() < d.rate {
		t.state = tsBot
		if t.ivl >= 0 {
			e.st.ch[c].deflected++
			e.st.chIv[c][t.ivl].deflected++
			e.st.automationCost += d.cost
			e.st.channelAutomationCost[c] += d.cost
			e.st.chIv[c][t.ivl].automationCost += d.cost
		}
		e.emit(s, trace.Deflected, "", "")
		e.ev.push(e.now+d.botTime, evBotDone, s, int32(t.gen))
		return
	}
	e.enqueue(s)
}

func (e *engine) botDone(s int32, gen uint32) {
	t := &e.tickets[s]
	if t.gen != gen || t.state != tsBot {
		return
	}
	c := int(t.ch)
	d := &e.p.cats[t.cat].deflect[c]
	if d.fallback > 0 && e.attrs[c].Float64() < d.fallback {
		if t.ivl >= 0 {
			e.st.ch[c].fallback++
		}
		e.emit(s, trace.Fallback, "", "")
		e.enqueue(s)
		return
	}
	e.emit(s, trace.DeflectedDone, "", "")
	if t.ivl >= 0 {
		e.st.automationResolved++
	}
	if !e.p.channels[c].live {
		e.backlog[c]--
	}
	e.release(s)
}
