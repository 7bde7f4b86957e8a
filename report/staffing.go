package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim/staffing"
)

// StaffingSummary writes the terminal summary of a staffing plan: the
// requirement (simulated beside Erlang), the rota per tier and day (the full
// rota is in rota.csv), whether it met the targets re-simulated with fresh
// random streams, and the budget.
func StaffingSummary(w io.Writer, sc *model.Scenario, p *staffing.Plan) error {
	req := p.Requirements
	fmt.Fprintf(w, "Staffing plan: %s\n", p.Scenario)
	fmt.Fprintf(w, "%d intervals of %s, %d replications per simulation, %d simulations (search seed %d, check seed %d)\n\n",
		len(req.Simulated[0]), model.FormatDuration(req.Interval), p.Replications, p.Runs, p.Seed, p.VerifySeed)
	for _, sec := range staffingSections(p) {
		fmt.Fprintln(w, sec.title)
		if err := sec.t.write(w, false); err != nil {
			return err
		}
		if sec.note != "" {
			fmt.Fprintln(w, sec.note)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "cost per resolved ticket: $%.2f\n", p.Budget.PerResolved)
	return nil
}

// staffingSection is one table of the staffing summary, shared by the
// terminal and the HTML page.
type staffingSection struct {
	title, note string
	t           *table
}

// staffingSections are the plan summary's tables in order, for the text
// summary and staffing.html alike.
func staffingSections(p *staffing.Plan) []staffingSection {
	out := []staffingSection{requirementSection(p), rotaSection(p), targetsSection(p), budgetSection(p)}
	if q := p.Quantile; q != nil {
		out = append(out, quantileSection(p, q))
	}
	if len(p.Sensitivity) > 0 {
		out = append(out, sensitivitySection(p))
	}
	return append(out, rosterSections(p)...)
}

// requirementSection is the requirement per tier beside Erlang's.
func requirementSection(p *staffing.Plan) staffingSection {
	req := p.Requirements
	rt := &table{indent: "  ", head: []string{"tier", "peak Erlang", "peak simulated", "agent-hours Erlang", "agent-hours simulated", "intervals differing", "inconclusive"},
		right: []bool{false, true, true, true, true, true, true}}
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
		inc := ""
		if t < len(req.Uncertainty.Inconclusive) {
			inc = strconv.Itoa(req.Uncertainty.Inconclusive[t])
		}
		rt.addText(name, strconv.Itoa(pe), strconv.Itoa(ps), fmt.Sprintf("%.0f", he), fmt.Sprintf("%.0f", hs), strconv.Itoa(diff), inc)
	}
	return staffingSection{"REQUIREMENT — agents on the floor whose expected service meets every target " + meetWords(req.Meet) + ", by simulation beside Erlang",
		fmt.Sprintf("  %d distinct decisions (intervals of equal load and context share one); intervals differing: simulation and Erlang more than one agent apart;\n"+
			"  inconclusive: intervals whose decision, at the requirement or one agent below, rests on the mean of the replications (its 95%% CI straddled the target); requirements.csv has every interval%s", req.Classes, unconvergedNote(req)), rt}
}

// rotaSection is the agents starting a shift each day, per tier.
func rotaSection(p *staffing.Plan) staffingSection {
	req := p.Requirements
	cols := rotaColumns(p)
	ro := &table{indent: "  ", head: []string{"tier", "agents starting"}, right: []bool{false, false}}
	for _, c := range cols {
		ro.head = append(ro.head, c.label)
		ro.right = append(ro.right, true)
	}
	for t, name := range req.Tiers {
		perDay := make([]int, len(cols))
		hours := make([]float64, len(cols))
		lines := 0
		for _, l := range p.Schedule.Lines {
			if l.Tier != t {
				continue
			}
			lines++
			for d, c := range cols {
				if c.has(l) {
					perDay[d] += l.Headcount
					hours[d] += float64(l.Headcount) * l.Length.Hours()
				}
			}
		}
		row := []string{name, fmt.Sprintf("on %d shift lines", lines)}
		for d := range perDay {
			row = append(row, fmt.Sprintf("%d (%.0fh)", perDay[d], hours[d]))
		}
		ro.addText(row...)
	}
	note := ""
	if u := p.Schedule.Uncovered; u > 0 {
		note = fmt.Sprintf("  %d tier-intervals need agents that no shift of the scenario reaches (shortfalls in requirements.csv)", u)
	}
	return staffingSection{fmt.Sprintf("ROTA — %d shift lines; agents starting a shift each day (paid hours); rota.csv has every line", len(p.Schedule.Lines)), note, ro}
}

