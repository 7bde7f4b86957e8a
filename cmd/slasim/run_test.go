package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/trace"
)

const testScenario = "../../scenarios/small-team.toml"

// quick are flags that keep a test run short.
var quick = []string{"--replications", "3", "--seed", "7", "--set", "scenario.duration=2d"}

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = dispatch(args, &o, &e)
	return code, o.String(), e.String()
}

func TestRunSummary(t *testing.T) {
	code, out, errs := runCLI(t, append([]string{"run", testScenario}, quick...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"SERVICE LEVEL", "phone", "MET", "AGENTS", "COST", "per resolved ticket"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") || strings.Contains(errs, "\x1b[") {
		t.Error("colour or progress codes when not writing to a terminal")
	}
}

func TestRunJSONFlagsEitherSide(t *testing.T) {
	_, a, _ := runCLI(t, append([]string{"run", testScenario, "--json"}, quick...)...)
	_, b, _ := runCLI(t, append(append([]string{"run", "--json"}, quick...), testScenario)...)
	if a != b || a == "" {
		t.Fatal("flags before and after the scenario give different output")
	}
	var r sim.Result
	if err := json.Unmarshal([]byte(a), &r); err != nil {
		t.Fatal(err)
	}
	if r.Seed != 7 || r.Replications != 3 || len(r.Channels) == 0 {
		t.Errorf("seed %d, replications %d, %d channels", r.Seed, r.Replications, len(r.Channels))
	}
}

func TestRunOut(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "report")
	args := append([]string{"run", testScenario, "--out", dir}, quick...)
	if code, _, errs := runCLI(t, args...); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, f := range []string{"result.json", "intervals.csv", "report.html", "charts/service-level.png", "charts/service-level.svg", "charts/cost.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("--out did not write %s", f)
		}
	}
	// Our own files are rewritten freely.
	if code, _, errs := runCLI(t, args...); code != 0 {
		t.Fatalf("second run into the same folder: exit %d: %s", code, errs)
	}
	// A file of the user's makes us refuse, before simulating…
	mine := filepath.Join(dir, "notes.txt")
	os.WriteFile(mine, []byte("mine"), 0o644)
	code, _, errs := runCLI(t, args...)
	if code != 2 || !strings.Contains(errs, "notes.txt") || !strings.Contains(errs, "--force") {
		t.Fatalf("foreign file: exit %d, %q", code, errs)
	}
	// …unless --force, which still leaves it alone.
	if code, _, errs := runCLI(t, append(args, "--force")...); code != 0 {
		t.Fatalf("--force: exit %d: %s", code, errs)
	}
	if b, _ := os.ReadFile(mine); string(b) != "mine" {
		t.Error("--force touched the user's file")
	}
}

func TestRunTrace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trace.jsonl")
	args := append([]string{"run", testScenario, "--quiet", "--trace", path}, quick...)
	if code, _, errs := runCLI(t, args...); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n, last := 0, -1.0
	kinds := map[trace.Kind]bool{}
	for sc.Scan() {
		var a trace.Action
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		if a.T < last {
			t.Fatalf("line %d goes back in time", n+1)
		}
		last = a.T
		kinds[a.Kind] = true
		n++
	}
	if n == 0 || !kinds[trace.Created] || !kinds[trace.Resolved] {
		t.Errorf("trace has %d lines, kinds %v", n, kinds)
	}
	code, _, errs := runCLI(t, args...)
	if code != 2 || !strings.Contains(errs, "--force") {
		t.Errorf("existing trace file: exit %d, %q", code, errs)
	}
	if code, _, errs := runCLI(t, append(args, "--force")...); code != 0 {
		t.Errorf("--force over a trace: exit %d: %s", code, errs)
	}
}

func TestRunBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run"}, "want exactly one scenario"},
		{[]string{"run", "nope.toml"}, "nope.toml: no such file"},
		{[]string{"run", testScenario, "--set", "channel.fax.rate=2/h"}, `no channel named`},
		{[]string{"run", testScenario, "--set", "shift.morning.headcount=lots"}, `not a whole number`},
		{[]string{"run", testScenario, "--set", "oops"}, `not key=value`},
		{[]string{"run", testScenario, "--seed", "-1"}, `not a seed`},
		{[]string{"run", testScenario, "--bogus"}, `flag provided but not defined`},
	} {
		code, _, errs := runCLI(t, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
	if code, _, errs := runCLI(t, "run", "-h"); code != 0 || !strings.Contains(errs, "--replications") {
		t.Errorf("run -h: exit %d, %q", code, errs)
	}
}

func TestProgressOffWhenNotATerminal(t *testing.T) {
	var e bytes.Buffer
	if progressEnabled(&e, false) {
		t.Error("progress on for a buffer")
	}
	pb := newProgress(&e, false)
	if f := pb.track("x", 3); f != nil {
		t.Error("a disabled bar returns a callback")
	}
	pb.wait(true)
}

func TestProgressBarsDraw(t *testing.T) {
	old := progressDelay
	defer func() { progressDelay = old }()
	for _, delay := range []time.Duration{0, time.Hour} {
		progressDelay = delay
		var e bytes.Buffer
		pb := newProgress(&e, true)
		f := pb.track("run", 4)
		time.Sleep(20 * time.Millisecond)
		for i := 1; i <= 4; i++ {
			f(i, 4)
		}
		done := make(chan struct{})
		go func() { pb.wait(true); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("delay %v: wait hangs", delay)
		}
		if delay == 0 && !strings.Contains(e.String(), "4/4 replications") {
			t.Errorf("bar output %q lacks the count", e.String())
		}
		if delay == time.Hour && strings.Contains(e.String(), "replications") {
			t.Errorf("a quick run drew a bar: %q", e.String())
		}
	}
}
