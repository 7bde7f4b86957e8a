package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/slasim/slasim/sim/staffing"
)

// WriteRosterCSV writes the roster a manager publishes: one row per
// numbered position with its tier, contract, working days, start, end,
// length, break times, paid hours a week under its contract and paid
// hours inside the period. A plan without contracts
// (--templates, free shifts) has no positions: only the header.
func WriteRosterCSV(w io.Writer, p *staffing.Plan) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"position", "tier", "contract", "days", "start", "end", "length", "breaks", "hours_per_week", "hours_in_period"})
	for _, x := range p.Schedule.Roster {
		cw.Write([]string{strconv.Itoa(x.Number), x.Tier, x.Contract, x.Days, x.Start, x.End, x.Length,
			strings.Join(x.Breaks, " "), strconv.FormatFloat(x.HoursPerWeek, 'f', -1, 64),
			strconv.FormatFloat(x.HoursInPeriod, 'f', -1, 64)})
	}
	cw.Flush()
	return cw.Error()
}

// rosterSections are the summary's tables for a plan under contracts: the
// plan against its lower bounds, and, when the scenario has a rota, the
// rota it has beside the one it needs.
func rosterSections(p *staffing.Plan) []staffingSection {
	var out []staffingSection
	if q := p.Schedule.Quality; q != nil {
		t := &table{indent: "  ", head: []string{"tier", "positions", "full-time", "required agent-h", "paid h/week", "LP bound $/week", "roster $/week", "gap"},
			right: []bool{false, true, true, true, true, true, true, true}}
		for _, x := range q.Tiers {
			gap := fmt.Sprintf("%.1f%%", 100*x.Gap)
			if !x.LPSolved {
				gap = "n/a"
			}
			t.addText(x.Tier, strconv.Itoa(x.Positions), share(x.FullTime, x.Positions), fmt.Sprintf("%.0f", x.RequiredHours),
				fmt.Sprintf("%.0f", x.PaidHours), group(int64(math.Round(x.LPCost))), group(int64(math.Round(x.Cost))), gap)
		}
		t.add(cell{text: "total", style: ansiBold}, cell{text: strconv.Itoa(q.Positions), style: ansiBold}, cell{text: share(q.FullTime, q.Positions)},
			cell{text: fmt.Sprintf("%.0f", q.RequiredHours)}, cell{}, cell{text: group(int64(math.Round(q.LPCost)))},
			cell{text: group(int64(math.Round(q.Cost))), style: ansiBold}, cell{text: fmt.Sprintf("%.1f%%", 100*q.Gap), style: ansiBold})
		note := "  paid h/week and $/week: the positions' paid hours in the period × 5 ÷ its work days, the BUDGET's week (its total is the BUDGET's $/week); full-time: positions of 35 paid hours a week or more under their contract; gap: roster cost over the LP relaxation under the contracts (fractional positions), a bound no roster beats; roster.csv has every position"
		for _, x := range q.Tiers {
			if x.Closed > 0 {
				note += fmt.Sprintf("\n  tier %s: %d intervals with work outside its opening hours: that work waits for the tier to open", x.Tier, x.Closed)
			}
		}
		out = append(out, staffingSection{"PLAN QUALITY — positions under the contracts against the lower bounds", note, t})
	}
	if c := p.Current; c != nil {
		out = append(out, currentSection(c))
	}
	return out
}

func share(part, whole int) string {
	if whole == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(part)/float64(whole))
}

// currentSection is "you have vs you need": today's rota per tier beside
// the plan, then the days where today's rota is short.
func currentSection(c *staffing.Current) staffingSection {
	t := &table{indent: "  ", head: []string{"tier", "band", "positions today → plan", "FTE today → plan", "$/week today → plan", "short intervals", "short agent-h", "idle agent-h"},
		right: []bool{false, false, true, true, true, true, true, true}}
	for _, x := range c.Tiers {
		t.addText(x.Tier, x.Band, fmt.Sprintf("%d → %d", x.Positions, x.PlannedPositions), fmt.Sprintf("%.1f → %.1f", x.FTE, x.PlannedFTE),
			fmt.Sprintf("%s → %s", group(int64(math.Round(x.Weekly))), group(int64(math.Round(x.PlannedWeekly)))),
			strconv.Itoa(x.ShortIntervals), fmt.Sprintf("%.0f", x.ShortHours), fmt.Sprintf("%.0f", x.IdleHours))
	}
	var days []string
	for _, d := range c.Days {
		if d.ShortIntervals == 0 {
			continue
		}
		days = append(days, fmt.Sprintf("  %s %s: short in %d intervals (%.0f agent-h), worst %s short %.1f; idle %.0f agent-h",
			d.Tier, d.Date.Format("Mon 2 Jan"), d.ShortIntervals, d.ShortHours, d.Worst.Format("15:04"), d.Gap, d.IdleHours))
	}
	note := "  short: fewer agents on the floor than the requirement; idle: at least one more (agent-hours over the period)"
	if len(days) > 0 {
		note += "\n" + strings.Join(days, "\n")
	}
	return staffingSection{"YOU HAVE vs YOU NEED — the scenario's rota beside the plan", note, t}
}

// rosterTable is the whole roster for the HTML page.
func rosterTable(p *staffing.Plan) *table {
	t := &table{head: []string{"#", "tier", "contract", "days", "start", "end", "length", "breaks"},
		right: []bool{true, false, false, false, true, true, true, false}}
	for _, x := range p.Schedule.Roster {
		t.addText(strconv.Itoa(x.Number), x.Tier, x.Contract, x.Days, x.Start, x.End, x.Length, strings.Join(x.Breaks, ", "))
	}
	return t
}
