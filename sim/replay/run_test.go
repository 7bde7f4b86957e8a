package replay

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slasim/slasim/sim/trace"
)

// expectedOps is what the helpdesk should receive for a trace: nonce/op keys.
func expectedOps(acts []trace.Action, maxTickets int) map[string]int {
	mp := NewMapper(Mapping{})
	want := map[string]int{}
	sel := map[int64]bool{}
	for i, a := range acts {
		if maxTickets > 0 && !sel[a.Ticket] {
			if len(sel) >= maxTickets {
				continue
			}
			sel[a.Ticket] = true
		}
		for _, o := range mp.Ops(i, a) {
			want[o.Nonce+"/"+string(o.Kind)]++
		}
	}
	return want
}

func TestRunSendsEveryActionOnceInTicketOrder(t *testing.T) {
	h := newFakeHelpdesk(t)
	acts := lifecycle(50, 0.1)
	m, err := Run(context.Background(), slices.Values(acts), h.adapter(), WithPacer(SpeedPacer{Speed: 100}))
	if err != nil {
		t.Fatal(err)
	}
	s := m.Summary()
	want := expectedOps(acts, 0)
	if got := h.counts(); !mapsEqual(got, want) {
		t.Fatalf("helpdesk received %d distinct ops, want %d", len(got), len(want))
	}
	if s.Failed != 0 || s.OK == 0 {
		t.Fatalf("summary: ok %d errors %d %v", s.OK, s.Failed, s.ErrorClasses)
	}
	// per-ticket order: the nonces of each ticket arrive in trace order
	h.mu.Lock()
	defer h.mu.Unlock()
	for ref, ops := range h.ticketOp {
		prev := -1
		for _, o := range ops {
			idx := nonceIndex(t, o)
			if idx < prev {
				t.Fatalf("ticket %s: ops out of order: %v", ref, ops)
			}
			prev = idx
		}
	}
}

// countEscalations is how many actions of acts send two operations.
func countEscalations(acts []trace.Action) int {
	n := 0
	for _, a := range acts {
		if a.Kind == trace.Escalated {
			n++
		}
	}
	return n
}

