package sim

import (
	"fmt"
	"math"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim/trace"
)

// Ticket states.
const (
	tsFree    uint8 = iota
	tsBot           // with automation
	tsWaiting       // in a tier's queue
	tsService       // with an agent
	tsAway          // waiting for the customer's reply
)

// ticket is a contact in the system. Tickets live in a slab and their slots
// are reused, so memory does not grow with the number of tickets simulated;
// gen tells a reused slot from the ticket an old event refers to.
type ticket struct {
	id        int64
	gen       uint32
	state     uint8
	answered  bool // an agent took it (live) or replied (deferred)
	escalated bool // it is past its first tier
	ch, cat   int16
	prio      int16
	tier      int16
	escStep   int16
	ivl       int32   // interval of arrival, −1 in the warm-up
	escIv     int32   // interval in which it reached its current tier by escalation, −1 none
	created   float64 // arrival time
	queued    float64 // time it entered its current queue
	weight    float64 // share of its agent's capacity while in service
}

type ref struct {
	slot int32
	gen  uint32
}

// queue is a FIFO of tickets; abandoned tickets are left in place and
// skipped when they reach the head.
type queue struct {
	buf   []ref
	head  int
	count int // tickets really waiting
}

func (q *queue) push(r ref) { q.buf = append(q.buf, r); q.count++ }

// agent states
type agent struct {
	on           int  // shift instances under way (0: off shift)
	onBreak      bool // on a break
	breakSeq     int32
	breakUntil   float64 // end of the break under way
	pendingBreak float64 // a break due while busy, taken when the hands are free
	n            int     // contacts in hand
	exclusive    bool    // holding a sync or deferred contact (no more work)
	set          int8    // which availability set it is in, −1 none
	pos          int32   // position in that set
	present      bool    // on the floor (on shift or finishing overtime)
}

// engine is one replication.
type engine struct {
	p    *plan
	rep  int
	seed uint64
	now  float64
	ev   eventHeap

	arrive  []stream // per channel: arrival times
	attrs   []stream // per channel: category, priority, deflection
	service []stream // per channel: handle times
	patient []stream // per channel: patience
	flow    stream   // escalation and customer replies
	dayFac  [][]float64

	tickets []ticket
	free    []int32
	nextID  int64

	agents []agent
	// sets[tier][k]: k=0 idle agents, k=1 idle reserved agents, k=1+j
	// agents holding j concurrent contacts with room for more.
	sets   [][][]int32
	queues [][]queue // [tier][prio*nch + ch]
	nch    int

	iv        int // current interval, −1 in the warm-up
	queueLen  []level
	waiting   []int // per channel
	backlog   []int // open deferred tickets per channel
	staffed   []level
	available []level
	busy      []level

	st     *repStats
	emitTo func(trace.Action) error
	err    error
}

func newEngine(p *plan, seed uint64, rep int, emitTo func(trace.Action) error) *engine {
	nc, nt := len(p.channels), len(p.tiers)
	e := &engine{p: p, rep: rep, seed: seed, emitTo: emitTo, nch: nc, iv: -1}
	for _, c := range p.channels {
		e.arrive = append(e.arrive, newStream(seed, rep, "arrive/"+c.name))
		e.attrs = append(e.attrs, newStream(seed, rep, "attrs/"+c.name))
		e.service = append(e.service, newStream(seed, rep, "service/"+c.name))
		e.patient = append(e.patient, newStream(seed, rep, "patience/"+c.name))
		fac := make([]float64, p.nDays+1)
		fs := newStream(seed, rep, "forecast/"+c.name)
		for d := range fac {
			fac[d] = 1
			if c.forecastCV > 0 {
				fac[d] = model.NewLogNormal(1, c.forecastCV).Sample(fs.src)
			}
		}
		e.dayFac = append(e.dayFac, fac)
	}
	e.flow = newStream(seed, rep, "flow")
	e.agents = make([]agent, len(p.agents))
	for i := range e.agents {
		e.agents[i].set = -1
	}
	e.sets = make([][][]int32, nt)
	e.queues = make([][]queue, nt)
	for t := range p.tiers {
		e.sets[t] = make([][]int32, 1+p.tiers[t].maxConc)
		e.queues[t] = make([]queue, len(p.prios)*nc)
	}
	e.queueLen = make([]level, nc)
	e.waiting = make([]int, nc)
	e.backlog = make([]int, nc)
	e.staffed = make([]level, nt)
	e.available = make([]level, nt)
	e.busy = make([]level, nt)
	e.st = newRepStats(p)
	return e
}

