package replay

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/slasim/slasim/sim/trace"
)

// fakeHelpdesk is a real HTTP server standing for a helpdesk: it keeps
// tickets, counts every operation by its nonce (to prove exactly-once) and
// can be told to be slow, to throttle or to create a ticket and then hang.
type fakeHelpdesk struct {
	t   testing.TB
	srv *httptest.Server

	mu        sync.Mutex
	nextID    int
	byMarker  map[string]string
	sent      map[string]int // nonce+op → times received
	ticketOp  map[string][]string
	inFlight  int
	throttled int
	maxSeen   int
	requests  int
	// hooks (set before use)
	delay     func(op Op) time.Duration
	throttle  func(op Op, n int) (retryAfter string, yes bool) // n: how many times this op was seen
	afterDone func(op Op)
	// spell answers every request (ops and lookups) 429 while it is on.
	spell func() (retryAfter string, on bool)
	// fault injects a fault into the n-th attempt (from 0) of op.
	fault func(op Op, n int) fault
}

// fault is what the fake helpdesk does wrong with one request. "Before"
// faults happen before the change is applied (nothing is committed),
// "after" faults once it is.
type fault int

const (
	noFault     fault = iota
	fail500           // answer 500, commit nothing
	commit500         // commit, then answer 500
	stall             // hang until the client gives up, commit nothing
	commitStall       // commit, then hang until the client gives up
	drop              // close the connection without an answer, commit nothing
	commitDrop        // commit, then close the connection
)

func (f *fakeHelpdesk) misbehave(w http.ResponseWriter, r *http.Request, ft fault) {
	switch ft {
	case fail500, commit500:
		http.Error(w, `{"error":"internal"}`, 500)
	case stall, commitStall:
		<-r.Context().Done()
	case drop, commitDrop:
		hj, _ := w.(http.Hijacker)
		conn, _, err := hj.Hijack()
		if err == nil {
			conn.Close()
		}
	}
}

func newFakeHelpdesk(t testing.TB) *fakeHelpdesk {
	f := &fakeHelpdesk{t: t, byMarker: map[string]string{}, sent: map[string]int{}, ticketOp: map[string][]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /op", f.handleOp)
	mux.HandleFunc("GET /find", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		ref := f.byMarker[r.URL.Query().Get("marker")]
		f.mu.Unlock()
		json.NewEncoder(w).Encode(map[string]string{"ref": ref})
	})
	mux.HandleFunc("GET /sent", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		n := f.sent[r.URL.Query().Get("key")]
		f.mu.Unlock()
		json.NewEncoder(w).Encode(map[string]int{"n": n})
	})
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.spell != nil {
			if ra, on := f.spell(); on {
				f.mu.Lock()
				f.throttled++
				f.mu.Unlock()
				w.Header().Set("Retry-After", ra)
				http.Error(w, `{"error":"rate limited"}`, http.StatusTooManyRequests)
				return
			}
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeHelpdesk) handleOp(w http.ResponseWriter, r *http.Request) {
	var op Op
	if err := json.NewDecoder(r.Body).Decode(&op); err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	key := op.Nonce + "/" + string(op.Kind)
	f.mu.Lock()
	f.requests++
	f.inFlight++
	if f.inFlight > f.maxSeen {
		f.maxSeen = f.inFlight
	}
	seen := f.sent[key+"#attempt"]
	f.sent[key+"#attempt"]++
	f.mu.Unlock()
	defer func() { f.mu.Lock(); f.inFlight--; f.mu.Unlock() }()
	if f.throttle != nil {
		if ra, yes := f.throttle(op, seen); yes {
			if ra != "" {
				w.Header().Set("Retry-After", ra)
			}
			http.Error(w, `{"error":"rate limited"}`, http.StatusTooManyRequests)
			return
		}
	}
	if f.delay != nil {
		if d := f.delay(op); d > 0 {
			time.Sleep(d)
		}
	}
	ft := noFault
	if f.fault != nil {
		ft = f.fault(op, seen)
	}
	if ft == fail500 || ft == stall || ft == drop {
		f.misbehave(w, r, ft)
		return
	}
	f.mu.Lock()
	ref := op.Ref
	if op.Kind == OpCreate {
		f.nextID++
		ref = fmt.Sprint(f.nextID)
		f.byMarker[op.Marker] = ref
	} else if ref == "" {
		f.mu.Unlock()
		http.Error(w, `{"error":"no ticket"}`, 404)
		return
	}
	f.sent[key]++
	f.ticketOp[ref] = append(f.ticketOp[ref], op.Nonce+"/"+string(op.Kind))
	f.mu.Unlock()
	if f.afterDone != nil {
		f.afterDone(op)
	}
	if ft != noFault {
		f.misbehave(w, r, ft)
		return
	}
	w.WriteHeader(201)
	json.NewEncoder(w).Encode(map[string]string{"ref": ref})
}

