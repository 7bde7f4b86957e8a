package replay

import (
	"math"
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

// Metrics folds Results into what the report shows: per action type
// latency histograms from the intended and from the actual send time, status
// codes, error classes, rates and a per-interval series. It is safe for
// concurrent use.
type Metrics struct {
	mu        sync.Mutex
	interval  time.Duration
	start     time.Time
	end       time.Time
	firstSent time.Time
	lastSent  time.Time
	lastDue   time.Time
	rate      float64
	byAction  map[string]*actionHists
	total     *actionHists
	lag       *hdr.Histogram
	orderWait *hdr.Histogram
	codes     map[int]int
	classes   map[string]int
	requests  int
	sentCount int
	retries   int
	resolved  map[string]int
	series    []*intervalAcc
}

type actionHists struct {
	count, errors int
	intended      *hdr.Histogram
	sent          *hdr.Histogram
}

type intervalAcc struct {
	due, ok, errors, done int
	intended              *hdr.Histogram
	sent                  *hdr.Histogram
}

// NewMetrics returns empty Metrics with a per-interval series of the given
// grain (1s if 0).
func NewMetrics(interval time.Duration) *Metrics {
	if interval <= 0 {
		interval = time.Second
	}
	return &Metrics{interval: interval, byAction: map[string]*actionHists{},
		total: newActionHists(), lag: newHist(3), orderWait: newHist(3),
		codes: map[int]int{}, classes: map[string]int{}, resolved: map[string]int{}}
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
	if !r.Sent.IsZero() {
		m.sentCount++
		if m.firstSent.IsZero() || r.Sent.Before(m.firstSent) {
			m.firstSent = r.Sent
		}
		if r.Sent.After(m.lastSent) {
			m.lastSent = r.Sent
		}
	}
	m.classes[r.Class]++
	for _, c := range r.Codes {
		m.codes[c]++
	}
	m.requests += len(r.Codes)
	m.retries += r.Retries
	if r.Resolved != "" {
		m.resolved[r.Resolved]++
	}
	recordUS(m.lag, r.Lag)
	if r.OrderWait > 0 {
		recordUS(m.orderWait, r.OrderWait)
	}
	if r.Class == ClassCanceled {
		return
	}
	a := m.byAction[r.Action]
	if a == nil {
		a = newActionHists()
		m.byAction[r.Action] = a
	}
	for _, h := range []*actionHists{a, m.total} {
		h.count++
		if !r.OK() {
			h.errors++
			continue
		}
		recordUS(h.intended, r.LatencyIntended)
		if !r.Sent.IsZero() { // settled without a request (found, verified): no send time
			recordUS(h.sent, r.LatencySent)
		}
	}
	iv := m.slot(r.Intended)
	iv.due++
	if r.OK() {
		iv.ok++
		recordUS(iv.intended, r.LatencyIntended)
		if !r.Sent.IsZero() {
			recordUS(iv.sent, r.LatencySent)
		}
	} else {
		iv.errors++
	}
	m.slot(r.Done).done++
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
type ActionStats struct {
	Action       string  `json:"action"`
	Count        int     `json:"count"`
	Errors       int     `json:"errors"`
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
	Done        int     `json:"done"`
	P50Intended float64 `json:"p50_from_intended_ms"`
	P99Intended float64 `json:"p99_from_intended_ms"`
	P99Sent     float64 `json:"p99_from_sent_ms"`
	MaxIntended float64 `json:"max_from_intended_ms"`
}

// Summary is the report of a replay: what `--json` prints.
type Summary struct {
	Start    time.Time `json:"start"`
	Wall     float64   `json:"wall_s"`
	Actions  int       `json:"actions"`
	OK       int       `json:"ok"`
	Errors   int       `json:"errors"`
	Canceled int       `json:"canceled"`
	Requests int       `json:"requests"`
	Retries  int       `json:"retries"`
	// IntendedRate is the schedule's rate (actions/s), SentRate the rate at
	// which actions actually started, CompletionRate successful actions per
	// second of wall time.
	IntendedRate   float64         `json:"intended_rate"`
	SentRate       float64         `json:"sent_rate"`
	CompletionRate float64         `json:"completion_rate"`
	Lag            Latency         `json:"scheduling_lag"`
	OrderWait      Latency         `json:"order_wait"`
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
	s := Summary{Start: m.start, Requests: m.requests, Retries: m.retries,
		StatusCodes: map[string]int{}, ErrorClasses: map[string]int{},
		IntervalS: m.interval.Seconds()}
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
		s.Actions += n
		switch c {
		case ClassOK:
			s.OK = n
		case ClassCanceled:
			s.Canceled = n
			s.ErrorClasses[c] = n
		default:
			s.Errors += n
			s.ErrorClasses[c] = n
		}
	}
	if len(m.resolved) > 0 {
		s.Resolved = m.resolved
	}
	s.IntendedRate = m.rate
	if span := m.lastDue.Sub(m.start).Seconds(); s.IntendedRate == 0 && span > 0 {
		s.IntendedRate = float64(s.Actions-1) / span
	}
	if span := m.lastSent.Sub(m.firstSent).Seconds(); span > 0 {
		s.SentRate = float64(m.sentCount-1) / span
	}
	if s.Wall > 0 {
		s.CompletionRate = float64(s.OK) / s.Wall
	}
	s.Lag = latencyOf(m.lag)
	s.OrderWait = latencyOf(m.orderWait)
	stats := func(name string, a *actionHists) ActionStats {
		return ActionStats{Action: name, Count: a.count, Errors: a.errors,
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
			Due: iv.due, OK: iv.ok, Errors: iv.errors, Done: iv.done,
			P50Intended: li.P50, P99Intended: li.P99, P99Sent: ls.P99, MaxIntended: li.Max})
	}
	return s
}

var order = map[string]int{"created": 0, "deflected": 1, "fallback": 2, "queued": 3, "answered": 4,
	"agent_reply": 5, "customer_reply": 6, "escalated": 7, "resolved": 8, "abandoned": 9, "deflected_resolved": 10}

func actionOrder(a string) int {
	if o, ok := order[a]; ok {
		return o
	}
	return math.MaxInt
}
