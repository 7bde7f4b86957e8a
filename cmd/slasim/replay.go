package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/report"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/replay"
	"github.com/slasim/slasim/sim/replay/generic"
	"github.com/slasim/slasim/sim/replay/rt5"
	"github.com/slasim/slasim/sim/replay/zendesk"
	"github.com/slasim/slasim/sim/trace"
)

func init() {
	commands["replay"] = command{summary: "replay the simulated ticket lifecycle against a live helpdesk API", run: runReplay}
}

type replayFlags struct {
	helpdesk, url, tokenEnv, tokenFile   string
	speed                                float64
	rate                                 string
	maxTickets, maxInFlight, retries     int
	duration, timeout, interval          time.Duration
	journal, resume, summaryFrom, out    string
	json, dryRun, debug, insecure        bool
	abortRate                            float64
	users, queues, firstQueue, escQueue  string
	runID, mailgate, email, groups, tmpl string
	customFields                         bool
}

func replayFlagSet(f *replayFlags, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.helpdesk, "helpdesk", "rt5", "helpdesk adapter: rt5, zendesk or generic")
	fs.StringVar(&f.url, "url", "", "helpdesk API base URL (rt5: …/REST/2.0; zendesk: https://ACCOUNT.zendesk.com)")
	fs.StringVar(&f.tokenEnv, "token-env", "", "name of the environment variable holding the API token")
	fs.StringVar(&f.tokenFile, "token-file", "", "file holding the API token")
	fs.Float64Var(&f.speed, "speed", 60, "replay speed: simulated seconds per wall-clock second")
	fs.StringVar(&f.rate, "rate", "", "fixed rate instead of --speed, e.g. 50/s")
	fs.IntVar(&f.maxTickets, "max-tickets", 0, "replay only the first N tickets of the trace (0: all)")
	fs.DurationVar(&f.duration, "duration", 0, "stop sending after this wall-clock time (0: whole trace)")
	fs.IntVar(&f.maxInFlight, "max-in-flight", 64, "cap on requests in flight")
	fs.DurationVar(&f.timeout, "timeout", 30*time.Second, "per-request timeout")
	fs.IntVar(&f.retries, "retries", 3, "retries of a failed request when safe")
	fs.Float64Var(&f.abortRate, "abort-on-error-rate", 0, "stop when more than this share of actions failed (after 20), e.g. 0.2 (0: never)")
	fs.StringVar(&f.journal, "journal", "", "append every action and outcome to this JSON-lines journal")
	fs.StringVar(&f.resume, "resume", "", "continue the run recorded in this journal (appends to it)")
	fs.StringVar(&f.summaryFrom, "summary-from", "", "print the summary rebuilt from a journal and exit")
	fs.BoolVar(&f.json, "json", false, "print the summary as JSON")
	fs.StringVar(&f.out, "out", "", "write latency/throughput/error charts (PNG+SVG) to this directory")
	fs.DurationVar(&f.interval, "interval", time.Second, "grain of the per-interval series")
	fs.BoolVar(&f.dryRun, "dry-run", false, "print the requests that would be sent, send nothing")
	fs.BoolVar(&f.debug, "debug", false, "log every request with its body (secrets redacted) to stderr")
	fs.BoolVar(&f.insecure, "insecure", false, "do not verify TLS certificates")
	fs.StringVar(&f.users, "users", "", "helpdesk users standing for simulated agents, comma-separated (rt5 default: agent1,agent2,agent3,agent4)")
	fs.StringVar(&f.queues, "queues", "", "tier=queue pairs, comma-separated (default: representative→General, other tiers→Tier2)")
	fs.StringVar(&f.firstQueue, "first-queue", "General", "queue of new tickets and of the first tier")
	fs.StringVar(&f.escQueue, "escalation-queue", "Tier2", "queue of tiers not in --queues")
	fs.StringVar(&f.runID, "run-id", "", "marker prefix of this run's tickets (default: random)")
	fs.StringVar(&f.mailgate, "rt5-mailgate", "", "rt5: mail gateway URL; customer replies then arrive as mail from the requester")
	fs.BoolVar(&f.customFields, "rt5-custom-fields", false, "rt5: also set custom fields Channel and Category (must exist)")
	fs.StringVar(&f.email, "zendesk-email", "", "zendesk: agent e-mail for API-token auth (without: OAuth bearer token)")
	fs.StringVar(&f.groups, "zendesk-groups", "", "zendesk: queue=group_id pairs, comma-separated")
	fs.StringVar(&f.tmpl, "template", "", "generic: TOML file of request templates")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: slasim replay SCENARIO|TRACE.jsonl --helpdesk rt5|zendesk|generic --url URL --token-env VAR [flags]")
		fmt.Fprintln(stderr, "       slasim replay --summary-from JOURNAL [--json] [--out DIR]")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	return fs
}