// run simulates the replication from −warmup to the end of the period.
func (e *engine) run() error {
	p := e.p
	e.now = p.t0
	for c := range p.channels {
		e.scheduleArrival(c, p.t0)
	}
	for si := range p.shifts {
		sp := &p.shifts[si]
		for k, w := range sp.instances {
			for j := 0; j < sp.headcount; j++ {
				e.ev.push(math.Max(w.a, p.t0), evShiftStart, int32(sp.firstAg+j), int32(k))
			}
		}
	}
	for i := 0; i <= p.nInterval; i++ {
		t := float64(i) * p.interval
		if t >= p.t0 {
			e.ev.push(math.Min(t, p.end), evTick, int32(i), 0)
		}
	}
	for e.ev.len() > 0 && e.err == nil {
		ev := e.ev.pop()
		if ev.t > p.end {
			break
		}
		e.now = ev.t
		switch ev.kind {
		case evArrive:
			e.arrival(int(ev.a))
		case evBotDone:
			e.botDone(ev.a, uint32(ev.b))
		case evAbandon:
			e.abandon(ev.a, uint32(ev.b))
		case evFinish:
			e.finish(int(ev.a), ev.b)
		case evReply:
			e.customerReply(ev.a, uint32(ev.b))
		case evShiftStart:
			e.shiftStart(int(ev.a), int(ev.b))
		case evShiftEnd:
			e.shiftEnd(int(ev.a), int(ev.b))
		case evBreakStart:
			e.breakStart(int(ev.a), float64(ev.b))
		case evBreakEnd:
			e.breakEnd(int(ev.a), ev.b)
		case evTick:
			e.tick(int(ev.a))
		}
	}
	e.censor()
	return e.err
}

// --- arrivals -----------------------------------------------------------

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

// --- queues and service -------------------------------------------------

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

func (e *engine) setWaiting(c, d int) {
	e.move(&e.queueLen[c], float64(d), e.st.queueArea[c])
	e.waiting[c] += d
	if e.iv >= 0 && float64(e.waiting[c]) > e.st.queueMax[c][e.iv] {
		e.st.queueMax[c][e.iv] = float64(e.waiting[c])
	}
}

