package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/report"
	"github.com/slasim/slasim/sim"
)

func init() {
	commands["compare"] = command{summary: "what-if: run two scenarios with common random numbers and show the differences", run: runCompare}
}

func runCompare(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var s runSettings
	addRunSettings(fs, &s)
	out := fs.String("out", "", "also write compare.html (side by side, with the paired differences) and comparison.json into `DIR`")
	force := fs.Bool("force", false, "write into a --out folder holding other files")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: slasim compare A.toml B.toml [--set key=value ...] [--json] [--out DIR] [--replications N] [--seed N] [--quiet]")
		fmt.Fprintln(stderr, "       slasim compare A.toml --set key=value [--set key=value ...] [...]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Runs A and B with the same seed and replications (common random numbers) and shows")
		fmt.Fprintln(stderr, "each figure in both with the difference B − A and its 95% CI from the paired")
		fmt.Fprintln(stderr, "replications. With one scenario, B is A with the --set overrides; with two, the")
		fmt.Fprintln(stderr, "overrides apply to B.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(pos) < 1 || len(pos) > 2 {
		fmt.Fprintln(stderr, "slasim compare: want one or two scenario files")
		fs.Usage()
		return 2
	}
	if len(pos) == 1 && len(s.sets) == 0 {
		fmt.Fprintln(stderr, "slasim compare: with one scenario, give at least one --set key=value to compare against")
		return 2
	}
	if *out != "" {
		if err := report.CheckDir(*out, *force); err != nil {
			fmt.Fprintln(stderr, "slasim compare:", err)
			return 2
		}
	}
	a, ok := runLoad(pos[0], nil, stderr)
	if !ok {
		return 2
	}
	pathB := pos[len(pos)-1]
	b, ok := runLoad(pathB, s.sets, stderr)
	if !ok {
		return 2
	}
	// Same seed and replications on both sides: common random numbers.
	opt := sim.Options{Replications: runTotal(a, s), Seed: a.Meta.Seed, SeedSet: true, QueueLimit: s.limits.Queue}
	if s.seedSet {
		opt.Seed = s.seed
	}
	if _, ok := checkWork("compare", a, opt, 1, s.limits, stderr); !ok {
		return 2
	}
	if _, ok := checkWork("compare", b, opt, 1, s.limits, stderr); !ok {
		return 2
	}
	labelA := compareLabel(a, pos[0], nil)
	labelB := compareLabel(b, pathB, s.sets)
	bars := newProgress(stderr, progressEnabled(stderr, s.quiet))
	optA, optB := opt, opt
	optA.Progress = bars.track("A", opt.Replications)
	optB.Progress = bars.track("B", opt.Replications)
	ra, err := sim.Run(a, optA)
	var rb *sim.Result
	if err == nil {
		rb, err = sim.Run(b, optB)
	}
	bars.wait(err == nil)
	if err != nil {
		fmt.Fprintln(stderr, "slasim compare:", err)
		return 1
	}
	unstable := queueVerdict("compare", ra, stderr)
	unstable = queueVerdict("compare", rb, stderr) || unstable
	cmp := report.Compare(ra, rb, labelA, labelB)
	if s.json {
		err = report.WriteComparisonJSON(stdout, cmp)
	} else {
		err = report.WriteComparison(stdout, cmp, report.SummaryOptions{Color: runColor(stdout)})
	}
	if err != nil {
		fmt.Fprintln(stderr, "slasim compare:", err)
		return 1
	}
	if *out != "" {
		written, err := report.WriteComparisonDir(*out, cmp, *force)
		if err != nil {
			fmt.Fprintln(stderr, "slasim compare:", err)
			return 1
		}
		if !s.quiet {
			fmt.Fprintf(stderr, "wrote %d files into %s; open %s\n", len(written), *out, written[0])
		}
	}
	if unstable {
		return 1
	}
	return 0
}

// compareLabel names a side of a comparison: the scenario's name and file,
// and the overrides applied to it.
func compareLabel(sc *model.Scenario, path string, sets []runOverride) string {
	l := fmt.Sprintf("%s (%s)", sc.Meta.Name, path)
	if len(sets) > 0 {
		ss := make([]string, len(sets))
		for i, o := range sets {
			ss[i] = o.String()
		}
		l += " with " + strings.Join(ss, ", ")
	}
	return l
}
