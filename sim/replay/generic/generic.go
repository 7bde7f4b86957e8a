// Package generic is a replay adapter for any JSON-over-HTTP helpdesk,
// driven by Go text/template request templates read from a TOML file:
//
//	# headers may use {{.Token}}; paths and bodies only the operation
//	[headers]
//	Authorization = "Bearer {{.Token}}"
//
//	[create]
//	method = "POST"
//	path   = "/tickets"
//	body   = '{"subject": {{json .Subject}}, "external_id": {{json .Marker}}, "queue": {{json .Queue}}}'
//	id     = "ticket.id"          # dotted path of the ticket id in the answer
//
//	[set_owner]
//	method = "PATCH"
//	path   = "/tickets/{{path .Ref}}"
//	body   = '{"owner": {{json .Owner}}}'
//
//	[find]                         # look a ticket up by its marker
//	method = "GET"
//	path   = "/tickets?external_id={{query .Marker}}"
//	id     = "items.0.id"          # missing: not found
//
//	[find_reply]                   # look a reply or comment up by its nonce
//	method = "GET"
//	path   = "/tickets/{{path .Ref}}/comments?search={{query .Nonce}}"
//	id     = "items.0.id"          # missing: not there
//
// Sections are named after the operations (create, customer_reply,
// agent_reply, comment, set_owner, move, resolve), find and find_reply.
// Without find_reply a reply or comment whose outcome is unknown (a
// timeout, a 5xx) is reported in doubt rather than risk sending it twice;
// with it, it is settled by its nonce (the nonce is in every body). An operation
// without a section is not sent (and counts as done). Templates see the
// fields of replay.Op (.Kind .Ticket .Ref .Marker .Nonce .Subject .Body
// .Channel .Category .Priority .Requester .Queue .Owner .Status) and the
// functions json (a JSON literal), query (URL query escaping) and path (URL
// path escaping).
package generic

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"text/template"

	"github.com/BurntSushi/toml"

	"github.com/slasim/slasim/sim/replay"
)

// Request is the template of one HTTP request.
type Request struct {
	Method string `toml:"method"`
	Path   string `toml:"path"`
	Body   string `toml:"body"`
	// ID is the dotted path of the ticket id in the JSON answer (create,
	// find).
	ID string `toml:"id"`
}

// Spec is the content of a template file.
type Spec struct {
	Headers       map[string]string `toml:"headers"`
	Create        *Request          `toml:"create"`
	CustomerReply *Request          `toml:"customer_reply"`
	AgentReply    *Request          `toml:"agent_reply"`
	Comment       *Request          `toml:"comment"`
	SetOwner      *Request          `toml:"set_owner"`
	Move          *Request          `toml:"move"`
	Resolve       *Request          `toml:"resolve"`
	Find          *Request          `toml:"find"`
	// FindReply looks a reply or comment up by its nonce (.Nonce, .Ref).
	FindReply *Request `toml:"find_reply"`
}

type compiled struct {
	method     string
	path, body *template.Template
	id         string
}

// Adapter implements replay.Adapter from a Spec.
type Adapter struct {
	base string
	h    *replay.HTTP
	hdr  http.Header
	ops  map[replay.OpKind]*compiled
	find *compiled
	// findReply looks replies up by nonce (nil: cannot)
	findReply *compiled
}

var funcs = template.FuncMap{
	"json":  func(v any) (string, error) { b, err := json.Marshal(v); return string(b), err },
	"query": url.QueryEscape,
	"path":  url.PathEscape,
}

// Load reads a template file.
func Load(path string) (*Spec, error) {
	var s Spec
	md, err := toml.DecodeFile(path, &s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("%s: unknown keys %v", path, und)
	}
	return &s, nil
}

// New compiles spec for the helpdesk at baseURL. The token is only
// available to header templates.
func New(spec *Spec, baseURL, token string, h *replay.HTTP) (*Adapter, error) {
	if h == nil {
		h = &replay.HTTP{Client: replay.NewClient(replay.ClientOptions{})}
	}
	if token != "" {
		h.Secrets = append(h.Secrets, token)
	}
	a := &Adapter{base: strings.TrimRight(baseURL, "/"), h: h, hdr: http.Header{}, ops: map[replay.OpKind]*compiled{}}
	for k, v := range spec.Headers {
		t, err := template.New(k).Option("missingkey=error").Parse(v)
		if err != nil {
			return nil, fmt.Errorf("header %s: %w", k, err)
		}
		var b bytes.Buffer
		if err := t.Execute(&b, struct{ Token string }{token}); err != nil {
			return nil, fmt.Errorf("header %s: %w", k, err)
		}
		a.hdr.Set(k, b.String())
	}
	if spec.Create == nil {
		return nil, fmt.Errorf("generic: the template has no [create] section")
	}
	for kind, r := range map[replay.OpKind]*Request{replay.OpCreate: spec.Create, replay.OpCustomerReply: spec.CustomerReply,
		replay.OpAgentReply: spec.AgentReply, replay.OpComment: spec.Comment, replay.OpSetOwner: spec.SetOwner,
		replay.OpMove: spec.Move, replay.OpResolve: spec.Resolve} {
		if r == nil {
			continue
		}
		c, err := compile(string(kind), r)
		if err != nil {
			return nil, err
		}
		a.ops[kind] = c
	}
	if a.ops[replay.OpCreate].id == "" {
		return nil, fmt.Errorf("generic: [create] needs id, the path of the ticket id in the answer")
	}
	if spec.Find != nil {
		c, err := compile("find", spec.Find)
		if err != nil {
			return nil, err
		}
		a.find = c
	}
	if spec.FindReply != nil {
		if spec.FindReply.ID == "" {
			return nil, fmt.Errorf("generic: [find_reply] needs id, the path that is present when the reply is there")
		}
		c, err := compile("find_reply", spec.FindReply)
		if err != nil {
			return nil, err
		}
		a.findReply = c
	}
	return a, nil
}

