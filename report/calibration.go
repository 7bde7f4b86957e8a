package report

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/slasim/slasim/sim/calibrate"
)

// CalibrationSummary writes what `slasim calibrate` estimated from a
// history, for a reader: the volume and patience per channel, the
// categories and their handle times, the escalation paths, and every
// warning and bad row.
func CalibrationSummary(w io.Writer, cal *calibrate.Calibration) error {
	fmt.Fprintf(w, "Calibrated from %s: %s over %s from %s (%s rows).\n\n", cal.Source, plural(cal.Tickets, "ticket"),
		plural(cal.Days, "day"), cal.Start.Format("Mon 2 Jan 2006"), group(int64(cal.Issues.Rows)))
	ch := table{indent: "  ", head: []string{"channel", "mode", "contacts", "rate/h ± 95%", "forecast_cv", "patience (MLE, 95%)", "naive", "served in SLA", "ASA", "abandoned"},
		right: []bool{false, false, true, true, true, true, true, true, true, true}}
	for _, c := range cal.Channels {
		pat, naive := "–", "–"
		if p := c.Patience; p != nil && p.Abandons > 0 {
			pat = fmt.Sprintf("%s [%s, %s]", seconds(p.MeanMLE), seconds(p.MeanLow), seconds(p.MeanHigh))
			naive = seconds(p.NaiveMean)
		}
		ch.addText(c.Name, c.Mode, group(int64(c.Contacts)), fmt.Sprintf("%.3g ± %.2g", c.RatePerHour, c.RateCI95),
			strconv.FormatFloat(c.ForecastCV, 'f', 2, 64), pat, naive, pctOrDash(c.Observed.ServiceLevel()),
			seconds(c.Observed.ASA()), pctOrDash(c.Observed.AbandonRate()))
	}
	if err := ch.write(w, false); err != nil {
		return err
	}
	fmt.Fprintln(w)
	cat := table{indent: "  ", head: []string{"category", "tickets", "share ± 95%", "handle mean ± 95%", "fit", "KS lognormal", "KS gamma"},
		right: []bool{false, true, true, true, false, true, true}}
	for _, c := range cal.Categories {
		h := c.HandleTime
		cat.addText(c.Name, group(int64(c.Count)), fmt.Sprintf("%s ± %.1f", percent(c.Share), 100*c.ShareCI95),
			seconds(h.Mean)+" ± "+seconds(h.MeanCI95), fmt.Sprintf("%s cv %.2f", h.Best.Dist, h.Best.CV),
			fmt.Sprintf("%.3f", h.LogNormal.KS), fmt.Sprintf("%.3f", h.Gamma.KS))
	}
	if err := cat.write(w, false); err != nil {
		return err
	}
	if len(cal.Escalation)+len(cal.Returns) > 0 {
		fmt.Fprintln(w)
		esc := table{indent: "  ", head: []string{"escalation", "category", "of handled", "p ± 95%", "handle mean there"}, right: []bool{false, false, true, true, true}}
		for _, set := range [][]calibrate.EscalationEstimate{cal.Escalation, cal.Returns} {
			for _, e := range set {
				esc.addText(e.From+" → "+e.To, e.Category, fmt.Sprintf("%d / %d", e.Escalated, e.Handled),
					fmt.Sprintf("%s ± %.1f", percent(e.P), 100*e.PCI95), seconds(e.HandleTime.Mean))
			}
		}
		if err := esc.write(w, false); err != nil {
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

func pctOrDash(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	return percent(x)
}
