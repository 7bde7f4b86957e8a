package generic

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/slasim/slasim/sim/replay"
	"github.com/slasim/slasim/sim/trace"
)

const spec = `
[headers]
Authorization = "Bearer {{.Token}}"

[create]
method = "POST"
path = "/tickets"
body = '{"subject": {{json .Subject}}, "external_id": {{json .Marker}}, "queue": {{json .Queue}}, "tags": [{{json .Channel}}, {{json .Priority}}]}'
id = "ticket.id"

[set_owner]
method = "PATCH"
path = "/tickets/{{path .Ref}}"
body = '{"owner": {{json .Owner}}}'

[resolve]
method = "PATCH"
path = "/tickets/{{path .Ref}}"
body = '{"status": "closed"}'

[find]
method = "GET"
path = "/tickets?external_id={{query .Marker}}"
id = "items.0.id"
`

func TestGenericTemplates(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok-123" {
			w.WriteHeader(401)
			return
		}
		b, _ := io.ReadAll(r.Body)
		if len(b) > 0 && !json.Valid(b) {
			t.Errorf("invalid JSON body %s", b)
		}
		mu.Lock()
		got = append(got, r.Method+" "+r.URL.RequestURI()+" "+string(b))
		mu.Unlock()
		switch {
		case r.Method == "POST":
			w.WriteHeader(201)
			io.WriteString(w, `{"ticket":{"id":77}}`)
		case r.Method == "GET":
			io.WriteString(w, `{"items":[{"id":"77"}]}`)
		default:
			io.WriteString(w, `{}`)
		}
	}))
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "hd.toml")
	os.WriteFile(path, []byte(spec), 0o600)
	ad, err := LoadFile(path, srv.URL, "tok-123", nil)
	if err != nil {
		t.Fatal(err)
	}
	acts := []trace.Action{
		{T: 0, Ticket: 1, Kind: trace.Created, Channel: "chat", Priority: "vip"},
		{T: 1, Ticket: 1, Kind: trace.Answered, Agent: "representative-1"},
		{T: 2, Ticket: 1, Kind: trace.AgentReply, Agent: "representative-1"}, // no template: not sent
		{T: 3, Ticket: 1, Kind: trace.Resolved},
	}
	m, err := replay.Run(context.Background(), slices.Values(acts), ad, replay.WithPacer(replay.ASAP{}),
		replay.WithMapping(replay.Mapping{RunID: "g", Users: []string{"alice"}}))
	if err != nil {
		t.Fatal(err)
	}
	if s := m.Summary(); s.Failed != 0 {
		t.Fatalf("errors %v", s.ErrorClasses)
	}
	want := []string{
		`POST /tickets {"subject": "[slasim-g-1]  via chat (vip)", "external_id": "slasim-g-1", "queue": "General", "tags": ["chat", "vip"]}`,
		`PATCH /tickets/77 {"owner": "alice"}`,
		`PATCH /tickets/77 {"status": "closed"}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ref, err := ad.Find(context.Background(), "slasim-g-1"); ref != "77" || err != nil {
		t.Fatalf("Find = %q %v", ref, err)
	}
}

func TestGenericRejectsUnknownKeysAndMissingID(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("[create]\nmethod='POST'\npath='/t'\nbogus=1\n"), 0o600)
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), "bogus") {
		t.Fatalf("err = %v", err)
	}
	noid := filepath.Join(dir, "noid.toml")
	os.WriteFile(noid, []byte("[create]\nmethod='POST'\npath='/t'\n"), 0o600)
	if _, err := LoadFile(noid, "http://x", "", nil); err == nil {
		t.Fatal("want error for create without id")
	}
}

// A reply answered 500 after the helpdesk stored it: with [find_reply] the
// generic adapter settles it by its nonce (found, not sent twice); without,
// it is in doubt, never re-sent, and the ticket's resolve still goes out.
func TestGenericFindReplySettlesReplies(t *testing.T) {
	for _, withFind := range []bool{true, false} {
		var mu sync.Mutex
		replies := map[string]int{}
		resolved := 0
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case r.Method == "POST" && r.URL.Path == "/tickets":
				w.WriteHeader(201)
				io.WriteString(w, `{"ticket":{"id":5}}`)
			case r.Method == "POST": // a reply: stored, then a 500
				replies[string(b)]++
				w.WriteHeader(500)
			case r.Method == "GET" && r.URL.Path == "/tickets/5/replies":
				n := 0
				for body, c := range replies {
					if strings.Contains(body, r.URL.Query().Get("q")) {
						n += c
					}
				}
				if n > 0 {
					io.WriteString(w, `{"items":[{"id":1}]}`)
				} else {
					io.WriteString(w, `{"items":[]}`)
				}
			case r.Method == "PATCH":
				resolved++
				io.WriteString(w, `{}`)
			}
		}))
		tmpl := spec + `
[agent_reply]
method = "POST"
path = "/tickets/{{path .Ref}}/replies"
body = '{"body": {{json .Body}}}'
`
		if withFind {
			tmpl += `
[find_reply]
method = "GET"
path = "/tickets/{{path .Ref}}/replies?q={{query .Nonce}}"
id = "items.0.id"
`
		}
		path := filepath.Join(t.TempDir(), "hd.toml")
		os.WriteFile(path, []byte(tmpl), 0o600)
		ad, err := LoadFile(path, srv.URL, "tok", nil)
		if err != nil {
			t.Fatal(err)
		}
		acts := []trace.Action{{T: 0, Ticket: 1, Kind: trace.Created}, {T: 0.1, Ticket: 1, Kind: trace.AgentReply},
			{T: 0.2, Ticket: 1, Kind: trace.Resolved}}
		m, err := replay.Run(context.Background(), slices.Values(acts), ad, replay.WithPacer(replay.ASAP{}))
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		s := m.Summary()
		if len(replies) != 1 || replies[firstKey(replies)] != 1 || resolved != 1 {
			t.Fatalf("find_reply %v: replies stored %v, resolved %d: want the reply once and the resolve", withFind, replies, resolved)
		}
		if withFind && (s.OK != 3 || s.Resolved["found"] != 1) {
			t.Fatalf("with find_reply: %d ok, settled %v", s.OK, s.Resolved)
		}
		if !withFind && (s.OK != 2 || s.InDoubt != 1) {
			t.Fatalf("without find_reply: %d ok, %d in doubt", s.OK, s.InDoubt)
		}
	}
}

func firstKey(m map[string]int) string {
	for k := range m {
		return k
	}
	return ""
}
