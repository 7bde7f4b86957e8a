package sim

// eventKind says which handler an event goes to.
type eventKind uint8

const (
	evArrive     eventKind = iota // a = channel
	evBotDone                     // a = ticket slot, b = generation
	evAbandon                     // a = ticket slot, b = generation
	evFinish                      // a = agent, b = hand slot
	evReply                       // a = ticket slot, b = generation: customer writes again
	evShiftStart                  // a = agent, b = shift instance
	evShiftEnd                    // a = agent, b = shift instance
	evBreakStart                  // a = agent, b = break length in seconds
	evBreakEnd                    // a = agent, b = break sequence
	evTick                        // end of a reporting interval
	evStop                        // end of the horizon
)

// event is a value on the heap: no pointers, so the heap never allocates
// per event and the garbage collector never scans it.
type event struct {
	t    float64
	seq  uint64
	kind eventKind
	a    int32
	b    int32
}

func (e *event) before(o *event) bool {
	return e.t < o.t || (e.t == o.t && e.seq < o.seq)
}

// eventHeap is a 4-ary min-heap of events ordered by (time, sequence): two
// events at the same time run in the order they were scheduled, so runs are
// deterministic. Four children per node make the heap shallower than a
// binary one, which pays on pop, the engine's hottest path.
type eventHeap struct {
	h   []event
	seq uint64
}

func (q *eventHeap) len() int { return len(q.h) }

func (q *eventHeap) push(t float64, k eventKind, a, b int32) {
	q.seq++
	q.h = append(q.h, event{t: t, seq: q.seq, kind: k, a: a, b: b})
	h := q.h
	i := len(h) - 1
	e := h[i]
	for i > 0 {
		p := (i - 1) >> 2
		if !e.before(&h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = e
}

func (q *eventHeap) pop() event {
	h := q.h
	top := h[0]
	n := len(h) - 1
	last := h[n]
	q.h = h[:n]
	if n == 0 {
		return top
	}
	h = q.h
	i := 0
	for {
		c := i<<2 + 1
		if c >= n {
			break
		}
		end := c + 4
		if end > n {
			end = n
		}
		m := c
		for j := c + 1; j < end; j++ {
			if h[j].before(&h[m]) {
				m = j
			}
		}
		if !h[m].before(&last) {
			break
		}
		h[i] = h[m]
		i = m
	}
	h[i] = last
	return top
}
