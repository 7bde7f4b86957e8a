package replay

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ClientOptions configure the HTTP client shared by the adapters.
type ClientOptions struct {
	// Insecure turns TLS certificate verification off (it is on by default).
	Insecure bool
	// MaxConns bounds the connections to the helpdesk (default 64).
	MaxConns int
	// DryRun, when set, sends nothing: each request is printed to it and
	// answered with a canned success.
	DryRun io.Writer
}

// NewClient returns the HTTP client the adapters use.
func NewClient(o ClientOptions) *http.Client {
	if o.MaxConns <= 0 {
		o.MaxConns = 64
	}
	if o.DryRun != nil {
		return &http.Client{Transport: &dryRun{w: o.DryRun}}
	}
	tr := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        o.MaxConns,
		MaxIdleConnsPerHost: o.MaxConns,
		MaxConnsPerHost:     0,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 10 * time.Second,
		ForceAttemptHTTP2:   true,
		TLSClientConfig:     &tls.Config{InsecureSkipVerify: o.Insecure, MinVersion: tls.VersionTLS12}, //nolint:gosec // opt-in flag
	}
	return &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// HTTP sends the requests of an adapter: JSON bodies, errors as
// *HTTPError, optional debug logging with secrets redacted.
type HTTP struct {
	Client *http.Client
	// Debug receives one line per request with its (redacted) body; nil
	// logs nothing. Headers are never logged.
	Debug   io.Writer
	Secrets []string
	mu      sync.Mutex
}

// Response is a helpdesk answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Send performs one request. A status outside 2xx comes back as an
// *HTTPError (with Retry-After parsed) together with the response.
func (h *HTTP) Send(ctx context.Context, method, rawURL string, header http.Header, body []byte) (*Response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, rd)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = RedactURL(ue.URL)
		}
		return nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "slasim-replay/1")
	}
	if pw, ok := req.URL.User.Password(); ok {
		h.addSecret(pw)
	}
	shown := RedactURL(rawURL)
	t0 := time.Now()
	resp, err := h.Client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = shown // the client keeps the user name: drop it
		}
		h.debugf("%s %s -> error %v (%s) body=%s", method, shown, err, time.Since(t0).Round(time.Microsecond), body)
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, err
	}
	h.debugf("%s %s -> %d (%s) body=%s", method, shown, resp.StatusCode, time.Since(t0).Round(time.Microsecond), body)
	r := &Response{Status: resp.StatusCode, Header: resp.Header, Body: b}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return r, &HTTPError{Status: resp.StatusCode,
			RetryAfter: ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
			Msg:        Redact(excerpt(b), h.Secrets...)}
	}
	return r, nil
}

func (h *HTTP) debugf(format string, args ...any) {
	if h.Debug == nil {
		return
	}
	h.mu.Lock()
	line := Redact(fmt.Sprintf(format, args...), h.Secrets...)
	fmt.Fprintln(h.Debug, line)
	h.mu.Unlock()
}

func (h *HTTP) addSecret(s string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, have := range h.Secrets {
		if have == s {
			return
		}
	}
	h.Secrets = append(h.Secrets, s)
}

// RedactURL returns raw without its user information (user name and
// password), for anything written: journal, logs, summary, errors.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		if at := strings.LastIndex(raw, "@"); err != nil && at >= 0 {
			if i := strings.Index(raw, "://"); i >= 0 && i < at {
				return raw[:i+3] + raw[at+1:]
			}
		}
		return raw
	}
	u.User = nil
	return u.String()
}

// ValidateURL checks a helpdesk base URL before anything is sent: scheme
// http or https, a host, a numeric port if one is given, no malformed
// escapes.
func ValidateURL(raw string) error {
	shown := RedactURL(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("--url %q: %v", shown, errors.Unwrap(err))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("--url %q: scheme must be http or https (got %q)", shown, u.Scheme)
	}
	if u.Opaque != "" || u.Hostname() == "" {
		return fmt.Errorf("--url %q: no host", shown)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("--url %q: port %q is not in 1..65535", shown, p)
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return fmt.Errorf("--url %q: empty port", shown)
	}
	if _, err := url.PathUnescape(u.EscapedPath()); err != nil {
		return fmt.Errorf("--url %q: %v", shown, err)
	}
	return nil
}

// Redact replaces every secret in s by "[REDACTED]".
func Redact(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "[REDACTED]")
		}
	}
	return s
}

func excerpt(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// dryRun prints requests instead of sending them and answers 201 with a
// body every adapter understands ({"id":..., "ticket":{"id":...}}).
type dryRun struct {
	mu sync.Mutex
	w  io.Writer
	n  int
}

func (d *dryRun) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
	}
	d.mu.Lock()
	d.n++
	n := d.n
	ct := req.Header.Get("Content-Type")
	if len(body) > 0 {
		fmt.Fprintf(d.w, "%s %s (%s) %s\n", req.Method, req.URL, ct, body)
	} else {
		fmt.Fprintf(d.w, "%s %s\n", req.Method, req.URL)
	}
	d.mu.Unlock()
	canned := fmt.Sprintf(`{"id":"%d","ticket":{"id":%d,"requester_id":%d},"tickets":[],"items":[],"count":0}`, n, n, n)
	if strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		canned = "ok - dry run" // RT's mail gateway answers in text
	}
	return &http.Response{StatusCode: http.StatusCreated, Status: "201 Created", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(canned)),
		ContentLength: int64(len(canned)), Request: req}, nil
}
