package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/report"
	"github.com/slasim/slasim/sim/staffing"
)

func init() {
	commands["staff"] = command{summary: "find staffing needs, plan shifts and cost them", run: runStaff}
}

// staffFiles are the files `staff --out` writes; others in DIR are left
// alone, and these are overwritten only if they are ours or with --force.
var staffFiles = []string{"rota.csv", "requirements.csv", "staffing.json",
	"staffing.png", "staffing.svg", "tornado.png", "tornado.svg", "staffing.html"}

func runStaff(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("staff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "write rota.csv, requirements.csv, staffing.json and charts into `DIR`")
	asJSON := fs.Bool("json", false, "print the plan as JSON instead of the summary")
	reps := fs.Int("replications", 0, "replications per simulation (default 10)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	force := fs.Bool("force", false, "overwrite files in --out that slasim did not write")
	templates := fs.Bool("templates", false, "plan with the scenario's shift templates instead of generated patterns")
	noSens := fs.Bool("no-sensitivity", false, "skip the sensitivity table and tornado chart")
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
	if *reps < 0 {
		fmt.Fprintln(stderr, "slasim staff: --replications must be positive")
		return 2
	}
	sc, ok := runLoad(pos[0], nil, stderr)
	if !ok {
		return 2
	}
	if *out != "" {
		if err := staffCheckOut(*out, *force); err != nil {
			fmt.Fprintln(stderr, "slasim staff:", err)
			return 2
		}
	}
	opt := staffing.Options{Replications: *reps, Templates: *templates, Sensitivity: !*noSens}
	pb := newProgress(stderr, progressEnabled(stderr, *quiet))
	total := 30 + 4
	bar := pb.track("staff: simulations", total)
	if bar != nil {
		opt.Progress = func(stage string, runs int) { bar(min(runs, total-1), total) }
	}
	plan, err := staffing.Build(sc, opt)
	if bar != nil && err == nil {
		bar(total, total)
	}
	pb.wait(err == nil)
	if err != nil {
		fmt.Fprintln(stderr, "slasim staff:", err)
		if errors.Is(err, staffing.ErrInfeasible) {
			return 1
		}
		return 2
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
		if err := staffWrite(*out, sc, plan); err != nil {
			fmt.Fprintln(stderr, "slasim staff:", err)
			return 2
		}
	}
	if !plan.Met {
		return 1
	}
	return 0
}

// staffCheckOut refuses to overwrite files we would write that another
// tool wrote, unless force: ours are marked by staffing.json beside them.
func staffCheckOut(dir string, force bool) error {
	if force {
		return nil
	}
	ours := false
	if data, err := os.ReadFile(filepath.Join(dir, "staffing.json")); err == nil {
		var probe struct {
			Requirements json.RawMessage `json:"requirements"`
			Budget       json.RawMessage `json:"budget"`
		}
		ours = json.Unmarshal(data, &probe) == nil && probe.Requirements != nil && probe.Budget != nil
	}
	for _, f := range staffFiles {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil && !ours {
			return fmt.Errorf("%s exists and was not written by slasim staff; use --force to overwrite", filepath.Join(dir, f))
		}
	}
	return nil
}

func staffWrite(dir string, sc *model.Scenario, plan *staffing.Plan) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	write := func(name string, f func(io.Writer) error) error {
		fh, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if err := f(fh); err != nil {
			fh.Close()
			return fmt.Errorf("%s: %w", name, err)
		}
		return fh.Close()
	}
	if err := write("rota.csv", func(w io.Writer) error { return report.WriteRotaCSV(w, plan) }); err != nil {
		return err
	}
	if err := write("requirements.csv", func(w io.Writer) error { return report.WriteRequirementsCSV(w, sc, plan) }); err != nil {
		return err
	}
	if err := write("staffing.json", func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(plan)
	}); err != nil {
		return err
	}
	charts, err := report.StaffingCharts(plan)
	if err != nil {
		return err
	}
	for _, c := range charts {
		if err := write(c.Name+".png", func(w io.Writer) error { return c.WritePNG(w, 0) }); err != nil {
			return err
		}
		if err := write(c.Name+".svg", c.WriteSVG); err != nil {
			return err
		}
	}
	return write("staffing.html", func(w io.Writer) error { return report.WriteStaffingHTML(w, plan, charts) })
}