func runReplay(args []string, stdout, stderr io.Writer) int {
	var f replayFlags
	fs := replayFlagSet(&f, stderr)
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	bad := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "slasim replay: "+format+"\n", a...)
		return 2
	}
	if f.summaryFrom != "" {
		return replaySummaryFrom(f, stdout, stderr)
	}
	if len(pos) != 1 {
		fs.Usage()
		return bad("want exactly one scenario or trace file, got %d", len(pos))
	}
	var pacer replay.Pacer = replay.SpeedPacer{Speed: f.speed}
	if f.rate != "" {
		r, err := model.ParseRate(f.rate)
		if err != nil {
			return bad("--rate: %v", err)
		}
		pacer = replay.RatePacer{PerSecond: r}
	} else if f.speed <= 0 {
		return bad("--speed must be positive")
	}
	if f.dryRun {
		pacer = replay.ASAP{}
	}
	if f.abortRate < 0 || f.abortRate > 1 {
		return bad("--abort-on-error-rate must be in [0,1]")
	}
	if f.url == "" && !f.dryRun {
		return bad("--url is required")
	}
	if f.url == "" {
		f.url = "http://dry-run.invalid"
	}
	if f.tokenEnv != "" && f.tokenFile != "" {
		return bad("use --token-env or --token-file, not both")
	}
	token, err := readToken(f.tokenEnv, f.tokenFile, stderr)
	if err != nil {
		return bad("%v", err)
	}
	if token == "" && !f.dryRun && f.helpdesk != "generic" {
		return bad("no API token: use --token-env VAR or --token-file FILE")
	}

	// the resumed run
	var state *replay.JournalState
	if f.resume != "" {
		if state, err = replay.ReadJournal(f.resume); err != nil {
			return bad("--resume: %v", err)
		}
		h0 := state.Headers[0]
		if h0.Helpdesk != f.helpdesk {
			return bad("--resume: the journal is of a %s run, not %s", h0.Helpdesk, f.helpdesk)
		}
		if h0.MaxTickets != f.maxTickets {
			return bad("--resume: the journal's run had --max-tickets %d; use the same", h0.MaxTickets)
		}
		if f.runID != "" && f.runID != h0.RunID {
			return bad("--resume: run id %s differs from the journal's %s", f.runID, h0.RunID)
		}
		f.runID = h0.RunID
		if f.journal == "" {
			f.journal = f.resume
		}
	}
	if f.runID == "" {
		var b [4]byte
		_, _ = rand.Read(b[:])
		f.runID = time.Now().UTC().Format("20060102") + hex.EncodeToString(b[:])
	}

	mapping := replay.Mapping{RunID: f.runID, FirstQueue: f.firstQueue, EscalationQueue: f.escQueue}
	if f.users != "" {
		mapping.Users = splitList(f.users)
	} else if f.helpdesk == "rt5" {
		mapping.Users = []string{"agent1", "agent2", "agent3", "agent4"}
	}
	if f.queues != "" {
		if mapping.Queues, err = pairs(f.queues); err != nil {
			return bad("--queues: %v", err)
		}
	}

	h := &replay.HTTP{}
	copts := replay.ClientOptions{Insecure: f.insecure, MaxConns: f.maxInFlight}
	if f.dryRun {
		copts.DryRun = stdout
	}
	h.Client = replay.NewClient(copts)
	if f.debug {
		h.Debug = stderr
	}
	var ad replay.Adapter
	switch f.helpdesk {
	case "rt5":
		ad, err = rt5.New(rt5.Config{URL: f.url, Token: token, MailgateURL: f.mailgate, CustomFields: f.customFields, HTTP: h})
	case "zendesk":
		groups := map[string]int64{}
		if f.groups != "" {
			g, perr := pairs(f.groups)
			if perr != nil {
				return bad("--zendesk-groups: %v", perr)
			}
			for k, v := range g {
				id, perr := strconv.ParseInt(v, 10, 64)
				if perr != nil {
					return bad("--zendesk-groups: group id %q of %s is not a number", v, k)
				}
				groups[k] = id
			}
		}
		ad, err = zendesk.New(zendesk.Config{URL: f.url, Email: f.email, Token: token, Groups: groups, HTTP: h})
	case "generic":
		if f.tmpl == "" {
			return bad("--helpdesk generic needs --template FILE")
		}
		ad, err = generic.LoadFile(f.tmpl, f.url, token, h)
	default:
		return bad("--helpdesk %q: want rt5, zendesk or generic", f.helpdesk)
	}
	if err != nil {
		return bad("%v", err)
	}

	actions, traceErr, err := openTrace(pos[0])
	if err != nil {
		return bad("%v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := []replay.Option{replay.WithPacer(pacer), replay.WithMapping(mapping), replay.MaxInFlight(f.maxInFlight),
		replay.Timeout(f.timeout), replay.Duration(f.duration), replay.MaxTickets(f.maxTickets),
		replay.Retries(f.retries, 100*time.Millisecond, 5*time.Second), replay.Interval(f.interval)}
	if f.abortRate > 0 {
		opts = append(opts, replay.AbortOnErrorRate(f.abortRate, 20))
	}
	if state != nil {
		opts = append(opts, replay.Resume(state))
		fmt.Fprintf(stderr, "resuming run %s: %d actions done, %d in doubt\n", f.runID, len(state.Done), len(state.InDoubt))
	}
	var j *replay.Journal
	if f.journal != "" && !f.dryRun {
		j, err = replay.OpenJournal(f.journal, replay.Header{RunID: f.runID, Helpdesk: f.helpdesk, URL: f.url,
			Source: pos[0], MaxTickets: f.maxTickets, Resumed: state != nil})
		if err != nil {
			return bad("%v", err)
		}
		opts = append(opts, replay.WithJournal(j))
	}
	var done, failed atomic.Int64
	opts = append(opts, replay.OnResult(func(r *replay.Result) {
		done.Add(1)
		if !r.OK() {
			failed.Add(1)
		}
	}))
	progressDone := make(chan struct{})
	if !f.dryRun {
		go func() {
			t := time.NewTicker(5 * time.Second)
			defer t.Stop()
			for {
				select {
				case <-progressDone:
					return
				case <-t.C:
					fmt.Fprintf(stderr, "replay: %d actions done, %d failed\n", done.Load(), failed.Load())
				}
			}
		}()
	}
	m, runErr := replay.Run(ctx, actions, ad, opts...)
	close(progressDone)
	if j != nil {
		if err := j.Close(); err != nil && runErr == nil {
			runErr = err
		}
	}
	if err := *traceErr; err != nil {
		// Reported even when the run failed too: both are needed to act.
		fmt.Fprintf(stderr, "slasim replay: trace: %v\n", err)
		if runErr == nil {
			return 2
		}
	}
	code = writeReplayReport(f, m.Summary(), stdout, stderr)
	if runErr != nil {
		fmt.Fprintf(stderr, "slasim replay: %v\n", runErr)
		if f.journal != "" {
			fmt.Fprintf(stderr, "continue with: slasim replay %s --resume %s (same flags)\n", pos[0], f.journal)
		}
		return 1
	}
	return code
}

