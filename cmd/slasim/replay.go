package main

import (
	"cmp"
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
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/report"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/replay"
	"github.com/slasim/slasim/sim/replay/helpdesk"
	"github.com/slasim/slasim/sim/trace"
)

func init() {
	commands["replay"] = command{summary: "replay the simulated ticket lifecycle against a live helpdesk API", run: runReplay}
}

type replayFlags struct {
	helpdesk, url, tokenEnv, tokenFile   string
	speed                                float64
	rate, stages                         string
	maxTickets, maxInFlight, retries     int
	duration, timeout, interval, grace   time.Duration
	settle                               time.Duration
	journal, resume, summaryFrom, out    string
	json, dryRun, debug, insecure        bool
	abortRate                            float64
	users, queues, firstQueue, escQueue  string
	runID, mailgate, email, groups, tmpl string
	customFields                         bool
	customFieldsSet                      string // "on", "off" or "" (not given: when they exist)
	thresholds                           []replay.Threshold
}

func replayFlagSet(f *replayFlags, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.helpdesk, "helpdesk", "rt5", "helpdesk adapter: "+strings.Join(helpdesk.Names, ", "))
	fs.StringVar(&f.url, "url", "", "helpdesk API base URL (rt5: …/REST/2.0; zendesk: https://ACCOUNT.zendesk.com)")
	fs.StringVar(&f.tokenEnv, "token-env", "", "name of the environment variable holding the API token")
	fs.StringVar(&f.tokenFile, "token-file", "", "file holding the API token")
	fs.Float64Var(&f.speed, "speed", 60, "replay speed: simulated seconds per wall-clock second")
	fs.StringVar(&f.rate, "rate", "", "fixed rate instead of --speed, e.g. 50/s or 100/30m")
	fs.StringVar(&f.stages, "stages", "", "ramping rate instead of --speed, e.g. 2m:50/s,10m:500/s,2m:0/s (sending ends with the last stage)")
	fs.IntVar(&f.maxTickets, "max-tickets", 0, "replay only the first N tickets of the trace (0: all)")
	fs.DurationVar(&f.duration, "duration", 0, "hard bound on sending: no request leaves after this wall-clock time (0: whole trace)")
	fs.DurationVar(&f.grace, "grace", 5*time.Second, "after --duration, time given to requests in flight before they are cut (in doubt)")
	fs.IntVar(&f.maxInFlight, "max-in-flight", 64, "cap on requests in flight")
	fs.DurationVar(&f.timeout, "timeout", 30*time.Second, "per-request timeout")
	fs.DurationVar(&f.settle, "settle", 0, "after a timed-out or dropped create/reply, how long it may still appear before it is re-sent (0: --timeout)")
	fs.IntVar(&f.retries, "retries", 3, "re-sends of a failed request when safe (429s are waited out and never count)")
	fs.Float64Var(&f.abortRate, "abort-on-error-rate", 0, "stop when more than this share of actions failed (after 20), e.g. 0.2 (0: never)")
	fs.Func("threshold", "pass/fail criterion, repeatable: p99<2s, errors<1%, not_sent<=0 (crossed: exit 1)", func(v string) error {
		t, err := replay.ParseThreshold(v)
		f.thresholds = append(f.thresholds, t)
		return err
	})
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
	fs.BoolVar(&f.customFields, "rt5-custom-fields", false, "rt5: set custom fields Channel, Category and Priority class (default: when they exist, as rt5-up.sh creates them)")
	fs.StringVar(&f.email, "zendesk-email", "", "zendesk: agent e-mail for API-token auth (without: OAuth bearer token)")
	fs.StringVar(&f.groups, "zendesk-groups", "", "zendesk: queue=group_id pairs, comma-separated")
	fs.StringVar(&f.tmpl, "template", "", "generic: TOML file of request templates")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: slasim replay SCENARIO|TRACE.jsonl --helpdesk rt5|zendesk|generic --url URL --token-env VAR [flags]")
		fmt.Fprintln(stderr, "       slasim replay --summary-from JOURNAL [--json] [--out DIR]")
		fmt.Fprintln(stderr, "exit: 0 passed, 1 a threshold crossed, more than half of the actions failed or the run stopped, 2 bad input")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	return fs
}

// replaySetup is everything a run needs, checked before anything is sent.
type replaySetup struct {
	source  string
	state   *replay.JournalState
	adapter replay.Adapter
	opts    []replay.Option
}

