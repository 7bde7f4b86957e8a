package report

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
)

// SummaryOptions tune the terminal summary.
type SummaryOptions struct {
	// Color marks MET and MISSED in green and red; set it only when the
	// output is a terminal.
	Color bool
	// Worst is how many of the worst intervals to list (0: 5, -1: none).
	Worst int
}

// Columns is the width the summary is laid out for.
const Columns = 100

// Summary writes the terminal summary of a run: service level against
// target per channel (and priority), waits and queues, agents, cost, and the
// intervals with the lowest service level. sc may be nil; it adds the
// headcount to the opening sentence and the time zone to times.
func Summary(w io.Writer, r *sim.Result, sc *model.Scenario, opt SummaryOptions) error {
	loc := location(r, sc)
	var b strings.Builder
	b.WriteString(wrap(ScenarioSentence(r, sc), Columns))
	b.WriteString("\n")
	b.WriteString(verdict(r, opt.Color))
	if len(r.Warnings) > 0 {
		section(&b, "WARNINGS", "", opt.Color)
		for _, w := range r.Warnings {
			b.WriteString(wrapIndent(w.Message, Columns, "  ! ", "    "))
		}
	}

	section(&b, "SERVICE LEVEL", "share answered within target; ± is the 95% CI; P10–P90 the spread of runs", opt.Color)
	serviceTable(r).write(&b, opt.Color)

	if tt := tailTable(r, loc); len(tt.rows) > 0 {
		section(&b, "END OF PERIOD", "contacts still open at the end; those not yet past target are left out of figures", opt.Color)
		tt.write(&b, opt.Color)
	}

	section(&b, "WAITS AND QUEUES", "ASA of deferred channels is the mean time to first reply", opt.Color)
	waitTable(r, loc).write(&b, opt.Color)

	section(&b, "AGENTS", "occupancy is busy time ÷ time staffed and not on break", opt.Color)
	agentTable(r).write(&b, opt.Color)

	section(&b, "COST", "staffed hours × hourly cost of the salary band, plus automation", opt.Color)
	costTable(r).write(&b, opt.Color)

	n := opt.Worst
	if n == 0 {
		n = 5
	}
	if n > 0 {
		if wt := worstTable(r, loc, n); len(wt.rows) > 0 {
			section(&b, "WORST INTERVALS", "lowest service level, 1+ offered, before the tail (ties: most contacts first)", opt.Color)
			wt.write(&b, opt.Color)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func section(b *strings.Builder, title, note string, color bool) {
	b.WriteString("\n")
	if color {
		b.WriteString(ansiBold + title + ansiReset)
	} else {
		b.WriteString(title)
	}
	if note != "" {
		b.WriteString(" — " + note)
	}
	b.WriteString("\n")
}

// mark is the MET / MISSED cell of a service level.
func mark(sl sim.Stat, target float64) cell {
	if met(sl, target) {
		return cell{text: "MET", style: ansiGreen}
	}
	return cell{text: "MISSED", style: ansiBold + ansiRed}
}

// verdict is the answer in a sentence or two: how many channels met their
// SLA, which missed, which priority classes missed, and the cost.
func verdict(r *sim.Result, color bool) string {
	var missed, pmissed []string
	for _, c := range r.Channels {
		if !met(c.ServiceLevel, c.Target) {
			missed = append(missed, c.Name)
		}
	}
	for _, p := range priorityRows(r) {
		if !met(p.ServiceLevel, p.Target) {
			pmissed = append(pmissed, p.Channel+"/"+p.Priority)
		}
	}
	s := fmt.Sprintf("SLA: %d of %d channels met", len(r.Channels)-len(missed), len(r.Channels))
	if len(missed) > 0 {
		s += "; MISSED: " + strings.Join(missed, ", ")
	}
	if len(pmissed) > 0 {
		s += "; priority classes below target: " + strings.Join(pmissed, ", ")
	}
	var tmissed []string
	for _, t := range r.Tiers {
		if e := t.EscalationServiceLevel; e != nil && e.Mean < t.EscalationTarget {
			tmissed = append(tmissed, t.Name)
		}
	}
	if len(tmissed) > 0 {
		s += "; escalations taken up late at: " + strings.Join(tmissed, ", ")
	}
	s += fmt.Sprintf(". Cost %s (%s per resolved ticket).", Money(r.Cost.Total.Mean), Money(r.Cost.PerResolved.Mean))
	s = wrap(s, Columns)
	if color {
		s = strings.Replace(s, "MISSED:", ansiBold+ansiRed+"MISSED:"+ansiReset, 1)
	}
	return s + "\n"
}

// priorityRows are the priority classes worth showing: those of channels
// with two classes or more (one class is the channel itself).
func priorityRows(r *sim.Result) []sim.PriorityResult {
	n := map[string]int{}
	for _, p := range r.Priorities {
		n[p.Channel]++
	}
	var out []sim.PriorityResult
	for _, p := range r.Priorities {
		if n[p.Channel] > 1 {
			out = append(out, p)
		}
	}
	return out
}

func serviceTable(r *sim.Result) *table {
	spread := false
	for _, c := range r.Channels {
		spread = spread || c.ServiceLevelP10 != 0 || c.ServiceLevelP90 != 0
	}
	t := &table{indent: "  ", head: []string{"channel", "mode", "offered", "service level", "P10–P90", "target", ""},
		right: []bool{false, false, true, true, true, false, false}}
	if !spread {
		t.head[4] = ""
	}
	for _, c := range r.Channels {
		sp := ""
		if spread && !noCI(c.ServiceLevel) {
			sp = strconv.FormatFloat(100*c.ServiceLevelP10, 'f', 1, 64) + "–" + percent(c.ServiceLevelP90)
		} else if spread {
			sp = "n/a"
		}
		t.add(cell{text: c.Name}, cell{text: c.Mode}, cell{text: count(c.Offered.Mean)},
			cell{text: pctStat(c.ServiceLevel)}, cell{text: sp}, cell{text: slaText(c.Target, c.WithinSeconds, c.Clock)},
			mark(c.ServiceLevel, c.Target))
		for _, p := range priorityRows(r) {
			if p.Channel != c.Name {
				continue
			}
			t.add(cell{text: "  " + p.Priority}, cell{}, cell{text: count(p.Offered.Mean)},
				cell{text: pctStat(p.ServiceLevel)}, cell{}, cell{text: slaText(p.Target, p.WithinSeconds, c.Clock)},
				mark(p.ServiceLevel, p.Target))
		}
	}
	return t
}

// waitColumns are the wait figures of a channel (or priority class), by
// metric name.
var waitColumns = []column{{"ASA", "asa_seconds", false}, {"abandoned", "abandon_rate", false}}

func waitTable(r *sim.Result, loc *time.Location) *table {
	head := append(append([]string{"channel"}, heads(waitColumns)...), "peak queue", "at", "backlog at end")
	t := &table{indent: "  ", head: head, right: []bool{false, true, true, true, false, true}}
	peak := []column{{"peak queue", "max_queue", false}}
	for _, c := range r.Channels {
		live := c.Mode != model.ModeDeferred
		at := when(r.Start.Add(time.Duration(c.MaxQueueAt*float64(time.Second))), loc)
		bl := "–"
		if !live {
			bl = figureCells(sim.ChannelFigures, &c, live, []column{{"backlog", "backlog_end", true}})[0]
		}
		row := append([]string{c.Name}, figureCells(sim.ChannelFigures, &c, live, waitColumns)...)
		row = append(append(row, figureCells(sim.ChannelFigures, &c, live, peak)...), at, bl)
		t.addText(row...)
		for _, p := range priorityRows(r) {
			if p.Channel != c.Name {
				continue
			}
			t.addText(append([]string{"  " + p.Priority}, figureCells(sim.PriorityFigures, &p, live, waitColumns)...)...)
		}
	}
	return t
}

// agentColumns are the figures of a tier, by metric name.
var agentColumns = []column{
	{"handled", "handled", false}, {"escalated", "escalated", true}, {"occupancy", "occupancy", false},
	{"staffed hours", "staffed_hours", true}, {"cost", "cost", false},
}

func agentTable(r *sim.Result) *table {
	t := &table{indent: "  ", head: append([]string{"tier"}, heads(agentColumns)...),
		right: []bool{false, true, true, true, true, true}}
	ola := false
	for _, tr := range r.Tiers {
		ola = ola || tr.EscalationServiceLevel != nil
	}
	if ola {
		t.head = append(t.head, "escalations taken up in target")
		t.right = append(t.right, false)
	}
	for _, tr := range r.Tiers {
		row := []cell{{text: tr.Name}}
		for _, x := range figureCells(sim.TierFigures, &tr, true, agentColumns) {
			row = append(row, cell{text: x})
		}
		if e := tr.EscalationServiceLevel; e != nil {
			mark := cell{text: "MET", style: ansiGreen}
			if e.Mean < tr.EscalationTarget {
				mark = cell{text: "MISSED", style: ansiRed}
			}
			row = append(row, cell{text: fmt.Sprintf("%s (%s) %s", pctStat(*e), slaText(tr.EscalationTarget, tr.EscalationWithinSeconds, ""), mark.text), style: mark.style})
		}
		t.add(row...)
	}
	return t
}

func costTable(r *sim.Result) *table {
	t := &table{indent: "  ", head: []string{"", "per hour", "cost", "share"},
		right: []bool{false, true, true, true}}
	total := r.Cost.Total.Mean
	share := func(x float64) string {
		if total <= 0 {
			return "–"
		}
		return fmt.Sprintf("%.0f%%", 100*x/total)
	}
	for _, b := range r.Bands {
		t.addText("band "+b.Name, Money(b.HourlyCost), moneyStat(b.Cost), share(b.Cost.Mean))
	}
	if r.Cost.Automation.Mean > 0 {
		t.addText("automation", "", moneyStat(r.Cost.Automation), share(r.Cost.Automation.Mean))
	}
	t.add(cell{text: "total", style: ansiBold}, cell{}, cell{text: moneyStat(r.Cost.Total), style: ansiBold})
	for _, c := range r.Cost.PerChannel {
		t.addText("channel "+c.Channel, "", moneyStat(c.Cost), share(c.Cost.Mean))
	}
	t.addText("per resolved ticket", "", moneyStat(r.Cost.PerResolved))
	return t
}

// worstIntervals returns up to n intervals with the lowest mean service
// level among those where at least one contact was offered on average.
func worstIntervals(r *sim.Result, n int) []sim.IntervalResult {
	var iv []sim.IntervalResult
	for _, x := range r.Intervals {
		if inTail(r, x) {
			continue // its figures describe only the contacts already decided
		}
		if x.ServiceLevel != nil && x.Offered.Mean >= 1 && !math.IsNaN(x.ServiceLevel.Mean) {
			iv = append(iv, x)
		}
	}
	sort.SliceStable(iv, func(i, j int) bool {
		a, b := iv[i].ServiceLevel.Mean, iv[j].ServiceLevel.Mean
		if a != b {
			return a < b
		}
		// Among equals, the intervals that affected most contacts first.
		if oa, ob := iv[i].Offered.Mean, iv[j].Offered.Mean; oa != ob {
			return oa > ob
		}
		return iv[i].Start.Before(iv[j].Start)
	})
	if len(iv) > n {
		iv = iv[:n]
	}
	return iv
}

func worstTable(r *sim.Result, loc *time.Location, n int) *table {
	t := &table{indent: "  ", head: []string{"interval", "channel", "service level", "target", "offered", "ASA", "peak queue"},
		right: []bool{false, false, true, true, true, true, true}}
	target := map[string]float64{}
	for _, c := range r.Channels {
		target[c.Name] = c.Target
	}
	for _, x := range worstIntervals(r, n) {
		asa := "–"
		if x.ASASeconds != nil {
			asa = seconds(x.ASASeconds.Mean)
		}
		sl := pctStat(*x.ServiceLevel)
		if r.Replications < 2 { // interval figures keep no samples to tell
			sl = percent(x.ServiceLevel.Mean) + naCI
		}
		t.add(cell{text: when(x.Start, loc)}, cell{text: x.Channel},
			cell{text: sl, style: mark(*x.ServiceLevel, target[x.Channel]).style},
			cell{text: targetPercent(target[x.Channel])}, cell{text: count(x.Offered.Mean)},
			cell{text: asa}, cell{text: count(x.MaxQueue.Mean)})
	}
	return t
}

// wrap breaks text into lines of at most width columns at spaces.
func wrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for i, word := range strings.Fields(text) {
		wl := len([]rune(word))
		if i > 0 {
			if n+1+wl > width {
				b.WriteByte('\n')
				n = 0
			} else {
				b.WriteByte(' ')
				n++
			}
		}
		b.WriteString(word)
		n += wl
	}
	return b.String()
}

// wrapIndent wraps text to cols columns with first before the first line and
// rest before the others, and ends it with a newline.
func wrapIndent(text string, cols int, first, rest string) string {
	lines := strings.Split(wrap(text, cols-width(first)), "\n")
	for i := range lines {
		if i == 0 {
			lines[i] = first + lines[i]
		} else {
			lines[i] = rest + lines[i]
		}
	}
	return strings.Join(lines, "\n") + "\n"
}
