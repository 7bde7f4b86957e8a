package calibrate

import (
	"math"
	"time"
)

// channelStats is what the history holds per channel.
type channelStats struct {
	name       string
	mode       string
	modeSource string
	within     time.Duration
	ipd        int
	// arrivals[d][s] counts the contacts created on day d in interval s.
	arrivals [][]float64
	// ivs[d][s] is what the contacts created on day d in interval s met.
	ivs [][]Outcome
	// flow[d][s] is the change in the open tickets of the period (created
	// in it) during interval s of day d: the backlog is its running sum.
	flow     [][]float64
	patience patienceAcc
	resN     int
	resSum   float64
	// resolution samples the creation-to-resolution times of the period's
	// tickets resolved in it, for the percentiles.
	resolution *sample
}

// Outcome is what one channel's contacts of one day met: offered,
// answered (or first-responded) and abandoned contacts, those within the
// SLA threshold, and the total wait of the answered ones.
type Outcome struct {
	Offered   float64 `json:"offered"`
	Answered  float64 `json:"answered"`
	Abandoned float64 `json:"abandoned"`
	Within    float64 `json:"within"`
	WaitSum   float64 `json:"wait_seconds_total"`
	// Resolved counts the contacts resolved by an agent before the end of
	// the history, ResolutionSum their time from creation to resolution.
	Resolved      float64 `json:"resolved"`
	ResolutionSum float64 `json:"resolution_seconds_total"`
	// Backlog is, on a deferred channel, the tickets created in the period
	// still open at the end of the interval or day (over the whole period:
	// the mean over the day ends); absent on live channels.
	Backlog *float64 `json:"backlog,omitempty"`
}

// ResolutionTime is the mean time from creation to resolution of the
// resolved contacts, seconds (NaN with none resolved).
func (o Outcome) ResolutionTime() float64 { return ratio(o.ResolutionSum, o.Resolved) }

// ServiceLevel is the share of offered contacts answered within the
// threshold (NaN with none offered).
func (o Outcome) ServiceLevel() float64 { return ratio(o.Within, o.Offered) }

// ASA is the mean wait of the answered contacts, seconds.
func (o Outcome) ASA() float64 { return ratio(o.WaitSum, o.Answered) }

// AbandonRate is the share of offered contacts that abandoned.
func (o Outcome) AbandonRate() float64 { return ratio(o.Abandoned, o.Offered) }

func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

func (o *Outcome) answer(wait float64, within bool) {
	o.Offered++
	o.Answered++
	o.WaitSum += wait
	if within {
		o.Within++
	}
}

func (o *Outcome) resolve(sec float64) { o.Resolved++; o.ResolutionSum += sec }

func (o *Outcome) abandon() { o.Offered++; o.Abandoned++ }

func (o *Outcome) miss() { o.Offered++ }

func (o *Outcome) plus(p Outcome) {
	o.Offered += p.Offered
	o.Answered += p.Answered
	o.Abandoned += p.Abandoned
	o.Within += p.Within
	o.WaitSum += p.WaitSum
	o.Resolved += p.Resolved
	o.ResolutionSum += p.ResolutionSum
}

func newChannelStats(name, mode, src string, within time.Duration, ipd int) *channelStats {
	return &channelStats{name: name, mode: mode, modeSource: src, within: within, ipd: ipd, patience: newPatienceAcc(), resolution: newSample(uint64(len(name)) + 7)}
}

func (c *channelStats) grow(d int) {
	for len(c.arrivals) <= d {
		c.arrivals = append(c.arrivals, make([]float64, c.ipd))
		c.ivs = append(c.ivs, make([]Outcome, c.ipd))
		c.flow = append(c.flow, make([]float64, c.ipd))
	}
}

func (c *channelStats) arrive(d, s int) {
	c.grow(d)
	c.arrivals[d][s]++
}

func (c *channelStats) at(d, s int) *Outcome {
	c.grow(d)
	return &c.ivs[d][s]
}

// day is what the contacts created on day d met, summed over its intervals.
func (c *channelStats) day(d int) Outcome {
	var o Outcome
	for _, x := range c.ivs[d] {
		o.plus(x)
	}
	return o
}

// ended takes a ticket of the period that ends in it out of its deferred
// channel's backlog.
func (h *History) ended(l *life, t float64) {
	c := h.channels[l.ch]
	if c.live() {
		return
	}
	if _, _, ok := h.slot(l.created); !ok {
		return
	}
	if d, s, ok := h.slot(t); ok {
		c.grow(d)
		c.flow[d][s]--
	}
}

// backlog sets the open tickets at the end of each interval and day of a
// deferred channel's outcomes, and over the period their mean over the
// day ends.
func (c *channelStats) backlog(e *ChannelEstimate) {
	open, sum := 0.0, 0.0
	for d := range e.ObservedDays {
		for s := range c.ipd {
			open += c.flow[d][s]
			e.ObservedIntervals[d*c.ipd+s].Backlog = num(open)
		}
		e.ObservedDays[d].Backlog = num(open)
		sum += open
	}
	e.Observed.Backlog = num(sum / float64(max(len(e.ObservedDays), 1)))
}

func (c *channelStats) resolved(sec float64) {
	c.resN++
	c.resSum += sec
}

// patienceBins is the number of one-second bins of the wait histogram; a
// longer wait falls in the last bin.
const patienceBins = 4 * 3600

// patienceAcc gathers the first waits of a live channel's contacts: ended
// by an abandonment (an observed patience) or by an answer or the end of
// the history (a patience known only to be longer: censored).
type patienceAcc struct {
	abandons, censored int
	totalWait          float64 // by everyone, abandoned or not
	abandonedWait      float64
	events, censors    []int32 // per one-second bin
	maxWait            float64
}

func newPatienceAcc() patienceAcc { return patienceAcc{} }

func (p *patienceAcc) add(w float64, abandoned bool) {
	if w < 0 {
		w = 0
	}
	if p.events == nil {
		p.events, p.censors = make([]int32, patienceBins), make([]int32, patienceBins)
	}
	b := min(int(w), patienceBins-1)
	p.totalWait += w
	p.maxWait = math.Max(p.maxWait, w)
	if abandoned {
		p.abandons++
		p.abandonedWait += w
		p.events[b]++
		return
	}
	p.censored++
	p.censors[b]++
}
