package zendesk

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slasim/slasim/sim/replay"
	"github.com/slasim/slasim/sim/trace"
)

// contractServer checks every request against the Zendesk Support API v2
// contract the adapter relies on and answers Zendesk-shaped bodies. It
// throttles (429 + Retry-After) the first request of every third ticket.
type contractServer struct {
	t       *testing.T
	mu      sync.Mutex
	next    int64
	tickets map[int64]*zTicket
	byExt   map[string]int64
	n429    int
	bad     []string
	seen    map[string]bool
}

type zTicket struct {
	ID, RequesterID   int64
	ExternalID        string
	Subject, Priority string
	Status            string
	Tags              []string
	GroupID           int64
	Assignee          string
	Comments          []map[string]any
}

const wantAuth = "Basic " // + base64(email/token:tok)

func (s *contractServer) fail(format string, args ...any) {
	s.mu.Lock()
	s.bad = append(s.bad, fmt.Sprintf(format, args...))
	s.mu.Unlock()
}

func (s *contractServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	auth := r.Header.Get("Authorization")
	if auth != "Basic "+base64.StdEncoding.EncodeToString([]byte("ops@acme.test/token:s3cret-token")) {
		w.WriteHeader(401)
		fmt.Fprint(w, `{"error":"Couldn't authenticate you"}`)
		s.fail("bad Authorization on %s %s", r.Method, r.URL)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	switch {
	case r.Method == "GET" && r.URL.Path == "/api/v2/tickets.json":
		ext := r.URL.Query().Get("external_id")
		s.mu.Lock()
		var out []map[string]any
		if id, ok := s.byExt[ext]; ok {
			t := s.tickets[id]
			out = append(out, map[string]any{"id": t.ID, "requester_id": t.RequesterID, "external_id": t.ExternalID})
		}
		s.mu.Unlock()
		json.NewEncoder(w).Encode(map[string]any{"tickets": out, "count": len(out), "next_page": nil})
		return
	case r.Method == "POST" && r.URL.Path == "/api/v2/tickets.json":
		s.create(w, r)
		return
	case r.Method == "PUT" && strings.HasPrefix(r.URL.Path, "/api/v2/tickets/") && strings.HasSuffix(r.URL.Path, ".json"):
		s.update(w, r)
		return
	}
	s.fail("unexpected request %s %s", r.Method, r.URL)
	w.WriteHeader(404)
	fmt.Fprint(w, `{"error":"InvalidEndpoint"}`)
}

func (s *contractServer) body(w http.ResponseWriter, r *http.Request) map[string]any {
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		s.fail("%s %s: Content-Type %q", r.Method, r.URL, ct)
	}
	var v struct {
		Ticket map[string]any `json:"ticket"`
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil || v.Ticket == nil {
		s.fail("%s %s: body is not {\"ticket\":{...}}: %v", r.Method, r.URL, err)
		w.WriteHeader(400)
		fmt.Fprint(w, `{"error":"InvalidJSON"}`)
		return nil
	}
	return v.Ticket
}

// throttled answers 429 the first time a key is seen, for every third key.
func (s *contractServer) throttled(w http.ResponseWriter, key string, k int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k%3 != 0 || s.seen[key] {
		return false
	}
	s.seen[key] = true
	s.n429++
	w.Header().Set("Retry-After", "1")
	w.WriteHeader(429)
	fmt.Fprint(w, `{"error":"APIRateLimitExceeded","description":"Number of allowed API requests per minute exceeded"}`)
	return true
}

var allowedCreate = map[string]bool{"subject": true, "comment": true, "external_id": true, "requester": true,
	"priority": true, "tags": true, "group_id": true}

func (s *contractServer) create(w http.ResponseWriter, r *http.Request) {
	t := s.body(w, r)
	if t == nil {
		return
	}
	for k := range t {
		if !allowedCreate[k] {
			s.fail("create: unexpected field %q", k)
		}
	}
	ext, _ := t["external_id"].(string)
	subj, _ := t["subject"].(string)
	c, _ := t["comment"].(map[string]any)
	if ext == "" || subj == "" || c == nil || c["body"] == nil || c["public"] != true {
		s.fail("create: missing external_id/subject/comment{body,public:true}: %v", t)
	}
	var tags []string
	for _, x := range t["tags"].([]any) {
		tags = append(tags, x.(string))
	}
	for _, p := range []string{"channel_", "category_", "priority_"} {
		if !slices.ContainsFunc(tags, func(s string) bool { return strings.HasPrefix(s, p) }) {
			s.fail("create: no %s tag in %v", p, tags)
		}
	}
	var k int64
	fmt.Sscanf(ext[strings.LastIndex(ext, "-")+1:], "%d", &k)
	if s.throttled(w, ext, k) {
		return
	}
	s.mu.Lock()
	if _, dup := s.byExt[ext]; dup {
		s.bad = append(s.bad, "duplicate create "+ext)
	}
	s.next++
	zt := &zTicket{ID: s.next, RequesterID: 1000 + s.next, ExternalID: ext, Subject: subj, Status: "new",
		Priority: fmt.Sprint(t["priority"]), Tags: tags, Comments: []map[string]any{c}}
	if g, ok := t["group_id"].(float64); ok {
		zt.GroupID = int64(g)
	}
	s.tickets[zt.ID] = zt
	s.byExt[ext] = zt.ID
	s.mu.Unlock()
	w.Header().Set("Location", fmt.Sprintf("https://acme.zendesk.com/api/v2/tickets/%d.json", zt.ID))
	w.WriteHeader(201)
	json.NewEncoder(w).Encode(map[string]any{"ticket": map[string]any{"id": zt.ID, "requester_id": zt.RequesterID,
		"external_id": ext, "status": "new", "subject": subj, "tags": tags}, "audit": map[string]any{"id": 1}})
}

var allowedUpdate = map[string]bool{"comment": true, "assignee_email": true, "group_id": true,
	"additional_tags": true, "status": true}

func (s *contractServer) update(w http.ResponseWriter, r *http.Request) {
	var id int64
	if _, err := fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/api/v2/tickets/"), "%d.json", &id); err != nil {
		s.fail("update: bad path %s", r.URL.Path)
	}
	t := s.body(w, r)
	if t == nil {
		return
	}
	if len(t) != 1 {
		s.fail("update %d: want exactly one change per request, got %v", id, t)
	}
	for k := range t {
		if !allowedUpdate[k] {
			s.fail("update: unexpected field %q", k)
		}
	}
	key := fmt.Sprintf("%d/%v", id, t)
	if s.throttled(w, key, id) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	zt := s.tickets[id]
	if zt == nil {
		w.WriteHeader(404)
		fmt.Fprint(w, `{"error":"RecordNotFound","description":"Not found"}`)
		s.bad = append(s.bad, fmt.Sprintf("update of unknown ticket %d", id))
		return
	}
	if c, ok := t["comment"].(map[string]any); ok {
		if _, ok := c["body"].(string); !ok {
			s.bad = append(s.bad, "comment without body")
		}
		if a, ok := c["author_id"].(float64); ok && int64(a) != zt.RequesterID {
			s.bad = append(s.bad, fmt.Sprintf("customer reply author %v is not requester %d", a, zt.RequesterID))
		}
		zt.Comments = append(zt.Comments, c)
	}
	if a, ok := t["assignee_email"].(string); ok {
		zt.Assignee = a
	}
	if g, ok := t["group_id"].(float64); ok {
		zt.GroupID = int64(g)
	}
	if st, ok := t["status"].(string); ok {
		zt.Status = st
	}
	w.WriteHeader(200)
	json.NewEncoder(w).Encode(map[string]any{"ticket": map[string]any{"id": id, "status": zt.Status}, "audit": map[string]any{"id": 2}})
}