func runReplay(args []string, stdout, stderr io.Writer) int {
	var f replayFlags
	fs := replayFlagSet(&f, stderr)
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	fs.Visit(func(fl *flag.Flag) {
		if fl.Name == "rt5-custom-fields" {
			f.customFieldsSet = map[bool]string{true: "on", false: "off"}[f.customFields]
		}
	})
	if f.summaryFrom != "" {
		return replaySummaryFrom(f, stdout, stderr)
	}
	if len(pos) != 1 {
		fs.Usage()
		fmt.Fprintf(stderr, "slasim replay: want exactly one scenario or trace file, got %d\n", len(pos))
		return 2
	}
	setup, err := f.setup(pos[0], stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "slasim replay: %v\n", err)
		return 2
	}
	return f.execute(setup, stdout, stderr)
}

// pacer builds the schedule from --speed, --rate or --stages (checked
// also for a dry run, which sends at once).
func (f *replayFlags) pacer() (replay.Pacer, error) {
	p, err := f.schedule()
	if err == nil && f.dryRun {
		p = replay.ASAP{}
	}
	return p, err
}

func (f *replayFlags) schedule() (replay.Pacer, error) {
	switch {
	case f.rate != "" && f.stages != "":
		return nil, errors.New("use --rate or --stages, not both")
	case f.rate != "":
		r, err := model.ParseRate(f.rate)
		if err != nil {
			return nil, fmt.Errorf("--rate: %w", err)
		}
		return replay.RatePacer{PerSecond: r}, nil
	case f.stages != "":
		p, err := replay.ParseStages(f.stages)
		if err != nil {
			return nil, fmt.Errorf("--stages: %w", err)
		}
		return p, nil
	case f.speed <= 0:
		return nil, errors.New("--speed must be positive")
	}
	return replay.SpeedPacer{Speed: f.speed}, nil
}

// setup checks the flags and builds the run; nothing is sent yet.
func (f *replayFlags) setup(source string, stdout, stderr io.Writer) (*replaySetup, error) {
	pacer, err := f.pacer()
	if err != nil {
		return nil, err
	}
	if f.abortRate < 0 || f.abortRate > 1 {
		return nil, errors.New("--abort-on-error-rate must be in [0,1]")
	}
	if f.url == "" && !f.dryRun {
		return nil, errors.New("--url is required")
	}
	if f.url == "" {
		f.url = "http://dry-run.invalid"
	}
	if err := replay.ValidateURL(f.url); err != nil {
		return nil, err
	}
	if f.tokenEnv != "" && f.tokenFile != "" {
		return nil, errors.New("use --token-env or --token-file, not both")
	}
	token, err := readToken(f.tokenEnv, f.tokenFile, stderr)
	if err != nil {
		return nil, err
	}
	if token == "" && !f.dryRun && helpdesk.NeedsToken(f.helpdesk) {
		return nil, errors.New("no API token: use --token-env VAR or --token-file FILE")
	}
	su := &replaySetup{source: source}
	if f.resume != "" {
		if su.state, err = f.resumeState(stderr); err != nil {
			return nil, err
		}
	}
	if f.runID == "" {
		var b [4]byte
		_, _ = rand.Read(b[:])
		f.runID = time.Now().UTC().Format("20060102") + hex.EncodeToString(b[:])
	}
	mapping := replay.Mapping{RunID: f.runID, FirstQueue: f.firstQueue, EscalationQueue: f.escQueue,
		Users: helpdesk.SplitList(f.users)}
	if len(mapping.Users) == 0 {
		mapping.Users = helpdesk.DefaultUsers(f.helpdesk)
	}
	if f.queues != "" {
		if mapping.Queues, err = helpdesk.Pairs(f.queues); err != nil {
			return nil, fmt.Errorf("--queues: %w", err)
		}
	}
	h := &replay.HTTP{}
	copts := replay.ClientOptions{Insecure: f.insecure, MaxConns: f.maxInFlight}
	if f.dryRun {
		copts.DryRun = stdout
		f.customFieldsSet = cmp.Or(f.customFieldsSet, "off")
	}
	h.Client = replay.NewClient(copts)
	if f.debug {
		h.Debug = stderr
	}
	ctx, cancel := context.WithTimeout(context.Background(), f.timeout)
	defer cancel()
	su.adapter, err = helpdesk.New(ctx, helpdesk.Config{Name: f.helpdesk, URL: f.url, Token: token, HTTP: h,
		RT5Mailgate: f.mailgate, RT5CustomFields: f.customFieldsSet, ZendeskEmail: f.email, ZendeskGroups: f.groups,
		Template: f.tmpl})
	if err != nil {
		return nil, err
	}
	su.opts = []replay.Option{replay.WithPacer(pacer), replay.WithMapping(mapping), replay.MaxInFlight(f.maxInFlight),
		replay.Timeout(f.timeout), replay.Duration(f.duration), replay.Grace(f.grace), replay.Settle(f.settle), replay.MaxTickets(f.maxTickets),
		replay.Retries(f.retries, 100*time.Millisecond, 5*time.Second), replay.Interval(f.interval)}
	if f.abortRate > 0 {
		su.opts = append(su.opts, replay.AbortOnErrorRate(f.abortRate, 20))
	}
	if su.state != nil {
		su.opts = append(su.opts, replay.Resume(su.state))
	}
	return su, nil
}

