package replay

import (
	"sync"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Latencies are recorded in microseconds, from 1 µs to 1 hour, with 3
// significant digits (0.1% resolution) for the summary and 2 for the
// per-interval series.
const (
	histMin = 1
	histMax = int64(time.Hour / time.Microsecond)
)

func newHist(digits int) *hdr.Histogram { return hdr.New(histMin, histMax, digits) }

func recordUS(h *hdr.Histogram, d time.Duration) {
	us := d.Microseconds()
	if us < histMin {
		us = histMin
	}
	if us > histMax {
		us = histMax
	}
	_ = h.RecordValue(us)
}

// Metrics folds Results into what the report shows: the outcome of every
// action, per action type latency histograms from the intended and from
// the actual send time, status codes, error classes, rates, whether the
// schedule was kept and a per-interval series. It is safe for concurrent
// use.
type Metrics struct {
	mu        sync.Mutex
	interval  time.Duration
	start     time.Time
	end       time.Time
	firstSent time.Time
	lastSent  time.Time
	lastDue   time.Time
	rate      float64
	grace     time.Duration
	byAction  map[string]*actionHists
	total     *actionHists
	lag       *hdr.Histogram
	orderWait *hdr.Histogram
	slotWait  *hdr.Histogram
	codes     map[int]int
	classes   map[string]int
	notSent   map[string]int
	inDoubt   map[int64]bool
	requests  int
	lookups   int
	throttled int
	sentCount int
	retries   int
	behind    int
	paused    time.Duration
	pauses    int
	resolved  map[string]int
	series    []*intervalAcc
}

// LateAfter is how late (waiting for the scheduler and for an in-flight
// slot) an action may leave before it counts as behind schedule.
const LateAfter = 10 * time.Millisecond

type actionHists struct {
	count, errors, inDoubt, notSent int
	intended                        *hdr.Histogram
	sent                            *hdr.Histogram
}

type intervalAcc struct {
	due, ok, errors, inDoubt, notSent, done int
	intended                                *hdr.Histogram
	sent                                    *hdr.Histogram
}

// NewMetrics returns empty Metrics with a per-interval series of the given
// grain (1s if 0).
func NewMetrics(interval time.Duration) *Metrics {
	if interval <= 0 {
		interval = time.Second
	}
	return &Metrics{interval: interval, byAction: map[string]*actionHists{},
		total: newActionHists(), lag: newHist(3), orderWait: newHist(3), slotWait: newHist(3),
		codes: map[int]int{}, classes: map[string]int{}, notSent: map[string]int{}, inDoubt: map[int64]bool{},
		resolved: map[string]int{}}
}

func newActionHists() *actionHists {
	return &actionHists{intended: newHist(3), sent: newHist(3)}
}

// SetStart sets the start of the run (default: the first intended time).
func (m *Metrics) SetStart(t time.Time) {
	m.mu.Lock()
	if m.start.IsZero() || t.Before(m.start) {
		m.start = t
	}
	m.mu.Unlock()
}

// SetIntendedRate records the pacer's rate (0: taken from the schedule).
func (m *Metrics) SetIntendedRate(r float64) { m.mu.Lock(); m.rate = r; m.mu.Unlock() }

// SetGrace records the grace period given to requests in flight when
// sending stopped.
func (m *Metrics) SetGrace(d time.Duration) { m.mu.Lock(); m.grace = d; m.mu.Unlock() }

// SetPaused records how long the senders were paused by 429s, in how many
// separate pauses.
func (m *Metrics) SetPaused(d time.Duration, pauses int) {
	m.mu.Lock()
	m.paused, m.pauses = d, pauses
	m.mu.Unlock()
}

// CountNotSent counts an action that was never dispatched (reason: a
// NotSent constant). Actions past the duration bound, or not yet due when
// the run stopped, count only in the totals; others were due during the
// run and count in its series.
func (m *Metrics) CountNotSent(r *Result, reason string) {
	if reason != NotSentDuration && !r.Intended.After(time.Now()) {
		r.Class, r.Reason, r.Done = ClassNotSent, reason, time.Now()
		r.finish()
		m.Add(r)
		return
	}
	m.mu.Lock()
	m.notSent[reason]++
	m.mu.Unlock()
}

// AddEnd folds in the end record of a journal (actions never sent, pauses).
func (m *Metrics) AddEnd(e *End) {
	if e == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, n := range e.NotSent {
		m.notSent[k] += n
	}
	m.paused += e.Paused
	m.pauses += e.Pauses
}

func (m *Metrics) endRecord() End {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := End{NotSent: map[string]int{}, Paused: m.paused, Pauses: m.pauses}
	for k, n := range m.notSent {
		e.NotSent[k] = n
	}
	return e
}

// Add folds one Result in.
func (m *Metrics) Add(r *Result) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.start.IsZero() || r.Intended.Before(m.start) {
		m.start = r.Intended
	}
	if r.Done.After(m.end) {
		m.end = r.Done
	}
	if r.Intended.After(m.lastDue) {
		m.lastDue = r.Intended
	}
	m.addRequests(r)
	outcome := r.Outcome()
	switch outcome {
	case OutcomeNotSent:
		m.notSent[r.Reason]++
		if r.Reason == NotSentCapSaturated || r.Reason == NotSentBehindTicket {
			m.behind++
		}
	case OutcomeInDoubt:
		m.inDoubt[r.Ticket] = true
		m.classes[r.Class]++
	default:
		m.classes[r.Class]++
	}
	a := m.byAction[r.Action]
	if a == nil {
		a = newActionHists()
		m.byAction[r.Action] = a
	}
	waited := outcome == OutcomeNotSent &&
		(r.Reason == NotSentCapSaturated || r.Reason == NotSentBehindTicket || r.Reason == NotSentPaused)
	for _, h := range []*actionHists{a, m.total} {
		h.count++
		switch outcome {
		case OutcomeFailed:
			h.errors++
		case OutcomeInDoubt:
			h.inDoubt++
		case OutcomeNotSent:
			h.notSent++
		}
		if outcome == OutcomeOK || waited {
			// a not-sent action that was due waited at least this long
			recordUS(h.intended, r.LatencyIntended)
		}
		if outcome == OutcomeOK && !r.Sent.IsZero() { // settled without a request (found, verified): no send time
			recordUS(h.sent, r.LatencySent)
		}
	}
	m.addInterval(r, outcome)
}

