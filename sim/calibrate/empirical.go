package calibrate

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// baseHandle is the handle time a category's handle_time line holds: over
// all tiers, or the entry tier's alone when another tier gets a
// handle_factor (which then scales it), with the words that say which.
func (cal *Calibration) baseHandle(c CategoryEstimate) (Durations, string) {
	if c.EntryHandleTime != nil && c.EntryHandleTime.N > 0 && cal.anyFactor() {
		return *c.EntryHandleTime, "the entry tier; other tiers scale it by their handle_factor"
	}
	return c.HandleTime, "all tiers"
}

// EmpiricalFile is the name of a category's empirical handle-time file:
// base (default "calibrated"), "-handle-" and the category, with every
// character other than a letter, digit, '-' or '_' made '_'.
func EmpiricalFile(base, category string) string {
	if base == "" {
		base = "calibrated"
	}
	return base + "-handle-" + safeName(category) + ".csv"
}

// EmpiricalStepFile is the name of the empirical handle-time file of a
// category's escalation step to a tier: EmpiricalFile's with "-at-" and
// the tier before the extension.
func EmpiricalStepFile(base, category, tier string) string {
	return strings.TrimSuffix(EmpiricalFile(base, category), ".csv") + "-at-" + safeName(tier) + ".csv"
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, s)
}

// WriteEmpirical writes each handled category's observed durations in
// seconds, one a line under a header, into dir as EmpiricalFile names
// them, and each escalation step's (the handlings at the tier reached,
// divided by the factor the engine applies there) as EmpiricalStepFile
// names them: the files a scenario written with Empirical reads. It
// returns the paths written.
func (cal *Calibration) WriteEmpirical(dir, base string) ([]string, error) {
	var paths []string
	write := func(name string, d Durations, factor float64) error {
		var b strings.Builder
		b.WriteString("handle_seconds\n")
		for _, x := range d.Sample {
			b.WriteString(strconv.FormatFloat(x/factor, 'g', -1, 64))
			b.WriteByte('\n')
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			return err
		}
		paths = append(paths, p)
		return nil
	}
	for _, c := range cal.Categories {
		if ht, _ := cal.baseHandle(c); ht.N > 0 {
			if err := write(EmpiricalFile(base, c.Name), ht, 1); err != nil {
				return paths, err
			}
		}
		for _, e := range cal.stepsOf(c) {
			if e.HandleTime.N > 0 {
				if err := write(EmpiricalStepFile(base, c.Name, e.To), e.HandleTime, cal.effectiveFactor(e.To, c.Name)); err != nil {
					return paths, err
				}
			}
		}
	}
	return paths, nil
}

// stepsOf is the escalation paths of a scenario category (the history's
// category before any "@channels").
func (cal *Calibration) stepsOf(c CategoryEstimate) []EscalationEstimate {
	var out []EscalationEstimate
	for _, e := range cal.Escalation {
		if e.Category == strings.SplitN(c.Name, "@", 2)[0] {
			out = append(out, e)
		}
	}
	return out
}