// targetsSection is every target as the rota re-simulated with fresh streams met it.
func targetsSection(p *staffing.Plan) staffingSection {
	verdict := "MET"
	if !p.Met {
		verdict = "NOT MET"
	}
	tg := &table{indent: "  ", head: []string{"channel", "priority", "target", "got (95% CI)", "met"}}
	for _, x := range p.Targets {
		what := fmt.Sprintf("SL %s in %s", targetPercent(x.Target), seconds(x.Within))
		if x.Kind == "abandon_rate" {
			what = "abandon ≤ " + targetPercent(x.Target)
		}
		m := cell{text: "MISSED", style: ansiRed}
		switch {
		case x.Met && x.Confident:
			m = cell{text: "MET", style: ansiGreen}
		case x.Met:
			m = cell{text: "MET (within CI)", style: ansiGreen}
		}
		who := x.Channel
		if x.Tier != "" {
			who = "tier " + x.Tier
			what = fmt.Sprintf("escalations taken up: %s in %s", targetPercent(x.Target), seconds(x.Within))
		}
		tg.add(cell{text: who}, cell{text: x.Priority}, cell{text: what}, cell{text: pctStat(x.Got)}, m)
	}
	return staffingSection{"TARGETS — the rota re-simulated with fresh random streams: " + verdict, trimNote(p), tg}
}

// budgetSection is the FTE and money per tier and band.
func budgetSection(p *staffing.Plan) staffingSection {
	b := p.Budget
	bt := &table{indent: "  ", head: []string{"", "band", "paid h in period", "peak on shift", "FTE", "$/hour", "$ period", "$/week", "$/year"},
		right: []bool{false, false, true, true, true, true, true, true, true}}
	for _, t := range b.Tiers {
		bt.addText("tier "+t.Tier, t.Band, fmt.Sprintf("%.0f", t.PeriodHours), strconv.Itoa(t.Headcount), fmt.Sprintf("%.1f", t.FTE), fmt.Sprintf("%.2f", t.HourlyCost),
			group(int64(math.Round(t.PeriodCost))), group(int64(math.Round(t.Weekly))), group(int64(math.Round(t.Annual))))
	}
	for _, bb := range b.Bands {
		bt.addText("band "+bb.Band, "", "", "", fmt.Sprintf("%.1f", bb.FTE), "", "", group(int64(math.Round(bb.Weekly))), group(int64(math.Round(bb.Annual))))
	}
	bt.add(cell{text: "total", style: ansiBold}, cell{}, cell{}, cell{}, cell{text: fmt.Sprintf("%.1f", b.FTE), style: ansiBold}, cell{},
		cell{text: group(int64(math.Round(b.PeriodCost))), style: ansiBold},
		cell{text: group(int64(math.Round(b.Weekly))), style: ansiBold}, cell{text: group(int64(math.Round(b.Annual))), style: ansiBold})
	return staffingSection{fmt.Sprintf("BUDGET — FTE = paid hours in the period ÷ %.0f h (%g contract hours a week ÷ 5 × %d work days of the period's %d); shrinkage %.1f%%",
		b.FTEHours, b.ContractHours, b.WorkDays, b.Days, 100*b.Shrinkage), budgetNote(p), bt}
}