func TestZendeskContract(t *testing.T) {
	cs := &contractServer{t: t, tickets: map[int64]*zTicket{}, byExt: map[string]int64{}, seen: map[string]bool{}}
	srv := httptest.NewTLSServer(cs)
	defer srv.Close()
	var debug strings.Builder
	h := &replay.HTTP{Client: srv.Client(), Debug: &debug}
	ad, err := New(Config{URL: srv.URL, Email: "ops@acme.test", Token: "s3cret-token",
		Groups: map[string]int64{"General": 11, "Tier2": 22}, HTTP: h})
	if err != nil {
		t.Fatal(err)
	}
	var acts []trace.Action
	for k := int64(1); k <= 9; k++ {
		b := trace.Action{T: float64(k) * 0.01, Ticket: k, Channel: "email", Category: "order-status", Priority: "vip"}
		for j, kind := range []trace.Kind{trace.Created, trace.Answered, trace.AgentReply, trace.CustomerReply, trace.Escalated, trace.Resolved} {
			a := b
			a.T += float64(j) * 0.1
			a.Kind, a.Agent, a.From, a.To = kind, "representative-1", "representative", "specialist"
			acts = append(acts, a)
		}
	}
	slices.SortStableFunc(acts, func(x, y trace.Action) int {
		if x.T < y.T {
			return -1
		} else if x.T > y.T {
			return 1
		}
		return 0
	})
	m, err := replay.Run(context.Background(), slices.Values(acts), ad, replay.WithPacer(replay.SpeedPacer{Speed: 10}),
		replay.WithMapping(replay.Mapping{RunID: "zd", Users: []string{"agent1@acme.test", "agent2@acme.test"}}))
	if err != nil {
		t.Fatal(err)
	}
	s := m.Summary()
	for _, b := range cs.bad {
		t.Error(b)
	}
	if s.Failed != 0 || s.OK != len(acts) {
		t.Fatalf("ok %d of %d, errors %v", s.OK, len(acts), s.ErrorClasses)
	}
	if cs.n429 == 0 || s.StatusCodes["429"] != cs.n429 || s.Throttled != cs.n429 || s.Retries != 0 {
		t.Fatalf("429s served %d, seen %d, retries %d", cs.n429, s.StatusCodes["429"], s.Retries)
	}
	if len(cs.tickets) != 9 {
		t.Fatalf("%d tickets, want 9", len(cs.tickets))
	}
	for _, zt := range cs.tickets {
		if zt.Status != "solved" || zt.Assignee != "agent1@acme.test" || zt.GroupID != 22 || zt.Priority != "urgent" ||
			len(zt.Comments) != 4 || zt.Comments[3]["public"] != false {
			t.Errorf("ticket %d: %+v", zt.ID, zt)
		}
	}
	if strings.Contains(debug.String(), "s3cret-token") || strings.Contains(debug.String(), base64.StdEncoding.EncodeToString([]byte("ops@acme.test/token:s3cret-token"))) {
		t.Error("debug log contains the token")
	}
	if !strings.Contains(debug.String(), "POST "+srv.URL+"/api/v2/tickets.json -> 201") {
		t.Errorf("debug log lacks requests: %.300s", debug.String())
	}
	// the Retry-After of 1s was waited for
	if s.ByAction[0].FromSent.Max < 1000 {
		t.Errorf("throttled create done after %vms, want ≥1000 (Retry-After: 1)", s.ByAction[0].FromSent.Max)
	}
	// Find by external_id
	ref, err := ad.Find(context.Background(), "slasim-zd-4")
	if err != nil || !strings.HasPrefix(ref, fmt.Sprint(cs.byExt["slasim-zd-4"])+":") {
		t.Fatalf("Find = %q, %v", ref, err)
	}
	if ref, _ := ad.Find(context.Background(), "slasim-zd-404"); ref != "" {
		t.Fatalf("Find of unknown marker = %q", ref)
	}
	_ = time.Second
}
