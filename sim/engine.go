package sim

import (
	"context"
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
	// ctx, if set, stops the replication when it is done (checked every
	// few thousand events).
	ctx context.Context
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
	for n := 0; e.ev.len() > 0 && e.err == nil; n++ {
		if n&4095 == 0 && e.ctx != nil {
			if e.err = e.ctx.Err(); e.err != nil {
				break
			}
		}
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
