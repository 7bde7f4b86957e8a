package report

import (
	"fmt"

	"github.com/slasim/slasim/sim"
)

// The summary reads its figures from sim's metric tables (sim.ChannelFigures,
// sim.TierFigures…): which field holds a figure, its unit and so how it is
// written, and whether it means anything on a deferred channel. A column
// names its metric; the table says the rest.

// column is one figure column of a summary table.
type column struct {
	head, metric string
	// meanOnly writes the mean without its CI (a count read as a total).
	meanOnly bool
}

// figureOf finds a metric by name in a metric table; the names are sim's
// JSON keys, checked by sim's own tests, so a miss is a programming error.
func figureOf[T any](figs []sim.Figure[T], name string) *sim.Figure[T] {
	for i := range figs {
		if figs[i].Name == name {
			return &figs[i]
		}
	}
	panic(fmt.Sprintf("report: no metric %q in the table", name))
}

// figureText writes a figure by its unit: shares as percentages, seconds as
// waits, counts with separators, money in dollars; "–" where undefined.
func figureText(m sim.Metric, s *sim.Stat, meanOnly bool) string {
	if s == nil {
		return "–"
	}
	if meanOnly {
		switch m.Unit {
		case sim.UnitMoney:
			return Money(s.Mean)
		case sim.UnitShare:
			return percent(s.Mean)
		default:
			return count(s.Mean)
		}
	}
	switch m.Unit {
	case sim.UnitShare:
		return pctStat(*s)
	case sim.UnitSeconds:
		return secondsStat(*s)
	case sim.UnitMoney:
		return moneyStat(*s)
	default:
		return countStat(*s)
	}
}

// figureCells writes x's figures for the columns from table figs; a figure
// that applies only to live channels is "–" where live is false.
func figureCells[T any](figs []sim.Figure[T], x *T, live bool, cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		f := figureOf(figs, c.metric)
		if f.LiveOnly && !live {
			out[i] = "–"
			continue
		}
		out[i] = figureText(f.Metric, f.Of(x), c.meanOnly)
	}
	return out
}

// heads lists the columns' headings.
func heads(cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.head
	}
	return out
}
