package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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
		{trace, "--token", "x"},              // there is no token flag
		{trace, "--rate", "50", "--dry-run"}, // a rate needs a unit
		{trace, "--stages", "2m:50/s,10m", "--dry-run"},
		{trace, "--stages", "2m:50/s", "--rate", "5/s", "--dry-run"},
		{trace, "--threshold", "p99<fast", "--dry-run"},
		{trace, "--threshold", "latency<2s", "--dry-run"},
		// malformed --url: refused before anything is sent
		{trace, "--helpdesk", "generic", "--url", "ftp://127.0.0.1:1/x"},
		{trace, "--helpdesk", "generic", "--url", "127.0.0.1:8080"},
		{trace, "--helpdesk", "generic", "--url", "http://"},
		{trace, "--helpdesk", "generic", "--url", "http://host/%zz"},
		{trace, "--helpdesk", "generic", "--url", "http://host:99999/"},
	} {
		var stdout, stderr bytes.Buffer
		if code := runReplay(args, &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, stderr.String())
		}
	}
}

// Every action failing (a wrong token: 401) exits 1, as does a crossed
// threshold; a clean run within its thresholds exits 0.
func TestReplayCommandExitCodes(t *testing.T) {
	dir := t.TempDir()
	trace := writeTrace(t, dir, 5)
	tmpl := filepath.Join(dir, "hd.toml")
	os.WriteFile(tmpl, []byte(cliTemplate), 0o600)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer right" {
			w.WriteHeader(401)
			return
		}
		w.WriteHeader(201)
		io.WriteString(w, `{"id": 1}`)
	}))
	defer srv.Close()
	base := []string{trace, "--helpdesk", "generic", "--template", tmpl, "--url", srv.URL, "--token-env", "TOK"}
	for _, c := range []struct {
		token string
		extra []string
		code  int
		say   string
	}{
		{"wrong", nil, 1, "more than half"},
		{"right", nil, 0, ""},
		{"right", []string{"--threshold", "p99<1h", "--threshold", "errors<1%"}, 0, ""},
		{"right", []string{"--threshold", "p50<1ns"}, 1, "threshold p50<1ns crossed"},
		// a ramp 0→500/s over 1 s has room for all 20 actions; 0→10/s over 1 s for 6
		{"right", []string{"--stages", "1s:500/s"}, 0, ""},
		{"right", []string{"--stages", "1s:10/s", "--json"}, 0, `"duration": 14`}, // n = 0..5 are due by 1 s
	} {
		t.Setenv("TOK", c.token)
		var stdout, stderr bytes.Buffer
		extra := c.extra
		if !slices.Contains(extra, "--stages") {
			extra = append([]string{"--rate", "500/s"}, extra...)
		}
		code := runReplay(append(append([]string{}, base...), extra...), &stdout, &stderr)
		if code != c.code || !strings.Contains(stderr.String()+stdout.String(), c.say) {
			t.Errorf("token %s %v: exit %d (want %d), stderr %q", c.token, c.extra, code, c.code, stderr.String())
		}
	}
}

// The journal header keeps the URL without its credentials.
func TestReplayJournalURLWithoutCredentials(t *testing.T) {
	dir := t.TempDir()
	trace := writeTrace(t, dir, 1)
	tmpl := filepath.Join(dir, "hd.toml")
	os.WriteFile(tmpl, []byte(cliTemplate), 0o600)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(201)
		io.WriteString(w, `{"id": 1}`)
	}))
	defer srv.Close()
	u := strings.Replace(srv.URL, "http://", "http://alice:pw-s3cret-9@", 1)
	journal := filepath.Join(dir, "j.jsonl")
	var stdout, stderr bytes.Buffer
	if code := runReplay([]string{trace, "--helpdesk", "generic", "--template", tmpl, "--url", u, "--rate", "100/s",
		"--journal", journal, "--debug"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	b, _ := os.ReadFile(journal)
	for name, text := range map[string]string{"journal": string(b), "stdout": stdout.String(), "stderr": stderr.String()} {
		if strings.Contains(text, "pw-s3cret-9") || strings.Contains(text, "alice") {
			t.Errorf("%s holds the URL's credentials: %.300s", name, text)
		}
	}
}

// TestTraceSIGINTChild is the `slasim run --trace` process that
// TestTraceInterruptedLeavesWholeLines interrupts; alone it does nothing.
func TestTraceSIGINTChild(t *testing.T) {
	path := os.Getenv("SLASIM_SIGINT_TRACE")
	if path == "" {
		t.Skip("child of TestTraceInterruptedLeavesWholeLines")
	}
	os.Exit(runRun([]string{"../../scenarios/black-friday.toml", "--quiet", "--replications", "4", "--trace", path}, io.Discard, os.Stderr))
}

// Ctrl-C while `slasim run --trace` writes: exit 130 and no partial line
// (the run removes the trace it created; if one is left, it holds whole
// lines only).
func TestTraceInterruptedLeavesWholeLines(t *testing.T) {
	if testing.Short() {
		t.Skip("subprocess test")
	}
	path := filepath.Join(t.TempDir(), "trace.jsonl")
	cmd := exec.Command(os.Args[0], "-test.run=^TestTraceSIGINTChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "SLASIM_SIGINT_TRACE="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if fi, err := os.Stat(path); err == nil && fi.Size() > 1<<20 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the trace did not grow: %s", stderr.String())
		}
	}
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit: %v, want 130 (%s)", err, stderr.String())
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return // removed: nothing half-written is left
	}
	if err != nil || len(b) > 0 && b[len(b)-1] != '\n' {
		t.Fatalf("trace of %d bytes does not end with a newline (err %v)", len(b), err)
	}
	// every line a whole action (trace.Read would also check the order of
	// times, which refuses black-friday's warm-up times: reported, not ours)
	lines := bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n"))
	for i, l := range lines {
		var a trace.Action
		if err := json.Unmarshal(l, &a); err != nil {
			t.Fatalf("line %d of %d: %v", i+1, len(lines), err)
		}
	}
}

// --resume on a journal whose last line was cut by a crash truncates it to
// the last complete record, says so, and the resumed run completes.
func TestReplayResumeRepairsCutJournal(t *testing.T) {
	dir := t.TempDir()
	tr := writeTrace(t, dir, 3)
	tmpl := filepath.Join(dir, "hd.toml")
	os.WriteFile(tmpl, []byte(cliTemplate), 0o600)
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(201)
		fmt.Fprintf(w, `{"id": %d}`, n.Add(1))
	}))
	defer srv.Close()
	journal := filepath.Join(dir, "j.jsonl")
	args := []string{tr, "--helpdesk", "generic", "--template", tmpl, "--url", srv.URL, "--rate", "500/s", "--journal", journal}
	var stdout, stderr bytes.Buffer
	if code := runReplay(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	f, _ := os.OpenFile(journal, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"ev":"done","i":3,"tic`)
	f.Close()
	stderr.Reset()
	if code := runReplay([]string{tr, "--helpdesk", "generic", "--template", tmpl, "--url", srv.URL, "--resume", journal}, &stdout, &stderr); code != 0 {
		t.Fatalf("resume exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "truncated it to the last complete record") {
		t.Errorf("resume did not say it repaired the journal: %s", stderr.String())
	}
	stdout.Reset()
	if code := runReplay([]string{"--summary-from", journal}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "Replay: 12 actions") {
		t.Fatalf("summary of the repaired journal: exit %d %s %s", code, stdout.String(), stderr.String())
	}
}
