package replay

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

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