// resumeState reads the journal to resume, checks it matches the flags and
// repairs a last line cut by a crash.
func (f *replayFlags) resumeState(stderr io.Writer) (*replay.JournalState, error) {
	st, err := replay.ReadJournal(f.resume)
	if err != nil {
		return nil, fmt.Errorf("--resume: %w", err)
	}
	if f.runID, err = replay.CheckResume(st, replay.ResumeCheck{Helpdesk: f.helpdesk, MaxTickets: f.maxTickets, RunID: f.runID}); err != nil {
		return nil, fmt.Errorf("--resume: %w", err)
	}
	if f.journal == "" {
		f.journal = f.resume
	}
	if st.Torn && f.journal == f.resume && !f.dryRun {
		cut, err := replay.RepairJournal(f.resume, st)
		if err != nil {
			return nil, fmt.Errorf("--resume: %w", err)
		}
		fmt.Fprintf(stderr, "journal %s: its last line was cut by a crash; truncated it to the last complete record (%d bytes dropped)\n", f.resume, cut)
	}
	return st, nil
}

// execute runs the replay and reports; its result is the exit code.
func (f *replayFlags) execute(su *replaySetup, stdout, stderr io.Writer) int {
	actions, traceErr, err := openTrace(su.source)
	if err != nil {
		fmt.Fprintf(stderr, "slasim replay: %v\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := su.opts
	if st := su.state; st != nil {
		fmt.Fprintf(stderr, "resuming run %s: %d actions done, %d in doubt\n", f.runID, len(st.Done), len(st.InDoubt))
	}
	var j *replay.Journal
	if f.journal != "" && !f.dryRun {
		j, err = replay.OpenJournal(f.journal, replay.Header{RunID: f.runID, Helpdesk: f.helpdesk, URL: f.url,
			Source: su.source, MaxTickets: f.maxTickets, Resumed: su.state != nil})
		if err != nil {
			fmt.Fprintf(stderr, "slasim replay: %v\n", err)
			return 2
		}
		opts = append(opts, replay.WithJournal(j))
	}
	stopProgress := f.progress(&opts, stderr)
	m, runErr := replay.Run(ctx, actions, su.adapter, opts...)
	stopProgress()
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
	s := m.Summary()
	code := writeReplayReport(*f, s, stdout, stderr)
	if runErr != nil {
		fmt.Fprintf(stderr, "slasim replay: %v\n", runErr)
		if f.journal != "" {
			fmt.Fprintf(stderr, "continue with: slasim replay %s --resume %s (same flags)\n", su.source, f.journal)
		}
		return 1
	}
	if f.dryRun {
		return code
	}
	if s.Warning != "" {
		fmt.Fprintf(stderr, "slasim replay: warning: %s\n", s.Warning)
	}
	for _, why := range replay.Verdict(s, f.thresholds) {
		fmt.Fprintf(stderr, "slasim replay: FAIL: %s\n", why)
		code = 1
	}
	return code
}

// progress prints a line every 5 s while the run goes on; the returned
// function stops it.
func (f *replayFlags) progress(opts *[]replay.Option, stderr io.Writer) func() {
	var done, failed atomic.Int64
	*opts = append(*opts, replay.OnResult(func(r *replay.Result) {
		done.Add(1)
		if !r.OK() {
			failed.Add(1)
		}
	}))
	stop := make(chan struct{})
	if f.dryRun {
		return func() {}
	}
	go func() {
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				fmt.Fprintf(stderr, "replay: %d actions done, %d not ok\n", done.Load(), failed.Load())
			}
		}
	}()
	return func() { close(stop) }
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
	for _, r := range st.Final() {
		m.Add(r)
	}
	m.AddEnd(st.End)
	if len(st.InDoubt) > 0 {
		fmt.Fprintf(stderr, "journal: %d actions in doubt (resume the run to settle them)\n", len(st.InDoubt))
	}
	if st.Torn {
		fmt.Fprintf(stderr, "journal: its last line was cut by a crash and is ignored\n")
	}
	f.dryRun = false
	s := m.Summary()
	code := writeReplayReport(f, s, stdout, stderr)
	for _, why := range replay.Verdict(s, f.thresholds) {
		fmt.Fprintf(stderr, "slasim replay: FAIL: %s\n", why)
		code = max(code, 1)
	}
	return code
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
