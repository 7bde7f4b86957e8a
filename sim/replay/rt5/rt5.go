// Package rt5 is the replay adapter for Request Tracker 5's REST2 API.
//
// Operations map to REST2 as follows (base URL …/REST/2.0, header
// "Authorization: token …", JSON bodies with Content-Type application/json,
// without which RT answers 415):
//
//	create          POST /ticket {Queue, Requestor, Subject, Content, Priority}  → 201 {"id":"N"}
//	customer_reply  mail gateway (form POST, action=correspond, ticket=N) when
//	                MailgateURL is set, as the requester; else POST /ticket/N/correspond
//	agent_reply     POST /ticket/N/correspond {Content}
//	comment         POST /ticket/N/comment {Content}
//	set_owner       PUT /ticket/N {Owner}
//	move            PUT /ticket/N {Queue}
//	resolve         PUT /ticket/N {Status:"resolved"}
//
// RT answers validation errors of a PUT with 200 and the refusal inside the
// message array; those come back as rejected errors. RT has no idempotency
// key: the ticket's marker is in its Subject, and Find searches for it with
// TicketSQL, so that an ambiguous create is never repeated blindly. Channel
// and category are kept in the Subject (and in custom fields "Channel" and
// "Category" when CustomFields is set and they exist); priority maps to RT's
// numeric Priority.
package rt5

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/slasim/slasim/sim/replay"
)

// Config configures the adapter.
type Config struct {
	// URL is the REST2 base, e.g. http://127.0.0.1:8080/REST/2.0.
	URL string
	// Token is an RT auth token (never logged).
	Token string
	// MailgateURL, when set, is RT's mail gateway
	// (…/REST/1.0/NoAuth/mail-gateway): customer replies go through it as
	// mail from the requester, as they do in production.
	MailgateURL string
	// Priorities maps priority names to RT's 0-99 Priority (defaults:
	// low 20, normal 50, high 70, urgent 80, vip 90).
	Priorities map[string]int
	// CustomFields sends channel, category and priority as the ticket
	// custom fields "Channel", "Category" and "Priority class" (they must
	// exist in RT: scripts/rt5-up.sh creates them; HasCustomFields tells).
	CustomFields bool
	// HTTP sends the requests.
	HTTP *replay.HTTP
}

// Adapter implements replay.Adapter and replay.Verifier for RT5.
type Adapter struct {
	cfg  Config
	base string
	hdr  http.Header
}

// New returns an RT5 adapter.
func New(cfg Config) (*Adapter, error) {
	if cfg.URL == "" {
		return nil, fmt.Errorf("rt5: no REST2 URL")
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &replay.HTTP{Client: replay.NewClient(replay.ClientOptions{})}
	}
	if cfg.Token != "" {
		cfg.HTTP.Secrets = append(cfg.HTTP.Secrets, cfg.Token)
	}
	if cfg.Priorities == nil {
		cfg.Priorities = map[string]int{"low": 20, "normal": 50, "high": 70, "urgent": 80, "vip": 90}
	}
	h := http.Header{}
	if cfg.Token != "" {
		h.Set("Authorization", "token "+cfg.Token)
	}
	return &Adapter{cfg: cfg, base: strings.TrimRight(cfg.URL, "/"), hdr: h}, nil
}

// Do implements replay.Adapter.
func (a *Adapter) Do(ctx context.Context, op replay.Op) (replay.Outcome, error) {
	switch op.Kind {
	case replay.OpCreate:
		body := map[string]any{"Queue": op.Queue, "Requestor": op.Requester, "Subject": op.Subject,
			"Content": op.Body, "ContentType": "text/plain"}
		if p, ok := a.cfg.Priorities[op.Priority]; ok {
			body["Priority"] = p
		}
		if a.cfg.CustomFields {
			body["CustomFields"] = map[string]string{"Channel": op.Channel, "Category": op.Category, PriorityClassField: op.Priority}
		}
		r, err := a.send(ctx, http.MethodPost, "/ticket", body)
		if err != nil {
			return outcome(r), err
		}
		var v struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(r.Body, &v); err != nil || v.ID == "" {
			return outcome(r), fmt.Errorf("rt5: create answered %d without a ticket id: %.200s", r.Status, r.Body)
		}
		return replay.Outcome{Ref: v.ID, Status: r.Status}, nil
	case replay.OpCustomerReply:
		if a.cfg.MailgateURL != "" {
			return a.mailgate(ctx, op)
		}
		return a.post(ctx, op, "correspond", "Customer: "+op.Body)
	case replay.OpAgentReply:
		return a.post(ctx, op, "correspond", op.Body)
	case replay.OpComment:
		return a.post(ctx, op, "comment", op.Body)
	case replay.OpSetOwner:
		return a.put(ctx, op, map[string]any{"Owner": op.Owner})
	case replay.OpMove:
		return a.put(ctx, op, map[string]any{"Queue": op.Queue})
	case replay.OpResolve:
		st := op.Status
		if st == "" {
			st = "resolved"
		}
		return a.put(ctx, op, map[string]any{"Status": st})
	}
	return replay.Outcome{}, fmt.Errorf("rt5: unknown operation %q", op.Kind)
}