func nonceIndex(t *testing.T, key string) int {
	nonce, _, _ := strings.Cut(key, "/")
	i := strings.LastIndex(nonce, "-a")
	var n int
	for _, c := range nonce[i+2:] {
		n = n*10 + int(c-'0')
	}
	return n
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// A slow ticket must not delay the sends of other tickets (open loop), and
// its own later actions wait for it (measured as order wait).
func TestOpenLoopSlowTicketDoesNotDelayOthers(t *testing.T) {
	h := newFakeHelpdesk(t)
	h.delay = func(op Op) time.Duration {
		if op.Ticket == 1 && op.Kind == OpCreate {
			return 400 * time.Millisecond
		}
		return 0
	}
	// ticket k created at k*10ms; ticket 1's actions at 1ms intervals.
	var acts []trace.Action
	acts = append(acts, trace.Action{T: 0, Ticket: 1, Kind: trace.Created}, trace.Action{T: 0.001, Ticket: 1, Kind: trace.AgentReply})
	for k := 2; k <= 20; k++ {
		acts = append(acts, trace.Action{T: float64(k) * 0.01, Ticket: int64(k), Kind: trace.Created})
	}
	sortActions(acts)
	var mu sync.Mutex
	var results []*Result
	m, err := Run(context.Background(), slices.Values(acts), h.adapter(), WithPacer(SpeedPacer{Speed: 1}),
		OnResult(func(r *Result) { mu.Lock(); results = append(results, r); mu.Unlock() }))
	if err != nil {
		t.Fatal(err)
	}
	// Event order, not wall-clock bounds: every other ticket was sent
	// before the slow create came back (a closed loop would have held them
	// behind it), and the slow ticket's reply was sent only after it.
	var slowDone time.Time
	for _, r := range results {
		if r.Ticket == 1 && r.Action == trace.Created.String() {
			slowDone = r.Done
		}
	}
	if slowDone.IsZero() {
		t.Fatal("the slow create has no result")
	}
	for _, r := range results {
		if r.Ticket != 1 && !r.Sent.Before(slowDone) {
			t.Errorf("ticket %d sent at %v, after the slow create came back at %v: the slow ticket held it", r.Ticket, r.Sent, slowDone)
		}
		if r.Ticket == 1 && r.Action == trace.AgentReply.String() {
			if r.Sent.Before(slowDone) {
				t.Errorf("reply of the slow ticket sent before its create came back")
			}
			// The server held the create 400 ms from its send, which is
			// not before the trace's start: the reply, due 1 ms in, cannot
			// be answered sooner than 399 ms after it was due, however
			// loaded the machine; and it did wait for its ticket.
			if r.OrderWait <= 0 || r.LatencyIntended < 399*time.Millisecond {
				t.Errorf("reply of slow ticket: order wait %v (want > 0), latency from intended %v (want ≥ 399 ms)", r.OrderWait, r.LatencyIntended)
			}
		}
	}
	s := m.Summary()
	if s.OrderWait.Count == 0 || s.OrderWait.Max <= 0 {
		t.Errorf("order wait not measured: %+v", s.OrderWait)
	}
}

func TestMaxInFlightCapsConcurrency(t *testing.T) {
	h := newFakeHelpdesk(t)
	h.delay = func(Op) time.Duration { return 20 * time.Millisecond }
	acts := lifecycle(60, 0)
	_, err := Run(context.Background(), slices.Values(acts), h.adapter(), WithPacer(ASAP{}), MaxInFlight(4))
	if err != nil {
		t.Fatal(err)
	}
	if h.maxSeen > 4 || h.maxSeen < 2 {
		t.Fatalf("max requests in flight at the server = %d, want 2..4", h.maxSeen)
	}
}

func TestMaxTicketsAndDuration(t *testing.T) {
	h := newFakeHelpdesk(t)
	acts := lifecycle(100, 1)
	m, err := Run(context.Background(), slices.Values(acts), h.adapter(), WithPacer(SpeedPacer{1000}), MaxTickets(10))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.counts(), expectedOps(acts, 10); !mapsEqual(got, want) {
		t.Fatalf("max-tickets 10: got %d ops, want %d", len(got), len(want))
	}
	_ = m
	h2 := newFakeHelpdesk(t)
	// At speed 10 the whole trace (104 sim s) would take over 10 s; 200 ms
	// is 2 sim s, a handful of tickets: the counts below tell the stop.
	m2, err := Run(context.Background(), slices.Values(acts), h2.adapter(), WithPacer(SpeedPacer{10}), Duration(200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	s := m2.Summary()
	if sent := s.OK + s.Failed + s.InDoubt; sent == 0 || sent > 40 {
		t.Fatalf("duration 200ms at speed 10 (= 2 sim s): %d actions sent", sent)
	}
	// every action of the trace is accounted for, the rest as not sent
	if s.Actions != len(expectedOps(acts, 0))-countEscalations(acts) || s.NotSentBy[NotSentDuration] == 0 {
		t.Fatalf("duration: %d actions accounted (not sent %v), want every action of the trace", s.Actions, s.NotSentBy)
	}
}

func TestRetryAfter429(t *testing.T) {
	h := newFakeHelpdesk(t)
	h.throttle = func(op Op, n int) (string, bool) { return "0.2", n == 0 && op.Ticket%2 == 0 }
	acts := lifecycle(6, 0.01)
	m, err := Run(context.Background(), slices.Values(acts), h.adapter(), WithPacer(SpeedPacer{10}))
	if err != nil {
		t.Fatal(err)
	}
	s := m.Summary()
	if s.Failed != 0 {
		t.Fatalf("errors after 429 retries: %v", s.ErrorClasses)
	}
	if s.StatusCodes["429"] == 0 || s.Throttled != s.StatusCodes["429"] || s.Retries != 0 || s.Pauses == 0 {
		t.Fatalf("429s %d, throttled %d, retries %d (429s are not retries), pauses %d", s.StatusCodes["429"], s.Throttled, s.Retries, s.Pauses)
	}
	if !mapsEqual(h.counts(), expectedOps(acts, 0)) {
		t.Fatal("ops lost or duplicated with 429")
	}
	// the retried actions waited at least Retry-After
	if s.ByAction[0].FromSent.Max < 200 {
		t.Fatalf("create latency max %vms: Retry-After 0.2s not honoured", s.ByAction[0].FromSent.Max)
	}
}

// A create that the helpdesk performs but answers too late (a "ghost"
// create, seen on RT) must be looked up by its marker, not sent again.
func TestGhostCreateIsNotRepeated(t *testing.T) {
	h := newFakeHelpdesk(t)
	h.delay = func(op Op) time.Duration {
		if op.Kind == OpCreate && op.Ticket == 2 {
			return 150 * time.Millisecond
		}
		return 0
	}
	acts := lifecycle(3, 0.01)
	m, err := Run(context.Background(), slices.Values(acts), h.adapter(), WithPacer(ASAP{}),
		Timeout(100*time.Millisecond), Retries(3, 10*time.Millisecond, 50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	h.mu.Lock()
	created := h.nextID
	h.mu.Unlock()
	if created != 3 {
		t.Fatalf("helpdesk created %d tickets for 3, want exactly 3", created)
	}
	s := m.Summary()
	if s.Failed != 0 || s.Resolved["found"] != 1 {
		t.Fatalf("errors: %v, found %v", s.ErrorClasses, s.Resolved)
	}
	if !mapsEqual(h.counts(), expectedOps(acts, 0)) {
		t.Fatal("ops lost or duplicated")
	}
}

func TestAbortOnErrorRate(t *testing.T) {
	h := newFakeHelpdesk(t)
	h.throttle = func(op Op, n int) (string, bool) { return "", false }
	h.srv.Config.Handler = http500()
	acts := lifecycle(200, 0.001)
	_, err := Run(context.Background(), slices.Values(acts), h.adapter(), WithPacer(SpeedPacer{1}),
		Retries(0, 0, 0), AbortOnErrorRate(0.2, 20))
	if !errors.Is(err, ErrAborted) {
		t.Fatalf("err = %v, want ErrAborted", err)
	}
}

// Kill the run mid-way (cancel), then resume from the journal: every
// operation reaches the helpdesk exactly once, and the summary rebuilt from
// the journal accounts for every action.
func TestJournalResumeExactlyOnce(t *testing.T) {
	h := newFakeHelpdesk(t)
	h.delay = func(Op) time.Duration { return 2 * time.Millisecond }
	acts := lifecycle(120, 0.01)
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	var n int
	var mu sync.Mutex
	j, err := OpenJournal(path, Header{RunID: "r1", Helpdesk: "fake"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(ctx, slices.Values(acts), h.adapter(), WithPacer(SpeedPacer{2}), WithJournal(j), Timeout(time.Second),
		WithMapping(Mapping{RunID: "r1"}),
		OnResult(func(*Result) {
			mu.Lock()
			n++
			if n == 150 {
				cancel()
			}
			mu.Unlock()
		}))
	j.Close()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("first run: err %v, want canceled", err)
	}
	st, err := ReadJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Done) < 100 || len(st.Done) >= len(acts) {
		t.Fatalf("journal after cancel has %d done actions", len(st.Done))
	}
	t.Logf("first run: %d done, %d in doubt", len(st.Done), len(st.InDoubt))
	j2, err := OpenJournal(path, Header{RunID: st.Headers[0].RunID, Helpdesk: "fake", Resumed: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), slices.Values(acts), h.adapter(), WithPacer(SpeedPacer{50}), WithJournal(j2), Timeout(time.Second),
		WithMapping(Mapping{RunID: "r1"}), Resume(st))
	j2.Close()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	mp := NewMapper(Mapping{RunID: "r1"})
	nAct := 0
	for i, a := range acts {
		ops := mp.Ops(i, a)
		if len(ops) > 0 {
			nAct++
		}
		for _, o := range ops {
			want[o.Nonce+"/"+string(o.Kind)]++
		}
	}
	assertAppliedOnce(t, want, h.counts())
	st2, err := ReadJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(st2.Done) != nAct || len(st2.InDoubt) != 0 {
		t.Fatalf("journal: %d done (want %d), %d in doubt", len(st2.Done), nAct, len(st2.InDoubt))
	}
	m := NewMetrics(time.Second)
	for _, r := range st2.Final() {
		m.Add(r)
	}
	if s := m.Summary(); s.Actions != nAct || s.Failed != 0 {
		t.Fatalf("summary from journal: %d actions (want %d), %d errors %v", s.Actions, nAct, s.Failed, s.ErrorClasses)
	}
}

func TestJournalTornLastLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, err := OpenJournal(path, Header{RunID: "x"})
	if err != nil {
		t.Fatal(err)
	}
	j.Begin(0, 1, []OpKind{OpCreate})
	j.Done(&Result{Index: 0, Ticket: 1, Action: "created", Ref: "7"})
	j.Begin(1, 1, []OpKind{OpSetOwner})
	j.Close()
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"ev":"done","i":1,"tick`)
	f.Close()
	st, err := ReadJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Torn || len(st.Done) != 1 || st.Refs[1] != "7" || st.InDoubt[1] != 1 {
		t.Fatalf("state %+v", st)
	}
}
