package calibrate

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fakeZendesk serves the incremental exports in the shape Zendesk
// documents: the ticket export paged by after_cursor until end_of_stream,
// the ticket events export paged by next_page until end_of_stream (its
// audits carrying child_events, comments side-loaded, the last audit of a
// page repeated at the top of the next), and one 429 with a Retry-After
// first. t0 is the export's start_time.
func fakeZendesk(t *testing.T, t0 int64, asked *[]string) *httptest.Server {
	var mu sync.Mutex
	limited := false
	ticket := func(id int64, channel, typ string) map[string]any {
		return map[string]any{"id": id, "via": map[string]any{"channel": channel, "source": map[string]any{}},
			"type": typ, "priority": "normal", "requester_id": 900 + id, "status": "solved", "custom_fields": []any{}}
	}
	audit := func(ticket, at, updater int64, children ...map[string]any) map[string]any {
		return map[string]any{"id": at, "ticket_id": ticket, "timestamp": t0 + at, "updater_id": updater,
			"event_type": "Audit", "via": map[string]any{"channel": "web"}, "child_events": children}
	}
	create := func(field string, v any) map[string]any { return map[string]any{"event_type": "Create", field: v} }
	change := func(field string, v, prev any) map[string]any {
		return map[string]any{"event_type": "Change", field: v, "previous_value": prev}
	}
	comment := func(author int64) map[string]any {
		return map[string]any{"event_type": "Comment", "author_id": author, "public": true, "body": "…"}
	}
	page1 := []map[string]any{
		audit(50, 10, 55, change("status", "solved", "open")), // begun before the export
		audit(1, 0, 901, create("subject", "printer"), create("group_id", 1), create("status", "new"), comment(901)),
		audit(1, 60, 55, change("assignee_id", 55, nil), change("status", "open", "new")),
		audit(2, 100, 902, create("subject", "call"), create("status", "new")),
		audit(3, 200, 903, create("subject", "bug"), create("group_id", 1), comment(903)),
		audit(2, 220, 55, change("status", "solved", "new")), // hung up before anyone took it
		audit(3, 300, 55, change("assignee_id", 55, nil)),
		audit(1, 360, 55, comment(55), change("status", "pending", "open")),
	}
	page2 := []map[string]any{
		page1[len(page1)-1], // the time-based export repeats the second it ended in
		audit(3, 900, 55, comment(55)),
		audit(3, 901, 55, change("group_id", 2, 1)),
		audit(3, 1000, 77, change("assignee_id", 77, 55)),
		audit(3, 1600, 77, comment(77), change("status", "solved", "open")),
		audit(1, 3960, 901, comment(901), change("status", "open", "pending")),
		audit(1, 4000, 55, comment(55), change("status", "solved", "open")),
		audit(4, 4100, 904, create("subject", "ghost")), // not in the ticket export
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v2/incremental/tickets/cursor.json", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("cursor") == "" {
			require.Equal(t, fmt.Sprint(t0), q.Get("start_time"))
			_ = json.NewEncoder(w).Encode(map[string]any{"tickets": []any{ticket(1, "email", "question"), ticket(2, "voice", "question")},
				"after_cursor": "MTU4MDc1Mzc5OC4wfHw0MzJ8", "after_url": "…", "before_cursor": nil, "end_of_stream": false})
			return
		}
		require.Equal(t, "MTU4MDc1Mzc5OC4wfHw0MzJ8", q.Get("cursor"))
		_ = json.NewEncoder(w).Encode(map[string]any{"tickets": []any{ticket(3, "email", "incident")},
			"after_cursor": "MTU4MDc1Mzc5OS4wfHw0MzN8", "end_of_stream": true})
	})
	var srv *httptest.Server
	mux.HandleFunc("/api/v2/incremental/ticket_events.json", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		first := !limited
		limited = true
		mu.Unlock()
		if first {
			w.Header().Set("Retry-After", "7")
			http.Error(w, `{"error":"APIRateLimitExceeded"}`, http.StatusTooManyRequests)
			return
		}
		require.Equal(t, "comment_events", r.URL.Query().Get("include"))
		if r.URL.Query().Get("start_time") == fmt.Sprint(t0) {
			_ = json.NewEncoder(w).Encode(map[string]any{"ticket_events": page1, "count": len(page1), "end_time": t0 + 360,
				"next_page":     srv.URL + fmt.Sprintf("/api/v2/incremental/ticket_events.json?include=comment_events&start_time=%d", t0+360),
				"end_of_stream": false})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"ticket_events": page2, "count": len(page2), "end_time": t0 + 4100,
			"next_page": srv.URL + "/api/v2/incremental/ticket_events.json?start_time=0", "end_of_stream": true})
	})
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		want := "Basic " + base64.StdEncoding.EncodeToString([]byte("ops@example.com/token:zd-secret"))
		if r.Header.Get("Authorization") != want {
			http.Error(w, `{"error":"Couldn't authenticate you"}`, http.StatusUnauthorized)
			return
		}
		mu.Lock()
		*asked = append(*asked, r.URL.Path)
		mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	return srv
}

