package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/report"
)

func init() {
	commands["erlang"] = command{
		summary: "service level, waits and agents needed from the Erlang C/A formulas",
		run:     runErlang,
	}
}

// erlangUsage is the help text of `slasim erlang`.
const erlangUsage = `usage: slasim erlang --rate RATE --aht DURATION (--agents N | --target SHARE) [flags]

Steady-state figures of one queue from the exact queueing formulas: Erlang C
(nobody abandons) or, with --patience, Erlang A (callers hang up after an
exponential patience). With --agents, the figures for that team; with
--target, the fewest agents that meet the service level (and --max-abandon).

examples:
  slasim erlang --rate 570/h --aht 5m --agents 50 --within 20s
  slasim erlang --rate 570/h --aht 5m --target 0.8 --within 20s --patience 2m --max-abandon 0.05

flags:
`

// runErlang implements `slasim erlang`: flags in, one table or JSON object
// out. All the queueing lives in model.ErlangC, model.ErlangA and
// model.AgentsFor.
func runErlang(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("erlang", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported below on one line
	rateFlag := fs.String("rate", "", "arrival rate with a unit: 570/h, 12000/d, 10/m (required)")
	ahtFlag := fs.String("aht", "", "mean handle time: 5m, 240s, 1m30s (required)")
	agentsFlag := fs.Int("agents", 0, "agents taking contacts: print the figures for this team")
	targetFlag := fs.Float64("target", 0, "service-level target, a share in (0,1] such as 0.8: find the agents needed")
	withinFlag := fs.String("within", "20s", "service-level threshold: answered within this wait")
	patienceFlag := fs.String("patience", "", "mean patience before a waiting contact abandons, e.g. 2m (Erlang A); none means nobody abandons (Erlang C)")
	maxAbandonFlag := fs.Float64("max-abandon", 0, "with --target and --patience: the largest abandonment share allowed, e.g. 0.05")
	jsonFlag := fs.Bool("json", false, "print one JSON object instead of a table")
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "slasim erlang: "+format+"\n", a...)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, erlangUsage)
			fs.SetOutput(stderr)
			fs.PrintDefaults()
			return 0
		}
		return fail("%v (see slasim erlang -h)", err)
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q (every input is a flag; see slasim erlang -h)", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	if !set["rate"] {
		return fail("--rate is required, e.g. --rate 570/h")
	}
	lambda, err := model.ParseRate(*rateFlag)
	if err != nil {
		return fail("--rate: %v", err)
	}
	if !set["aht"] {
		return fail("--aht is required, e.g. --aht 5m")
	}
	aht, err := erlangPositiveDuration(*ahtFlag)
	if err != nil {
		return fail("--aht: %v", err)
	}
	within, err := model.ParseDuration(*withinFlag)
	if err != nil {
		return fail("--within: %v", err)
	}
	var patience time.Duration
	if set["patience"] {
		if patience, err = erlangPositiveDuration(*patienceFlag); err != nil {
			return fail("--patience: %v", err)
		}
	}
	switch {
	case set["agents"] && set["target"]:
		return fail("--agents and --target exclude each other: give --agents N for a team's figures, or --target SHARE for the agents needed")
	case !set["agents"] && !set["target"]:
		return fail("give --agents N for a team's figures, or --target SHARE (e.g. 0.8) for the agents needed")
	case set["agents"] && *agentsFlag < 1:
		return fail("--agents %d: need at least 1 agent", *agentsFlag)
	case set["agents"] && *agentsFlag > model.MaxAgents:
		// The formulas take time in proportion to the team size.
		return fail("--agents %d: at most %d agents (the largest team the formulas consider)", *agentsFlag, model.MaxAgents)
	case set["target"] && !(*targetFlag > 0 && *targetFlag <= 1):
		return fail("--target %g is not in (0,1]: give a share, e.g. 0.8 for 80%%", *targetFlag)
	case set["max-abandon"] && !set["target"]:
		return fail("--max-abandon only applies with --target (it caps the abandonment of the team searched for)")
	case set["max-abandon"] && !set["patience"]:
		return fail("--max-abandon needs --patience: without it nobody abandons (Erlang C)")
	case set["max-abandon"] && !(*maxAbandonFlag > 0 && *maxAbandonFlag < 1):
		return fail("--max-abandon %g is not in (0,1): give a share, e.g. 0.05 for 5%%", *maxAbandonFlag)
	}

	ahtSec, withinSec, patienceSec := aht.Seconds(), within.Seconds(), patience.Seconds()
	load := lambda * ahtSec
	var r model.ErlangResult
	if set["target"] {
		r, err = model.AgentsFor(lambda, ahtSec, patienceSec, withinSec, *targetFlag, *maxAbandonFlag)
		if errors.Is(err, model.ErrInfeasible) {
			fmt.Fprintf(stderr, "slasim erlang: --target %g: %v\n", *targetFlag, err)
			return 1
		}
	} else if patience > 0 {
		r, err = model.ErlangA(lambda, ahtSec, patienceSec, *agentsFlag, withinSec)
	} else {
		r, err = model.ErlangC(lambda, ahtSec, *agentsFlag, withinSec)
		if errors.Is(err, model.ErrUnstable) {
			return fail("--agents %d: unstable: %.4g erlangs offered (%s × %s) need more than %.4g agents when nobody abandons, or the queue grows without bound; use --agents %d or more, or give --patience for Erlang A",
				*agentsFlag, load, *rateFlag, *ahtFlag, load, int(math.Floor(load))+1)
		}
	}
	if err != nil {
		return fail("%v", err)
	}

	ans := report.ErlangAnswer{Rate: *rateFlag, Load: load, AHT: ahtSec, Within: withinSec, Patience: patienceSec,
		Searched: set["target"], Target: *targetFlag, MaxAbandon: *maxAbandonFlag, Result: r}
	write := report.WriteErlang
	if *jsonFlag {
		write = report.WriteErlangJSON
	}
	if err := write(stdout, ans); err != nil {
		fmt.Fprintf(stderr, "slasim erlang: %v\n", err)
		return 1
	}
	return 0
}

// erlangPositiveDuration parses a duration that must be longer than zero.
func erlangPositiveDuration(s string) (time.Duration, error) {
	d, err := model.ParseDuration(s)
	if err != nil {
		return 0, err
	}
	if d <= 0 {
		return 0, fmt.Errorf("duration %q must be longer than zero", s)
	}
	return d, nil
}
