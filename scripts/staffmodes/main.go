// Command staffmodes plans each bundled scenario in every --meet mode and
// prints the README's table of plans: positions, the share of them full
// time, the weekly cost, the gap to the LP bound under the contracts, the
// service level re-simulated with fresh streams against each target, and
// the simulations each plan took (the service level of each channel and
// of each priority class with a target of its own). The sensitivity table is left out.
//
//	go run ./scripts/staffmodes [scenario.toml ...]
package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/report"
	"github.com/slasim/slasim/sim/staffing"
)

func main() {
	files := os.Args[1:]
	if len(files) == 0 {
		files = []string{"scenarios/small-team.toml", "scenarios/saas-support.toml", "scenarios/black-friday.toml"}
	}
	fmt.Println("| scenario | `--meet` | positions | full time | $/week | gap to LP bound | re-simulated service level (target) | met | simulations | wall |")
	fmt.Println("|---|---|---:|---:|---:|---:|---|---|---:|---:|")
	for _, f := range files {
		sc, err := model.Load(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		for _, m := range []staffing.Meet{staffing.MeetInterval, staffing.MeetDay, staffing.MeetPeriod} {
			t0 := time.Now()
			p, err := staffing.Build(sc, staffing.Options{Meet: m})
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s --meet %s: %v\n", f, m, err)
				os.Exit(1)
			}
			fmt.Println(row(sc, m, p, time.Since(t0)))
		}
	}
}

// row is one plan's line of the table.
func row(sc *model.Scenario, m staffing.Meet, p *staffing.Plan, wall time.Duration) string {
	q := p.Schedule.Quality
	var sl []string
	for _, t := range p.Targets {
		if t.Kind != "service_level" || t.Priority != "" && !ownTarget(sc, t.Priority) {
			continue
		}
		who := t.Channel
		if t.Priority != "" {
			who += "/" + t.Priority
		}
		sl = append(sl, fmt.Sprintf("%s %.1f%% (%.0f%%)", who, 100*t.Got.Mean, 100*t.Target))
	}
	met := "yes"
	if !p.Met {
		met = "no: " + strings.Join(p.Missed(), "; ")
	}
	full := 0.0
	if q.Positions > 0 {
		full = float64(q.FullTime) / float64(q.Positions)
	}
	return fmt.Sprintf("| %s | %s | %d | %.0f%% | %s | %.1f%% | %s | %s | %d | %.0f s |",
		sc.Meta.Name, m, q.Positions, 100*full, report.Money(p.Budget.Weekly), 100*q.Gap,
		strings.Join(sl, ", "), met, p.Runs, wall.Seconds())
}

// ownTarget reports whether the named priority class has a target of its
// own (the others share their channel's).
func ownTarget(sc *model.Scenario, priority string) bool {
	for _, p := range sc.Priorities {
		if p.Name == priority {
			return p.SLA != nil
		}
	}
	return false
}
