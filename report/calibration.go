package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/slasim/slasim/sim/calibrate"
)

// CalibrationSummary writes what `slasim calibrate` estimated from a
// history, for a reader: the volume and patience per channel, the
// categories and their handle times, the escalation paths, and every
// warning and bad row.
func CalibrationSummary(w io.Writer, cal *calibrate.Calibration) error {
	fmt.Fprintf(w, "%s\n\n", calibrationSentence(cal))
	for i, t := range []*table{calChannelTable(cal), calCategoryTable(cal), calEscalationTable(cal), calTierTable(cal)} {
		if len(t.rows) == 0 {
			continue
		}
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := t.write(w, false); err != nil {
			return err
		}
	}
	if len(cal.Warnings) > 0 {
		fmt.Fprintln(w, "\nWarnings:")
		for _, s := range cal.Warnings {
			fmt.Fprintf(w, "  - %s\n", s)
		}
	}
	if len(cal.Issues.Counts) > 0 {
		fmt.Fprintf(w, "\nHistory problems (%d of %d rows count against --max-bad):\n%s", cal.Issues.Errors(), cal.Issues.Rows, cal.Issues.String())
	}
	return nil
}

func calibrationSentence(cal *calibrate.Calibration) string {
	return fmt.Sprintf("Calibrated from %s: %s over %s from %s (%s rows).", cal.Source, plural(cal.Tickets, "ticket"),
		plural(cal.Days, "day"), cal.Start.Format("Mon 2 Jan 2006"), group(int64(cal.Issues.Rows)))
}

func calChannelTable(cal *calibrate.Calibration) *table {
	t := &table{indent: "  ", head: []string{"channel", "mode", "contacts", "rate/h ± 95%", "forecast_cv", "patience (MLE, 95%)", "naive", "served in SLA", "ASA", "abandoned"},
		right: []bool{false, false, true, true, true, true, true, true, true, true}}
	for _, c := range cal.Channels {
		pat, naive := "–", "–"
		if p := c.Patience; p != nil && p.Abandons > 0 {
			pat = fmt.Sprintf("%s [%s, %s]", seconds(p.MeanMLE), seconds(p.MeanLow), seconds(p.MeanHigh))
			naive = seconds(p.NaiveMean)
		}
		t.addText(c.Name, c.Mode, group(int64(c.Contacts)), fmt.Sprintf("%.3g ± %.2g", c.RatePerHour, c.RateCI95),
			strconv.FormatFloat(c.ForecastCV, 'f', 2, 64), pat, naive, pctOrDash(c.Observed.ServiceLevel()),
			seconds(c.Observed.ASA()), pctOrDash(c.Observed.AbandonRate()))
	}
	return t
}

func calCategoryTable(cal *calibrate.Calibration) *table {
	t := &table{indent: "  ", head: []string{"category", "tickets", "share ± 95%", "handle mean ± 95%", "fit", "KS lognormal", "KS gamma"},
		right: []bool{false, true, true, true, false, true, true}}
	for _, c := range cal.Categories {
		h := c.HandleTime
		t.addText(c.Name, group(int64(c.Count)), fmt.Sprintf("%s ± %.1f", percent(c.Share), 100*c.ShareCI95),
			seconds(h.Mean)+" ± "+seconds(h.MeanCI95), fmt.Sprintf("%s cv %.2f", h.Best.Dist, h.Best.CV),
			fmt.Sprintf("%.3f", h.LogNormal.KS), fmt.Sprintf("%.3f", h.Gamma.KS))
	}
	return t
}

func calEscalationTable(cal *calibrate.Calibration) *table {
	t := &table{indent: "  ", head: []string{"escalation", "category", "of handled", "p ± 95%", "handle mean there"}, right: []bool{false, false, true, true, true}}
	for _, set := range [][]calibrate.EscalationEstimate{cal.Escalation, cal.Returns} {
		for _, e := range set {
			t.addText(e.From+" → "+e.To, e.Category, fmt.Sprintf("%d / %d", e.Escalated, e.Handled),
				fmt.Sprintf("%s ± %.1f", percent(e.P), 100*e.PCI95), seconds(e.HandleTime.Mean))
		}
	}
	return t
}

