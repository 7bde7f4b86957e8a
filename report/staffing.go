package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim/staffing"
)

// StaffingSummary writes the terminal summary of a staffing plan: the
// requirement (simulated beside Erlang), the rota, whether it met the
// targets re-simulated with fresh random streams, and the budget.
func StaffingSummary(w io.Writer, sc *model.Scenario, p *staffing.Plan) error {
	req := p.Requirements
	loc := sc.Location
	fmt.Fprintf(w, "Staffing plan: %s\n", p.Scenario)
	fmt.Fprintf(w, "%d intervals of %s, %d replications per simulation, %d simulations (search seed %d, check seed %d)\n\n",
		len(req.Simulated[0]), model.FormatDuration(req.Interval), p.Replications, p.Runs, p.Seed, p.VerifySeed)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Requirement (agents on the floor)\tpeak Erlang\tpeak simulated\tagent-hours Erlang\tagent-hours simulated\tintervals differing\t")
	for t, name := range req.Tiers {
		pe, ps, he, hs, diff := 0, 0, 0.0, 0.0, 0
		for i := range req.Simulated[t] {
			pe, ps = max(pe, req.Erlang[t][i]), max(ps, req.Simulated[t][i])
			he += float64(req.Erlang[t][i]) * req.Interval.Hours()
			hs += float64(req.Simulated[t][i]) * req.Interval.Hours()
			if req.Differs(t, i) {
				diff++
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%.0f\t%d\t\n", name, pe, ps, he, hs, diff)
	}
	tw.Flush()
	fmt.Fprintln(w, "(intervals differing: simulated and Erlang more than one agent apart; see requirements.csv)")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Rota: %d shift lines\n", len(p.Schedule.Lines))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "tier\tshift\tdays\tstart\tlength\theadcount")
	for _, l := range p.Schedule.Lines {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%02d:%02d\t%s\t%d\n", req.Tiers[l.Tier], l.Name, l.DaysText(), int(l.Start.Hours()), int(l.Start.Minutes())%60, model.FormatDuration(l.Length), l.Headcount)
	}
	tw.Flush()
	fmt.Fprintln(w)
	verdict := "MET"
	if !p.Met {
		verdict = "NOT MET"
	}
	fmt.Fprintf(w, "Targets, rota re-simulated with fresh random streams: %s\n", verdict)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "channel\tpriority\ttarget\tgot (95% CI)\tmet\t")
	for _, tg := range p.Targets {
		what := fmt.Sprintf("SL %s in %s", targetPercent(tg.Target), seconds(tg.Within))
		if tg.Kind == "abandon_rate" {
			what = "abandon ≤ " + targetPercent(tg.Target)
		}
		met := "no"
		switch {
		case tg.Met && tg.Confident:
			met = "yes (95% sure)"
		case tg.Met:
			met = "yes (within CI)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", tg.Channel, tg.Priority, what, pctStat(tg.Got), met)
	}
	tw.Flush()
	fmt.Fprintln(w)
	b := p.Budget
	fmt.Fprintf(w, "Budget (shrinkage %.1f%%, %g contract hours a week)\n", 100*b.Shrinkage, b.ContractHours)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "tier\tband\tscheduled h/week\tFTE\t$/hour\t$/week\t$/year\t")
	for _, t := range b.Tiers {
		fmt.Fprintf(tw, "%s\t%s\t%.0f\t%.1f\t%.2f\t%s\t%s\t\n", t.Tier, t.Band, t.ScheduledHours, t.FTE, t.HourlyCost, group(int64(math.Round(t.Weekly))), group(int64(math.Round(t.Annual))))
	}
	for _, bb := range b.Bands {
		fmt.Fprintf(tw, "band %s\t\t\t%.1f\t\t%s\t%s\t\n", bb.Band, bb.FTE, group(int64(math.Round(bb.Weekly))), group(int64(math.Round(bb.Annual))))
	}
	fmt.Fprintf(tw, "total\t\t\t%.1f\t\t%s\t%s\t\n", b.FTE, group(int64(math.Round(b.Weekly))), group(int64(math.Round(b.Annual))))
	tw.Flush()
	fmt.Fprintf(w, "cost per resolved ticket: $%.2f\n", b.PerResolved)
	if len(p.Sensitivity) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Sensitivity (re-planned with Erlang's change per interval, not re-simulated)")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "input\tchange\tFTE\t$/week\tΔ $/week\t")
		for _, s := range p.Sensitivity {
			fmt.Fprintf(tw, "%s\t%s\t%.1f\t%s\t%+.0f\t\n", s.Input, s.Change, s.FTE, group(int64(math.Round(s.Weekly))), s.Delta)
		}
		tw.Flush()
	}
	_ = loc
	return nil
}

// WriteRotaCSV writes the rota: one row per tier, start and length, with
// the headcount starting on each weekday.
func WriteRotaCSV(w io.Writer, p *staffing.Plan) error {
	type key struct {
		tier          int
		start, length time.Duration
	}
	rows := map[key]*[7]int{}
	var order []key
	for _, l := range p.Schedule.Lines {
		k := key{l.Tier, l.Start, l.Length}
		r := rows[k]
		if r == nil {
			r = &[7]int{}
			rows[k] = r
			order = append(order, k)
		}
		for d, on := range l.Days {
			if on {
				r[d] += l.Headcount
			}
		}
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"shift", "tier", "start", "length", "mon", "tue", "wed", "thu", "fri", "sat", "sun"})
	for _, k := range order {
		tier := p.Requirements.Tiers[k.tier]
		start := fmt.Sprintf("%02d:%02d", int(k.start.Hours()), int(k.start.Minutes())%60)
		rec := []string{fmt.Sprintf("%s-%s-%s", tier, start, model.FormatDuration(k.length)), tier, start, model.FormatDuration(k.length)}
		for _, n := range rows[k] {
			rec = append(rec, strconv.Itoa(n))
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// WriteRequirementsCSV writes, per interval and tier, Erlang's and the
// simulated requirement, the agents the rota schedules (expected on the
// floor) and the gap (scheduled − simulated requirement).
func WriteRequirementsCSV(w io.Writer, sc *model.Scenario, p *staffing.Plan) error {
	req := p.Requirements
	cw := csv.NewWriter(w)
	cw.Write([]string{"interval", "start", "tier", "erlang", "simulated", "scheduled", "gap", "differs"})
	for i := range req.Simulated[0] {
		at := req.Start.Add(time.Duration(i) * req.Interval).In(sc.Location).Format(time.RFC3339)
		for t, name := range req.Tiers {
			s := p.Schedule.Scheduled[t][i]
			cw.Write([]string{strconv.Itoa(i), at, name, strconv.Itoa(req.Erlang[t][i]), strconv.Itoa(req.Simulated[t][i]),
				strconv.FormatFloat(s, 'f', 2, 64), strconv.FormatFloat(s-float64(req.Simulated[t][i]), 'f', 2, 64),
				strconv.FormatBool(req.Differs(t, i))})
		}
	}
	cw.Flush()
	return cw.Error()
}
