package rt5

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/slasim/slasim/sim/replay"
)

const token = "1-14-0123456789abcdef0123456789abcdef"

// fakeRT answers REST2 the way RT 5.0.3 does for the calls the adapter
// makes (see RT5.md): it checks auth and content type, keeps tickets, and
// hides refusals in 200 answers.
type fakeRT struct {
	t       *testing.T
	mu      sync.Mutex
	tickets map[string]map[string]any
	content map[string][]string // ticket id → reply/comment bodies
	next    int
}

func newFakeRT(t *testing.T) (*fakeRT, *httptest.Server) {
	f := &fakeRT{t: t, tickets: map[string]map[string]any{}, content: map[string][]string{}}
	return f, httptest.NewServer(f)
}

func (f *fakeRT) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.URL.Path == "/mailgate" {
		r.ParseForm()
		id := r.Form.Get("ticket")
		if r.Form.Get("action") != "correspond" || f.tickets[id] == nil {
			io.WriteString(w, "not ok")
			return
		}
		f.content[id] = append(f.content[id], r.Form.Get("message"))
		io.WriteString(w, "ok")
		return
	}
	if r.Header.Get("Authorization") != "token "+token {
		w.WriteHeader(401)
		io.WriteString(w, `{"message":"Unauthorized"}`)
		return
	}
	var body map[string]any
	if r.Method == http.MethodPost || r.Method == http.MethodPut {
		if r.Header.Get("Content-Type") != "application/json" {
			w.WriteHeader(415)
			io.WriteString(w, `{"message":"Unsupported Media Type"}`)
			return
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			w.WriteHeader(400)
			return
		}
	}
	parts := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/REST/2.0"), "/"), "/")
	switch {
	case r.Method == http.MethodPost && len(parts) == 1 && parts[0] == "ticket":
		f.next++
		id := fmt.Sprint(f.next)
		body["Status"] = "new"
		body["Owner"] = "Nobody"
		f.tickets[id] = body
		w.WriteHeader(201)
		fmt.Fprintf(w, `{"id":"%s","type":"ticket","_url":"/REST/2.0/ticket/%s"}`, id, id)
	case r.Method == http.MethodPost && len(parts) == 3 && parts[0] == "ticket":
		if f.tickets[parts[1]] == nil {
			w.WriteHeader(404)
			return
		}
		f.content[parts[1]] = append(f.content[parts[1]], fmt.Sprint(body["Content"]))
		w.WriteHeader(201)
		io.WriteString(w, `["Correspondence added"]`)
	case r.Method == http.MethodPut && len(parts) == 2 && parts[0] == "ticket":
		tk := f.tickets[parts[1]]
		if tk == nil {
			w.WriteHeader(404)
			return
		}
		var msgs []string
		for k, v := range body {
			if k == "Owner" && v == "ghost" {
				msgs = append(msgs, "That user does not exist")
				continue
			}
			msgs = append(msgs, fmt.Sprintf("Ticket %s: %s changed from %v to %v", parts[1], k, tk[k], v))
			tk[k] = v
		}
		json.NewEncoder(w).Encode(msgs)
	case r.Method == http.MethodGet && len(parts) == 1 && parts[0] == "tickets":
		q := r.URL.Query().Get("query")
		var items []map[string]string
		for id, tk := range f.tickets {
			subj := fmt.Sprint(tk["Subject"])
			if m := strings.TrimSuffix(strings.TrimPrefix(q, "Subject LIKE '"), "'"); strings.Contains(subj, m) {
				items = append(items, map[string]string{"id": id, "Subject": subj})
			}
		}
		json.NewEncoder(w).Encode(map[string]any{"items": items, "count": len(items)})
	case r.Method == http.MethodGet && len(parts) == 3 && parts[2] == "attachments":
		var items []map[string]string
		for _, c := range f.content[parts[1]] {
			items = append(items, map[string]string{"Content": c})
		}
		json.NewEncoder(w).Encode(map[string]any{"items": items, "pages": 1})
	case r.Method == http.MethodGet && len(parts) == 2 && parts[0] == "ticket":
		tk := f.tickets[parts[1]]
		json.NewEncoder(w).Encode(map[string]any{"Status": tk["Status"], "Owner": map[string]any{"id": tk["Owner"]},
			"Queue": map[string]any{"id": tk["Queue"]}})
	case r.Method == http.MethodGet && len(parts) == 2 && parts[0] == "queue":
		json.NewEncoder(w).Encode(map[string]any{"id": parts[1]})
	default:
		w.WriteHeader(404)
		io.WriteString(w, `{"message":"Not Found"}`)
	}
}

