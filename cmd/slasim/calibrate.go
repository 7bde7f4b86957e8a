package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/report"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/calibrate"
)

func init() {
	commands["calibrate"] = command{summary: "estimate a scenario from a helpdesk's ticket history, backtest and forecast it", run: runCalibrate}
}

const calibrateUsage = `usage: slasim calibrate HISTORY [flags]

Estimates a scenario from a helpdesk's own history: arrivals per channel with
their weekly and intraday shape, category shares, handle times (lognormal and
gamma by maximum likelihood, with a KS distance), escalation and reply
probabilities, and patience from abandoned waits with answered waits as
censored observations. Writes a scenario TOML, commented with where each
number came from, and calibration.json.

HISTORY is a lifecycle trace (.jsonl, as 'slasim run --trace' writes; give
--start), a CSV event log (.csv, one row per status change; common header
names are recognised, others named in a --mapping TOML file), or rt5: the
tickets of a Request Tracker 5 read through REST2 (--url, --token-env,
--prefix, --speed, --queues), or zendesk: a Zendesk Support account's
incremental ticket and ticket-event exports (--url, --token-env, --email,
--groups, --start).

examples:
  slasim run scenarios/small-team.toml --trace trace.jsonl
  slasim calibrate trace.jsonl --start 2026-11-02T00:00:00+01:00 --mode phone=sync --out calibrated.toml
  slasim calibrate tickets.csv --mapping mapping.toml --timezone Europe/Amsterdam --backtest
  slasim calibrate rt5 --prefix slasim-run1- --speed 120 --start 2026-11-02T00:00:00+01:00
  slasim calibrate zendesk --url https://acme.zendesk.com --email ops@acme.com --token-env ZENDESK_TOKEN --start 2026-10-01T00:00:00Z

flags:
`

type calibrateFlags struct {
	start, end, timezone, interval, mapping string
	modes, within, out, jsonOut, name, For  string
	forecastOut, rt5URL, tokenEnv, prefix   string
	queues, html, email, groups, handle     string
	speed                                   float64
	maxBad                                  float64
	backtest                                bool
	replications                            int
	seed                                    uint64
}

