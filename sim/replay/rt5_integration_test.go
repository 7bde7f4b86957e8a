package replay_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slasim/slasim/sim/replay"
	"github.com/slasim/slasim/sim/replay/rt5"
	"github.com/slasim/slasim/sim/trace"
)

// rt5Env returns the connection settings of the RT5 brought up by
// scripts/rt5-up.sh (variables of its env file, exported by .ci/run; or the
// file named by RT5_ENV). Without them the test is skipped locally and
// fails in CI (CI=true), so that CI cannot skip it silently.
func rt5Env(t *testing.T) map[string]string {
	keys := []string{"RT5_REST2_URL", "RT5_TOKEN", "RT5_MAILGATE_URL", "RT5_AGENT_USERS"}
	env := map[string]string{}
	for _, k := range keys {
		env[k] = os.Getenv(k)
	}
	if env["RT5_REST2_URL"] == "" || env["RT5_TOKEN"] == "" {
		if p := os.Getenv("RT5_ENV"); p != "" {
			if f, err := os.Open(p); err == nil {
				sc := bufio.NewScanner(f)
				for sc.Scan() {
					if k, v, ok := strings.Cut(sc.Text(), "="); ok && slices.Contains(keys, k) && env[k] == "" {
						env[k] = v
					}
				}
				f.Close()
			}
		}
	}
	if env["RT5_REST2_URL"] == "" || env["RT5_TOKEN"] == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but RT5_REST2_URL/RT5_TOKEN are not set: run `make rt5-up` and export its env file")
		}
		t.Skip("RT5 not configured (set RT5_REST2_URL and RT5_TOKEN, or RT5_ENV=/tmp/slasim-rt5.env)")
	}
	return env
}

// rt5Trace is a synthetic lifecycle trace of n tickets arriving every gap
// simulated seconds, covering every action kind: plain resolved tickets,
// escalations to a specialist, customer replies, deflections (resolved by
// the bot or falling back), abandoned contacts, and tickets left open.
func rt5Trace(n int, gap float64) []trace.Action {
	var acts []trace.Action
	for k := 1; k <= n; k++ {
		t0 := float64(k-1) * gap
		ch := []string{"email", "chat", "phone", "social"}[k%4]
		base := trace.Action{Ticket: int64(k), Channel: ch, Category: []string{"order-status", "returns", "billing"}[k%3],
			Priority: []string{"normal", "vip"}[min(k%5, 1)]}
		at := 0.0
		add := func(kind trace.Kind, f func(*trace.Action)) {
			a := base
			at += 1
			a.T, a.Kind = t0+at, kind
			if f != nil {
				f(&a)
			}
			acts = append(acts, a)
		}
		rep := fmt.Sprintf("representative-%d", k%6+1)
		add(trace.Created, nil)
		switch {
		case k%10 == 3: // deflected and resolved by automation
			add(trace.Deflected, nil)
			add(trace.DeflectedDone, nil)
			continue
		case k%10 == 7: // abandoned in the queue
			add(trace.Queued, func(a *trace.Action) { a.Tier = "representative" })
			add(trace.Abandoned, nil)
			continue
		case k%10 == 9: // deflected, falls back to a human
			add(trace.Deflected, nil)
			add(trace.Fallback, nil)
		}
		add(trace.Queued, func(a *trace.Action) { a.Tier = "representative" })
		add(trace.Answered, func(a *trace.Action) { a.Tier, a.Agent = "representative", rep })
		add(trace.AgentReply, func(a *trace.Action) { a.Tier, a.Agent = "representative", rep })
		if k%4 == 1 {
			add(trace.CustomerReply, func(a *trace.Action) { a.Tier = "representative" })
			add(trace.AgentReply, func(a *trace.Action) { a.Tier, a.Agent = "representative", rep })
		}
		if k%5 == 0 {
			add(trace.Escalated, func(a *trace.Action) { a.From, a.To = "representative", "specialist" })
			add(trace.Answered, func(a *trace.Action) { a.Tier, a.Agent = "specialist", fmt.Sprintf("specialist-%d", k%2+1) })
			add(trace.AgentReply, func(a *trace.Action) { a.Tier, a.Agent = "specialist", "specialist-1" })
		}
		if k%10 != 4 { // every tenth ticket stays open
			add(trace.Resolved, nil)
		}
	}
	slices.SortStableFunc(acts, func(a, b trace.Action) int {
		switch {
		case a.T < b.T:
			return -1
		case a.T > b.T:
			return 1
		}
		return 0
	})
	return acts
}