func adapter(t *testing.T, srv *httptest.Server, debug io.Writer) *Adapter {
	a, err := New(Config{URL: srv.URL + "/REST/2.0", Token: token, MailgateURL: srv.URL + "/mailgate",
		HTTP: &replay.HTTP{Client: srv.Client(), Debug: debug}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Every operation of a ticket's life reaches RT as REST2 expects it.
func TestLifecycleAgainstREST2(t *testing.T) {
	f, srv := newFakeRT(t)
	defer srv.Close()
	var debug bytes.Buffer
	a := adapter(t, srv, &debug)
	ctx := context.Background()
	out, err := a.Do(ctx, replay.Op{Kind: replay.OpCreate, Queue: "General", Requester: "c1@example.com",
		Subject: "[slasim-run-1] chat returns", Body: "hello", Priority: "vip", Channel: "chat", Category: "returns"})
	if err != nil || out.Ref != "1" || out.Status != 201 {
		t.Fatalf("create: %+v, %v", out, err)
	}
	if got := f.tickets["1"]["Priority"]; got != float64(90) {
		t.Errorf("vip priority sent as %v, want 90", got)
	}
	steps := []replay.Op{
		{Kind: replay.OpSetOwner, Ref: "1", Owner: "agent2"},
		{Kind: replay.OpAgentReply, Ref: "1", Body: "on it [n1]", Nonce: "n1"},
		{Kind: replay.OpCustomerReply, Ref: "1", Body: "thanks [n2]", Nonce: "n2", Requester: "c1@example.com", Subject: "Re"},
		{Kind: replay.OpComment, Ref: "1", Body: "escalating [n3]", Nonce: "n3"},
		{Kind: replay.OpMove, Ref: "1", Queue: "Tier2"},
		{Kind: replay.OpResolve, Ref: "1"},
	}
	for _, op := range steps {
		if _, err := a.Do(ctx, op); err != nil {
			t.Fatalf("%s: %v", op.Kind, err)
		}
	}
	tk := f.tickets["1"]
	if tk["Owner"] != "agent2" || tk["Queue"] != "Tier2" || tk["Status"] != "resolved" {
		t.Errorf("ticket after the lifecycle: %v", tk)
	}
	if n := len(f.content["1"]); n != 3 {
		t.Errorf("%d messages on the ticket, want 3 (reply, customer reply through the mail gateway, comment)", n)
	}
	// The marker finds the ticket again; an unknown one finds nothing.
	if ref, err := a.Find(ctx, "slasim-run-1"); err != nil || ref != "1" {
		t.Errorf("Find: %q, %v", ref, err)
	}
	if ref, err := a.Find(ctx, "slasim-run-9"); err != nil || ref != "" {
		t.Errorf("Find of an unknown marker: %q, %v", ref, err)
	}
	// An in-doubt reply is verified by its nonce; a state change by the state.
	for _, c := range []struct {
		op   replay.Op
		want bool
	}{
		{replay.Op{Kind: replay.OpAgentReply, Ref: "1", Nonce: "n1"}, true},
		{replay.Op{Kind: replay.OpAgentReply, Ref: "1", Nonce: "never"}, false},
		{replay.Op{Kind: replay.OpResolve, Ref: "1"}, true},
		{replay.Op{Kind: replay.OpSetOwner, Ref: "1", Owner: "agent3"}, false},
		{replay.Op{Kind: replay.OpMove, Ref: "1", Queue: "Tier2"}, true},
	} {
		got, err := a.Sent(ctx, c.op)
		if err != nil || got != c.want {
			t.Errorf("Sent(%s %s%s): %v, %v; want %v", c.op.Kind, c.op.Nonce, c.op.Owner, got, err, c.want)
		}
	}
	if strings.Contains(debug.String(), token) {
		t.Error("the token appears in the debug log")
	}
	if !strings.Contains(debug.String(), "Tier2") {
		t.Error("the debug log does not show request bodies")
	}
}

// RT refuses some changes inside a 200 answer; the adapter reports them as
// rejected, and wrong credentials as 401.
func TestRefusalsAndAuth(t *testing.T) {
	f, srv := newFakeRT(t)
	defer srv.Close()
	a := adapter(t, srv, nil)
	ctx := context.Background()
	if _, err := a.Do(ctx, replay.Op{Kind: replay.OpCreate, Queue: "General", Subject: "[m] x"}); err != nil {
		t.Fatal(err)
	}
	_, err := a.Do(ctx, replay.Op{Kind: replay.OpSetOwner, Ref: "1", Owner: "ghost"})
	var he *replay.HTTPError
	if !errors.As(err, &he) || !he.Rejected || he.Status != 200 {
		t.Fatalf("owner that does not exist: %v, want a rejected 200", err)
	}
	if f.tickets["1"]["Owner"] != "Nobody" {
		t.Error("a refused change was applied")
	}
	bad, err := New(Config{URL: srv.URL + "/REST/2.0", Token: "1-14-wrong", HTTP: &replay.HTTP{Client: srv.Client()}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.Do(ctx, replay.Op{Kind: replay.OpCreate, Queue: "General", Subject: "x"})
	if !errors.As(err, &he) || he.Status != 401 {
		t.Fatalf("wrong token: %v, want 401", err)
	}
	// A customer reply on a ticket the gateway does not know is refused.
	_, err = a.Do(ctx, replay.Op{Kind: replay.OpCustomerReply, Ref: "99", Body: "x"})
	if !errors.As(err, &he) || !he.Rejected {
		t.Fatalf("mail gateway refusal: %v", err)
	}
}

// HasCustomFields asks REST2 for each field by name; true only when all
// three exist (as rt5-up.sh creates them).
func TestHasCustomFields(t *testing.T) {
	for _, c := range []struct {
		have []string
		want bool
	}{
		{[]string{"Channel", "Category", "Priority class"}, true},
		{[]string{"Channel", "Category"}, false},
		{nil, false},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var q []map[string]string
			if r.Method != http.MethodPost || r.URL.Path != "/REST/2.0/customfields" || json.NewDecoder(r.Body).Decode(&q) != nil || len(q) != 1 {
				w.WriteHeader(400)
				return
			}
			items := []map[string]string{}
			for _, h := range c.have {
				if q[0]["field"] == "Name" && q[0]["value"] == h {
					items = append(items, map[string]string{"id": "7", "type": "customfield"})
				}
			}
			json.NewEncoder(w).Encode(map[string]any{"items": items, "count": len(items)})
		}))
		got, err := adapter(t, srv, nil).HasCustomFields(context.Background())
		srv.Close()
		if err != nil || got != c.want {
			t.Errorf("fields %v: HasCustomFields = %v, %v; want %v", c.have, got, err, c.want)
		}
	}
}
