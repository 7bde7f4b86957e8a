package calibrate

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/slasim/slasim/sim/trace"
)

// RT5Source reads history straight from a Request Tracker 5 through its
// REST2 API: the tickets whose subject carries a marker prefix, and the
// transactions of each (create, owner changes, correspondence, queue moves,
// status changes), turned into lifecycle events.
type RT5Source struct {
	// URL is the REST2 base (http://127.0.0.1:8080/REST/2.0); Token an
	// auth token (sent as "Authorization: token …", never logged).
	URL, Token string
	// Prefix selects the tickets: their subject starts with "[" + Prefix
	// ("slasim-RUNID-" for the tickets a replay wrote).
	Prefix string
	// Tiers maps a queue name to a tier (default: the queue's name).
	Tiers map[string]string
	// Start and Speed map RT's wall-clock times back to history times: the
	// first ticket's creation is Start, and every later second of RT time
	// is Speed seconds of history (the replay's --speed; 1 for a real
	// helpdesk).
	Start time.Time
	Speed float64
	// Workers is how many ticket histories are read at a time (default 1).
	Workers int
	// Client is the HTTP client (default: one with a 5-minute timeout: a
	// loaded RT answers a search in tens of seconds).
	Client *http.Client

	queues map[string]string // queue id → name
}

// subjectRe reads the subject a replay writes: "[marker] category via
// channel (priority)".
var subjectRe = regexp.MustCompile(`^\[([^\]]+)\] (.+) via (\S+) \(([^)]*)\)$`)

// rtTxn is one transaction of a ticket's history.
type rtTxn struct {
	Type, Field, OldValue, NewValue, Created string
	Creator                                  json.RawMessage
}

// UnmarshalJSON reads the fields by their exact names: each item carries
// both "Type" (the transaction's) and "type" ("transaction"), which
// encoding/json would match case-insensitively, the last one winning.
func (t *rtTxn) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	str := func(k string) string {
		var s string
		_ = json.Unmarshal(m[k], &s)
		return s
	}
	t.Type, t.Field, t.OldValue, t.NewValue, t.Created = str("Type"), str("Field"), str("OldValue"), str("NewValue"), str("Created")
	t.Creator = m["Creator"]
	return nil
}

// Read sends the events of every selected ticket to add, ticket by ticket
// in creation order. Transactions it cannot map are counted in is.
func (s *RT5Source) Read(ctx context.Context, is *Issues, add func(Event)) error {
	if s.Client == nil {
		s.Client = &http.Client{Timeout: 5 * time.Minute}
	}
	if s.Speed <= 0 {
		s.Speed = 1
	}
	tickets, err := s.tickets(ctx, is)
	if err != nil || len(tickets) == 0 {
		return err
	}
	t0 := tickets[0].created
	at := func(t time.Time) float64 { return unix(s.Start) + t.Sub(t0).Seconds()*s.Speed }
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	histories := s.histories(ctx, tickets)
	for _, tk := range tickets {
		p, ok := <-histories
		if !ok {
			return ctx.Err()
		}
		h := <-p
		if h.err != nil {
			return h.err
		}
		base := Event{Ticket: tk.id, Channel: tk.channel, Category: tk.category, Priority: tk.prio}
		st := &rtState{tier: s.tier(s.firstQueue(ctx, tk.queue, h.txns))}
		for i, tx := range h.txns {
			is.Rows++
			ct, err := time.Parse(time.RFC3339, tx.Created)
			if err != nil {
				is.Add(BadTime, fmt.Sprintf("rt5 ticket %s transaction %d: created %q", tk.id, i+1, tx.Created))
				continue
			}
			for _, ev := range st.events(tx, s, ctx) {
				e := base
				e.Line, e.T, e.Kind, e.Tier, e.Agent, e.From, e.To = i+1, at(ct), ev.Kind, ev.Tier, ev.Agent, ev.From, ev.To
				add(e)
			}
		}
	}
	return nil
}

// rtTicket is a ticket as the search lists it.
type rtTicket struct {
	id                             string
	created                        time.Time
	channel, category, prio, queue string
}

// tickets lists the selected tickets in creation order, with the channel,
// category and priority their subject carries and their current queue.
func (s *RT5Source) tickets(ctx context.Context, is *Issues) ([]rtTicket, error) {
	var tickets []rtTicket
	q := url.Values{"query": {fmt.Sprintf("Subject LIKE '[%s'", strings.ReplaceAll(s.Prefix, "'", ""))},
		"fields": {"Subject,Created,Queue"}, "per_page": {"100"}, "orderby": {"id"}}
	for page := 1; ; page++ {
		q.Set("page", fmt.Sprint(page))
		var v struct {
			Items []struct {
				ID      string          `json:"id"`
				Subject string          `json:"Subject"`
				Created string          `json:"Created"`
				Queue   json.RawMessage `json:"Queue"`
			} `json:"items"`
			Pages float64 `json:"pages"`
		}
		if err := s.get(ctx, "/tickets?"+q.Encode(), &v); err != nil {
			return nil, err
		}
		for _, it := range v.Items {
			m := subjectRe.FindStringSubmatch(it.Subject)
			t, err := time.Parse(time.RFC3339, it.Created)
			if m == nil || !strings.HasPrefix(m[1], s.Prefix) || err != nil {
				is.Rows++
				is.Add(Malformed, fmt.Sprintf("rt5 ticket %s: subject %q or created %q not as a replay writes them", it.ID, it.Subject, it.Created))
				continue
			}
			tickets = append(tickets, rtTicket{id: it.ID, created: t, category: m[2], channel: m[3], prio: m[4], queue: s.queueName(ctx, it.Queue)})
		}
		if float64(page) >= v.Pages {
			break
		}
	}
	sort.SliceStable(tickets, func(i, j int) bool { return tickets[i].created.Before(tickets[j].created) })
	return tickets, nil
}

