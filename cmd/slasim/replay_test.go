package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/slasim/slasim/sim/trace"
)

func writeTrace(t *testing.T, dir string, n int) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for k := 1; k <= n; k++ {
		for j, kind := range []trace.Kind{trace.Created, trace.Answered, trace.AgentReply, trace.Resolved} {
			enc.Encode(trace.Action{T: float64(k) + float64(j)*0.1, Ticket: int64(k), Kind: kind, Channel: "chat",
				Category: "returns", Priority: "normal", Agent: "representative-1"})
		}
	}
	p := filepath.Join(dir, "trace.jsonl")
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const cliTemplate = `
[headers]
Authorization = "Bearer {{.Token}}"
[create]
method = "POST"
path = "/tickets"
body = '{"subject": {{json .Subject}}}'
id = "id"
[set_owner]
method = "PUT"
path = "/tickets/{{path .Ref}}"
body = '{"owner": {{json .Owner}}}'
[agent_reply]
method = "POST"
path = "/tickets/{{path .Ref}}/replies"
body = '{"body": {{json .Body}}}'
[resolve]
method = "PUT"
path = "/tickets/{{path .Ref}}"
body = '{"status": "closed"}'
`

func TestReplayCommand(t *testing.T) {
	dir := t.TempDir()
	trace := writeTrace(t, dir, 5)
	tmpl := filepath.Join(dir, "hd.toml")
	os.WriteFile(tmpl, []byte(cliTemplate), 0o600)
	var reqs atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer cli-secret-42" {
			w.WriteHeader(401)
			return
		}
		io.Copy(io.Discard, r.Body)
		n := reqs.Add(1)
		w.WriteHeader(201)
		fmt.Fprintf(w, `{"id": %d}`, n)
	}))
	defer srv.Close()
	t.Setenv("CLI_TOKEN", "cli-secret-42")
	journal := filepath.Join(dir, "j.jsonl")
	out := filepath.Join(dir, "charts")

	// scenario after the flags, --json, journal, charts, debug logging
	var stdout, stderr bytes.Buffer
	code := runReplay([]string{"--helpdesk", "generic", "--template", tmpl, "--url", srv.URL, "--token-env", "CLI_TOKEN",
		"--rate", "200/s", "--journal", journal, "--json", "--out", out, "--debug", trace}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var s struct {
		Actions, OK int
		Total       struct {
			FromIntended struct {
				P99 float64 `json:"p99_ms"`
			} `json:"latency_from_intended"`
		} `json:"total"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &s); err != nil || s.Actions != 20 || s.OK != 20 {
		t.Fatalf("json summary %v %+v: %s", err, s, stdout.String())
	}
	if reqs.Load() != 20 {
		t.Fatalf("server got %d requests, want 20", reqs.Load())
	}
	if strings.Contains(stderr.String(), "cli-secret-42") || strings.Contains(stdout.String(), "cli-secret-42") {
		t.Fatal("token printed")
	}
	if !strings.Contains(stderr.String(), `"owner": "representative-1"`) {
		t.Errorf("--debug did not log bodies: %.300s", stderr.String())
	}
	if _, err := os.Stat(filepath.Join(out, "replay-latency.png")); err != nil {
		t.Fatal(err)
	}

	// summary rebuilt from the journal alone; scenario-less
	stdout.Reset()
	if code := runReplay([]string{"--summary-from", journal}, &stdout, &stderr); code != 0 {
		t.Fatalf("--summary-from exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "Replay: 20 actions") {
		t.Fatalf("summary: %s", stdout.String())
	}

	// resuming a finished run sends nothing more
	stdout.Reset()
	if code := runReplay([]string{trace, "--helpdesk", "generic", "--template", tmpl, "--url", srv.URL,
		"--token-env", "CLI_TOKEN", "--resume", journal}, &stdout, &stderr); code != 0 {
		t.Fatalf("resume exit %d: %s", code, stderr.String())
	}
	if reqs.Load() != 20 {
		t.Fatalf("resume of a finished run sent %d more requests", reqs.Load()-20)
	}

	// dry run: prints requests, sends nothing
	stdout.Reset()
	if code := runReplay([]string{trace, "--helpdesk", "rt5", "--dry-run", "--max-tickets", "2"}, &stdout, &stderr); code != 0 {
		t.Fatalf("dry run exit %d: %s", code, stderr.String())
	}
	if got := strings.Count(stdout.String(), "\n"); got != 8 || !strings.Contains(stdout.String(), "POST http://dry-run.invalid/ticket ") {
		t.Fatalf("dry run printed %d lines:\n%s", got, stdout.String())
	}
}

func TestReplayCommandUsageErrors(t *testing.T) {
	dir := t.TempDir()
	trace := writeTrace(t, dir, 1)
	t.Setenv("EMPTY_TOKEN", "")
	for _, args := range [][]string{
		{},                                     // no scenario
		{trace, "--url", "http://127.0.0.1:1"}, // no token
		{trace, "--url", "http://127.0.0.1:1", "--token-env", "EMPTY_TOKEN"},
		{trace, "--url", "http://127.0.0.1:1", "--token-env", "A", "--token-file", "B"},
		{trace, "--url", "http://127.0.0.1:1", "--helpdesk", "bogus", "--dry-run"},
		{trace, "--rate", "fast", "--dry-run"},
		{trace, "--token", "x"}, // there is no token flag
	} {
		var stdout, stderr bytes.Buffer
		if code := runReplay(args, &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, stderr.String())
		}
	}
}
