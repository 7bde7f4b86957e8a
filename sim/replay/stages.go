package replay

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/slasim/slasim/model"
)

// Stage is one leg of a ramping arrival rate: over Duration the rate moves
// linearly from the previous stage's Target (or the start rate) to Target,
// in actions per second.
type Stage struct {
	Duration time.Duration
	Target   float64
}

// StagesPacer sends actions in trace order at a rate that ramps from stage
// to stage, as k6's ramping-arrival-rate executor does: the n-th action is
// due when the integral of the rate reaches n. The schedule ends with the
// last stage (it is an Ender); actions left then are not sent.
type StagesPacer struct {
	Start  float64 // rate at time 0, actions/s
	Stages []Stage
}

// Due implements Pacer.
func (p StagesPacer) Due(n int, _ float64) time.Duration {
	need := float64(n)
	r0 := p.Start
	var t0 time.Duration
	for _, st := range p.Stages {
		d := st.Duration.Seconds()
		r1 := st.Target
		area := (r0 + r1) / 2 * d
		if need <= area && d > 0 {
			// solve r0·x + (r1−r0)/(2d)·x² = need for x in [0, d]
			a := (r1 - r0) / (2 * d)
			var x float64
			switch {
			case math.Abs(a) < 1e-12 && r0 > 0:
				x = need / r0
			case math.Abs(a) < 1e-12: // a zero-rate stage: only n = 0 lands here
			default:
				x = (-r0 + math.Sqrt(r0*r0+4*a*need)) / (2 * a)
			}
			return t0 + time.Duration(min(max(x, 0), d)*float64(time.Second))
		}
		need -= area
		t0 += st.Duration
		r0 = r1
	}
	return p.End() + time.Nanosecond // after the last stage: not sent
}

// Rate implements Pacer (0: it changes over the run).
func (p StagesPacer) Rate() float64 { return 0 }

// End implements Ender: the end of the last stage.
func (p StagesPacer) End() time.Duration {
	var t time.Duration
	for _, st := range p.Stages {
		t += st.Duration
	}
	return t
}

// ParseStages reads "2m:50/s,10m:500/s,2m:0/s": comma-separated
// duration:rate legs, rates in slasim's rate grammar (model.ParseRate), 0
// allowed ("0/s").
func ParseStages(s string) (StagesPacer, error) {
	var p StagesPacer
	for _, leg := range strings.Split(s, ",") {
		leg = strings.TrimSpace(leg)
		ds, rs, ok := strings.Cut(leg, ":")
		if !ok {
			return p, fmt.Errorf("stage %q: want DURATION:RATE, e.g. 2m:50/s", leg)
		}
		d, err := time.ParseDuration(strings.TrimSpace(ds))
		if err != nil || d <= 0 {
			return p, fmt.Errorf("stage %q: duration %q is not a positive duration (2m, 30s)", leg, ds)
		}
		r, err := parseStageRate(rs)
		if err != nil {
			return p, fmt.Errorf("stage %q: %w", leg, err)
		}
		p.Stages = append(p.Stages, Stage{Duration: d, Target: r})
	}
	return p, nil
}

// parseStageRate is model.ParseRate that also accepts a zero rate.
func parseStageRate(s string) (float64, error) {
	num, unit, ok := strings.Cut(strings.TrimSpace(s), "/")
	if ok {
		if v, err := strconv.ParseFloat(strings.TrimSpace(num), 64); err == nil && v == 0 {
			_, err := model.ParseRate("1/" + unit)
			return 0, err
		}
	}
	return model.ParseRate(s)
}
