package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/slasim/slasim/sim"
)

// Units of compared figures (sim's metric table names them).
const (
	UnitShare   = sim.UnitShare
	UnitSeconds = sim.UnitSeconds
	UnitCount   = sim.UnitCount
	UnitMoney   = sim.UnitMoney
)

// Delta is one figure in two runs and their difference B − A. With common
// random numbers the difference is estimated from the paired
// per-replication differences, whose CI is much narrower than either run's.
type Delta struct {
	// Subject is what the figure is about: a channel, "chat/vip", a tier,
	// a band, or "cost"; Metric its name in the result contract.
	Subject string   `json:"subject"`
	Metric  string   `json:"metric"`
	Unit    string   `json:"unit"`
	A       sim.Stat `json:"a"`
	B       sim.Stat `json:"b"`
	Diff    sim.Stat `json:"diff"`
	// Paired is false when the runs' replications could not be paired
	// (different counts, or a figure undefined in some replications); the
	// CI of Diff then combines the two CIs.
	Paired bool `json:"paired"`
	// Significant: the 95% CI of the difference excludes 0.
	Significant bool `json:"significant"`
	// Better is +1 when a higher value is better (service level), -1 when
	// lower is better (waits, abandonment, cost), 0 when neither.
	Better int `json:"better"`
	// Target and TargetB are the service-level targets of a service_level
	// figure in A and in B (0 for other figures): each side is MET or
	// MISSED against its own.
	Target  float64 `json:"target,omitempty"`
	TargetB float64 `json:"target_b,omitempty"`
}

// Comparison is run B set against run A.
type Comparison struct {
	A            string  `json:"a"`
	B            string  `json:"b"`
	Seed         uint64  `json:"seed"`
	Replications int     `json:"replications"`
	Deltas       []Delta `json:"deltas"`
}

// Compare sets result b against result a, figure by figure: the figures
// sim's metric tables mark as compared, per channel, per priority, per
// tier, per band and for the cost. Figures present in only one run are
// left out. labelA and labelB name the runs.
func Compare(a, b *sim.Result, labelA, labelB string) *Comparison {
	c := &Comparison{A: labelA, B: labelB, Seed: a.Seed, Replications: min(a.Replications, b.Replications)}
	for i := range a.Channels {
		ca := &a.Channels[i]
		cb := find(b.Channels, func(x *sim.ChannelResult) bool { return x.Name == ca.Name })
		if cb == nil {
			continue
		}
		compareFigures(c, ca.Name, sim.ChannelFigures, ca, cb, ca.Mode != "deferred")
		c.setTargets(ca.Name, ca.Target, cb.Target)
		for _, pa := range priorityRows(a) {
			if pa.Channel != ca.Name {
				continue
			}
			pb := find(b.Priorities, func(x *sim.PriorityResult) bool {
				return x.Channel == pa.Channel && x.Priority == pa.Priority
			})
			if pb != nil {
				compareFigures(c, pa.Channel+"/"+pa.Priority, sim.PriorityFigures, &pa, pb, true)
				c.setTargets(pa.Channel+"/"+pa.Priority, pa.Target, pb.Target)
			}
		}
	}
	for i := range a.Tiers {
		ta := &a.Tiers[i]
		if tb := find(b.Tiers, func(x *sim.TierResult) bool { return x.Name == ta.Name }); tb != nil {
			compareFigures(c, ta.Name, sim.TierFigures, ta, tb, true)
		}
	}
	for i := range a.Bands {
		ba := &a.Bands[i]
		if bb := find(b.Bands, func(x *sim.BandResult) bool { return x.Name == ba.Name }); bb != nil {
			compareFigures(c, "band "+ba.Name, sim.BandFigures, ba, bb, true)
		}
	}
	compareFigures(c, "cost", sim.CostFigures, &a.Cost, &b.Cost, true)
	return c
}