// adapter returns a replay.Adapter speaking to the fake helpdesk.
func (f *fakeHelpdesk) adapter() Adapter {
	return &fakeAdapter{h: &HTTP{Client: NewClient(ClientOptions{MaxConns: 256})}, url: f.srv.URL}
}

type fakeAdapter struct {
	h   *HTTP
	url string
}

func (a *fakeAdapter) Do(ctx context.Context, op Op) (Outcome, error) {
	b, _ := json.Marshal(op)
	r, err := a.h.Send(ctx, "POST", a.url+"/op", nil, b)
	if err != nil {
		if r != nil {
			return Outcome{Status: r.Status}, err
		}
		return Outcome{}, err
	}
	var v struct{ Ref string }
	if err := json.Unmarshal(r.Body, &v); err != nil {
		return Outcome{Status: r.Status}, err
	}
	return Outcome{Ref: v.Ref, Status: r.Status}, nil
}

func (a *fakeAdapter) Find(ctx context.Context, marker string) (string, error) {
	r, err := a.h.Send(ctx, "GET", a.url+"/find?marker="+marker, nil, nil)
	if err != nil {
		return "", err
	}
	var v struct{ Ref string }
	err = json.Unmarshal(r.Body, &v)
	return v.Ref, err
}

// Sent implements Verifier (the fake helpdesk can tell whether it applied
// an operation).
func (a *fakeAdapter) Sent(ctx context.Context, op Op) (bool, error) {
	r, err := a.h.Send(ctx, "GET", a.url+"/sent?key="+url.QueryEscape(op.Nonce+"/"+string(op.Kind)), nil, nil)
	if err != nil {
		return false, err
	}
	var v struct{ N int }
	err = json.Unmarshal(r.Body, &v)
	return v.N > 0, err
}

// counts returns, per nonce/op, how many times the helpdesk applied it.
func (f *fakeHelpdesk) counts() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for k, v := range f.sent {
		if len(k) > 8 && k[len(k)-8:] == "#attempt" {
			continue
		}
		out[k] = v
	}
	return out
}

// lifecycle builds a synthetic trace: n tickets, one created every gap
// simulated seconds, each answered, replied to and resolved; every fifth
// ticket is escalated and every seventh gets a customer reply.
func lifecycle(n int, gap float64) []trace.Action {
	var acts []trace.Action
	for k := 1; k <= n; k++ {
		t0 := float64(k-1) * gap
		base := trace.Action{Ticket: int64(k), Channel: "chat", Category: "returns", Priority: "normal"}
		add := func(dt float64, kind trace.Kind, f func(*trace.Action)) {
			a := base
			a.T, a.Kind = t0+dt, kind
			if f != nil {
				f(&a)
			}
			acts = append(acts, a)
		}
		add(0, trace.Created, nil)
		add(0.5, trace.Queued, func(a *trace.Action) { a.Tier = "representative" })
		add(1, trace.Answered, func(a *trace.Action) { a.Tier, a.Agent = "representative", fmt.Sprintf("representative-%d", k%3+1) })
		add(2, trace.AgentReply, func(a *trace.Action) { a.Tier, a.Agent = "representative", "representative-1" })
		if k%7 == 0 {
			add(2.5, trace.CustomerReply, func(a *trace.Action) { a.Tier = "representative" })
		}
		if k%5 == 0 {
			add(3, trace.Escalated, func(a *trace.Action) { a.From, a.To = "representative", "specialist" })
			add(3.5, trace.Answered, func(a *trace.Action) { a.Tier, a.Agent = "specialist", "specialist-1" })
		}
		add(4, trace.Resolved, func(a *trace.Action) { a.Tier = "representative" })
	}
	// non-decreasing time, stable on ties
	sortActions(acts)
	return acts
}

func sortActions(a []trace.Action) {
	slices.SortStableFunc(a, func(x, y trace.Action) int { return cmp.Compare(x.T, y.T) })
}

func http500() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error":"boom"}`, 500)
	})
}