// quantileSection is what planning for a volume quantile costs over the
// median plan.
func quantileSection(p *staffing.Plan, q *staffing.QuantilePlan) staffingSection {
	b := p.Budget
	qt := &table{indent: "  ", head: []string{"plan", "volume", "FTE", "$/week"}, right: []bool{false, false, true, true}}
	vol := ""
	for i, c := range q.Channels {
		if i > 0 {
			vol += ", "
		}
		vol += fmt.Sprintf("%s ×%.3f", c, q.Factors[i])
	}
	qt.addText(fmt.Sprintf("P%.0f (this plan)", 100*q.Quantile), vol, fmt.Sprintf("%.1f", b.FTE), group(int64(math.Round(b.Weekly))))
	qt.addText("P50", "median of each channel's forecast", fmt.Sprintf("%.1f", q.MedianFTE), group(int64(math.Round(q.MedianWeekly))))
	return staffingSection{fmt.Sprintf("QUANTILE — planning for the P%.0f volume costs %s a week more than the median", 100*q.Quantile, Money(q.Premium)), "", qt}
}

// sensitivitySection is the re-planned cost of each input changed.
func sensitivitySection(p *staffing.Plan) staffingSection {
	st := &table{indent: "  ", head: []string{"input", "change", "FTE", "$/week", "Δ $/week", "Δ LP bound", "how"}, right: []bool{false, true, true, true, true, true, false}}
	for _, x := range p.Sensitivity {
		if x.NA {
			st.addText(x.Input, x.Change, "n/a", "n/a", "n/a", "n/a", x.Note)
			continue
		}
		how := "requirement re-simulated"
		if !x.Resimulated {
			how = "same requirement, re-rostered"
		}
		st.addText(x.Input, x.Change, fmt.Sprintf("%.1f", x.FTE), group(int64(math.Round(x.Weekly))), signedGroup(x.Delta), signedGroup(x.LPDelta), how)
	}
	return staffingSection{"SENSITIVITY — re-planned with one input changed", "  Δ: against a baseline planned the same way from the unchanged scenario. Δ $/week is the whole-position roster's, which rounding moves\n  by a few positions either way; Δ LP bound (fractional positions under the contracts) is the input's effect without that noise", st}
}

// trimNote says what the day and period modes took off the rota.
func trimNote(p *staffing.Plan) string {
	tr := p.Trim
	if tr == nil {
		return ""
	}
	if tr.Scale >= 1 {
		return fmt.Sprintf("  trim: no smaller rota held the %s targets (%d scales rostered and simulated)", p.Meet, tr.Steps)
	}
	note := fmt.Sprintf("  trim: the rota over %.1f%% of the requirement of the tiers channels enter still held every %s target with its 95%% CI (%d scales rostered and simulated); $/week before the trim %s",
		100*tr.Scale, p.Meet, tr.Steps, Money(tr.WeeklyBefore))
	if len(tr.Limit) > 0 {
		note += "\n  the next smaller rota missed: " + strings.Join(tr.Limit[:min(3, len(tr.Limit))], "; ")
		if len(tr.Limit) > 3 {
			note += fmt.Sprintf(" (and %d more)", len(tr.Limit)-3)
		}
	}
	return note
}

// unconvergedNote says which classes the search ended on before their
// bracket closed, and warns when it ran out of simulations.
func unconvergedNote(req *staffing.Requirements) string {
	if req.Unconverged {
		return fmt.Sprintf("\n  NOT CONVERGED: the search used its %d simulations with %d tier classes still open; each holds the fewest agents seen passing or one more than seen failing", req.Runs, req.Open)
	}
	if req.Open > 0 {
		return fmt.Sprintf("\n  %d tier classes (at most 1%%) ended near their targets at two adjacent staffings, each on the safer side", req.Open)
	}
	return ""
}

// meetWords says how a requirement meets the targets.
func meetWords(m staffing.Meet) string {
	switch m {
	case staffing.MeetDay:
		return "as each day's average"
	case staffing.MeetPeriod:
		return "over the whole period"
	}
	return "in every interval"
}

// budgetNote labels the weekly and yearly figures and names the work still
// open at the end of the period, which no figure holds.
func budgetNote(p *staffing.Plan) string {
	note := "  $/week and $/year: " + p.Budget.Basis
	for _, w := range p.OpenAtEnd {
		note += fmt.Sprintf("\n  %s: %.0f tickets (%.1f%% of those offered) still open at the end of the period: in no service level, their work in no budget",
			w.Channel, w.Open.Mean, 100*w.Share)
	}
	return note
}

