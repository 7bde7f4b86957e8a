package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/report"
	"github.com/slasim/slasim/sim/staffing"
)

// curveArgs are the flags of `staff --curve`.
type curveArgs struct {
	spec, channels, out string
	json, quiet         bool
}

// runCurve plans the scenario once per target of the --curve range and
// prints the cost-of-service table (or its JSON); with --out it writes
// curve.json, curve.png and curve.svg.
func runCurve(sc *model.Scenario, opt staffing.Options, a curveArgs, stdout, stderr io.Writer) int {
	targets, err := parseCurve(a.spec)
	if err != nil {
		fmt.Fprintf(stderr, "slasim staff: --curve %q: %v\n", a.spec, err)
		return 2
	}
	var channels []string
	if a.channels != "" {
		channels = strings.Split(a.channels, ",")
	}
	pb := newProgress(stderr, progressEnabled(stderr, a.quiet))
	bar := pb.trackIn("curve", "plans", len(targets))
	cv, err := staffing.CostCurve(sc, opt, targets, channels, bar)
	pb.wait(err == nil)
	if err != nil {
		return staffFailed(err, stderr)
	}
	if a.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(cv)
	} else {
		err = report.CurveSummary(stdout, cv)
	}
	if err == nil && a.out != "" {
		err = writeCurve(a.out, cv)
	}
	if err != nil {
		fmt.Fprintln(stderr, "slasim staff:", err)
		return 2
	}
	return 0
}

func writeCurve(dir string, cv *staffing.Curve) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(cv, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "curve.json"), append(data, '\n'), 0o644); err != nil {
		return err
	}
	ch, err := report.CurveChart(cv)
	if err != nil {
		return err
	}
	for ext, draw := range map[string]func(io.Writer) error{
		".png": func(w io.Writer) error { return ch.WritePNG(w, 0) }, ".svg": ch.WriteSVG} {
		f, err := os.Create(filepath.Join(dir, "curve"+ext))
		if err != nil {
			return err
		}
		if err := draw(f); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

// parseCurve reads "LO:HI:STEP" (targets from LO to HI by STEP, shares in
// (0, 1)) or a comma-separated list of targets.
func parseCurve(s string) ([]float64, error) {
	var out []float64
	if lo, rest, ok := strings.Cut(s, ":"); ok {
		hi, step, ok := strings.Cut(rest, ":")
		if !ok {
			return nil, fmt.Errorf("want LO:HI:STEP")
		}
		a, err1 := strconv.ParseFloat(lo, 64)
		b, err2 := strconv.ParseFloat(hi, 64)
		d, err3 := strconv.ParseFloat(step, 64)
		if err := errors.Join(err1, err2, err3); err != nil || d <= 0 || b < a {
			return nil, fmt.Errorf("want LO:HI:STEP with LO ≤ HI and a positive STEP")
		}
		for k := 0; a+float64(k)*d <= b+1e-9; k++ {
			out = append(out, math.Round((a+float64(k)*d)*1e6)/1e6)
		}
	} else {
		for _, f := range strings.Split(s, ",") {
			x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
			if err != nil {
				return nil, err
			}
			out = append(out, x)
		}
	}
	for _, x := range out {
		if !(x > 0 && x < 1) {
			return nil, fmt.Errorf("target %g is not in (0, 1)", x)
		}
	}
	if len(out) > 20 {
		return nil, fmt.Errorf("%d targets: at most 20", len(out))
	}
	return out, nil
}