// move changes a level by d at the current time, integrating it into the
// current interval.
func (e *engine) move(l *level, d float64, bins []float64) {
	if e.iv >= 0 {
		bins[e.iv] += l.v * (e.now - l.last)
	}
	l.last = e.now
	l.v += d
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
	wait := e.now - t.queued
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
		k.waitSum += wait
		if wait <= p.tiers[ti].olaWithin {
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
	e.st.tierChannelBusy[ti][c] += ht * t.weight
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
	e.st.tierHandled[ti]++
	e.emit(s, trace.AgentReply, p.tiers[ti].name, e.agentName(a))
	if !ch.live && !t.answered {
		t.answered = true
		e.firstResponse(t)
	}
	cat := &p.cats[t.cat]
	// A step to the tier that has just handled the ticket, or to an earlier
	// one, is already done: an agent of a later tier took the ticket as
	// overflow, and escalation never goes back down.
	for int(t.escStep) < len(cat.esc) && cat.esc[t.escStep].to <= ti {
		t.escStep++
	}
	switch {
	case int(t.escStep) < len(cat.esc) && (cat.esc[t.escStep].from < 0 || cat.esc[t.escStep].from == ti):
		step := &cat.esc[t.escStep]
		t.escStep++
		if e.flow.Float64() < step.p {
			e.st.tierEscalated[ti]++
			t.escalated = true
			t.tier = int16(step.to)
			e.emitAction(s, trace.Action{Kind: trace.Escalated, From: p.tiers[ti].name, To: p.tiers[step.to].name})
			if e.iv >= 0 {
				t.escIv = int32(e.iv)
			}
			e.enqueue(s)
			break
		}
		e.resolve(s, a)
	case cat.replyP > 0 && !ch.live && e.flow.Float64() < cat.replyP:
		t.state = tsAway
		e.ev.push(e.now+cat.replyIn.Sample(e.flow.src), evReply, s, int32(t.gen))
	default:
		e.resolve(s, a)
	}
	e.freed(a)
}

func (e *engine) firstResponse(t *ticket) {
	if t.ivl < 0 {
		return
	}
	p := e.p
	c := int(t.ch)
	elapsed := e.now - t.created
	if p.channels[c].business {
		elapsed = p.businessElapsed(t.created, e.now)
	}
	within := elapsed <= p.prios[t.prio].within[c]
	for _, k := range [...]*counters{&e.st.ch[c], &e.st.chIv[c][t.ivl], &e.st.prio[c][t.prio]} {
		k.offered++
		k.answered++
		k.waitSum += elapsed
		k.waited++
		if within {
			k.within++
		}
	}
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

// --- statistics over intervals -------------------------------------------

// tick closes interval i−1 and opens interval i.
func (e *engine) tick(i int) {
	p := e.p
	for c := range p.channels {
		e.move(&e.queueLen[c], 0, e.st.queueArea[c])
	}
	for ti := range p.tiers {
		e.move(&e.staffed[ti], 0, e.st.tierStaffed[ti])
		e.move(&e.available[ti], 0, e.st.tierAvailable[ti])
		e.move(&e.busy[ti], 0, e.st.tierBusy[ti])
	}
	if e.iv >= 0 {
		for c := range p.channels {
			e.st.backlog[c][e.iv] = float64(e.backlog[c])
		}
	}
	if i >= p.nInterval {
		e.iv = -2 // past the end: nothing more is binned
		return
	}
	e.iv = i
	for c := range p.channels {
		e.st.queueMax[c][i] = float64(e.waiting[c])
	}
}

// censor settles, at the end of the period, the contacts whose outcome is
// still open: one that has already waited past its target counts as offered
// and missed; one that has not is left out (its outcome is unknown).
func (e *engine) censor() {
	p := e.p
	for s := range e.tickets {
		t := &e.tickets[s]
		if t.state == tsWaiting && t.escIv >= 0 {
			// An escalation still waiting past the tier's target counts
			// as missed; one within it is left out.
			if ti := int(t.tier); p.end-t.queued >= p.tiers[ti].olaWithin && p.tiers[ti].olaWithin >= 0 {
				e.st.tierEsc[ti][t.escIv].offered++
			}
		}
		if t.state == tsFree || t.state == tsBot || t.answered || t.ivl < 0 {
			continue
		}
		c := int(t.ch)
		var elapsed float64
		if p.channels[c].live {
			if t.state != tsWaiting {
				continue
			}
			elapsed = p.end - t.queued
		} else {
			elapsed = p.end - t.created
			if p.channels[c].business {
				elapsed = p.businessElapsed(t.created, p.end)
			}
		}
		missed := elapsed >= p.prios[t.prio].within[c]
		e.noteOpen(t, missed)
		if missed {
			for _, k := range [...]*counters{&e.st.ch[c], &e.st.chIv[c][t.ivl], &e.st.prio[c][t.prio]} {
				k.offered++
				k.waited++
			}
		}
	}
}

// --- trace --------------------------------------------------------------

func (e *engine) agentName(a int) string {
	if e.emitTo == nil || a < 0 {
		return ""
	}
	ap := &e.p.agents[a]
	return fmt.Sprintf("%s-%d", e.p.tiers[ap.tier].name, ap.index)
}

func (e *engine) emit(s int32, kind trace.Kind, tier, agent string) {
	if e.emitTo != nil {
		e.emitAction(s, trace.Action{Kind: kind, Tier: tier, Agent: agent})
	}
}

// emitAction completes a with the time and the ticket's attributes and
// sends it to the trace.
func (e *engine) emitAction(s int32, a trace.Action) {
	if e.emitTo == nil || e.err != nil {
		return
	}
	p := e.p
	t := &e.tickets[s]
	a.T, a.Ticket = e.now, t.id
	a.Channel, a.Category, a.Priority = p.channels[t.ch].name, p.cats[t.cat].name, p.prios[t.prio].name
	e.err = e.emitTo(a)
}
