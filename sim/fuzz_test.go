package sim_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/report"
	"github.com/slasim/slasim/sim"
)

// Work cap of the fuzz target: a short horizon, one replication, and
// scenarios whose expected tickets or agents pass these are left out.
const (
	fuzzHorizon    = 6 * time.Hour
	fuzzMaxTickets = 20000
	fuzzMaxAgents  = 2000
	fuzzMaxBytes   = 16 << 10
	// fuzzHang is how long one input may take before the fuzzer reports
	// it as a hang (a panic in the watchdog saves the input).
	fuzzHang = 20 * time.Second
)

// FuzzScenarioRun drives scenario bytes through the whole pipeline: load,
// then (for what the loader accepts) a run of a short horizon and the JSON
// report. No input may panic; a refused input names its file; an accepted
// one runs without error to figures that make sense. Seeds: the bundled
// scenarios and the hostile-input corpus of the CLI.
func FuzzScenarioRun(f *testing.F) {
	for _, glob := range []string{"../scenarios/*.toml", "../cmd/slasim/testdata/hostile/*.toml"} {
		files, _ := filepath.Glob(glob)
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzMaxBytes {
			return // the loader's big inputs are the CLI corpus's job; here they only slow mutation down
		}
		watchdog := time.AfterFunc(fuzzHang, func() { panic(fmt.Sprintf("an input took more than %s", fuzzHang)) })
		defer watchdog.Stop()
		sc, err := model.Parse("fuzz.toml", data)
		if err != nil {
			var ps model.Problems
			if !errors.As(err, &ps) || !strings.HasPrefix(err.Error(), "fuzz.toml") {
				t.Fatalf("a refusal that does not name the file: %v", err)
			}
			return
		}
		if !capWork(sc) {
			return
		}
		if err := sc.Validate(); err != nil {
			t.Fatalf("a valid scenario, shortened, is no longer valid: %v", err)
		}
		res, err := sim.Run(sc, sim.Options{Replications: 1, Workers: 1})
		if err != nil {
			t.Fatalf("accepted scenario failed to run: %v", err)
		}
		checkFigures(t, res)
		var out bytes.Buffer
		if err := report.WriteJSON(&out, res); err != nil {
			t.Fatalf("JSON report: %v", err)
		}
	})
}

// capWork shortens the scenario to the fuzz horizon and reports whether
// its expected work stays under the cap.
func capWork(sc *model.Scenario) bool {
	m := &sc.Meta
	m.Duration.Duration = min(m.Duration.Duration, fuzzHorizon)
	m.Warmup.Duration = min(m.Warmup.Duration, time.Hour)
	m.Replications = 1
	span := (m.Duration.Duration + m.Warmup.Duration).Seconds()
	var tickets float64
	for i := range sc.Channels {
		tickets += sc.PeakRate(i) * span
	}
	agents := 0
	for _, s := range sc.Shifts {
		agents += s.Headcount
	}
	return tickets <= fuzzMaxTickets && agents <= fuzzMaxAgents
}

// checkFigures asserts what any run must give: counts finite and not
// negative, shares in [0,1] when defined, costs finite and not negative.
func checkFigures(t *testing.T, r *sim.Result) {
	t.Helper()
	count := func(what string, x float64) {
		if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			t.Fatalf("%s = %v", what, x)
		}
	}
	share := func(what string, x float64) {
		if !math.IsNaN(x) && !(x >= 0 && x <= 1+1e-9) {
			t.Fatalf("%s = %v, not a share", what, x)
		}
	}
	for _, c := range r.Channels {
		count(c.Name+" arrivals", c.Arrivals.Mean)
		count(c.Name+" offered", c.Offered.Mean)
		count(c.Name+" answered", c.Answered.Mean)
		share(c.Name+" service level", c.ServiceLevel.Mean)
		share(c.Name+" abandon rate", c.AbandonRate.Mean)
		if !math.IsNaN(c.ASASeconds.Mean) {
			count(c.Name+" ASA", c.ASASeconds.Mean)
		}
	}
	for _, tr := range r.Tiers {
		count(tr.Name+" handled", tr.Handled.Mean)
		share(tr.Name+" occupancy", tr.Occupancy.Mean)
		count(tr.Name+" staffed hours", tr.StaffedHours.Mean)
		count(tr.Name+" cost", tr.Cost.Mean)
	}
	count("total cost", r.Cost.Total.Mean)
}
