// Package zendesk is the replay adapter for the Zendesk Support API v2.
//
//	create          POST /api/v2/tickets.json {"ticket":{subject, comment{body, public:true},
//	                external_id: marker, requester{name,email}, priority, group_id, tags}}
//	customer_reply  PUT /api/v2/tickets/{id}.json {"ticket":{comment{body, public:true, author_id: requester}}}
//	agent_reply     PUT … {"ticket":{comment{body, public:true}}}
//	comment         PUT … {"ticket":{comment{body, public:false}}}
//	set_owner       PUT … {"ticket":{assignee_email}}
//	move            PUT … {"ticket":{group_id}} (or additional_tags ["queue_<name>"] without a group id)
//	resolve         PUT … {"ticket":{status:"solved"}}
//	Find            GET /api/v2/tickets.json?external_id=<marker>
//
// Channel, category and priority are kept as tags (channel_<c>,
// category_<c>, priority_<p>) and priority also as Zendesk's priority
// field. The external_id is the ticket's marker, so an ambiguous create is
// looked up before it is repeated. The ticket Ref is "<ticket id>:<requester
// id>" (the requester authors customer replies).
//
// Authentication: with Email set, API-token basic auth
// ("<email>/token:<token>"); otherwise "Authorization: Bearer <token>"
// (OAuth).
package zendesk

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/slasim/slasim/sim/replay"
)

// Config configures the adapter.
type Config struct {
	// URL is the account's base URL, e.g. https://acme.zendesk.com.
	URL   string
	Email string
	Token string
	// Groups maps queue names (replay.Mapping queues) to Zendesk group ids.
	Groups map[string]int64
	// Priorities maps priority names to Zendesk priorities (low, normal,
	// high, urgent); default vip→urgent, others kept if valid, else normal.
	Priorities map[string]string
	HTTP       *replay.HTTP
}

// Adapter implements replay.Adapter for Zendesk.
type Adapter struct {
	cfg  Config
	base string
	hdr  http.Header
}

// New returns a Zendesk adapter.
func New(cfg Config) (*Adapter, error) {
	if cfg.URL == "" {
		return nil, fmt.Errorf("zendesk: no URL")
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &replay.HTTP{Client: replay.NewClient(replay.ClientOptions{})}
	}
	h := http.Header{}
	if cfg.Token != "" {
		if cfg.Email != "" {
			cred := base64.StdEncoding.EncodeToString([]byte(cfg.Email + "/token:" + cfg.Token))
			h.Set("Authorization", "Basic "+cred)
			cfg.HTTP.Secrets = append(cfg.HTTP.Secrets, cred)
		} else {
			h.Set("Authorization", "Bearer "+cfg.Token)
		}
		cfg.HTTP.Secrets = append(cfg.HTTP.Secrets, cfg.Token)
	}
	return &Adapter{cfg: cfg, base: strings.TrimRight(cfg.URL, "/"), hdr: h}, nil
}

var nonTag = regexp.MustCompile(`[^a-z0-9_]+`)

func tag(prefix, v string) string {
	return prefix + "_" + nonTag.ReplaceAllString(strings.ToLower(v), "_")
}

func (a *Adapter) priority(p string) string {
	if z, ok := a.cfg.Priorities[p]; ok {
		return z
	}
	switch p {
	case "low", "normal", "high", "urgent":
		return p
	case "vip":
		return "urgent"
	}
	return "normal"
}

type ticketAnswer struct {
	Ticket struct {
		ID          int64 `json:"id"`
		RequesterID int64 `json:"requester_id"`
	} `json:"ticket"`
}

// Do implements replay.Adapter.
func (a *Adapter) Do(ctx context.Context, op replay.Op) (replay.Outcome, error) {
	t := map[string]any{}
	switch op.Kind {
	case replay.OpCreate:
		t["subject"] = op.Subject
		t["comment"] = map[string]any{"body": op.Body, "public": true}
		t["external_id"] = op.Marker
		t["requester"] = map[string]string{"name": op.Requester, "email": op.Requester}
		t["priority"] = a.priority(op.Priority)
		t["tags"] = []string{tag("channel", op.Channel), tag("category", op.Category), tag("priority", op.Priority), "slasim"}
		if g, ok := a.cfg.Groups[op.Queue]; ok {
			t["group_id"] = g
		}
		r, err := a.send(ctx, http.MethodPost, "/api/v2/tickets.json", map[string]any{"ticket": t})
		if err != nil {
			return outcome(r), err
		}
		var v ticketAnswer
		if err := json.Unmarshal(r.Body, &v); err != nil || v.Ticket.ID == 0 {
			return outcome(r), fmt.Errorf("zendesk: create answered %d without a ticket id: %.200s", r.Status, r.Body)
		}
		return replay.Outcome{Ref: fmt.Sprintf("%d:%d", v.Ticket.ID, v.Ticket.RequesterID), Status: r.Status}, nil
	case replay.OpCustomerReply:
		c := map[string]any{"body": op.Body, "public": true}
		if rid := requesterID(op.Ref); rid != "" && rid != "0" {
			c["author_id"] = json.Number(rid)
		}
		t["comment"] = c
	case replay.OpAgentReply:
		t["comment"] = map[string]any{"body": op.Body, "public": true}
	case replay.OpComment:
		t["comment"] = map[string]any{"body": op.Body, "public": false}
	case replay.OpSetOwner:
		t["assignee_email"] = op.Owner
	case replay.OpMove:
		if g, ok := a.cfg.Groups[op.Queue]; ok {
			t["group_id"] = g
		} else {
			t["additional_tags"] = []string{tag("queue", op.Queue)}
		}
	case replay.OpResolve:
		t["status"] = "solved"
	default:
		return replay.Outcome{}, fmt.Errorf("zendesk: unknown operation %q", op.Kind)
	}
	r, err := a.send(ctx, http.MethodPut, "/api/v2/tickets/"+url.PathEscape(ticketID(op.Ref))+".json", map[string]any{"ticket": t})
	if err != nil {
		return outcome(r), err
	}
	return replay.Outcome{Ref: op.Ref, Status: r.Status}, nil
}

func ticketID(ref string) string    { id, _, _ := strings.Cut(ref, ":"); return id }
func requesterID(ref string) string { _, r, _ := strings.Cut(ref, ":"); return r }

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

// Find implements replay.Adapter through the external_id filter.
func (a *Adapter) Find(ctx context.Context, marker string) (string, error) {
	r, err := a.send(ctx, http.MethodGet, "/api/v2/tickets.json?external_id="+url.QueryEscape(marker), nil)
	if err != nil {
		return "", err
	}
	var v struct {
		Tickets []struct {
			ID          int64  `json:"id"`
			RequesterID int64  `json:"requester_id"`
			ExternalID  string `json:"external_id"`
		} `json:"tickets"`
	}
	if err := json.Unmarshal(r.Body, &v); err != nil {
		return "", fmt.Errorf("zendesk: search answer: %w", err)
	}
	for _, t := range v.Tickets {
		if t.ExternalID == marker {
			return fmt.Sprintf("%d:%d", t.ID, t.RequesterID), nil
		}
	}
	return "", nil
}
