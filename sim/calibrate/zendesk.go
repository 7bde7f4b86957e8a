package calibrate

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/slasim/slasim/sim/trace"
)

// ZendeskSource reads history from Zendesk Support's incremental exports:
// the tickets (cursor-based export, for each ticket's channel, category,
// priority and requester) and then the ticket events (time-based export
// with comment events side-loaded), turned into lifecycle events as they
// stream: memory grows with the tickets, not with the events.
//
// Zendesk allows 10 requests a minute on these endpoints; a 429 answer is
// retried after its Retry-After.
type ZendeskSource struct {
	// URL is the account's base, e.g. https://example.zendesk.com.
	URL string
	// Email and Token authenticate with an API token (basic auth
	// "email/token:TOKEN"); without Email, Token is sent as an OAuth
	// bearer token. Neither is ever logged.
	Email, Token string
	// Start is the export's start_time (tickets and events from then on).
	Start time.Time
	// Tiers maps a group id to a tier (default: "group-ID"; a ticket
	// without a group is at DefaultTier).
	Tiers map[string]string
	// CategoryField is the id of a ticket custom field holding the
	// category; 0 takes the ticket's type (question, incident…).
	CategoryField int64
	// Client sends the requests (default: a 2-minute timeout); Sleep waits
	// out a rate limit (default: time.Sleep under the context).
	Client *http.Client
	Sleep  func(context.Context, time.Duration) error
}

// zdTicket is what the ticket export says of a ticket.
type zdTicket struct {
	ID  int64 `json:"id"`
	Via struct {
		Channel string `json:"channel"`
	} `json:"via"`
	Type         string `json:"type"`
	Priority     string `json:"priority"`
	RequesterID  int64  `json:"requester_id"`
	CustomFields []struct {
		ID    int64 `json:"id"`
		Value any   `json:"value"`
	} `json:"custom_fields"`
}

// zdEvent is one audit of the ticket events export.
type zdEvent struct {
	ID          int64            `json:"id"`
	TicketID    int64            `json:"ticket_id"`
	Timestamp   int64            `json:"timestamp"`
	UpdaterID   int64            `json:"updater_id"`
	ChildEvents []map[string]any `json:"child_events"`
}

// Read sends the events of every ticket created since Start to add.
func (s *ZendeskSource) Read(ctx context.Context, is *Issues, add func(Event)) error {
	if s.Client == nil {
		s.Client = &http.Client{Timeout: 2 * time.Minute}
	}
	if s.Sleep == nil {
		s.Sleep = sleepCtx
	}
	tickets := map[int64]zdTicket{}
	next := "/api/v2/incremental/tickets/cursor.json?start_time=" + fmt.Sprint(s.Start.Unix())
	for next != "" {
		var page struct {
			Tickets     []zdTicket `json:"tickets"`
			AfterCursor string     `json:"after_cursor"`
			EndOfStream bool       `json:"end_of_stream"`
		}
		if err := s.get(ctx, next, &page); err != nil {
			return err
		}
		for _, t := range page.Tickets {
			tickets[t.ID] = t
		}
		next = ""
		if !page.EndOfStream && page.AfterCursor != "" {
			next = "/api/v2/incremental/tickets/cursor.json?cursor=" + url.QueryEscape(page.AfterCursor)
		}
	}
	states := map[int64]*zdState{}
	// A time-based export repeats, at the top of a page, audits of the
	// second the previous page ended in: those are skipped by id.
	var edge int64
	seen := map[int64]bool{}
	next = "/api/v2/incremental/ticket_events.json?include=comment_events&start_time=" + fmt.Sprint(s.Start.Unix())
	for line := 0; next != ""; {
		var page struct {
			Events      []zdEvent `json:"ticket_events"`
			NextPage    string    `json:"next_page"`
			EndOfStream bool      `json:"end_of_stream"`
		}
		if err := s.get(ctx, next, &page); err != nil {
			return err
		}
		for _, ev := range page.Events {
			if ev.Timestamp == edge && seen[ev.ID] {
				continue
			}
			if ev.Timestamp != edge {
				edge = ev.Timestamp
				clear(seen)
			}
			seen[ev.ID] = true
			line++
			is.Rows++
			s.event(ev, line, tickets, states, is, add)
		}
		next = ""
		if !page.EndOfStream && page.NextPage != "" {
			if !strings.HasPrefix(page.NextPage, strings.TrimRight(s.URL, "/")+"/") {
				return fmt.Errorf("zendesk: next_page %q is not on %s: not sending the token there", page.NextPage, s.URL)
			}
			next = page.NextPage
		}
	}
	return nil
}

// zdState follows one ticket through its audits.
type zdState struct {
	base             Event
	requester        int64
	tier             string
	answered, closed bool
}

