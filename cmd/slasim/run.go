package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/report"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/trace"
)

func init() {
	commands["run"] = command{summary: "simulate a scenario: SLA attainment, queues, occupancy, cost", run: runRun}
}

// runSettings are the flags a simulation run shares between run and
// compare.
type runSettings struct {
	replications int
	seed         uint64
	seedSet      bool
	quiet        bool
	json         bool
	sets         []runOverride
	limits       sim.Limits
}

// runOverride is one --set key=value.
type runOverride struct{ key, value string }

func (o runOverride) String() string { return o.key + "=" + o.value }

// addRunSettings declares the flags shared by run and compare.
func addRunSettings(fs *flag.FlagSet, s *runSettings) {
	addReplicationsFlag(fs, &s.replications, "replications to run, `N` in [1, 10000] (default: the scenario's)")
	addLimitFlags(fs, &s.limits)
	fs.Func("seed", "random seed (default: the scenario's)", func(v string) error {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return fmt.Errorf("%q is not a seed (a whole number ≥ 0)", v)
		}
		s.seed, s.seedSet = n, true
		return nil
	})
	fs.BoolVar(&s.quiet, "quiet", false, "no progress bars")
	fs.BoolVar(&s.json, "json", false, "print JSON on stdout instead of text")
	fs.Func("set", "what-if override `key=value` (repeatable), e.g. shift.early.headcount=46", func(v string) error {
		k, val, ok := strings.Cut(v, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return fmt.Errorf("%q is not key=value (e.g. channel.chat.rate=200/h)", v)
		}
		s.sets = append(s.sets, runOverride{strings.TrimSpace(k), strings.TrimSpace(val)})
		return nil
	})
}

// runLoad reads a scenario and applies the overrides; problems are printed
// one per line.
func runLoad(path string, sets []runOverride, stderr io.Writer) (*model.Scenario, bool) {
	sc, err := model.Load(path)
	if err == nil {
		for _, o := range sets {
			if err = sc.Set(o.key, o.value); err != nil {
				break
			}
		}
	}
	if err != nil {
		var ps model.Problems
		var oe *model.OverrideError
		if errors.As(err, &ps) && !errors.As(err, &oe) {
			for _, p := range ps {
				fmt.Fprintln(stderr, p.Error())
			}
		} else {
			fmt.Fprintln(stderr, "slasim:", err)
		}
		return nil, false
	}
	return sc, true
}

func runRun(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var s runSettings
	addRunSettings(fs, &s)
	out := fs.String("out", "", "write result.json, intervals.csv, charts/ and report.html into `DIR`")
	force := fs.Bool("force", false, "write into a --out folder holding other files, or over an existing --trace file")
	tracePath := fs.String("trace", "", "write the lifecycle trace of replication 0 to `FILE` as JSON lines")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: slasim run SCENARIO [--json] [--out DIR] [--force] [--replications N] [--seed N]")
		fmt.Fprintln(stderr, "                  [--quiet] [--trace FILE] [--set key=value ...] [--max-tickets N] [--max-memory GIB]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Simulates the scenario and prints SLA attainment against target per channel and")
		fmt.Fprintln(stderr, "priority, waits and queues, occupancy per tier, cost per band and the worst intervals.")
		fmt.Fprintln(stderr, "A run expected to exceed --max-tickets or --max-memory is refused before it starts.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "slasim run: want exactly one scenario file")
		fs.Usage()
		return 2
	}
	sc, ok := runLoad(pos[0], s.sets, stderr)
	if !ok {
		return 2
	}
	opt := sim.Options{Replications: s.replications, Seed: s.seed, SeedSet: s.seedSet, QueueLimit: s.limits.Queue}
	if _, ok := checkWork("run", sc, opt, 1, s.limits, stderr); !ok {
		return 2
	}
	if *out != "" {
		if err := report.CheckDir(*out, *force); err != nil {
			fmt.Fprintln(stderr, "slasim run:", err)
			return 2
		}
	}
	var tr *traceOutput
	if *tracePath != "" {
		var err error
		if tr, err = createTrace(*tracePath, *force); err != nil {
			fmt.Fprintln(stderr, "slasim run:", err)
			return 2
		}
		defer tr.file.Close()
		opt.Trace = tr.w.Write
	}
	bars := newProgress(stderr, progressEnabled(stderr, s.quiet))
	opt.Progress = bars.track(sc.Meta.Name, runTotal(sc, s))
	// Ctrl-C or SIGTERM stops the replications; the run ends cleanly.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := sim.RunContext(ctx, sc, opt)
	bars.wait(err == nil)
	if err != nil {
		tr.discard()
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(stderr, "slasim run: interrupted; nothing written")
			return 130
		}
		fmt.Fprintln(stderr, "slasim run:", err)
		return 1
	}
	if err := tr.finish(); err != nil {
		fmt.Fprintln(stderr, "slasim run: trace:", err)
		return 1
	}
	if s.json {
		err = report.WriteJSON(stdout, res)
	} else {
		err = report.Summary(stdout, res, sc, report.SummaryOptions{Color: runColor(stdout)})
	}
	if err != nil {
		fmt.Fprintln(stderr, "slasim run:", err)
		return 1
	}
	if *out != "" {
		written, err := report.WriteAll(*out, res, sc, report.WriteOptions{Force: *force})
		if err != nil {
			fmt.Fprintln(stderr, "slasim run:", err)
			return 1
		}
		if !s.quiet {
			fmt.Fprintf(stderr, "wrote %d files into %s; open %s\n", len(written), *out, filepath.Join(*out, "report.html"))
		}
	}
	if queueVerdict("run", res, stderr) {
		return 1
	}
	return 0
}

// traceOutput is the --trace file of a run: created by it, so removed by
// it when the run fails.
type traceOutput struct {
	path string
	file *os.File
	w    *trace.Writer
}

// createTrace creates the trace file; an existing one is an error unless
// force.
func createTrace(path string, force bool) (*traceOutput, error) {
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("%s exists; use --force to overwrite it", path)
	}
	if err != nil {
		return nil, err
	}
	return &traceOutput{path: path, file: f, w: trace.NewWriter(f)}, nil
}

// discard closes and removes the trace of a failed run (nil: no trace).
func (t *traceOutput) discard() {
	if t != nil {
		t.file.Close()
		os.Remove(t.path)
	}
}

// finish writes what is buffered and closes the file (nil: no trace).
func (t *traceOutput) finish() error {
	if t == nil {
		return nil
	}
	if err := t.w.Flush(); err != nil {
		return err
	}
	return t.file.Close()
}

// runTotal is the number of replications a run will make.
func runTotal(sc *model.Scenario, s runSettings) int {
	if s.replications > 0 {
		return s.replications
	}
	return sc.Meta.Replications
}

// runColor reports whether text on w may use colour: a terminal, and
// NO_COLOR unset.
func runColor(w io.Writer) bool {
	return isTerminal(w) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
}