// addRequests counts the requests, retries and waits of r.
func (m *Metrics) addRequests(r *Result) {
	if !r.Sent.IsZero() {
		m.sentCount++
		if m.firstSent.IsZero() || r.Sent.Before(m.firstSent) {
			m.firstSent = r.Sent
		}
		if r.Sent.After(m.lastSent) {
			m.lastSent = r.Sent
		}
		recordUS(m.slotWait, r.SlotWait)
		if r.SlotWait+max(r.Lag, 0) > LateAfter {
			m.behind++
		}
	}
	for _, c := range r.Codes {
		m.codes[c]++
	}
	m.requests += len(r.Codes)
	m.lookups += r.Lookups
	m.throttled += r.Throttled
	m.retries += r.Retries
	if r.Resolved != "" {
		m.resolved[r.Resolved]++
	}
	if !r.Dispatched.IsZero() {
		recordUS(m.lag, r.Lag)
	}
	if r.OrderWait > 0 {
		recordUS(m.orderWait, r.OrderWait)
	}
}

func (m *Metrics) addInterval(r *Result, outcome string) {
	iv := m.slot(r.Intended)
	iv.due++
	switch outcome {
	case OutcomeOK:
		iv.ok++
		recordUS(iv.intended, r.LatencyIntended)
		if !r.Sent.IsZero() {
			recordUS(iv.sent, r.LatencySent)
		}
	case OutcomeFailed:
		iv.errors++
	case OutcomeInDoubt:
		iv.inDoubt++
	case OutcomeNotSent:
		iv.notSent++
	}
	if !r.Sent.IsZero() {
		m.slot(r.Done).done++
	}
}

// slot returns the interval accumulator holding t (results of a resumed
// run may come before the recorded start: they go to interval 0).
func (m *Metrics) slot(t time.Time) *intervalAcc {
	k := int(t.Sub(m.start) / m.interval)
	if k < 0 {
		k = 0
	}
	for len(m.series) <= k {
		m.series = append(m.series, &intervalAcc{intended: newHist(2), sent: newHist(2)})
	}
	return m.series[k]
}

// Close is a no-op kept for symmetry with Vegeta's Metrics.
func (m *Metrics) Close() {}