type expected struct {
	queue, owner, status string
	correspond, comments int
	actions              int
}

// expectations derives each ticket's final state in the helpdesk from the
// operations the trace maps to.
func expectations(acts []trace.Action, m replay.Mapping) (map[int64]*expected, int) {
	mp := replay.NewMapper(m)
	exp := map[int64]*expected{}
	total := 0
	for i, a := range acts {
		ops := mp.Ops(i, a)
		if len(ops) == 0 {
			continue
		}
		total++
		e := exp[a.Ticket]
		if e == nil {
			e = &expected{owner: "Nobody", status: "new"}
			exp[a.Ticket] = e
		}
		e.actions++
		for _, o := range ops {
			switch o.Kind {
			case replay.OpCreate:
				e.queue = o.Queue
			case replay.OpMove:
				e.queue = o.Queue
			case replay.OpSetOwner:
				e.owner = o.Owner
			case replay.OpAgentReply, replay.OpCustomerReply:
				e.correspond++
				if e.status == "new" {
					e.status = "open" // RT opens a new ticket on correspondence
				}
			case replay.OpComment:
				e.comments++
			case replay.OpResolve:
				e.status = "resolved"
			}
		}
	}
	return exp, total
}

func TestRT5Integration(t *testing.T) {
	env := rt5Env(t)
	const tickets = 200
	runID := fmt.Sprintf("it%d", time.Now().UnixNano()%1e10)
	users := strings.Split(env["RT5_AGENT_USERS"], ",")
	if users[0] == "" {
		users = []string{"agent1", "agent2", "agent3", "agent4"}
	}
	mapping := replay.Mapping{RunID: runID, Users: users}
	acts := rt5Trace(tickets, 0.25)
	newAdapter := func() *rt5.Adapter {
		ad, err := rt5.New(rt5.Config{URL: env["RT5_REST2_URL"], Token: env["RT5_TOKEN"], MailgateURL: env["RT5_MAILGATE_URL"],
			HTTP: &replay.HTTP{Client: replay.NewClient(replay.ClientOptions{MaxConns: 16})}})
		if err != nil {
			t.Fatal(err)
		}
		return ad
	}
	journal := filepath.Join(t.TempDir(), "rt5.jsonl")
	opts := []replay.Option{replay.WithMapping(mapping), replay.WithPacer(replay.SpeedPacer{Speed: 25}),
		replay.MaxInFlight(8), replay.Timeout(30 * time.Second), replay.AbortOnErrorRate(0.2, 20)}

	// First run: stopped (as by a crash) after about a third of the actions.
	ctx, cancel := context.WithCancel(context.Background())
	var n atomic.Int64
	j, err := replay.OpenJournal(journal, replay.Header{RunID: runID, Helpdesk: "rt5", MaxTickets: 0})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	_, err = replay.Run(ctx, slices.Values(acts), newAdapter(), append(opts, replay.WithJournal(j),
		replay.OnResult(func(*replay.Result) {
			if n.Add(1) == 350 {
				cancel()
			}
		}))...)
	j.Close()
	if err == nil {
		t.Fatal("first run was not interrupted")
	}
	st, err := replay.ReadJournal(journal)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first run stopped after %v: %d actions done, %d in doubt", time.Since(t0).Round(time.Millisecond), len(st.Done), len(st.InDoubt))

	// Resume to the end.
	j, err = replay.OpenJournal(journal, replay.Header{RunID: runID, Helpdesk: "rt5", Resumed: true})
	if err != nil {
		t.Fatal(err)
	}
	m, err := replay.Run(context.Background(), slices.Values(acts), newAdapter(), append(opts, replay.WithJournal(j), replay.Resume(st))...)
	j.Close()
	if err != nil {
		t.Fatal(err)
	}
	s := m.Summary()
	t.Logf("resumed run: %d actions, %d ok, %d errors %v, %.1f s; create p50 %.0f ms p99 %.0f ms (from intended p99 %.0f ms); in doubt settled %v",
		s.Actions, s.OK, s.Failed, s.ErrorClasses, s.Wall, s.ByAction[0].FromSent.P50, s.ByAction[0].FromSent.P99, s.ByAction[0].FromIntended.P99, s.Resolved)

	// The journal accounts for every action, exactly once, all successful.
	exp, total := expectations(acts, mapping)
	st, err = replay.ReadJournal(journal)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.InDoubt) != 0 || len(st.Done) != total {
		t.Fatalf("journal: %d actions done of %d, %d in doubt", len(st.Done), total, len(st.InDoubt))
	}
	seen := map[int]bool{}
	for _, r := range st.Results {
		if !r.OK() {
			continue // in doubt when the first run stopped: settled by the resumed run
		}
		if seen[r.Index] {
			t.Errorf("action %d journaled ok twice", r.Index)
		}
		seen[r.Index] = true
	}
	for _, r := range st.Final() {
		if !r.OK() {
			t.Errorf("action %d (%s of ticket %d) failed: %s %s", r.Index, r.Action, r.Ticket, r.Class, r.Error)
		}
	}
	if len(st.Refs) != tickets {
		t.Fatalf("journal knows %d RT tickets, want %d", len(st.Refs), tickets)
	}

	// Every ticket exists once in RT with the expected queue, owner, status
	// and number of replies and comments.
	checkRT(t, env, runID, st.Refs, exp)
}

