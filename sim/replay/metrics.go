package replay

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
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

// Latency is a latency distribution in milliseconds.
type Latency struct {
	Count int     `json:"count"`
	Mean  float64 `json:"mean_ms"`
	P50   float64 `json:"p50_ms"`
	P90   float64 `json:"p90_ms"`
	P99   float64 `json:"p99_ms"`
	P999  float64 `json:"p99_9_ms"`
	Max   float64 `json:"max_ms"`
}

func latencyOf(h *hdr.Histogram) Latency {
	ms := func(us int64) float64 { return float64(us) / 1000 }
	if h.TotalCount() == 0 {
		return Latency{}
	}
	return Latency{Count: int(h.TotalCount()), Mean: h.Mean() / 1000,
		P50: ms(h.ValueAtQuantile(50)), P90: ms(h.ValueAtQuantile(90)),
		P99: ms(h.ValueAtQuantile(99)), P999: ms(h.ValueAtQuantile(99.9)), Max: ms(h.Max())}
}

// ActionStats are the figures of one action type (or of all: "total").
// Count is every action that was due; Errors failed, InDoubt in doubt,
// NotSent never left. Latencies from the intended time are of the actions
// that succeeded and of those that were due but never got sent (counted
// with the time they waited, a lower bound); from the send time, of those
// that succeeded.
type ActionStats struct {
	Action       string  `json:"action"`
	Count        int     `json:"count"`
	Errors       int     `json:"errors"`
	InDoubt      int     `json:"in_doubt,omitempty"`
	NotSent      int     `json:"not_sent,omitempty"`
	FromIntended Latency `json:"latency_from_intended"`
	FromSent     Latency `json:"latency_from_sent"`
}

// IntervalStats are the figures of one interval of the run, by intended
// time (Done by completion time).
type IntervalStats struct {
	Start       float64 `json:"start_s"`
	Due         int     `json:"due"`
	OK          int     `json:"ok"`
	Errors      int     `json:"errors"`
	InDoubt     int     `json:"in_doubt,omitempty"`
	NotSent     int     `json:"not_sent,omitempty"`
	Done        int     `json:"done"`
	P50Intended float64 `json:"p50_from_intended_ms"`
	P99Intended float64 `json:"p99_from_intended_ms"`
	P99Sent     float64 `json:"p99_from_sent_ms"`
	MaxIntended float64 `json:"max_from_intended_ms"`
}

// Summary is the report of a replay: what `--json` prints. Every intended
// action is counted once in OK, Failed, InDoubt or NotSent.
type Summary struct {
	Start   time.Time `json:"start"`
	Wall    float64   `json:"wall_s"`
	Actions int       `json:"actions"`
	OK      int       `json:"ok"`
	Failed  int       `json:"failed"`
	InDoubt int       `json:"in_doubt"`
	NotSent int       `json:"not_sent"`
	// NotSentBy splits NotSent by reason (NotSentDuration…);
	// InDoubtTickets are the simulated tickets with an action in doubt.
	NotSentBy      map[string]int `json:"not_sent_by,omitempty"`
	InDoubtTickets []int64        `json:"in_doubt_tickets,omitempty"`
	// Requests counts every HTTP request, lookups (Find, Verifier) and
	// throttled ones included; Throttled the 429 answers, Retries the
	// requests sent again after a failure.
	Requests  int `json:"requests"`
	Lookups   int `json:"lookups"`
	Throttled int `json:"throttled"`
	Retries   int `json:"retries"`
	// Paused is the time the senders were held by 429 pauses, in Pauses
	// separate pauses; Grace the time requests in flight were given when
	// sending stopped.
	Paused float64 `json:"paused_s"`
	Pauses int     `json:"pauses"`
	Grace  float64 `json:"grace_s"`
	// IntendedRate is the schedule's rate (actions/s), SentRate the rate at
	// which actions actually started, CompletionRate successful actions per
	// second of wall time.
	IntendedRate   float64 `json:"intended_rate"`
	SentRate       float64 `json:"sent_rate"`
	CompletionRate float64 `json:"completion_rate"`
	Lag            Latency `json:"scheduling_lag"`
	OrderWait      Latency `json:"order_wait"`
	SlotWait       Latency `json:"slot_wait"`
	// BehindSchedule counts actions that left more than LateAfter late
	// because of the scheduler or a full in-flight cap, or never left for
	// want of a slot (theirs or their ticket's previous action's); Warning
	// says so when the schedule was not kept.
	BehindSchedule int             `json:"behind_schedule"`
	Warning        string          `json:"warning,omitempty"`
	Total          ActionStats     `json:"total"`
	ByAction       []ActionStats   `json:"by_action"`
	StatusCodes    map[string]int  `json:"status_codes"`
	ErrorClasses   map[string]int  `json:"error_classes"`
	Resolved       map[string]int  `json:"in_doubt_resolved,omitempty"`
	IntervalS      float64         `json:"interval_s"`
	Intervals      []IntervalStats `json:"intervals"`
}

