package replay

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/slasim/slasim/sim/trace"
)

// faultRun replays acts against h and returns the summary and every Result.
// A run that does not finish within a minute is an error (a fault handled
// by waiting for a long timer would hang here).
func faultRun(t *testing.T, h *fakeHelpdesk, ad Adapter, acts []trace.Action, opts ...Option) (Summary, []*Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var mu sync.Mutex
	var results []*Result
	opts = append([]Option{WithPacer(RatePacer{PerSecond: 400}), WithMapping(Mapping{RunID: "f"}),
		Retries(3, 5*time.Millisecond, 20*time.Millisecond)}, opts...)
	opts = append(opts, OnResult(func(r *Result) { mu.Lock(); results = append(results, r); mu.Unlock() }))
	m, err := Run(ctx, slices.Values(acts), ad, opts...)
	return m.Summary(), results, err
}

// wantOps is what the helpdesk must have applied exactly once.
func wantOps(acts []trace.Action) map[string]int {
	mp := NewMapper(Mapping{RunID: "f"})
	want := map[string]int{}
	for i, a := range acts {
		for _, o := range mp.Ops(i, a) {
			want[o.Nonce+"/"+string(o.Kind)]++
		}
	}
	return want
}

// nActions is how many actions of acts send something.
func nActions(acts []trace.Action) int {
	n := 0
	mp := NewMapper(Mapping{})
	for i, a := range acts {
		if len(mp.Ops(i, a)) > 0 {
			n++
		}
	}
	return n
}

func (f *fakeHelpdesk) created() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.nextID
}