func runCalibrate(args []string, stdout, stderr io.Writer) int {
	var f calibrateFlags
	fs := flag.NewFlagSet("calibrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, calibrateUsage); fs.PrintDefaults() }
	fs.StringVar(&f.start, "start", "", "start of the history's period, RFC 3339 (required for a trace; default: midnight before the first event)")
	fs.StringVar(&f.end, "end", "", "end of the history's period, RFC 3339 (default: the end of the last event's day)")
	fs.StringVar(&f.timezone, "timezone", "", "IANA time zone of the profiles' calendar (default: --start's offset, or UTC)")
	fs.StringVar(&f.interval, "interval", "30m", "grain of the intraday profile and the backtest")
	fs.StringVar(&f.mapping, "mapping", "", "TOML file mapping a CSV's columns and statuses")
	fs.StringVar(&f.modes, "mode", "", "channel modes, e.g. phone=sync,chat=concurrent (default: from the channel's name)")
	fs.StringVar(&f.within, "within", "", "SLA thresholds for the observed service level, e.g. phone=30s,email=4h (default: 20s sync, 1m concurrent, 4h deferred)")
	fs.StringVar(&f.out, "out", "calibrated.toml", "scenario file to write")
	fs.StringVar(&f.jsonOut, "json", "calibration.json", "calibration report (JSON) to write; empty: none")
	fs.StringVar(&f.html, "html", "calibration.html", "page with the fitted-vs-observed charts to write; empty: none")
	fs.StringVar(&f.name, "name", "", "name of the written scenario")
	fs.Float64Var(&f.maxBad, "max-bad", 0.01, "largest share of bad rows accepted; past it the command exits 2")
	fs.StringVar(&f.handle, "handle", "fit", "category handle times: fit (the better of lognormal and gamma) or empirical (the observed durations, in a CSV file beside --out)")
	fs.BoolVar(&f.backtest, "backtest", false, "simulate the calibrated scenario over the history's period and compare with what happened")
	fs.IntVar(&f.replications, "replications", 10, "replications of the written scenario (and of the backtest)")
	fs.Uint64Var(&f.seed, "seed", 1, "seed of the written scenario")
	fs.StringVar(&f.forecastOut, "forecast-out", "forecast.toml", "with --for: the scenario of the target period to write")
	fs.StringVar(&f.For, "for", "", "forecast a target period, e.g. 2026-11-23..2026-11-30 (needs two weeks of history)")
	fs.StringVar(&f.rt5URL, "url", "", "with HISTORY rt5: the REST2 base URL (default: $RT5_REST2_URL); with zendesk: the account's base URL")
	fs.StringVar(&f.tokenEnv, "token-env", "", "with HISTORY rt5 or zendesk: the environment variable holding the API token (default RT5_TOKEN, or ZENDESK_TOKEN)")
	fs.StringVar(&f.prefix, "prefix", "", "with HISTORY rt5: read the tickets whose subject starts with [PREFIX (a replay's: slasim-RUNID-)")
	fs.Float64Var(&f.speed, "speed", 1, "with HISTORY rt5: history seconds per second of RT time (a replay's --speed)")
	fs.StringVar(&f.queues, "queues", "", "with HISTORY rt5: queue=tier pairs, e.g. General=representative,Tier2=specialist (default: tier = queue)")
	fs.StringVar(&f.email, "email", "", "with HISTORY zendesk: the agent's e-mail of an API token (basic auth); empty: the token is an OAuth bearer token")
	fs.StringVar(&f.groups, "groups", "", "with HISTORY zendesk: group-id=tier pairs, e.g. 360001=representative,360002=specialist (default: tier group-ID)")
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "slasim calibrate: "+format+"\n", a...)
		return 2
	}
	if len(pos) != 1 {
		return fail("give one history file (see slasim calibrate -h)")
	}
	if f.handle != "fit" && f.handle != "empirical" {
		return fail("--handle %q: fit or empirical", f.handle)
	}
	cfg, m, err := f.config()
	if err != nil {
		return fail("%v", err)
	}
	var h *calibrate.History
	switch pos[0] {
	case "rt5":
		h, err = f.readRT5(cfg)
	case "zendesk":
		h, err = f.readZendesk(cfg)
	default:
		h, err = calibrate.ReadHistory(pos[0], cfg, m)
	}
	if err != nil {
		return fail("%v", err)
	}
	if err := h.Issues.Check(f.maxBad); err != nil {
		return fail("%s: %v", pos[0], err)
	}
	cal := h.Estimate(filepath.Base(pos[0]))
	return f.finish(cal, stdout, stderr)
}