func outcome(r *replay.Response) replay.Outcome {
	if r == nil {
		return replay.Outcome{}
	}
	return replay.Outcome{Status: r.Status}
}

func (a *Adapter) send(ctx context.Context, method, path string, body any) (*replay.Response, error) {
	var b []byte
	if body != nil {
		var err error
		if b, err = json.Marshal(body); err != nil {
			return nil, err
		}
	}
	return a.cfg.HTTP.Send(ctx, method, a.base+path, a.hdr, b)
}

func (a *Adapter) post(ctx context.Context, op replay.Op, what, content string) (replay.Outcome, error) {
	r, err := a.send(ctx, http.MethodPost, "/ticket/"+url.PathEscape(op.Ref)+"/"+what,
		map[string]string{"Content": content, "ContentType": "text/plain"})
	if err != nil {
		return outcome(r), err
	}
	return replay.Outcome{Ref: op.Ref, Status: r.Status}, refused(r)
}

func (a *Adapter) put(ctx context.Context, op replay.Op, body map[string]any) (replay.Outcome, error) {
	r, err := a.send(ctx, http.MethodPut, "/ticket/"+url.PathEscape(op.Ref), body)
	if err != nil {
		return outcome(r), err
	}
	return replay.Outcome{Ref: op.Ref, Status: r.Status}, refused(r)
}

// refusals are the phrases with which RT reports, inside a 2xx answer, that
// a change was not made.
var refusals = []string{"isn't a valid", "does not exist", "may not", "permission denied",
	"no permission", "could not", "couldn't", "illegal", "invalid", "not allowed"}

// refused turns a refusal hidden in a 2xx message array into an error.
func refused(r *replay.Response) error {
	var msgs []string
	if json.Unmarshal(r.Body, &msgs) != nil {
		return nil
	}
	for _, m := range msgs {
		lm := strings.ToLower(m)
		for _, p := range refusals {
			if strings.Contains(lm, p) {
				return &replay.HTTPError{Status: r.Status, Rejected: true, Msg: m}
			}
		}
	}
	return nil
}

// mailgate sends a customer reply as mail from the requester.
func (a *Adapter) mailgate(ctx context.Context, op replay.Op) (replay.Outcome, error) {
	msg := fmt.Sprintf("From: %s\nTo: rt@loadtest.local\nSubject: %s\nMessage-ID: <%s@slasim.invalid>\nContent-Type: text/plain\n\n%s\n",
		op.Requester, op.Subject, op.Nonce, op.Body)
	form := url.Values{"queue": {"General"}, "action": {"correspond"}, "ticket": {op.Ref}, "message": {msg}}
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	r, err := a.cfg.HTTP.Send(ctx, http.MethodPost, a.cfg.MailgateURL, h, []byte(form.Encode()))
	if err != nil {
		return outcome(r), err
	}
	if !strings.HasPrefix(strings.TrimSpace(string(r.Body)), "ok") {
		return replay.Outcome{Status: r.Status}, &replay.HTTPError{Status: r.Status, Rejected: true,
			Msg: "mail gateway: " + strings.TrimSpace(string(r.Body)) + " (reason only in RT's log)"}
	}
	return replay.Outcome{Ref: op.Ref, Status: r.Status}, nil
}

// CustomFieldNames are the ticket custom fields CustomFields fills.
var CustomFieldNames = []string{"Channel", "Category", PriorityClassField}