// Summary computes the report of what was added so far.
func (m *Metrics) Summary() Summary {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := Summary{Start: m.start, Requests: m.requests, Lookups: m.lookups, Throttled: m.throttled,
		Retries: m.retries, Paused: m.paused.Seconds(), Pauses: m.pauses, Grace: m.grace.Seconds(),
		StatusCodes: map[string]int{}, ErrorClasses: map[string]int{}, IntervalS: m.interval.Seconds(),
		BehindSchedule: m.behind}
	if !m.end.IsZero() {
		s.Wall = m.end.Sub(m.start).Seconds()
	}
	for c, n := range m.codes {
		k := strconv.Itoa(c)
		if c == 0 {
			k = "none"
		}
		s.StatusCodes[k] = n
	}
	for c, n := range m.classes {
		switch (&Result{Class: c}).Outcome() {
		case OutcomeOK:
			s.OK += n
		case OutcomeInDoubt:
			s.InDoubt += n
			s.ErrorClasses[c] = n
		default:
			s.Failed += n
			s.ErrorClasses[c] = n
		}
	}
	for reason, n := range m.notSent {
		s.NotSent += n
		if s.NotSentBy == nil {
			s.NotSentBy = map[string]int{}
		}
		s.NotSentBy[reason] = n
	}
	s.Actions = s.OK + s.Failed + s.InDoubt + s.NotSent
	for t := range m.inDoubt {
		s.InDoubtTickets = append(s.InDoubtTickets, t)
	}
	slices.Sort(s.InDoubtTickets)
	if len(m.resolved) > 0 {
		s.Resolved = m.resolved
	}
	m.rates(&s)
	s.Lag = latencyOf(m.lag)
	s.OrderWait = latencyOf(m.orderWait)
	s.SlotWait = latencyOf(m.slotWait)
	s.Warning = scheduleWarning(s)
	stats := func(name string, a *actionHists) ActionStats {
		return ActionStats{Action: name, Count: a.count, Errors: a.errors, InDoubt: a.inDoubt, NotSent: a.notSent,
			FromIntended: latencyOf(a.intended), FromSent: latencyOf(a.sent)}
	}
	s.Total = stats("total", m.total)
	names := make([]string, 0, len(m.byAction))
	for n := range m.byAction {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return actionOrder(names[i]) < actionOrder(names[j]) })
	for _, n := range names {
		s.ByAction = append(s.ByAction, stats(n, m.byAction[n]))
	}
	for k, iv := range m.series {
		li, ls := latencyOf(iv.intended), latencyOf(iv.sent)
		s.Intervals = append(s.Intervals, IntervalStats{Start: float64(k) * m.interval.Seconds(),
			Due: iv.due, OK: iv.ok, Errors: iv.errors, InDoubt: iv.inDoubt, NotSent: iv.notSent, Done: iv.done,
			P50Intended: li.P50, P99Intended: li.P99, P99Sent: ls.P99, MaxIntended: li.Max})
	}
	return s
}

func (m *Metrics) rates(s *Summary) {
	s.IntendedRate = m.rate
	due := s.Actions - s.NotSentBy[NotSentDuration]
	if span := m.lastDue.Sub(m.start).Seconds(); s.IntendedRate == 0 && span > 0 {
		s.IntendedRate = float64(due-1) / span
	}
	if span := m.lastSent.Sub(m.firstSent).Seconds(); span > 0 {
		s.SentRate = float64(m.sentCount-1) / span
	}
	if s.Wall > 0 {
		s.CompletionRate = float64(s.OK) / s.Wall
	}
}

// scheduleWarning says when the in-flight cap or the client could not keep
// the schedule (as k6 warns of dropped iterations): any action not sent for
// want of a slot, or more than 1% of the due actions behind schedule.
func scheduleWarning(s Summary) string {
	due := s.Actions - s.NotSentBy[NotSentDuration]
	sat := s.NotSentBy[NotSentCapSaturated] + s.NotSentBy[NotSentBehindTicket]
	if due == 0 || (sat == 0 && float64(s.BehindSchedule) <= 0.01*float64(due)) {
		return ""
	}
	w := fmt.Sprintf("the schedule was not kept: %d of %d due actions (%.1f%%) left more than %v late or never left",
		s.BehindSchedule, due, 100*float64(s.BehindSchedule)/float64(due), LateAfter)
	if sat > 0 {
		w += fmt.Sprintf(" (%d never left: no free in-flight slot for them or for their ticket's previous action)", sat)
	}
	w += fmt.Sprintf("; wait for a slot p99 %.0fms, scheduler lag p99 %.1fms", s.SlotWait.P99, s.Lag.P99)
	if s.SlotWait.P99 >= s.Lag.P99 {
		return w + ": the in-flight cap was the bottleneck (raise --max-in-flight or lower the rate)"
	}
	return w + ": the client could not keep up (lower the rate or give it more CPU)"
}

var order = map[string]int{"created": 0, "deflected": 1, "fallback": 2, "queued": 3, "answered": 4,
	"agent_reply": 5, "customer_reply": 6, "escalated": 7, "resolved": 8, "abandoned": 9, "deflected_resolved": 10}

func actionOrder(a string) int {
	if o, ok := order[a]; ok {
		return o
	}
	return math.MaxInt
}