// WriteStaffingHTML writes staffing.html: one self-contained page (inline
// CSS, charts embedded as PNG data, no script, no network) with the plan
// in a sentence, the budget's headline figures, the requirement and
// tornado charts, and the tables of the terminal summary.
func WriteStaffingHTML(w io.Writer, p *staffing.Plan, charts []*Chart) error {
	b := p.Budget
	verdict := "every target met when the rota was re-simulated with fresh random streams"
	if !p.Met {
		verdict = "some targets missed when the rota was re-simulated with fresh random streams"
	}
	v := htmlView{
		Title:    p.Scenario + " — staffing plan",
		Sentence: fmt.Sprintf("The fewest agents per tier and %s interval that meet every target of %s, found by simulation from an Erlang start, covered by %d shift lines at least cost.", model.FormatDuration(p.Requirements.Interval), p.Scenario, len(p.Schedule.Lines)),
		Verdict:  fmt.Sprintf("%.1f FTE, $%s a week ($%s a year): %s.", b.FTE, group(int64(math.Round(b.Weekly))), group(int64(math.Round(b.Annual))), verdict),
	}
	v.Headlines = append(v.Headlines,
		headline{Label: "FTE", Value: fmt.Sprintf("%.1f", b.FTE), Detail: fmt.Sprintf("shrinkage %.1f%%", 100*b.Shrinkage)},
		headline{Label: "cost per week", Value: Money(b.Weekly), Detail: Money(b.Annual) + " a year"},
		headline{Label: "per resolved ticket", Value: fmt.Sprintf("$%.2f", b.PerResolved), Detail: "staff and automation"},
		headline{Label: "targets", Value: map[bool]string{true: "met", false: "missed"}[p.Met], Detail: "re-simulated, fresh streams", Mark: true, Met: p.Met})
	for _, bb := range b.Bands {
		v.Headlines = append(v.Headlines, headline{Label: "band " + bb.Band, Value: Money(bb.Weekly), Detail: fmt.Sprintf("%.1f FTE a week", bb.FTE)})
	}
	if err := addCharts(&v, charts); err != nil {
		return err
	}
	for _, sec := range staffingSections(p) {
		v.Tables = append(v.Tables, htmlTableOf(sec.title, sec.note, sec.t))
	}
	if r := p.Schedule.Roster; len(r) > 0 {
		v.Tables = append(v.Tables, fromTable(fmt.Sprintf("ROSTER — %d numbered positions to publish (roster.csv)", len(r)), "", rosterTable(p)))
	}
	v.Footer = fmt.Sprintf("slasim staff · %s · search seed %d, check seed %d · %d simulations of %d replications",
		p.Scenario, p.Seed, p.VerifySeed, p.Runs, p.Replications)
	return htmlPage.Execute(w, v)
}