// PriorityClassField is the custom field holding the simulated priority
// class (low, normal, high, urgent, vip).
const PriorityClassField = "Priority class"

// HasCustomFields reports whether every custom field of CustomFieldNames
// exists in RT (REST2 search by name).
func (a *Adapter) HasCustomFields(ctx context.Context) (bool, error) {
	for _, name := range CustomFieldNames {
		r, err := a.send(ctx, http.MethodPost, "/customfields", []map[string]string{{"field": "Name", "value": name}})
		if err != nil {
			return false, err
		}
		var v struct {
			Items []json.RawMessage `json:"items"`
		}
		if err := json.Unmarshal(r.Body, &v); err != nil {
			return false, fmt.Errorf("rt5: custom field search: %w", err)
		}
		if len(v.Items) == 0 {
			return false, nil
		}
	}
	return true, nil
}

// Find implements replay.Adapter: a TicketSQL search for the marker in the
// Subject.
func (a *Adapter) Find(ctx context.Context, marker string) (string, error) {
	q := url.Values{"query": {fmt.Sprintf("Subject LIKE '[%s]'", strings.ReplaceAll(marker, "'", ""))},
		"fields": {"Subject"}, "per_page": {"20"}}
	r, err := a.send(ctx, http.MethodGet, "/tickets?"+q.Encode(), nil)
	if err != nil {
		return "", err
	}
	var v struct {
		Items []struct {
			ID      string `json:"id"`
			Subject string `json:"Subject"`
		} `json:"items"`
	}
	if err := json.Unmarshal(r.Body, &v); err != nil {
		return "", fmt.Errorf("rt5: search answer: %w", err)
	}
	for _, it := range v.Items {
		if strings.Contains(it.Subject, "["+marker+"]") {
			return it.ID, nil
		}
	}
	return "", nil
}

// Sent implements replay.Verifier: whether a message carrying op.Nonce is
// among the ticket's attachments.
func (a *Adapter) Sent(ctx context.Context, op replay.Op) (bool, error) {
	if op.Kind.Idempotent() {
		return a.hasState(ctx, op)
	}
	q := url.Values{"fields": {"Content"}, "per_page": {"100"}}
	for page := 1; page <= 20; page++ {
		q.Set("page", fmt.Sprint(page))
		r, err := a.send(ctx, http.MethodGet, "/ticket/"+url.PathEscape(op.Ref)+"/attachments?"+q.Encode(), nil)
		if err != nil {
			return false, err
		}
		var v struct {
			Items []struct {
				Content string `json:"Content"`
			} `json:"items"`
			Pages float64 `json:"pages"`
		}
		if err := json.Unmarshal(r.Body, &v); err != nil {
			return false, fmt.Errorf("rt5: attachments answer: %w", err)
		}
		for _, it := range v.Items {
			if strings.Contains(it.Content, "["+op.Nonce+"]") {
				return true, nil
			}
		}
		if float64(page) >= v.Pages {
			return false, nil
		}
	}
	return false, nil
}

// hasState reports whether the ticket already has the owner, queue or
// status that op sets (exact JSON keys: RT sends "Type" and "type").
func (a *Adapter) hasState(ctx context.Context, op replay.Op) (bool, error) {
	r, err := a.send(ctx, http.MethodGet, "/ticket/"+url.PathEscape(op.Ref), nil)
	if err != nil {
		return false, err
	}
	var t map[string]any
	if err := json.Unmarshal(r.Body, &t); err != nil {
		return false, err
	}
	id := func(k string) string {
		m, _ := t[k].(map[string]any)
		return fmt.Sprint(m["id"])
	}
	switch op.Kind {
	case replay.OpSetOwner:
		return id("Owner") == op.Owner, nil
	case replay.OpResolve:
		return fmt.Sprint(t["Status"]) == "resolved", nil
	case replay.OpMove:
		qr, err := a.send(ctx, http.MethodGet, "/queue/"+url.PathEscape(op.Queue), nil)
		if err != nil {
			return false, err
		}
		var q map[string]any
		if err := json.Unmarshal(qr.Body, &q); err != nil {
			return false, err
		}
		return fmt.Sprint(q["id"]) == id("Queue"), nil
	}
	return false, nil
}