// firstQueue is the queue a ticket was created in: the old value of its
// first queue move, or, if it never moved, the queue it is in now.
func (s *RT5Source) firstQueue(ctx context.Context, current string, txns []rtTxn) string {
	for _, tx := range txns {
		if tx.Field == "Queue" && tx.Type == "Set" && tx.OldValue != "" {
			return s.queueName(ctx, json.RawMessage(strconv.Quote(tx.OldValue)))
		}
	}
	return current
}

// rtHistory is one ticket's transactions, or the error reading them.
type rtHistory struct {
	txns []rtTxn
	err  error
}

// histories reads the tickets' histories with Workers requests at a time
// and hands them back in the tickets' order: one promise per ticket, at
// most twice Workers read ahead of the reader.
func (s *RT5Source) histories(ctx context.Context, tickets []rtTicket) <-chan chan rtHistory {
	workers := max(s.Workers, 1)
	out := make(chan chan rtHistory, 2*workers)
	go func() {
		defer close(out)
		sem := make(chan struct{}, workers)
		for _, tk := range tickets {
			p := make(chan rtHistory, 1)
			select {
			case out <- p:
			case <-ctx.Done():
				return
			}
			sem <- struct{}{}
			go func() {
				defer func() { <-sem }()
				txns, err := s.history(ctx, tk.id)
				p <- rtHistory{txns, err}
			}()
		}
	}()
	return out
}

// rtState follows one ticket through its transactions.
type rtState struct {
	tier, owner     string
	answered, ended bool
}

// events maps a transaction to lifecycle events. A correspondence by a
// user whose name is an e-mail address is the customer's (the mail
// gateway creates such users); any other is an agent's reply. A ticket
// resolved before anyone owned it was abandoned (replay writes
// abandonments so).
func (st *rtState) events(tx rtTxn, s *RT5Source, ctx context.Context) []Event {
	switch {
	case tx.Type == "Create":
		return []Event{{Kind: trace.Created}, {Kind: trace.Queued, Tier: st.tier}}
	case tx.Field == "Owner" && (tx.Type == "Set" || tx.Type == "Take" || tx.Type == "Steal" || tx.Type == "Force"):
		if tx.NewValue == "" || tx.NewValue == "6" || strings.EqualFold(tx.NewValue, "Nobody") {
			st.owner = ""
			return nil
		}
		st.owner, st.answered = tx.NewValue, true
		return []Event{{Kind: trace.Answered, Tier: st.tier, Agent: tx.NewValue}}
	case tx.Type == "Correspond":
		if strings.Contains(creator(tx.Creator), "@") {
			return []Event{{Kind: trace.CustomerReply, Tier: st.tier}}
		}
		return []Event{{Kind: trace.AgentReply, Tier: st.tier, Agent: st.owner}}
	case tx.Field == "Queue" && tx.Type == "Set":
		from, to := st.tier, s.tier(s.queueName(ctx, json.RawMessage(`"`+tx.NewValue+`"`)))
		st.tier = to
		return []Event{{Kind: trace.Escalated, From: from, To: to}}
	case tx.Type == "Status" && (tx.NewValue == "resolved" || tx.NewValue == "rejected") && !st.ended:
		st.ended = true
		if !st.answered {
			return []Event{{Kind: trace.Abandoned}}
		}
		return []Event{{Kind: trace.Resolved, Tier: st.tier, Agent: st.owner}}
	}
	return nil
}

// creator reads a transaction's Creator, a name or {"id": name}.
func creator(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var o struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(raw, &o)
	return o.ID
}

func (s *RT5Source) history(ctx context.Context, id string) ([]rtTxn, error) {
	var all []rtTxn
	q := url.Values{"fields": {"Type,Creator,Created,Field,OldValue,NewValue"}, "per_page": {"100"}}
	for page := 1; ; page++ {
		q.Set("page", fmt.Sprint(page))
		var v struct {
			Items []rtTxn `json:"items"`
			Pages float64 `json:"pages"`
		}
		if err := s.get(ctx, "/ticket/"+url.PathEscape(id)+"/history?"+q.Encode(), &v); err != nil {
			return nil, err
		}
		all = append(all, v.Items...)
		if float64(page) >= v.Pages {
			return all, nil
		}
	}
}

// queueName resolves a queue reference (an id, a name, or {"id": …}).
func (s *RT5Source) queueName(ctx context.Context, raw json.RawMessage) string {
	ref := creator(raw)
	if ref == "" {
		return ""
	}
	if n, ok := s.queues[ref]; ok {
		return n
	}
	var v struct {
		Name string `json:"Name"`
	}
	name := ref
	if err := s.get(ctx, "/queue/"+url.PathEscape(ref), &v); err == nil && v.Name != "" {
		name = v.Name
	}
	if s.queues == nil {
		s.queues = map[string]string{}
	}
	s.queues[ref] = name
	return name
}

func (s *RT5Source) tier(queue string) string {
	if t, ok := s.Tiers[queue]; ok {
		return t
	}
	return queue
}

func (s *RT5Source) get(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(s.URL, "/")+path, nil)
	if err != nil {
		return err
	}
	if s.Token != "" {
		req.Header.Set("Authorization", "token "+s.Token)
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		return fmt.Errorf("rt5: GET %s: %w", strings.SplitN(path, "?", 2)[0], err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("rt5: GET %s: %d %.200s", strings.SplitN(path, "?", 2)[0], resp.StatusCode, b)
	}
	return json.Unmarshal(b, v)
}