func writeReplayReport(f replayFlags, s replay.Summary, stdout, stderr io.Writer) int {
	if f.dryRun {
		fmt.Fprintf(stderr, "dry run: %d actions, %d requests printed, nothing sent\n", s.Actions, s.Requests)
		return 0
	}
	var err error
	if f.json {
		err = report.WriteReplayJSON(stdout, s)
	} else {
		err = report.ReplaySummary(stdout, s)
	}
	if err == nil && f.out != "" {
		var names []string
		names, err = report.WriteReplayCharts(f.out, s)
		if err == nil && !f.json {
			fmt.Fprintf(stdout, "Charts: %s in %s\n", strings.Join(names, " "), f.out)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "slasim replay: %v\n", err)
		return 1
	}
	return 0
}

func replaySummaryFrom(f replayFlags, stdout, stderr io.Writer) int {
	st, err := replay.ReadJournal(f.summaryFrom)
	if err != nil {
		fmt.Fprintf(stderr, "slasim replay: %v\n", err)
		return 2
	}
	m := replay.NewMetrics(f.interval)
	for _, r := range st.Results {
		m.Add(r)
	}
	if len(st.InDoubt) > 0 {
		fmt.Fprintf(stderr, "journal: %d actions began but never completed (resume the run to settle them)\n", len(st.InDoubt))
	}
	f.dryRun = false
	return writeReplayReport(f, m.Summary(), stdout, stderr)
}