// calTierTable is each tier's agents, handle time against the entry tier
// (over all its first-hand handlings, and per category where 30 or more),
// time away and deferred_share.
func calTierTable(cal *calibrate.Calibration) *table {
	t := &table{indent: "  ", head: []string{"tier", "agents", "handle factor ± 95%", "per category", "away", "deferred_share"},
		right: []bool{false, true, true, false, true, true}}
	for i, tr := range cal.Tiers {
		factor, away, reserve := "–", "–", "–"
		switch {
		case i == 0:
			factor = "entry tier"
		case tr.Handle.N > 0:
			factor = fmt.Sprintf("%.2f ± %.2f", tr.Handle.Factor, tr.Handle.CI95)
		}
		var per []string
		for _, c := range tr.CategoryHandle {
			if c.N >= 30 {
				per = append(per, fmt.Sprintf("%s %.2f ± %.2f", c.Category, c.Factor, c.CI95))
			}
		}
		if tr.TicketShare > 0 {
			away = percent(1 - tr.TicketShare)
		}
		if r := tr.Reserve; r != nil {
			reserve = "not seen"
			if r.DeferredShare != nil {
				reserve = fmt.Sprintf("%.2f (%s)", *r.DeferredShare, plural(r.Choices, "choice"))
			}
		}
		t.addText(tr.Name, group(int64(tr.Agents)), factor, strings.Join(per, ", "), away, reserve)
	}
	return t
}

func pctOrDash(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	return percent(x)
}

// BacktestSummary writes the backtest of a calibration: per channel,
// observed against simulated service level, ASA and abandonment over the
// whole period and day by day, with the error of each and the bias.
func BacktestSummary(w io.Writer, cal *calibrate.Calibration) error {
	fmt.Fprintf(w, "\nBacktest: the calibrated scenario simulated over the history's period (%s), against what happened.\n", plural(cal.Backtest.Replications, "replication"))
	fmt.Fprintln(w, "Error = simulated − observed; shares in points.")
	if err := backtestTable(cal).write(w, false); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nBias (mean daily error):")
	for _, b := range cal.Backtest.Bias {
		fmt.Fprintf(w, "  %s: offered %s, service level %s, ASA %s, abandonment %s", b.Channel,
			signed(b.Offered.Error, 1, ""), signed(b.ServiceLevel.Error, 100, " pts"), signedTime(b.ASA.Error), signed(b.Abandonment.Error, 100, " pts"))
		if b.Backlog.Error != nil {
			fmt.Fprintf(w, ", backlog %s", signed(b.Backlog.Error, 1, ""))
		}
		fmt.Fprintf(w, ", resolution %s\n", signedTime(b.Resolution.Error))
	}
	writeResolutionPercentiles(w, cal.Backtest)
	return writeWorstIntervals(w, cal)
}

func backtestTable(cal *calibrate.Calibration) *table {
	t := &table{indent: "  ", head: []string{"channel", "day", "offered obs/sim", "SLA obs/sim (err)", "ASA obs/sim (err)", "abandoned obs/sim (err)", "backlog obs/sim (err)", "resolution obs/sim (err)"},
		right: []bool{false, false, true, true, true, true, true, true}}
	row := func(r calibrate.BacktestRow, day string) {
		t.addText(r.Channel, day, cmpCount(r.Offered), cmpShare(r.ServiceLevel), cmpTime(r.ASA), cmpShare(r.Abandonment), cmpBacklog(r.Backlog), cmpTime(r.Resolution))
	}
	for _, r := range cal.Backtest.Channels {
		row(r, "all")
		for _, d := range cal.Backtest.Days {
			if d.Channel == r.Channel {
				row(d, cal.Start.AddDate(0, 0, d.Day).Format("Mon 2 Jan"))
			}
		}
	}
	return t
}