// compareFigures adds the compared figures of one subject present in both
// runs; live says whether live-only figures apply.
func compareFigures[T any](c *Comparison, subject string, figs []sim.Figure[T], x, y *T, live bool) {
	for i := range figs {
		f := &figs[i]
		if !f.Compared || f.LiveOnly && !live {
			continue
		}
		sx, sy := f.Of(x), f.Of(y)
		if sx == nil || sy == nil {
			continue
		}
		if sx.Mean == 0 && sx.CI95 == 0 && sy.Mean == 0 && sy.CI95 == 0 {
			continue // nothing on either side (no automation, say)
		}
		d := diff(*sx, *sy)
		d.Subject, d.Metric, d.Unit, d.Better = subject, f.Name, f.Unit, f.Better
		c.Deltas = append(c.Deltas, d)
	}
}

// find returns the first element of xs that matches, or nil.
func find[T any](xs []T, match func(*T) bool) *T {
	for i := range xs {
		if match(&xs[i]) {
			return &xs[i]
		}
	}
	return nil
}

// diff estimates y − x: from paired per-replication differences when both
// hold the same number of samples, else from the two summaries.
func diff(x, y sim.Stat) Delta {
	d := Delta{A: x, B: y}
	if n := len(x.Samples); n > 0 && n == len(y.Samples) {
		ds := make([]float64, n)
		for i := range ds {
			ds[i] = y.Samples[i] - x.Samples[i]
		}
		d.Diff = sim.NewStat(ds)
		d.Paired = true
	} else {
		d.Diff = sim.Stat{Mean: y.Mean - x.Mean, CI95: math.Hypot(x.CI95, y.CI95)}
	}
	d.Significant = math.Abs(d.Diff.Mean) > d.Diff.CI95+1e-12
	return d
}

// Find returns the delta of a subject and metric, or nil.
func (c *Comparison) Find(subject, metric string) *Delta {
	for i := range c.Deltas {
		if c.Deltas[i].Subject == subject && c.Deltas[i].Metric == metric {
			return &c.Deltas[i]
		}
	}
	return nil
}

// WriteComparisonJSON writes the comparison as indented JSON.
func WriteComparisonJSON(w io.Writer, c *Comparison) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(c)
}

// metricLabel names a metric for a reader.
var metricLabel = map[string]string{
	"service_level": "service level", "asa_seconds": "ASA", "abandon_rate": "abandoned",
	"max_queue": "peak queue", "offered": "offered", "occupancy": "occupancy", "handled": "handled",
	"staffed_hours": "staffed hours", "cost": "cost", "staff": "staff cost", "automation": "automation cost",
	"total": "total cost", "per_resolved": "cost per resolved ticket",
}

// label is how a delta is named in text: "chat service level", "staff cost".
func (d *Delta) label() string {
	m := metricLabel[d.Metric]
	if m == "" {
		m = d.Metric
	}
	if d.Subject == "cost" {
		return m
	}
	return d.Subject + " " + m
}

// value formats one side's figure with its CI.
func (d *Delta) value(s sim.Stat) string {
	switch d.Unit {
	case UnitShare:
		return pctStat(s)
	case UnitSeconds:
		return secondsStat(s)
	case UnitMoney:
		return moneyStat(s)
	default:
		return countStat(s)
	}
}

// change formats the difference: "+17.2 pts ± 1.5", "-12s ± 3.1s", "+$4,310 ± 0".
func (d *Delta) change() string {
	m, h := d.Diff.Mean, d.Diff.CI95
	am := math.Abs(m)
	// The smallest difference shown as non-zero, so that -0 is not printed.
	unit := 0.5
	switch {
	case d.Unit == UnitShare:
		unit = 0.0005
	case d.Unit == UnitSeconds && am < 10:
		unit = 0.05
	case math.Max(math.Abs(d.A.Mean), math.Abs(d.B.Mean)) < 100:
		unit = 0.005
	}
	sign := "+"
	if m < 0 && am >= unit {
		sign = "-"
	}
	switch d.Unit {
	case UnitShare:
		return sign + strconv.FormatFloat(100*am, 'f', 1, 64) + " pts ± " + strconv.FormatFloat(100*h, 'f', 1, 64)
	case UnitSeconds:
		return sign + seconds(am) + " ± " + seconds(h)
	case UnitMoney:
		if math.Max(math.Abs(d.A.Mean), math.Abs(d.B.Mean)) >= 100 {
			return sign + "$" + group(int64(math.Round(am))) + " ± " + group(int64(math.Round(h)))
		}
		return sign + moneyStat(sim.Stat{Mean: am, CI95: h})
	default:
		if math.Max(math.Abs(d.A.Mean), math.Abs(d.B.Mean)) >= 100 {
			return sign + group(int64(math.Round(am))) + " ± " + group(int64(math.Round(h)))
		}
		return sign + countStat(sim.Stat{Mean: am, CI95: h})
	}
}