// A spell of 429s (every request, lookups included) pauses the senders;
// no ticket or reply is lost, none is duplicated, no 429 counts as a retry.
// The spell is 1.5 s here (the 10 s spell behaves the same, longer).
func TestFault429SpellLosesNothing(t *testing.T) {
	h := newFakeHelpdesk(t)
	var once sync.Once
	var end time.Time
	h.spell = func() (string, bool) {
		once.Do(func() { end = time.Now().Add(1500 * time.Millisecond) })
		return "0.3", time.Now().Before(end)
	}
	acts := lifecycle(60, 0.01)
	s, _, err := faultRun(t, h, h.adapter(), acts, Retries(1, 5*time.Millisecond, 20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	assertAppliedOnce(t, wantOps(acts), h.counts())
	if n := nActions(acts); s.Actions != n || s.OK != n {
		t.Fatalf("%d actions, %d ok (want %d each): failed %d in doubt %d not sent %v", s.Actions, s.OK, n, s.Failed, s.InDoubt, s.NotSentBy)
	}
	h.mu.Lock()
	throttled := h.throttled
	h.mu.Unlock()
	if s.Throttled != throttled || s.Retries != 0 || s.Pauses == 0 || s.Paused <= 0 {
		t.Fatalf("throttled %d (server sent %d), retries %d, pauses %d (%.2fs)", s.Throttled, throttled, s.Retries, s.Pauses, s.Paused)
	}
	if s.StatusCodes["429"] != throttled || s.Requests != sum(s.StatusCodes) {
		t.Fatalf("status codes %v, requests %d", s.StatusCodes, s.Requests)
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// 10% of creates answer 500 on their first attempt, half of them after
// creating the ticket: the ticket is looked up at once (no settle wait:
// the window is an hour here), found when committed, re-sent when not.
func TestFault500OnCreateExactlyOnce(t *testing.T) {
	h := newFakeHelpdesk(t)
	h.fault = func(op Op, n int) fault {
		switch {
		case op.Kind != OpCreate || n > 0:
			return noFault
		case op.Ticket%10 == 3:
			return fail500
		case op.Ticket%10 == 7:
			return commit500
		}
		return noFault
	}
	acts := lifecycle(100, 0.01)
	s, _, err := faultRun(t, h, h.adapter(), acts, Settle(time.Hour), Timeout(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got := h.created(); got != 100 {
		t.Fatalf("helpdesk created %d tickets for 100", got)
	}
	assertAppliedOnce(t, wantOps(acts), h.counts())
	if n := nActions(acts); s.OK != n || s.Actions != n {
		t.Fatalf("%d ok of %d (want %d): %v", s.OK, s.Actions, n, s.ErrorClasses)
	}
	// 10 committed: found by the lookup; 10 not: re-sent (one retry each)
	if s.Resolved["found"] != 10 || s.Retries != 10 || s.Lookups != 20 || s.StatusCodes["500"] != 20 {
		t.Fatalf("found %d (want 10), retries %d (want 10), lookups %d (want 20), 500s %d (want 20)",
			s.Resolved["found"], s.Retries, s.Lookups, s.StatusCodes["500"])
	}
}

// Requests that stall past --timeout, on creates and on replies, some after
// committing and some not: settled by marker or nonce, re-sent only when
// absent, and the tickets' later actions continue.
func TestFaultStallPastTimeout(t *testing.T) {
	h := newFakeHelpdesk(t)
	h.fault = func(op Op, n int) fault {
		if n > 0 {
			return noFault
		}
		switch {
		case op.Kind == OpCreate && op.Ticket%6 == 1:
			return commitStall
		case op.Kind == OpCreate && op.Ticket%6 == 2:
			return stall
		case op.Kind == OpAgentReply && op.Ticket%6 == 3:
			return commitStall
		case op.Kind == OpAgentReply && op.Ticket%6 == 4:
			return stall
		case op.Kind == OpSetOwner && op.Ticket%6 == 5:
			return stall
		}
		return noFault
	}
	acts := lifecycle(30, 0.01)
	// The timeout leaves a loaded machine room: a request slower than it
	// by accident is settled like a stalled one, and counts below as more
	// lookups and retries than the injected faults.
	s, _, err := faultRun(t, h, h.adapter(), acts, Timeout(300*time.Millisecond), Settle(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if got := h.created(); got != 30 {
		t.Fatalf("helpdesk created %d tickets for 30", got)
	}
	assertAppliedOnce(t, wantOps(acts), h.counts())
	if n := nActions(acts); s.OK != n {
		t.Fatalf("%d ok of %d: %v, not sent %v", s.OK, n, s.ErrorClasses, s.NotSentBy)
	}
	// tickets 5 11 17 23 29 stall their owner changes; ticket 5 has two
	if s.Resolved["found"] < 10 || s.Retries < 16 {
		t.Fatalf("found %d (want 5 creates + 5 replies), retries %d (want 5 creates, 5 replies, 6 owners)", s.Resolved["found"], s.Retries)
	}
}

// noVerifier hides the fake's Verifier, as a generic adapter without a
// [reply_sent] template.
type noVerifier struct{ Adapter }

// Without a way to look a reply up, a stalled reply is in doubt (with its
// ticket) and never re-sent; the ticket's later actions still go out.
func TestFaultStalledReplyWithoutVerifierIsInDoubt(t *testing.T) {
	h := newFakeHelpdesk(t)
	h.fault = func(op Op, n int) fault {
		if op.Kind == OpAgentReply && op.Ticket%5 == 2 {
			return map[bool]fault{true: commitStall, false: stall}[op.Ticket%10 == 2]
		}
		return noFault
	}
	acts := lifecycle(20, 0.01)
	s, _, err := faultRun(t, h, noVerifier{h.adapter()}, acts, Timeout(300*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if s.InDoubt != 4 || !slices.Equal(s.InDoubtTickets, []int64{2, 7, 12, 17}) || s.Failed != 0 {
		t.Fatalf("in doubt %d tickets %v (want 4: 2 7 12 17), failed %d", s.InDoubt, s.InDoubtTickets, s.Failed)
	}
	if n := nActions(acts); s.OK != n-4 {
		t.Fatalf("ok %d, want %d", s.OK, n-4)
	}
	want := wantOps(acts)
	mp := NewMapper(Mapping{RunID: "f"})
	for i, a := range acts {
		if a.Kind == trace.AgentReply && (a.Ticket == 7 || a.Ticket == 17) {
			for _, o := range mp.Ops(i, a) {
				delete(want, o.Nonce+"/"+string(o.Kind)) // stalled before committing: never applied, never re-sent
			}
		}
	}
	got := h.counts()
	assertAppliedOnce(t, want, got)
}

// A server that closes connections without answering, before or after
// committing: creates are looked up, owners retried, nothing duplicated.
func TestFaultServerClosesConnections(t *testing.T) {
	h := newFakeHelpdesk(t)
	h.fault = func(op Op, n int) fault {
		if n > 0 {
			return noFault
		}
		switch {
		case op.Kind == OpCreate && op.Ticket%4 == 1:
			return commitDrop
		case op.Kind == OpCreate && op.Ticket%4 == 2:
			return drop
		case op.Kind == OpSetOwner && op.Ticket%4 == 3:
			return drop
		case op.Kind == OpResolve && op.Ticket%4 == 0:
			return commitDrop
		}
		return noFault
	}
	acts := lifecycle(40, 0.01)
	s, _, err := faultRun(t, h, h.adapter(), acts, Timeout(time.Second), Settle(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if got := h.created(); got != 40 {
		t.Fatalf("helpdesk created %d tickets for 40", got)
	}
	want := wantOps(acts)
	got := h.counts()
	for k, v := range got {
		if v == 2 && k[len(k)-len("resolve"):] == "resolve" {
			got[k] = 1 // resolving twice is harmless (idempotent) and expected after a dropped answer
		}
	}
	assertAppliedOnce(t, want, got)
	if n := nActions(acts); s.OK != n {
		t.Fatalf("%d ok of %d: %v", s.OK, n, s.ErrorClasses)
	}
	if s.Resolved["found"] != 10 {
		t.Fatalf("found %d creates after a dropped answer, want 10", s.Resolved["found"])
	}
}

// A certificate the client does not trust: every action fails, creates with
// class tls, and no create is looked up as if it might exist.
func TestFaultBadTLSCertificate(t *testing.T) {
	h := newFakeHelpdesk(t)
	h.srv.Close()
	h.srv = newTLSServer(t, h)
	acts := lifecycle(5, 0.01)
	s, _, err := faultRun(t, h, h.adapter(), acts)
	if err != nil {
		t.Fatal(err)
	}
	n := nActions(acts)
	if s.Failed != n || s.ErrorClasses[ClassTLS] != 5 || s.ErrorClasses[ClassDependency] != n-5 {
		t.Fatalf("failed %d of %d, classes %v (want 5 tls, the rest dependency)", s.Failed, n, s.ErrorClasses)
	}
	if s.Lookups != 0 || s.Retries != 0 || h.created() != 0 {
		t.Fatalf("lookups %d, retries %d, created %d: a TLS refusal is final", s.Lookups, s.Retries, h.created())
	}
}

// A journal whose last line was cut by a crash is repaired by resume:
// truncated to its last complete record, then the run continues and every
// operation reaches the helpdesk once.
func TestFaultJournalCutMidLineThenResumed(t *testing.T) {
	h := newFakeHelpdesk(t)
	acts := lifecycle(40, 0.01)
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, err := OpenJournal(path, Header{RunID: "f", Helpdesk: "fake"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var n sync.Mutex
	done := 0
	_, err = Run(ctx, slices.Values(acts), h.adapter(), WithPacer(RatePacer{PerSecond: 400}), WithJournal(j),
		WithMapping(Mapping{RunID: "f"}), OnResult(func(*Result) {
			n.Lock()
			if done++; done == 60 {
				cancel()
			}
			n.Unlock()
		}))
	j.Close()
	if err == nil {
		t.Fatal("first run was not interrupted")
	}
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"ev":"done","i":999,"ticket":4`)
	f.Close()
	st, err := ReadJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	cut, err := RepairJournal(path, st)
	if err != nil || !st.Torn || cut != int64(len(`{"ev":"done","i":999,"ticket":4`)) {
		t.Fatalf("repair: torn %v, cut %d bytes, err %v", st.Torn, cut, err)
	}
	j2, err := OpenJournal(path, Header{RunID: "f", Helpdesk: "fake", Resumed: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), slices.Values(acts), h.adapter(), WithPacer(ASAP{}), WithJournal(j2),
		WithMapping(Mapping{RunID: "f"}), Resume(st), Timeout(time.Second))
	j2.Close()
	if err != nil {
		t.Fatal(err)
	}
	assertAppliedOnce(t, wantOps(acts), h.counts())
	st2, err := ReadJournal(path)
	if err != nil || st2.Torn {
		t.Fatalf("journal after resume: torn %v, err %v", st2 != nil && st2.Torn, err)
	}
	m := NewMetrics(time.Second)
	for _, r := range st2.Final() {
		m.Add(r)
	}
	if s := m.Summary(); s.OK != nActions(acts) || s.Actions != nActions(acts) {
		t.Fatalf("summary from the journal: %d ok of %d, want %d", s.OK, s.Actions, nActions(acts))
	}
}

// --duration is a hard bound on sending: a request still hanging when the
// grace period ends is cut and in doubt (not "other"), the actions after the
// bound are not sent, and --resume settles the cut one and sends the rest.
func TestFaultDurationCutIsInDoubtAndResumeSettlesIt(t *testing.T) {
	h := newFakeHelpdesk(t)
	var hang sync.Once
	h.fault = func(op Op, n int) fault {
		f := noFault
		if op.Kind == OpAgentReply && op.Ticket == 1 {
			hang.Do(func() { f = commitStall })
		}
		return f
	}
	acts := lifecycle(30, 0.1)
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, _ := OpenJournal(path, Header{RunID: "f", Helpdesk: "fake"})
	s, _, err := faultRun(t, h, h.adapter(), acts, WithPacer(SpeedPacer{Speed: 20}), WithJournal(j),
		Duration(200*time.Millisecond), Grace(100*time.Millisecond), Timeout(time.Minute))
	j.Close()
	if err != nil {
		t.Fatal(err)
	}
	if s.InDoubt != 1 || !slices.Equal(s.InDoubtTickets, []int64{1}) || s.ErrorClasses[ClassOther] != 0 {
		t.Fatalf("in doubt %d %v, classes %v: the cut reply must be in doubt", s.InDoubt, s.InDoubtTickets, s.ErrorClasses)
	}
	if s.NotSent == 0 || s.Actions != nActions(acts) || s.OK+s.Failed+s.InDoubt+s.NotSent != s.Actions {
		t.Fatalf("accounting: %d = %d ok + %d failed + %d in doubt + %d not sent %v, want %d", s.Actions, s.OK, s.Failed, s.InDoubt, s.NotSent, s.NotSentBy, nActions(acts))
	}
	st, err := ReadJournal(path)
	if err != nil || len(st.InDoubt) != 1 || st.End == nil || st.End.NotSent[NotSentDuration] == 0 {
		t.Fatalf("journal: err %v, in doubt %v, end %+v", err, st.InDoubt, st.End)
	}
	j2, _ := OpenJournal(path, Header{RunID: "f", Helpdesk: "fake", Resumed: true})
	s2, _, err := faultRun(t, h, h.adapter(), acts, WithPacer(ASAP{}), WithJournal(j2), Resume(st))
	j2.Close()
	if err != nil {
		t.Fatal(err)
	}
	assertAppliedOnce(t, wantOps(acts), h.counts())
	if s2.Resolved["verified"] != 1 || s2.InDoubt != 0 || s2.NotSent != 0 {
		t.Fatalf("resume: %v, in doubt %d, not sent %v", s2.Resolved, s2.InDoubt, s2.NotSentBy)
	}
}

func newTLSServer(t *testing.T, h *fakeHelpdesk) *httptest.Server {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request reached the server through an untrusted certificate: %s", r.URL)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	t.Cleanup(srv.Close)
	return srv
}

// A 429 spell that outlasts --duration: the actions held by the pause were
// never processed, so they are not sent (reason paused), not in doubt.
func TestFault429SpellPastDurationIsNotSent(t *testing.T) {
	h := newFakeHelpdesk(t)
	h.spell = func() (string, bool) { return "5", true }
	acts := lifecycle(5, 0.01)
	s, _, err := faultRun(t, h, h.adapter(), acts, Duration(300*time.Millisecond), Grace(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if s.OK != 0 || s.InDoubt != 0 || s.Failed != 0 || s.NotSent != nActions(acts) || s.NotSentBy[NotSentPaused] == 0 {
		t.Fatalf("ok %d, in doubt %d, failed %d, not sent %v (want all %d not sent, some paused)", s.OK, s.InDoubt, s.Failed, s.NotSentBy, nActions(acts))
	}
	if h.created() != 0 || s.Pauses != 1 {
		t.Fatalf("created %d, pauses %d", h.created(), s.Pauses)
	}
}