// WriteRotaCSV writes the rota: one row per tier, start and length, with
// the headcount starting on each weekday.
func WriteRotaCSV(w io.Writer, p *staffing.Plan) error {
	type key struct {
		tier          int
		start, length time.Duration
	}
	cols := rotaColumns(p)
	rows := map[key][]int{}
	var order []key
	for _, l := range p.Schedule.Lines {
		k := key{l.Tier, l.Start, l.Length}
		r := rows[k]
		if r == nil {
			r = make([]int, len(cols))
			rows[k] = r
			order = append(order, k)
		}
		for d, c := range cols {
			if c.has(l) {
				r[d] += l.Headcount
			}
		}
	}
	sort.SliceStable(order, func(a, b int) bool { // per tier, by start
		if order[a].tier != order[b].tier {
			return order[a].tier < order[b].tier
		}
		return order[a].start < order[b].start
	})
	cw := csv.NewWriter(w)
	head := []string{"shift", "tier", "start", "length"}
	for _, c := range cols {
		head = append(head, c.key)
	}
	cw.Write(head)
	for _, k := range order {
		tier := p.Requirements.Tiers[k.tier]
		start := fmt.Sprintf("%02d:%02d", int(k.start.Hours()), int(k.start.Minutes())%60)
		rec := []string{textCell(fmt.Sprintf("%s-%s-%s", tier, start, model.ShortDuration(k.length))), textCell(tier), start, model.ShortDuration(k.length)}
		for _, n := range rows[k] {
			rec = append(rec, strconv.Itoa(n))
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// rotaColumn is one day column of a rota: a weekday (lines planned by
// weekday) or a date (lines planned by date).
type rotaColumn struct {
	label, key string
	has        func(l staffing.ShiftLine) bool
}

// rotaColumns are the weekdays, or, when lines run on dates, the dates the
// lines run on, in order.
func rotaColumns(p *staffing.Plan) []rotaColumn {
	var dates []time.Time
	seen := map[string]bool{}
	add := func(d time.Time) {
		if k := d.Format("2006-01-02"); !seen[k] {
			seen[k] = true
			dates = append(dates, time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, d.Location()))
		}
	}
	dated := false
	for _, l := range p.Schedule.Lines {
		if !l.Date.IsZero() {
			dated = true
			add(l.Date)
		}
		// Positions on dates (temps, a period that is not whole weeks):
		// columns per date of the period.
		dated = dated || len(l.Dates) > 0
	}
	if dated { // every day of the period, for the weekday lines too
		req := p.Requirements
		for i := range req.Simulated[0] {
			add(req.Start.Add(time.Duration(i) * req.Interval))
		}
	}
	var cols []rotaColumn
	if len(dates) == 0 {
		for d, name := range [...]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
			d := d
			cols = append(cols, rotaColumn{label: name, key: name, has: func(l staffing.ShiftLine) bool { return l.Date.IsZero() && len(l.Dates) == 0 && l.Days[d] }})
		}
		return cols
	}
	sort.Slice(dates, func(i, j int) bool { return dates[i].Before(dates[j]) })
	for _, day := range dates {
		day := day
		cols = append(cols, rotaColumn{label: day.Format("Mon 2 Jan"), key: day.Format("2006-01-02"),
			has: func(l staffing.ShiftLine) bool { return l.On(day) }})
	}
	return cols
}

// WriteRequirementsCSV writes, per interval and tier, Erlang's and the
// simulated requirement, the agents the rota schedules (expected on the
// floor), the gap (scheduled − simulated requirement) and the
// requirement's own uncertainty (expected service level minus target at
// the requirement, its 95% half-width, whether the decision was
// conclusive).
func WriteRequirementsCSV(w io.Writer, sc *model.Scenario, p *staffing.Plan) error {
	req := p.Requirements
	cw := csv.NewWriter(w)
	cw.Write([]string{"interval", "start", "tier", "erlang", "simulated", "scheduled", "gap", "differs", "sl_margin", "sl_margin_ci95", "conclusive"})
	u := req.Uncertainty
	for i := range req.Simulated[0] {
		at := req.Start.Add(time.Duration(i) * req.Interval).In(sc.Location).Format(time.RFC3339)
		for t, name := range req.Tiers {
			s := p.Schedule.Scheduled[t][i]
			rec := []string{strconv.Itoa(i), at, textCell(name), strconv.Itoa(req.Erlang[t][i]), strconv.Itoa(req.Simulated[t][i]),
				strconv.FormatFloat(s, 'f', 2, 64), strconv.FormatFloat(s-float64(req.Simulated[t][i]), 'f', 2, 64),
				strconv.FormatBool(req.Differs(t, i)), "", "", ""}
			if t < len(u.Slack) && i < len(u.Slack[t]) {
				rec[8], rec[9] = strconv.FormatFloat(u.Slack[t][i], 'f', 4, 64), strconv.FormatFloat(u.SlackCI[t][i], 'f', 4, 64)
				rec[10] = strconv.FormatBool(u.Conclusive[t][i])
			}
			cw.Write(rec)
		}
	}
	cw.Flush()
	return cw.Error()
}