func val(p *float64, f func(float64) string) string {
	if p == nil {
		return "–"
	}
	return f(*p)
}

func signed(p *float64, scale float64, unit string) string {
	return val(p, func(x float64) string { return fmt.Sprintf("%+.1f%s", x*scale, unit) })
}

func signedTime(p *float64) string {
	return val(p, func(x float64) string {
		if x < 0 {
			return "-" + seconds(-x)
		}
		return "+" + seconds(x)
	})
}

func cmpCount(c calibrate.Comparison) string {
	return val(c.Observed, func(x float64) string { return fmt.Sprintf("%.0f", x) }) + " / " + val(c.Simulated, func(x float64) string { return fmt.Sprintf("%.0f", x) })
}

// cmpBacklog writes open tickets observed / simulated (error), or a dash on
// a live channel.
func cmpBacklog(c calibrate.Comparison) string {
	if c.Observed == nil && c.Simulated == nil {
		return "–"
	}
	return val(c.Observed, func(x float64) string { return fmt.Sprintf("%.1f", x) }) + " / " +
		val(c.Simulated, func(x float64) string { return fmt.Sprintf("%.1f", x) }) + " (" + signed(c.Error, 1, "") + ")"
}

// writeResolutionPercentiles writes each channel's median and 90th
// percentile of the resolution time, observed against simulated.
func writeResolutionPercentiles(w io.Writer, bt *calibrate.Backtest) {
	fmt.Fprintln(w, "\nResolution time percentiles (created → resolved, tickets of the period resolved in it), observed / simulated (error):")
	for _, r := range bt.Channels {
		if r.ResolutionP50 == nil || r.ResolutionP90 == nil {
			continue
		}
		fmt.Fprintf(w, "  %s: median %s, 90th percentile %s\n", r.Channel, cmpTime(*r.ResolutionP50), cmpTime(*r.ResolutionP90))
	}
}

func cmpShare(c calibrate.Comparison) string {
	return val(c.Observed, percent) + " / " + val(c.Simulated, percent) + " (" + signed(c.Error, 100, "") + ")"
}

func cmpTime(c calibrate.Comparison) string {
	return val(c.Observed, seconds) + " / " + val(c.Simulated, seconds) + " (" + signedTime(c.Error) + ")"
}

// ForecastSummary writes a forecast of daily volume per channel over a
// target period, with the peak factors applied and the error the method
// made on held-out weeks of the history.
func ForecastSummary(w io.Writer, fc []calibrate.ChannelForecast, from time.Time) error {
	fmt.Fprintln(w, "\nForecast (Holt-Winters, weekly season with trend; × peak factor of the same weekday a year before):")
	head := []string{"day"}
	right := []bool{false}
	for _, f := range fc {
		head = append(head, f.Channel)
		right = append(right, true)
	}
	t := table{indent: "  ", head: head, right: right}
	for d := range fc[0].Days {
		row := []string{from.AddDate(0, 0, d).Format("Mon 2 Jan")}
		for _, f := range fc {
			s := fmt.Sprintf("%.0f", f.Days[d])
			if f.PeakFactors[d] != 1 {
				s += fmt.Sprintf(" (×%.2f)", f.PeakFactors[d])
			}
			row = append(row, s)
		}
		t.addText(row...)
	}
	if err := t.write(w, false); err != nil {
		return err
	}
	for _, f := range fc {
		if f.Error.Weeks == 0 {
			fmt.Fprintf(w, "  %s: too short a history to hold out a week (three weeks needed)\n", f.Channel)
			continue
		}
		fmt.Fprintf(w, "  %s: on %s held out, MAPE %s, bias %+.1f%%\n", f.Channel, plural(f.Error.Weeks, "week"), percent(f.Error.MAPE), 100*f.Error.Bias)
	}
	return nil
}
