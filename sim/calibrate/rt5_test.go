package calibrate

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fakeRT5 answers the REST2 calls RT5Source makes with three tickets a
// replay would have written: one escalated (listed, as RT lists it, in the
// queue it was moved to), one abandoned, one with a customer's reply
// through the mail gateway.
func fakeRT5(t *testing.T) *httptest.Server {
	tx := func(typ, field, old, nw, at, who string) map[string]any {
		// Every item also says "type": "transaction", which must not be
		// taken for the transaction's Type.
		return map[string]any{"Type": typ, "Field": field, "OldValue": old, "NewValue": nw, "type": "transaction",
			"Created": "2026-11-29T" + at + "Z", "Creator": map[string]string{"id": who}}
	}
	hist := map[string][]map[string]any{
		"10": {tx("Create", "", "", "", "10:00:00", "root"), tx("EmailRecord", "", "", "", "10:00:00", "RT_System"),
			tx("Set", "Owner", "6", "agent1", "10:00:30", "root"), tx("Correspond", "", "", "", "10:05:30", "root"),
			tx("Comment", "", "", "", "10:05:30", "root"), tx("Set", "Queue", "1", "3", "10:05:30", "root"),
			tx("Set", "Owner", "agent1", "agent2", "10:06:00", "root"), tx("Correspond", "", "", "", "10:16:00", "root"),
			tx("Status", "Status", "open", "resolved", "10:16:00", "root")},
		"11": {tx("Create", "", "", "", "10:01:00", "root"), tx("Comment", "", "", "", "10:03:00", "root"),
			tx("Status", "Status", "new", "resolved", "10:03:00", "root")},
		"12": {tx("Create", "", "", "", "10:02:00", "root"), tx("Set", "Owner", "6", "agent3", "10:30:00", "root"),
			tx("Correspond", "", "", "", "10:34:00", "root"), tx("Correspond", "", "", "", "12:34:00", "customer-12@example.com"),
			tx("Set", "Owner", "agent3", "agent4", "12:40:00", "root"), tx("Correspond", "", "", "", "12:43:00", "root"),
			tx("Status", "Status", "open", "resolved", "12:43:00", "root")},
	}
	tickets := []map[string]any{
		{"id": "10", "Subject": "[calib-7-1] bug via email (normal)", "Created": "2026-11-29T10:00:00Z", "Queue": map[string]string{"id": "3"}}, // moved there
		{"id": "11", "Subject": "[calib-7-2] order via phone (normal)", "Created": "2026-11-29T10:01:00Z", "Queue": map[string]string{"id": "1"}},
		{"id": "12", "Subject": "[calib-7-3] bug via email (normal)", "Created": "2026-11-29T10:02:00Z", "Queue": map[string]string{"id": "1"}},
	}
	mux := http.NewServeMux()
	page := func(w http.ResponseWriter, items any) {
		_ = json.NewEncoder(w).Encode(map[string]any{"items": items, "pages": 1.0, "page": 1})
	}
	mux.HandleFunc("/REST/2.0/tickets", func(w http.ResponseWriter, r *http.Request) {
		require.Equal(t, "Subject LIKE '[calib-7-'", r.URL.Query().Get("query"))
		page(w, tickets)
	})
	mux.HandleFunc("/REST/2.0/queue/{id}", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"Name": map[string]string{"1": "General", "3": "Tier2"}[r.PathValue("id")]})
	})
	mux.HandleFunc("/REST/2.0/ticket/{id}/history", func(w http.ResponseWriter, r *http.Request) { page(w, hist[r.PathValue("id")]) })
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "token 1-14-secret" {
			http.Error(w, `{"message":"Unauthorized"}`, http.StatusUnauthorized)
			return
		}
		mux.ServeHTTP(w, r)
	}))
}

func TestRT5SourceReadsLifecycles(t *testing.T) {
	srv := fakeRT5(t)
	defer srv.Close()
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	src := &RT5Source{URL: srv.URL + "/REST/2.0", Token: "1-14-secret", Prefix: "calib-7-", Start: start, Speed: 1, Workers: 2,
		Tiers: map[string]string{"General": "representative", "Tier2": "specialist"}}
	h := NewHistory(Config{Start: start.Truncate(24 * time.Hour), Modes: map[string]string{"phone": "sync"}})
	require.NoError(t, src.Read(context.Background(), &h.Issues, h.Add))
	cal := h.Estimate("rt5")
	require.Empty(t, cal.Issues.Counts)
	require.Equal(t, 3, cal.Tickets)
	require.Len(t, cal.Escalation, 1)
	e := cal.Escalation[0]
	require.Equal(t, "bug representative→specialist 1/2", fmt.Sprintf("%s %s→%s %d/%d", e.Category, e.From, e.To, e.Escalated, e.Handled))
	require.Equal(t, 600.0, e.HandleTime.Mean, "taken 10:06, replied 10:16")
	bug := categoryOf(cal, "bug")
	require.Equal(t, 1, bug.Reply.Replies, "the customer-12@… correspondence is the customer's")
	require.Equal(t, 7200.0, bug.Reply.MeanSeconds, "pending 10:34 → 12:34")
	phone := channelOf(cal, "phone")
	require.Equal(t, 1, phone.Patience.Abandons, "resolved before anyone owned it")
	require.Equal(t, 120.0, phone.Patience.MeanMLE)

	src.Token = "wrong"
	err := src.Read(context.Background(), &Issues{}, func(Event) {})
	require.ErrorContains(t, err, "401")
	require.False(t, strings.Contains(err.Error(), "secret"))
}