// event maps one audit to lifecycle events: a group change is an
// escalation, an assignee set an answer, a public comment by someone
// other than the requester an agent's reply (by the requester, the
// customer's), solved or closed the end (abandoned if nobody was ever
// assigned). Children of one audit are applied in that order.
func (s *ZendeskSource) event(ev zdEvent, line int, tickets map[int64]zdTicket, states map[int64]*zdState, is *Issues, add func(Event)) {
	id := fmt.Sprint(ev.TicketID)
	emit := func(st *zdState, k trace.Kind, f func(*Event)) {
		e := st.base
		e.Line, e.T, e.Kind = line, float64(ev.Timestamp), k
		if f != nil {
			f(&e)
		}
		add(e)
	}
	st := states[ev.TicketID]
	if child(ev, "Create", "") != nil {
		t, ok := tickets[ev.TicketID]
		if !ok {
			is.Add(Malformed, fmt.Sprintf("zendesk ticket_events #%d: ticket %s is not in the ticket export", line, id))
			return
		}
		st = &zdState{base: Event{Ticket: id, Channel: t.Via.Channel, Category: s.category(t), Priority: t.Priority},
			requester: t.RequesterID, tier: DefaultTier}
		if g := child(ev, "Create", "group_id"); g != nil {
			st.tier = s.tier(g["group_id"])
		}
		states[ev.TicketID] = st
		emit(st, trace.Created, nil)
		emit(st, trace.Queued, func(e *Event) { e.Tier = st.tier })
	}
	if st == nil || st.closed {
		return // begun before the export's start, or already ended
	}
	if g := child(ev, "Change", "group_id"); g != nil && s.tier(g["group_id"]) != st.tier {
		from := st.tier
		st.tier = s.tier(g["group_id"])
		emit(st, trace.Escalated, func(e *Event) { e.From, e.To = from, st.tier })
	}
	if a := child(ev, "Change", "assignee_id"); a != nil && a["assignee_id"] != nil {
		st.answered = true
		emit(st, trace.Answered, func(e *Event) { e.Tier, e.Agent = st.tier, fmt.Sprint(a["assignee_id"]) })
	}
	if c := child(ev, "Comment", ""); c != nil && c["public"] != false && child(ev, "Create", "") == nil {
		author := ev.UpdaterID
		if v, ok := c["author_id"].(float64); ok {
			author = int64(v)
		}
		k := trace.AgentReply
		if author == st.requester {
			k = trace.CustomerReply
		}
		emit(st, k, func(e *Event) { e.Tier = st.tier })
	}
	if c := child(ev, "Change", "status"); c != nil && (c["status"] == "solved" || c["status"] == "closed") {
		st.closed = true
		delete(states, ev.TicketID)
		k := trace.Resolved
		if !st.answered {
			k = trace.Abandoned
		}
		emit(st, k, func(e *Event) { e.Tier = st.tier })
	}
}

// child is the audit's first child event of the type that carries field
// (any field when field is empty).
func child(ev zdEvent, typ, field string) map[string]any {
	for _, c := range ev.ChildEvents {
		if c["event_type"] != typ {
			continue
		}
		if _, ok := c[field]; field == "" || ok {
			return c
		}
	}
	return nil
}

func (s *ZendeskSource) category(t zdTicket) string {
	if s.CategoryField != 0 {
		for _, f := range t.CustomFields {
			if f.ID == s.CategoryField && f.Value != nil {
				return fmt.Sprint(f.Value)
			}
		}
		return ""
	}
	return t.Type
}

func (s *ZendeskSource) tier(group any) string {
	if group == nil {
		return DefaultTier
	}
	g := fmt.Sprint(group)
	if f, ok := group.(float64); ok {
		g = fmt.Sprint(int64(f))
	}
	if t, ok := s.Tiers[g]; ok {
		return t
	}
	return "group-" + g
}

// zendeskRetries bounds the rate-limited retries of one request.
const zendeskRetries = 5

// get fetches a page (a path, or a next-page URL of the same account),
// waiting out 429 answers for their Retry-After.
func (s *ZendeskSource) get(ctx context.Context, ref string, v any) error {
	u := ref
	if strings.HasPrefix(ref, "/") {
		u = strings.TrimRight(s.URL, "/") + ref
	}
	path := strings.SplitN(strings.TrimPrefix(u, strings.TrimRight(s.URL, "/")), "?", 2)[0]
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		if s.Email != "" {
			req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(s.Email+"/token:"+s.Token)))
		} else if s.Token != "" {
			req.Header.Set("Authorization", "Bearer "+s.Token)
		}
		resp, err := s.Client.Do(req)
		if err != nil {
			return fmt.Errorf("zendesk: GET %s: %w", path, err)
		}
		b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		resp.Body.Close()
		if err != nil {
			return err
		}
		switch {
		case resp.StatusCode == http.StatusTooManyRequests && attempt < zendeskRetries:
			wait := time.Minute // the rate limit's window, when no Retry-After says
			if ra := resp.Header.Get("Retry-After"); ra != "" {
				var sec int
				if _, err := fmt.Sscan(ra, &sec); err == nil && sec >= 0 {
					wait = time.Duration(sec) * time.Second
				}
			}
			if err := s.Sleep(ctx, wait); err != nil {
				return err
			}
			continue
		case resp.StatusCode != http.StatusOK:
			return fmt.Errorf("zendesk: GET %s: %d %.200s", path, resp.StatusCode, b)
		}
		if err := json.Unmarshal(b, v); err != nil {
			return fmt.Errorf("zendesk: GET %s: %w", path, err)
		}
		return nil
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