// finish writes the scenario, runs the backtest if asked, and writes the
// summary and the JSON report.
func (f *calibrateFlags) finish(cal *calibrate.Calibration, stdout, stderr io.Writer) int {
	opt := calibrate.ScenarioOptions{Name: f.name, Seed: f.seed, Replications: f.replications}
	if f.handle == "empirical" {
		opt.Empirical = true
		opt.FileBase = strings.TrimSuffix(filepath.Base(f.out), filepath.Ext(f.out))
		if _, err := cal.WriteEmpirical(filepath.Dir(f.out), opt.FileBase); err != nil {
			fmt.Fprintf(stderr, "slasim calibrate: %v\n", err)
			return 1
		}
	}
	if err := writeScenarioFile(f.out, cal, opt); err != nil {
		fmt.Fprintf(stderr, "slasim calibrate: %v\n", err)
		return 1
	}
	if f.backtest {
		sc, err := model.Load(f.out)
		if err == nil {
			cal.Backtest, err = calibrate.RunBacktest(cal, sc, sim.Options{})
		}
		if err != nil {
			fmt.Fprintf(stderr, "slasim calibrate: backtest: %v\n", err)
			return 1
		}
	}
	if err := report.CalibrationSummary(stdout, cal); err != nil {
		return 1
	}
	if cal.Backtest != nil {
		if err := report.BacktestSummary(stdout, cal); err != nil {
			return 1
		}
	}
	fmt.Fprintf(stdout, "\nwrote %s", f.out)
	if f.jsonOut != "" {
		b, err := json.MarshalIndent(cal, "", "  ")
		if err == nil {
			err = os.WriteFile(f.jsonOut, append(b, '\n'), 0o644)
		}
		if err != nil {
			fmt.Fprintf(stderr, "\nslasim calibrate: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, ", %s", f.jsonOut)
	}
	if f.html != "" {
		if err := writeCalibrationHTML(f.html, cal); err != nil {
			fmt.Fprintf(stderr, "\nslasim calibrate: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, ", %s", f.html)
	}
	fmt.Fprintln(stdout)
	return f.extras(cal, stdout, stderr)
}

func writeCalibrationHTML(path string, cal *calibrate.Calibration) error {
	file, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := report.WriteCalibrationHTML(file, cal); err != nil {
		file.Close()
		return err
	}
	return file.Close()
}

// writeScenarioFile writes the calibrated scenario and checks that it loads.
func writeScenarioFile(path string, cal *calibrate.Calibration, opt calibrate.ScenarioOptions) error {
	var b strings.Builder
	if err := cal.WriteScenario(&b, opt); err != nil {
		return err
	}
	if _, err := model.Parse(path, []byte(b.String())); err != nil {
		return fmt.Errorf("the calibrated scenario does not load (a bug; please report it): %w", err)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func (f *calibrateFlags) config() (calibrate.Config, calibrate.Mapping, error) {
	var cfg calibrate.Config
	var m calibrate.Mapping
	var err error
	if f.timezone != "" {
		if cfg.Location, err = time.LoadLocation(f.timezone); err != nil {
			return cfg, m, fmt.Errorf("--timezone: %w", err)
		}
	}
	for _, t := range []struct {
		flag, val string
		dst       *time.Time
	}{{"start", f.start, &cfg.Start}, {"end", f.end, &cfg.End}} {
		if t.val == "" {
			continue
		}
		if *t.dst, err = time.Parse(time.RFC3339, t.val); err != nil {
			return cfg, m, fmt.Errorf("--%s %q: want an RFC 3339 time such as 2026-11-02T00:00:00+01:00", t.flag, t.val)
		}
		if cfg.Location != nil {
			*t.dst = t.dst.In(cfg.Location)
		}
	}
	if cfg.Interval, err = model.ParseDuration(f.interval); err != nil || cfg.Interval < time.Minute || (24*time.Hour)%cfg.Interval != 0 {
		return cfg, m, fmt.Errorf("--interval %q: want a duration of at least 1m that divides a day, e.g. 30m", f.interval)
	}
	if cfg.Modes, err = channelPairs("mode", f.modes, func(s string) (string, error) {
		if s != model.ModeSync && s != model.ModeConcurrent && s != model.ModeDeferred {
			return "", errors.New("want sync, concurrent or deferred")
		}
		return s, nil
	}); err != nil {
		return cfg, m, err
	}
	if cfg.Within, err = channelPairs("within", f.within, model.ParseDuration); err != nil {
		return cfg, m, err
	}
	if f.mapping != "" {
		if m, err = calibrate.LoadMapping(f.mapping); err != nil {
			return cfg, m, fmt.Errorf("--mapping: %w", err)
		}
	}
	return cfg, m, nil
}

// channelPairs reads "a=x,b=y" into a map, parsing each value.
func channelPairs[T any](flagName, s string, parse func(string) (T, error)) (map[string]T, error) {
	out := map[string]T{}
	if s == "" {
		return out, nil
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--%s %q: want CHANNEL=VALUE pairs separated by commas", flagName, kv)
		}
		x, err := parse(strings.TrimSpace(v))
		if err != nil {
			return nil, fmt.Errorf("--%s %s: %v", flagName, kv, err)
		}
		out[strings.TrimSpace(k)] = x
	}
	return out, nil
}

// extras forecasts the target period of --for and writes its scenario.
func (f *calibrateFlags) extras(cal *calibrate.Calibration, stdout, stderr io.Writer) int {
	if f.For == "" {
		return 0
	}
	from, to, err := period(f.For, cal.Start.Location())
	if err != nil {
		fmt.Fprintf(stderr, "slasim calibrate: --for: %v\n", err)
		return 2
	}
	fc, err := cal.ForecastPeriod(from, to)
	if err != nil {
		fmt.Fprintf(stderr, "slasim calibrate: --for: %v\n", err)
		return 2
	}
	opt := cal.ForecastScenario(fc, from, calibrate.ScenarioOptions{Name: f.name, Seed: f.seed, Replications: f.replications})
	if err := writeScenarioFile(f.forecastOut, cal, opt); err != nil {
		fmt.Fprintf(stderr, "slasim calibrate: %v\n", err)
		return 1
	}
	if err := report.ForecastSummary(stdout, fc, from); err != nil {
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s\n", f.forecastOut)
	return 0
}

// period reads "2026-11-23..2026-11-30", both days included.
func period(s string, loc *time.Location) (from, to time.Time, err error) {
	a, b, ok := strings.Cut(s, "..")
	if ok {
		if from, err = time.ParseInLocation("2006-01-02", a, loc); err == nil {
			to, err = time.ParseInLocation("2006-01-02", b, loc)
		}
	}
	if !ok || err != nil || !to.After(from) && !to.Equal(from) {
		return from, to, fmt.Errorf("%q: want FIRST..LAST days, e.g. 2026-11-23..2026-11-30", s)
	}
	return from, to.AddDate(0, 0, 1), nil
}

// readRT5 reads the history from a Request Tracker 5 through REST2.
func (f *calibrateFlags) readRT5(cfg calibrate.Config) (*calibrate.History, error) {
	u := f.rt5URL
	if u == "" {
		u = os.Getenv("RT5_REST2_URL")
	}
	token := os.Getenv(cmp.Or(f.tokenEnv, "RT5_TOKEN"))
	switch {
	case u == "":
		return nil, errors.New("rt5: give --url (the REST2 base) or set RT5_REST2_URL")
	case token == "":
		return nil, fmt.Errorf("rt5: the token variable %s is empty (--token-env)", cmp.Or(f.tokenEnv, "RT5_TOKEN"))
	case f.prefix == "":
		return nil, errors.New("rt5: give --prefix, the start of your tickets' subject marker (a replay's: slasim-RUNID-)")
	case cfg.Start.IsZero():
		return nil, errors.New("rt5: give --start, the history time of the first ticket")
	}
	tiers, err := channelPairs("queues", f.queues, func(s string) (string, error) { return s, nil })
	if err != nil {
		return nil, err
	}
	src := &calibrate.RT5Source{URL: u, Token: token, Prefix: f.prefix, Tiers: tiers, Start: cfg.Start, Speed: f.speed, Workers: 4}
	h := calibrate.NewHistory(cfg)
	if err := src.Read(context.Background(), &h.Issues, h.Add); err != nil {
		return nil, err
	}
	h.Close()
	return h, nil
}

// readZendesk reads the history from a Zendesk Support account's
// incremental exports.
func (f *calibrateFlags) readZendesk(cfg calibrate.Config) (*calibrate.History, error) {
	env := cmp.Or(f.tokenEnv, "ZENDESK_TOKEN")
	token := os.Getenv(env)
	switch {
	case f.rt5URL == "":
		return nil, errors.New("zendesk: give --url, the account's base (https://ACCOUNT.zendesk.com)")
	case token == "":
		return nil, fmt.Errorf("zendesk: the token variable %s is empty (--token-env)", env)
	case cfg.Start.IsZero():
		return nil, errors.New("zendesk: give --start, where the export begins")
	}
	tiers, err := channelPairs("groups", f.groups, func(s string) (string, error) { return s, nil })
	if err != nil {
		return nil, err
	}
	src := &calibrate.ZendeskSource{URL: f.rt5URL, Email: f.email, Token: token, Start: cfg.Start, Tiers: tiers}
	h := calibrate.NewHistory(cfg)
	if err := src.Read(context.Background(), &h.Issues, h.Add); err != nil {
		return nil, err
	}
	h.Close()
	return h, nil
}