// readToken reads the API token from the environment or a file; it is
// never taken from a flag and never printed.
func readToken(env, file string, stderr io.Writer) (string, error) {
	switch {
	case env != "":
		v, ok := os.LookupEnv(env)
		if !ok || strings.TrimSpace(v) == "" {
			return "", fmt.Errorf("--token-env %s: the variable is not set or empty", env)
		}
		return strings.TrimSpace(v), nil
	case file != "":
		fi, err := os.Stat(file)
		if err != nil {
			return "", fmt.Errorf("--token-file: %w", err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			fmt.Fprintf(stderr, "slasim replay: warning: token file %s is readable by others (mode %v)\n", file, fi.Mode().Perm())
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("--token-file: %w", err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	return "", nil
}

// openTrace returns the actions of a scenario (simulated, replication 0) or
// of a trace file written by `slasim run --trace` (JSON lines, named
// *.jsonl; anything else is read as a scenario). The error
// of the trace is available after the iteration ended.
func openTrace(path string) (iter.Seq[trace.Action], *error, error) {
	var traceErr error
	if strings.HasSuffix(path, ".jsonl") {
		fh, err := os.Open(path)
		if err != nil {
			return nil, nil, err
		}
		actions, readErr := trace.Read(fh, path)
		return func(yield func(trace.Action) bool) {
			defer fh.Close()
			for a := range actions {
				if !yield(a) {
					break
				}
			}
			traceErr = readErr()
		}, &traceErr, nil
	}
	sc, err := model.Load(path)
	if err != nil {
		return nil, nil, err
	}
	errStop := errors.New("stop")
	return func(yield func(trace.Action) bool) {
		err := sim.TraceRun(sc, func(a trace.Action) error {
			if !yield(a) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			traceErr = err
		}
	}, &traceErr, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func pairs(s string) (map[string]string, error) {
	m := map[string]string{}
	for _, p := range splitList(s) {
		k, v, ok := strings.Cut(p, "=")
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("%q is not name=value", p)
		}
		m[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return m, nil
}
