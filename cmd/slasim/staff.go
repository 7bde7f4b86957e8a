package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/report"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/staffing"
)

func init() {
	commands["staff"] = command{summary: "find staffing needs, plan shifts and cost them", run: runStaff}
}

func runStaff(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("staff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "write rota.csv, roster.csv, requirements.csv, staffing.json and charts into `DIR`")
	asJSON := fs.Bool("json", false, "print the plan as JSON instead of the summary")
	reps := new(int)
	addReplicationsFlag(fs, reps, "replications per simulation, `N` in [1, 10000] (default 10)")
	var limits sim.Limits
	addLimitFlags(fs, &limits)
	quiet := fs.Bool("quiet", false, "no progress bar")
	force := fs.Bool("force", false, "overwrite files in --out that slasim did not write")
	templates := fs.Bool("templates", false, "plan with the scenario's shift templates instead of generated patterns")
	noSens := fs.Bool("no-sensitivity", false, "skip the sensitivity table and tornado chart")
	startEvery := fs.String("start-every", "30m", "plan free shifts per date starting every `D` instead of contract positions")
	lengths := fs.String("lengths", "4h-10h/2h", "plan free shifts per date of lengths `MIN-MAX/STEP` or one length (\"8h\") instead of contract positions")
	contract := fs.Float64("contract-hours", 40, "contract `hours` of one FTE a week")
	meet := fs.String("meet", "interval", "service-level targets hold per `interval`, per day (the daily average) or over the period")
	curve := fs.String("curve", "", "cost-of-service curve: one plan per target `LO:HI:STEP` (e.g. 0.70:0.95:0.05)")
	curveChannels := fs.String("curve-channels", "", "channels whose target the curve moves, comma-separated (default all)")
	quantile := fs.Float64("quantile", 0, "plan for this `quantile` of each channel's volume under its forecast_cv (0.9: P90), beside the median plan")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: slasim staff SCENARIO [--out DIR] [--json] [--replications N] [--quiet] [--templates] [--force]")
		fs.PrintDefaults()
	}
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fs.Usage()
		return 2
	}
	sc, ok := runLoad(pos[0], nil, stderr)
	if !ok {
		return 2
	}
	if *out != "" {
		if err := report.CheckDir(*out, *force); err != nil {
			fmt.Fprintln(stderr, "slasim staff:", err)
			return 2
		}
	}
	opt := staffing.Options{Replications: *reps, Templates: *templates, Sensitivity: !*noSens, ContractHours: *contract}
	var err error
	if opt.Meet, err = staffing.ParseMeet(*meet); err != nil {
		fmt.Fprintf(stderr, "slasim staff: --meet %v\n", err)
		return 2
	}
	if *quantile < 0 || *quantile >= 1 {
		fmt.Fprintf(stderr, "slasim staff: --quantile %g: want a quantile in (0, 1), e.g. 0.9\n", *quantile)
		return 2
	}
	opt.Quantile = *quantile
	if opt.StartEvery, err = model.ParseDuration(*startEvery); err != nil || opt.StartEvery < time.Minute || 24*time.Hour%opt.StartEvery != 0 {
		fmt.Fprintf(stderr, "slasim staff: --start-every %q: want a duration that divides a day, e.g. 30m or 1h\n", *startEvery)
		return 2
	}
	if opt.MinLength, opt.MaxLength, opt.LengthStep, err = parseLengths(*lengths); err != nil {
		fmt.Fprintf(stderr, "slasim staff: --lengths %q: %v\n", *lengths, err)
		return 2
	}
	fs.Visit(func(f *flag.Flag) { opt.Fragments = opt.Fragments || f.Name == "lengths" || f.Name == "start-every" })
	if *contract <= 0 || *contract > 80 {
		fmt.Fprintf(stderr, "slasim staff: --contract-hours %g: want (0, 80]\n", *contract)
		return 2
	}
	if *curve != "" {
		return runCurve(sc, opt, curveArgs{spec: *curve, channels: *curveChannels, out: *out, json: *asJSON, quiet: *quiet}, stdout, stderr)
	}
	total := staffing.MaxSimulations(sc, opt)
	perRun := sim.Options{Replications: *reps}
	if perRun.Replications == 0 {
		perRun.Replications = 10
	}
	work, ok := checkWork("staff", sc, perRun, total, limits, stderr)
	if !ok {
		return 2
	}
	if !*quiet {
		fmt.Fprintf(stderr, "staff: at most %d simulations of %s\n", total, work)
	}
	pb := newProgress(stderr, progressEnabled(stderr, *quiet))
	bar := pb.trackIn("staff", "simulations", total)
	if bar != nil {
		opt.Progress = bar
	}
	plan, err := staffing.Build(sc, opt)
	if bar != nil && err == nil {
		bar(plan.Runs, plan.Runs)
	}
	pb.wait(err == nil)
	if err != nil {
		return staffFailed(err, stderr)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(plan); err != nil {
			fmt.Fprintln(stderr, "slasim staff:", err)
			return 2
		}
	} else if err := report.StaffingSummary(stdout, sc, plan); err != nil {
		fmt.Fprintln(stderr, "slasim staff:", err)
		return 2
	}
	if *out != "" {
		if err := writeStaffing(*out, sc, plan, *force); err != nil {
			fmt.Fprintln(stderr, "slasim staff:", err)
			return 2
		}
	}
	if !plan.Met {
		fmt.Fprintln(stderr, "slasim staff: the plan cannot meet every target:", strings.Join(plan.Missed(), "; "))
		return 1
	}
	return 0
}

// staffFailed reports a plan that could not be made: exit 1 when its
// targets cannot be met (the reason said), 2 for anything else.
func staffFailed(err error, stderr io.Writer) int {
	fmt.Fprintln(stderr, "slasim staff:", err)
	if errors.Is(err, staffing.ErrInfeasible) {
		return 1
	}
	return 2
}

// parseLengths reads "4h-10h/2h" (lengths from 4h to 10h by 2h) or "8h".
func parseLengths(s string) (lo, hi, step time.Duration, err error) {
	rng, st, hasStep := strings.Cut(s, "/")
	a, b, isRange := strings.Cut(rng, "-")
	if lo, err = model.ParseDuration(a); err != nil {
		return
	}
	hi, step = lo, time.Hour
	if isRange {
		if hi, err = model.ParseDuration(b); err != nil {
			return
		}
	}
	if hasStep {
		if step, err = model.ParseDuration(st); err != nil {
			return
		}
	}
	if lo < time.Hour || hi > 24*time.Hour || hi < lo || step <= 0 {
		return 0, 0, 0, fmt.Errorf("want lengths between 1h and 24h, MIN ≤ MAX, a positive step")
	}
	return lo, hi, step, nil
}

func writeStaffing(dir string, sc *model.Scenario, plan *staffing.Plan, force bool) error {
	_, err := report.WriteStaffing(dir, sc, plan, report.WriteOptions{Force: force})
	return err
}
