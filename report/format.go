package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
)

// location is the time zone times are shown in: the scenario's, or else the
// result's start.
func location(r *sim.Result, sc *model.Scenario) *time.Location {
	if sc != nil && sc.Location != nil {
		return sc.Location
	}
	if loc := r.Start.Location(); loc != nil {
		return loc
	}
	return time.UTC
}

// when formats a wall-clock instant for a reader: "Fri 27 Nov 10:30".
func when(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Mon 2 Jan 15:04")
}

// percent formats a share as "82.3%".
func percent(x float64) string {
	return strconv.FormatFloat(100*x, 'f', 1, 64) + "%"
}

// targetPercent formats a target share without needless decimals: "80%", "92.5%".
func targetPercent(x float64) string {
	return strconv.FormatFloat(100*x, 'f', -1, 64) + "%"
}

// noCI says a figure rests on a single replication, so it has no
// confidence interval: it is printed "± n/a", not "± 0.0".
func noCI(s sim.Stat) bool { return len(s.Samples) == 1 }

// naCI is what stands for the CI of a single replication.
const naCI = " ± n/a"

// ciOf is the "± …" part of a formatted figure.
func ciOf(formatted string) string {
	if i := strings.Index(formatted, "± "); i >= 0 {
		return formatted[i:]
	}
	return formatted
}

// pctStat formats a share with its CI in points: "82.3% ± 1.1".
func pctStat(s sim.Stat) string {
	if noCI(s) {
		return percent(s.Mean) + naCI
	}
	return percent(s.Mean) + " ± " + strconv.FormatFloat(100*s.CI95, 'f', 1, 64)
}

// seconds formats a duration in seconds for a reader: "18s", "2m10s",
// "3h12m", "1d4h".
func seconds(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	neg := ""
	if x < 0 {
		neg, x = "-", -x
	}
	s := int64(math.Round(x))
	switch {
	case x < 10:
		return neg + strconv.FormatFloat(x, 'f', 1, 64) + "s"
	case s < 60:
		return fmt.Sprintf("%s%ds", neg, s)
	case s < 3600:
		if s%60 == 0 {
			return fmt.Sprintf("%s%dm", neg, s/60)
		}
		return fmt.Sprintf("%s%dm%02ds", neg, s/60, s%60)
	case s < 86400:
		m := (s + 30) / 60
		if m%60 == 0 {
			return fmt.Sprintf("%s%dh", neg, m/60)
		}
		return fmt.Sprintf("%s%dh%02dm", neg, m/60, m%60)
	default:
		h := (s + 1800) / 3600
		if h%24 == 0 {
			return fmt.Sprintf("%s%dd", neg, h/24)
		}
		return fmt.Sprintf("%s%dd%dh", neg, h/24, h%24)
	}
}

// secondsStat formats a duration with its CI: "18s ± 2.1s".
func secondsStat(s sim.Stat) string {
	if noCI(s) {
		return seconds(s.Mean) + naCI
	}
	return seconds(s.Mean) + " ± " + seconds(s.CI95)
}

// count formats a number of things with thousands separators: "12,345";
// below 100, one decimal is kept when the value is not whole.
func count(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	if math.Abs(x) < 100 && math.Abs(x-math.Round(x)) > 0.05 {
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
	return group(int64(math.Round(x)))
}

// countStat formats a count with its CI: "12,345 ± 120".
func countStat(s sim.Stat) string {
	if noCI(s) {
		return count(s.Mean) + naCI
	}
	if math.Abs(s.Mean) >= 100 {
		return count(s.Mean) + " ± " + group(int64(math.Round(s.CI95)))
	}
	return count(s.Mean) + " ± " + count(s.CI95)
}

// group writes an integer with thousands separators.
func group(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Money formats an amount as every report does: "$4,310" from $100 up, "$4.12" below.
func Money(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	sign := ""
	if x < 0 {
		sign, x = "-", -x
	}
	if x < 100 {
		return sign + "$" + strconv.FormatFloat(x, 'f', 2, 64)
	}
	return sign + "$" + group(int64(math.Round(x)))
}

// moneyStat formats an amount with its CI: "$250,000 ± 1,200".
func moneyStat(s sim.Stat) string {
	if noCI(s) {
		return Money(s.Mean) + naCI
	}
	h := Money(s.CI95)
	if math.Abs(s.Mean) >= 100 {
		h = group(int64(math.Round(s.CI95)))
	}
	return Money(s.Mean) + " ± " + strings.TrimPrefix(h, "$")
}

// slaText describes a target: "80% in 20s", "90% in 4h (business hours)".
func slaText(target, within float64, clock string) string {
	s := targetPercent(target) + " in " + seconds(within)
	if clock == model.ClockBusiness {
		s += " (business hours)"
	}
	return s
}

// met reports whether a service level meets its target; a mean within
// rounding of the target counts as met.
func met(sl sim.Stat, target float64) bool {
	return sl.Mean+1e-9 >= target
}

// ScenarioSentence describes the scenario and the run in one sentence, for
// the head of a report: "Black Friday week: 7 days from Mon 23 Nov 2026
// 00:00 EST, 3 channels (phone, chat, email), 2 tiers with 120 agents on 6
// shifts; 30 replications, seed 7."
func ScenarioSentence(r *sim.Result, sc *model.Scenario) string {
	loc := location(r, sc)
	var b strings.Builder
	b.WriteString(r.Scenario)
	b.WriteString(": ")
	b.WriteString(periodText(r.DurationSeconds))
	b.WriteString(" from ")
	b.WriteString(r.Start.In(loc).Format("Mon 2 Jan 2006 15:04 MST"))
	names := make([]string, len(r.Channels))
	for i, c := range r.Channels {
		names[i] = c.Name
	}
	fmt.Fprintf(&b, ", %s (%s)", plural(len(names), "channel"), strings.Join(names, ", "))
	if sc != nil {
		head := 0
		for _, s := range sc.Shifts {
			head += s.Headcount
		}
		fmt.Fprintf(&b, ", %s with %s on %s", plural(len(sc.Tiers), "tier"), plural(head, "agent"), plural(len(sc.Shifts), "shift"))
	} else {
		fmt.Fprintf(&b, ", %s", plural(len(r.Tiers), "tier"))
	}
	fmt.Fprintf(&b, "; %s intervals, %s, seed %d.", seconds(r.IntervalSeconds), plural(r.Replications, "replication"), r.Seed)
	return b.String()
}

// periodText says how long the period is: "7 days", "36 hours".
func periodText(sec float64) string {
	switch {
	case sec >= 86400 && math.Mod(sec, 86400) == 0:
		return plural(int(sec/86400), "day")
	case sec >= 3600 && math.Mod(sec, 3600) == 0:
		return plural(int(sec/3600), "hour")
	default:
		return seconds(sec)
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return group(int64(n)) + " " + word + "s"
}
