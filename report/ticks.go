package report

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
)

// Tick markers of the charts' value axes, written with the same rounding
// as the tables.

// percentTicks marks a 0–1 axis in percent.
type percentTicks struct{}

func (percentTicks) Ticks(min, max float64) []plot.Tick {
	var ts []plot.Tick
	for v := 0; v <= 100; v += 10 {
		x := float64(v) / 100
		if x < min-1e-9 || x > max+1e-9 {
			continue
		}
		label := ""
		if v%20 == 0 {
			label = strconv.Itoa(v) + "%"
		}
		ts = append(ts, plot.Tick{Value: x, Label: label})
	}
	return ts
}

// moneyTicks marks a money axis as the tables write amounts: "$12,000",
// "−$15,000"; signed puts a "+" before gains (an axis of changes).
type moneyTicks struct{ signed bool }

func (m moneyTicks) Ticks(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = moneyLabel(ts[i].Value, m.signed)
		}
	}
	return ts
}

// moneyLabel writes an amount with the rounding of the tables (money),
// a true minus sign, and a "+" on gains when signed.
func moneyLabel(x float64, signed bool) string {
	s := Money(x)
	if x == math.Round(x) {
		s = "$" + group(int64(math.Abs(x)))
		if x < 0 {
			s = "-" + s
		}
	}
	switch {
	case strings.HasPrefix(s, "-"):
		return "−" + s[1:]
	case signed && x > 0:
		return "+" + s
	}
	return s
}

// countTicks marks a count axis without needless decimals: "25", "1,200", "2.5".
type countTicks struct{}

func (countTicks) Ticks(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ts {
		if ts[i].Label == "" {
			continue
		}
		v := ts[i].Value
		if math.Abs(v-math.Round(v)) < 1e-9 {
			ts[i].Label = group(int64(math.Round(v)))
		} else {
			ts[i].Label = strconv.FormatFloat(math.Round(v*1e6)/1e6, 'f', -1, 64)
		}
	}
	return ts
}

// signedGroup writes a whole change with its sign and thousands
// separators, as the tables do: "+16,773", "-17,804", "0".
func signedGroup(x float64) string {
	n := int64(math.Round(x))
	if n > 0 {
		return "+" + group(n)
	}
	return group(n)
}
