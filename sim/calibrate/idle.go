package calibrate

// idleTracker measures, for each tier, the time its agents sat without a
// ticket while tickets waited in the tier's queue: time an available agent
// would have taken one, so time the agent was away (a break, a meeting,
// coaching). It needs the events in time order across tickets, as a trace
// has them; on any other order it switches itself off.
type idleTracker struct {
	off     bool
	last    float64
	waiting map[int]int      // tier → tickets waiting
	since   map[int]float64  // tier → when the queue last changed
	queued  map[int]float64  // tier → total time with a non-empty queue
	freeAt  map[int]freeMark // agent → when it last became free
	away    map[int]float64  // tier → agent time away while tickets waited
}

// Idle spells shorter than minAway are routing, not absence; longer than
// maxAway, the agent was off shift (the rota inferred from activity
// already leaves such time out only between days).
const (
	minAway = 5 * 60
	maxAway = 90 * 60
)

func (it *idleTracker) order(t float64) {
	if t < it.last {
		it.off = true
	}
	it.last = t
}

func (it *idleTracker) init() {
	if it.waiting == nil {
		it.waiting, it.since, it.queued = map[int]int{}, map[int]float64{}, map[int]float64{}
		it.freeAt, it.away = map[int]freeMark{}, map[int]float64{}
	}
}

// clock is the tier's total time with a non-empty queue up to t.
func (it *idleTracker) clock(tier int, t float64) float64 {
	q := it.queued[tier]
	if it.waiting[tier] > 0 {
		q += t - it.since[tier]
	}
	return q
}

func (it *idleTracker) queue(tier int, t float64, d int) {
	it.init()
	it.queued[tier] = it.clock(tier, t)
	it.since[tier] = t
	it.waiting[tier] = max(0, it.waiting[tier]+d)
}

// freeMark is when an agent became free, with every tier's queue clock
// then (an agent may take the next ticket from another tier's queue, as
// overflow).
type freeMark struct {
	t      float64
	clocks map[int]float64
}

// freed notes that an agent (of tier) has no ticket in hand from t.
func (it *idleTracker) freed(agent int, t float64) {
	it.init()
	m := freeMark{t: t, clocks: it.freeAt[agent].clocks}
	if m.clocks == nil {
		m.clocks = map[int]float64{}
	}
	for tier := range it.waiting {
		m.clocks[tier] = it.clock(tier, t)
	}
	it.freeAt[agent] = m
}

// taken notes that the agent, of tier, took at t a ticket from the queue
// of tier from: the time that queue held tickets in between was time the
// agent was away.
func (it *idleTracker) taken(agent, tier, from int, t float64) {
	it.init()
	m, ok := it.freeAt[agent]
	if !ok || t-m.t > maxAway {
		return // a gap longer than a break is off shift, not away
	}
	if away := it.clock(from, t) - m.clocks[from]; away >= minAway {
		it.away[tier] += away
	}
}