func checkRT(t *testing.T, env map[string]string, runID string, refs map[int64]string, exp map[int64]*expected) {
	base := strings.TrimRight(env["RT5_REST2_URL"], "/")
	client := &http.Client{Timeout: 60 * time.Second}
	get := func(path string, v any) error {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "token "+env["RT5_TOKEN"])
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("GET %s: HTTP %d", path, resp.StatusCode)
		}
		return json.NewDecoder(resp.Body).Decode(v)
	}
	queueName := map[string]string{}
	for _, q := range []string{"General", "Tier2"} {
		var v struct {
			ID any `json:"id"`
		}
		if err := get("/queue/"+q, &v); err != nil {
			t.Fatal(err)
		}
		queueName[fmt.Sprint(v.ID)] = q
	}
	// one search for the whole run: no ticket was created twice
	var items int
	for page := 1; page <= 50; page++ {
		var found struct {
			Pages float64 `json:"pages"`
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		q := url.Values{"query": {fmt.Sprintf("Subject LIKE 'slasim-%s-'", runID)}, "fields": {"Subject"},
			"per_page": {"100"}, "page": {fmt.Sprint(page)}}
		if err := get("/tickets?"+q.Encode(), &found); err != nil {
			t.Fatal(err)
		}
		items += len(found.Items)
		if float64(page) >= found.Pages {
			break
		}
	}
	if items != len(exp) {
		t.Errorf("RT has %d tickets of run %s, want %d (duplicates or losses)", items, runID, len(exp))
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	bad := 0
	for ticket, e := range exp {
		ref := refs[ticket]
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			var tk struct {
				Subject string
				Status  string
				Queue   struct {
					ID string `json:"id"`
				}
				Owner struct {
					ID string `json:"id"`
				}
			}
			errs := []string{}
			if err := get("/ticket/"+ref, &tk); err != nil {
				errs = append(errs, err.Error())
			} else {
				if !strings.Contains(tk.Subject, fmt.Sprintf("[slasim-%s-%d]", runID, ticket)) {
					errs = append(errs, "subject "+tk.Subject)
				}
				if queueName[tk.Queue.ID] != e.queue {
					errs = append(errs, fmt.Sprintf("queue %s, want %s", queueName[tk.Queue.ID], e.queue))
				}
				if tk.Owner.ID != e.owner {
					errs = append(errs, fmt.Sprintf("owner %s, want %s", tk.Owner.ID, e.owner))
				}
				if tk.Status != e.status {
					errs = append(errs, fmt.Sprintf("status %s, want %s", tk.Status, e.status))
				}
			}
			// (exact keys: RT sends both "Type" and "type", which
			// encoding/json would not tell apart)
			var hist struct {
				Items []map[string]any `json:"items"`
			}
			if err := get("/ticket/"+ref+"/history?fields=Type&per_page=100", &hist); err != nil {
				errs = append(errs, err.Error())
			}
			corr, com := 0, 0
			for _, h := range hist.Items {
				switch h["Type"] {
				case "Correspond":
					corr++
				case "Comment":
					com++
				}
			}
			if corr != e.correspond || com != e.comments {
				errs = append(errs, fmt.Sprintf("%d correspondences and %d comments, want %d and %d", corr, com, e.correspond, e.comments))
			}
			if len(errs) > 0 {
				mu.Lock()
				bad++
				if bad <= 10 {
					t.Errorf("ticket %d (RT #%s): %s", ticket, ref, strings.Join(errs, "; "))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if bad > 0 {
		t.Fatalf("%d of %d tickets differ from the trace", bad, len(exp))
	}
	t.Logf("verified %d RT tickets of run %s: queue, owner, status, replies and comments as replayed", len(exp), runID)
}

// faultProxy stands between replay and RT5 and injects faults: a spell of
// 429s at the start, creates that RT performs but whose answer never comes
// back (the client times out), and replies held until the client gives up
// and never forwarded.
type faultProxy struct {
	target            *url.URL
	spellEnd          time.Time
	creates, replies  atomic.Int64
	throttled, ghosts atomic.Int64
	held              atomic.Int64
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if time.Now().Before(p.spellEnd) {
		p.throttled.Add(1)
		w.Header().Set("Retry-After", "1")
		http.Error(w, `{"message":"slow down"}`, http.StatusTooManyRequests)
		return
	}
	body, _ := io.ReadAll(r.Body)
	create := r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/REST/2.0/ticket")
	reply := r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/correspond")
	if reply && p.replies.Add(1)%5 == 2 {
		p.held.Add(1)
		<-r.Context().Done() // held, never forwarded: the reply is not in RT
		return
	}
	out, _ := http.NewRequestWithContext(context.WithoutCancel(r.Context()), r.Method, p.target.String()+r.URL.RequestURI(), bytes.NewReader(body))
	out.Header = r.Header.Clone()
	resp, err := http.DefaultTransport.RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	if create && p.creates.Add(1)%7 == 3 {
		p.ghosts.Add(1)
		io.Copy(io.Discard, resp.Body) // RT created the ticket; the answer is lost
		<-r.Context().Done()
		return
	}
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

// TestRT5IntegrationFaults replays through faultProxy in front of the real
// RT5: every ticket and reply must exist exactly once in RT, with no action
// failed, in doubt or not sent.
func TestRT5IntegrationFaults(t *testing.T) {
	env := rt5Env(t)
	const tickets = 30
	runID := fmt.Sprintf("itf%d", time.Now().UnixNano()%1e10)
	rest, err := url.Parse(env["RT5_REST2_URL"])
	if err != nil {
		t.Fatal(err)
	}
	proxy := &faultProxy{target: &url.URL{Scheme: rest.Scheme, Host: rest.Host}, spellEnd: time.Now().Add(1500 * time.Millisecond)}
	srv := httptest.NewServer(proxy)
	defer srv.Close()
	users := strings.Split(env["RT5_AGENT_USERS"], ",")
	if users[0] == "" {
		users = []string{"agent1", "agent2", "agent3", "agent4"}
	}
	mapping := replay.Mapping{RunID: runID, Users: users}
	acts := rt5Trace(tickets, 0.25)
	ad, err := rt5.New(rt5.Config{URL: srv.URL + rest.Path, Token: env["RT5_TOKEN"], MailgateURL: env["RT5_MAILGATE_URL"],
		HTTP: &replay.HTTP{Client: replay.NewClient(replay.ClientOptions{MaxConns: 16})}})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	refs := map[int64]string{}
	m, err := replay.Run(context.Background(), slices.Values(acts), ad, replay.WithMapping(mapping),
		replay.WithPacer(replay.SpeedPacer{Speed: 25}), replay.MaxInFlight(8), replay.Timeout(15*time.Second),
		replay.Settle(10*time.Second), replay.OnResult(func(r *replay.Result) {
			mu.Lock()
			if !r.OK() && r.Error != "" {
				t.Logf("ticket %d %s: %s %s", r.Ticket, r.Action, r.Class, r.Error)
			}
			if r.Ref != "" {
				refs[r.Ticket] = r.Ref
			}
			mu.Unlock()
		}))
	if err != nil {
		t.Fatal(err)
	}
	s := m.Summary()
	t.Logf("through the fault proxy: %d actions, %d ok, %v; %d throttled (paused %.1fs), %d ghost creates, %d held replies; settled %v, %d lookups",
		s.Actions, s.OK, s.ErrorClasses, proxy.throttled.Load(), s.Paused, proxy.ghosts.Load(), proxy.held.Load(), s.Resolved, s.Lookups)
	exp, total := expectations(acts, mapping)
	if s.OK != total || s.Actions != total {
		t.Fatalf("%d ok of %d actions, want %d: failed %d, in doubt %d %v, not sent %v", s.OK, s.Actions, total, s.Failed, s.InDoubt, s.InDoubtTickets, s.NotSentBy)
	}
	if proxy.throttled.Load() == 0 || proxy.ghosts.Load() == 0 || proxy.held.Load() == 0 || s.Resolved["found"] < int(proxy.ghosts.Load()) {
		t.Fatalf("faults not exercised: throttled %d, ghosts %d (found %d), held %d", proxy.throttled.Load(), proxy.ghosts.Load(), s.Resolved["found"], proxy.held.Load())
	}
	checkRT(t, env, runID, refs, exp)
}
