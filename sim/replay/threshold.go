package replay

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Threshold is a pass/fail criterion on a replay's summary, as in k6:
// "p99<2s", "errors<1%", "not_sent<=0". It holds when the metric compares
// to the value as stated; a run that crosses a threshold exits 1.
//
// Metrics: p50 p90 p99 p99.9 max mean (latency from the intended time of
// all actions, a duration); errors (failed or in doubt), failed, in_doubt,
// not_sent (a count, or with % a share of the actions that were due).
type Threshold struct {
	Text    string
	Metric  string
	Op      string // < <= > >=
	Value   float64
	Percent bool
}

var latencyMetrics = map[string]func(Latency) float64{
	"p50": func(l Latency) float64 { return l.P50 }, "p90": func(l Latency) float64 { return l.P90 },
	"p99": func(l Latency) float64 { return l.P99 }, "p99.9": func(l Latency) float64 { return l.P999 },
	"max": func(l Latency) float64 { return l.Max }, "mean": func(l Latency) float64 { return l.Mean },
}

var countMetrics = map[string]func(Summary) int{
	"errors":   func(s Summary) int { return s.Failed + s.InDoubt },
	"failed":   func(s Summary) int { return s.Failed },
	"in_doubt": func(s Summary) int { return s.InDoubt },
	"not_sent": func(s Summary) int { return s.NotSent },
}

// ParseThreshold reads one threshold.
func ParseThreshold(s string) (Threshold, error) {
	t := Threshold{Text: strings.TrimSpace(s)}
	i := strings.IndexAny(t.Text, "<>")
	if i <= 0 {
		return t, fmt.Errorf("threshold %q: want METRIC<VALUE, e.g. p99<2s or errors<1%%", s)
	}
	t.Metric, t.Op = strings.TrimSpace(t.Text[:i]), t.Text[i:i+1]
	rest := t.Text[i+1:]
	if strings.HasPrefix(rest, "=") {
		t.Op, rest = t.Op+"=", rest[1:]
	}
	rest = strings.TrimSpace(rest)
	switch {
	case latencyMetrics[t.Metric] != nil:
		d, err := time.ParseDuration(rest)
		if err != nil {
			return t, fmt.Errorf("threshold %q: %s wants a duration (2s, 500ms)", s, t.Metric)
		}
		t.Value = float64(d) / float64(time.Millisecond)
	case countMetrics[t.Metric] != nil:
		t.Percent = strings.HasSuffix(rest, "%")
		v, err := strconv.ParseFloat(strings.TrimSuffix(rest, "%"), 64)
		if err != nil || v < 0 {
			return t, fmt.Errorf("threshold %q: %s wants a count or a percentage (1%%)", s, t.Metric)
		}
		t.Value = v
	default:
		return t, fmt.Errorf("threshold %q: unknown metric %q (p50 p90 p99 p99.9 max mean errors failed in_doubt not_sent)", s, t.Metric)
	}
	return t, nil
}

// Check returns the metric's value in the threshold's unit and whether
// the threshold holds.
func (t Threshold) Check(s Summary) (float64, bool) {
	var v float64
	if f := latencyMetrics[t.Metric]; f != nil {
		v = f(s.Total.FromIntended)
	} else {
		v = float64(countMetrics[t.Metric](s))
		if due := s.Actions - s.NotSentBy[NotSentDuration]; t.Percent && due > 0 {
			v = 100 * v / float64(due)
		}
	}
	switch t.Op {
	case "<":
		return v, v < t.Value
	case "<=":
		return v, v <= t.Value
	case ">":
		return v, v > t.Value
	}
	return v, v >= t.Value
}

// Verdict is the pass/fail judgement of a run: the thresholds crossed, and
// by default a run where more than half of the actions that were sent
// failed (every action failing: a wrong token, a refused connection, an
// untrusted certificate) is a failure. It returns one line per reason.
func Verdict(s Summary, thresholds []Threshold) []string {
	var out []string
	for _, t := range thresholds {
		if v, ok := t.Check(s); !ok {
			unit := "ms"
			if latencyMetrics[t.Metric] == nil {
				unit = map[bool]string{true: "%", false: ""}[t.Percent]
			}
			out = append(out, fmt.Sprintf("threshold %s crossed: %s = %.4g%s", t.Text, t.Metric, v, unit))
		}
	}
	if decided := s.OK + s.Failed + s.InDoubt; s.Failed > 0 && 2*s.Failed > decided {
		out = append(out, fmt.Sprintf("%d of %d actions failed (more than half)", s.Failed, decided))
	}
	return out
}