// verdict says whether the change is an improvement, a deterioration, or
// within noise.
func (d *Delta) verdict() cell {
	if !d.Significant {
		return cell{text: "≈ within noise", style: ansiDim}
	}
	up := d.Diff.Mean > 0
	switch {
	case d.Better == 0 && up:
		return cell{text: "▲ up"}
	case d.Better == 0:
		return cell{text: "▼ down"}
	case up == (d.Better > 0):
		return cell{text: map[bool]string{true: "▲ better", false: "▼ better"}[up], style: ansiGreen}
	default:
		return cell{text: map[bool]string{true: "▲ worse", false: "▼ worse"}[up], style: ansiRed}
	}
}

// Headline says in words what changed that matters: the service level of
// each channel whose change is significant, and the total cost. E.g. "chat
// service level 71.2% ± 2.0 → 88.4% ± 1.1 (+17.2 pts ± 1.5); total cost
// +$4,310 ± 0".
func (c *Comparison) Headline() string {
	var parts []string
	var same []string
	for i := range c.Deltas {
		d := &c.Deltas[i]
		if d.Metric != "service_level" || strings.Contains(d.Subject, "/") {
			continue
		}
		if !d.Significant {
			same = append(same, d.Subject)
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %s → %s (%s)", d.label(), d.value(d.A), d.value(d.B), d.change()))
	}
	if len(same) > 0 {
		parts = append(parts, "service level unchanged within noise on "+strings.Join(same, ", "))
	}
	if d := c.Find("cost", "total"); d != nil {
		if d.Diff.Mean == 0 && d.Diff.CI95 == 0 {
			parts = append(parts, "total cost unchanged")
		} else {
			parts = append(parts, "total cost "+d.change())
		}
	}
	return strings.Join(parts, "; ") + "."
}

// WriteComparison writes the comparison for a terminal: the headline in
// words, then a table of every figure in A and B with the difference.
func WriteComparison(w io.Writer, c *Comparison, opt SummaryOptions) error {
	var b strings.Builder
	b.WriteString(wrap("A: "+c.A, Columns) + "\n")
	b.WriteString(wrap("B: "+c.B, Columns) + "\n")
	b.WriteString(wrap(fmt.Sprintf("%s, seed %d, common random numbers: differences are B − A with 95%% CIs from the paired replications.",
		plural(c.Replications, "replication"), c.Seed), Columns))
	b.WriteString("\n\n")
	b.WriteString(wrap(c.Headline(), Columns))
	b.WriteString("\n\n")
	if tt := c.targetsTable(); len(tt.rows) > 0 {
		if err := tt.write(&b, opt.Color); err != nil {
			return err
		}
		b.WriteString("\n")
	}
	if err := c.table().write(&b, opt.Color); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// table lists every figure in A and B with the difference B − A.
func (c *Comparison) table() *table {
	t := &table{indent: "  ", head: []string{"", "A", "B", "B − A", ""}, right: []bool{false, true, true, true, false}}
	last := ""
	for i := range c.Deltas {
		d := &c.Deltas[i]
		group, _, _ := strings.Cut(d.Subject, "/")
		if strings.HasPrefix(group, "band ") {
			group = "cost"
		}
		if last != "" && group != last {
			t.addText("")
		}
		last = group
		t.add(cell{text: d.label()}, cell{text: d.value(d.A)}, cell{text: d.value(d.B)}, cell{text: d.change()}, d.verdict())
	}
	return t
}
