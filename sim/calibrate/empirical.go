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
	safe := strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, category)
	return base + "-handle-" + safe + ".csv"
}

// WriteEmpirical writes each handled category's observed durations in
// seconds, one a line under a header, into dir as EmpiricalFile names
// them: the files a scenario written with Empirical reads. It returns
// the paths written.
func (cal *Calibration) WriteEmpirical(dir, base string) ([]string, error) {
	var paths []string
	for _, c := range cal.Categories {
		ht, _ := cal.baseHandle(c)
		if ht.N == 0 {
			continue
		}
		var b strings.Builder
		b.WriteString("handle_seconds\n")
		for _, x := range ht.Sample {
			b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
			b.WriteByte('\n')
		}
		p := filepath.Join(dir, EmpiricalFile(base, c.Name))
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}
