package sim

// counters are the contact figures of one channel (and interval or
// priority) in one replication.
type counters struct {
	arrivals, deflected, fallback float64
	offered, answered, within     float64
	abandoned, waited, waitSum    float64
	resolved, resolutionSum       float64
	automationCost                float64
}

// repStats is everything one replication counts. Contact figures go to the
// interval in which the contact arrived; levels (queue length, agents
// staffed, available and busy) are integrated over time per interval.
type repStats struct {
	ch   []counters   // [channel]
	chIv [][]counters // [channel][interval]
	prio [][]counters // [channel][priority]

	queueArea, queueMax, backlog [][]float64 // [channel][interval]

	tierHandled, tierEscalated []float64 // [tier]
	// tierEsc[tier][interval]: escalations taken up at the tier, by the
	// interval in which they reached its queue.
	tierEsc                              [][]escCounters
	tierStaffed, tierAvailable, tierBusy [][]float64 // [tier][interval], agent-seconds
	tierChannelBusy                      [][]float64 // [tier][channel], agent-seconds of handling
	// tierChannelBusyIv[tier][channel*nInterval+i]: agent-seconds of the
	// handlings started in interval i, for splitting its cost by channel.
	tierChannelBusyIv                  [][]float64
	automationCost, automationResolved float64
	channelAutomationCost              []float64 // [channel]
	// turnedAway counts arrivals refused at the queue bound after the
	// warm-up, per channel; boundHit whether the bound was reached at all.
	turnedAway []float64
	boundHit   []bool
	tail       tailCounts
}

func newRepStats(p *plan) *repStats {
	nc, nt, ni := len(p.channels), len(p.tiers), p.nInterval
	s := &repStats{
		ch:                    make([]counters, nc),
		chIv:                  make([][]counters, nc),
		prio:                  make([][]counters, nc),
		queueArea:             grid(nc, ni),
		queueMax:              grid(nc, ni),
		backlog:               grid(nc, ni),
		tierHandled:           make([]float64, nt),
		tierEsc:               make([][]escCounters, nt),
		tierEscalated:         make([]float64, nt),
		tierStaffed:           grid(nt, ni),
		tierAvailable:         grid(nt, ni),
		tierBusy:              grid(nt, ni),
		tierChannelBusy:       grid(nt, nc),
		tierChannelBusyIv:     grid(nt, nc*ni),
		channelAutomationCost: make([]float64, nc),
		turnedAway:            make([]float64, nc),
		boundHit:              make([]bool, nc),
	}
	for t := range s.tierEsc {
		s.tierEsc[t] = make([]escCounters, ni)
	}
	for c := range s.chIv {
		s.chIv[c] = make([]counters, ni)
		s.prio[c] = make([]counters, len(p.prios))
	}
	return s
}

func grid(n, m int) [][]float64 {
	g := make([][]float64, n)
	flat := make([]float64, n*m)
	for i := range g {
		g[i] = flat[i*m : (i+1)*m : (i+1)*m]
	}
	return g
}

// level is a quantity that changes at events (agents busy, contacts
// waiting); its time integral is kept per interval.
type level struct {
	v, last float64
}

// escCounters are the escalated tickets that reached a tier's queue in an
// interval: how many were taken up (or are still waiting past the tier's
// target at the end), how many within the target, and their waits.
type escCounters struct {
	offered, within, waitSum, taken float64
}
