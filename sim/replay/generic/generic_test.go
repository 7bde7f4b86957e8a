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
	if s := m.Summary(); s.Errors != 0 {
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