func compile(name string, r *Request) (*compiled, error) {
	c := &compiled{method: strings.ToUpper(r.Method), id: r.ID}
	if c.method == "" {
		c.method = http.MethodPost
	}
	var err error
	if c.path, err = template.New(name + ".path").Funcs(funcs).Option("missingkey=error").Parse(r.Path); err != nil {
		return nil, fmt.Errorf("[%s] path: %w", name, err)
	}
	if r.Body != "" {
		if c.body, err = template.New(name + ".body").Funcs(funcs).Option("missingkey=error").Parse(r.Body); err != nil {
			return nil, fmt.Errorf("[%s] body: %w", name, err)
		}
	}
	return c, nil
}

func (a *Adapter) send(ctx context.Context, c *compiled, op replay.Op) (*replay.Response, error) {
	var p, b bytes.Buffer
	if err := c.path.Execute(&p, op); err != nil {
		return nil, err
	}
	var body []byte
	if c.body != nil {
		if err := c.body.Execute(&b, op); err != nil {
			return nil, err
		}
		body = b.Bytes()
		if !json.Valid(body) {
			return nil, fmt.Errorf("generic: %s body is not valid JSON: %.200s", op.Kind, body)
		}
	}
	return a.h.Send(ctx, c.method, a.base+p.String(), a.hdr, body)
}

// Do implements replay.Adapter.
func (a *Adapter) Do(ctx context.Context, op replay.Op) (replay.Outcome, error) {
	c := a.ops[op.Kind]
	if c == nil {
		return replay.Outcome{Ref: op.Ref}, nil // not configured: nothing to send
	}
	r, err := a.send(ctx, c, op)
	if err != nil {
		if r != nil {
			return replay.Outcome{Status: r.Status}, err
		}
		return replay.Outcome{}, err
	}
	ref := op.Ref
	if op.Kind == replay.OpCreate {
		if ref, err = extract(r.Body, c.id); err != nil || ref == "" {
			return replay.Outcome{Status: r.Status}, fmt.Errorf("generic: no ticket id at %q in the answer: %.200s", c.id, r.Body)
		}
	}
	return replay.Outcome{Ref: ref, Status: r.Status}, nil
}

// Find implements replay.Adapter. Without a [find] section it reports
// "not found", so an ambiguous create is then never retried.
func (a *Adapter) Find(ctx context.Context, marker string) (string, error) {
	if a.find == nil {
		return "", fmt.Errorf("generic: no [find] section: cannot tell whether %s was created", marker)
	}
	r, err := a.send(ctx, a.find, replay.Op{Marker: marker})
	if err != nil {
		return "", err
	}
	ref, _ := extract(r.Body, a.find.id)
	return ref, nil
}

// Sent implements replay.Verifier with the [find_reply] template; without
// one it answers replay.ErrCannotVerify.
func (a *Adapter) Sent(ctx context.Context, op replay.Op) (bool, error) {
	if a.findReply == nil {
		return false, replay.ErrCannotVerify
	}
	r, err := a.send(ctx, a.findReply, op)
	if err != nil {
		return false, err
	}
	v, _ := extract(r.Body, a.findReply.id)
	return v != "", nil
}

// extract follows a dotted path ("ticket.id", "items.0.id") into JSON.
func extract(body []byte, path string) (string, error) {
	var v any
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return "", err
	}
	for _, seg := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[seg]
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(x) {
				return "", nil
			}
			v = x[i]
		default:
			return "", nil
		}
	}
	switch x := v.(type) {
	case string:
		return x, nil
	case json.Number:
		return x.String(), nil
	case nil:
		return "", nil
	}
	return fmt.Sprint(v), nil
}

// LoadFile is Load followed by New.
func LoadFile(path, baseURL, token string, h *replay.HTTP) (*Adapter, error) {
	s, err := Load(path)
	if err != nil {
		return nil, err
	}
	return New(s, baseURL, token, h)
}