func TestZendeskSourceReadsIncrementalExports(t *testing.T) {
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	var asked []string
	srv := fakeZendesk(t, start.Unix(), &asked)
	defer srv.Close()
	var waited []time.Duration
	src := &ZendeskSource{URL: srv.URL, Email: "ops@example.com", Token: "zd-secret", Start: start,
		Tiers: map[string]string{"1": "representative", "2": "specialist"},
		Sleep: func(_ context.Context, d time.Duration) error { waited = append(waited, d); return nil }}
	h := NewHistory(Config{Start: start.Truncate(24 * time.Hour)})
	require.NoError(t, src.Read(context.Background(), &h.Issues, h.Add))
	require.Equal(t, []time.Duration{7 * time.Second}, waited, "the 429's Retry-After is waited out")
	require.Len(t, asked, 5, "two ticket pages, the rate-limited request, two event pages; not past end_of_stream")
	require.Equal(t, 15, h.Issues.Rows, "15 audits, the one repeated across pages read once")

	cal := h.Estimate("zendesk")
	require.Equal(t, 3, cal.Tickets)
	require.Equal(t, 1, cal.Issues.Counts[Malformed], "ticket 4 is not in the ticket export: %v", cal.Issues.String())
	require.Len(t, cal.Escalation, 1)
	e := cal.Escalation[0]
	require.Equal(t, "incident representative→specialist 1/1", fmt.Sprintf("%s %s→%s %d/%d", e.Category, e.From, e.To, e.Escalated, e.Handled))
	require.Equal(t, 600.0, e.HandleTime.Mean, "assigned to 77 at +1000, 77's comment at +1600")
	require.Equal(t, 600.0, categoryOf(cal, "incident").HandleTime.Mean, "assigned +300, replied +900")
	q := categoryOf(cal, "question@email") // a category on two channel groups is named per group
	require.Equal(t, 300.0, q.HandleTime.Mean, "assigned +60, replied +360")
	require.Equal(t, 1, q.Reply.Replies, "the requester's comment is the customer's reply")
	require.Equal(t, 3600.0, q.Reply.MeanSeconds, "pending +360 → +3960")
	voice := channelOf(cal, "voice")
	require.Equal(t, 1, voice.Patience.Abandons, "solved before anyone was assigned")
	require.Equal(t, 120.0, voice.Patience.MeanMLE)

	src.Token = "wrong"
	err := src.Read(context.Background(), &Issues{}, func(Event) {})
	require.ErrorContains(t, err, "401")
	require.False(t, strings.Contains(err.Error(), "secret"))
}

// TestZendeskTokenStaysOnTheAccount: a next_page on another host is an
// error, never a request carrying the token.
func TestZendeskTokenStaysOnTheAccount(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "tickets/cursor") {
			_ = json.NewEncoder(w).Encode(map[string]any{"tickets": []any{}, "end_of_stream": true})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"ticket_events": []any{}, "end_of_stream": false,
			"next_page": "https://elsewhere.example/api/v2/incremental/ticket_events.json?start_time=1"})
	}))
	defer srv.Close()
	src := &ZendeskSource{URL: srv.URL, Token: "zd-secret", Start: time.Unix(1, 0)}
	err := src.Read(context.Background(), &Issues{}, func(Event) {})
	require.ErrorContains(t, err, "not sending the token there")
}
