package calibrate

// lifecycles is a channel's simulated outcomes read from every
// replication's lifecycle trace as the history was read: resolutions
// summed over the replications (so that their mean time is pooled),
// backlogs and resolution percentiles averaged over them.
type lifecycles struct {
	period          Outcome
	days, intervals []Outcome
	p50, p90        *float64
}

// at is xs[i], or nothing when the simulation had no such day or interval.
func (lifecycles) at(xs []Outcome, i int) Outcome {
	if i < len(xs) {
		return xs[i]
	}
	return Outcome{}
}

// pooledLifecycles reads a channel's outcomes from each replication's
// history and pools them.
func pooledLifecycles(replays []*History, channel string, cal *Calibration) lifecycles {
	var lc lifecycles
	var p50, p90 meanOf
	n := 0
	for _, h := range replays {
		if h == nil {
			continue
		}
		h.Close()
		e := h.channelEstimate(h.channel(channel), &Calibration{Start: cal.Start, Days: h.Days()})
		n++
		pool(&lc.period, e.Observed)
		lc.days = poolAll(lc.days, e.ObservedDays)
		lc.intervals = poolAll(lc.intervals, e.ObservedIntervals)
		p50.add(e.ResolutionP50)
		p90.add(e.ResolutionP90)
	}
	for _, o := range append(append([]*Outcome{&lc.period}, pointers(lc.days)...), pointers(lc.intervals)...) {
		if o.Backlog != nil {
			*o.Backlog /= float64(n)
		}
	}
	lc.p50, lc.p90 = p50.mean(), p90.mean()
	return lc
}

// pool adds one replication's outcome into a sum: resolutions summed,
// backlog summed (divided by the replications at the end).
func pool(sum *Outcome, o Outcome) {
	sum.Resolved += o.Resolved
	sum.ResolutionSum += o.ResolutionSum
	if o.Backlog != nil {
		if sum.Backlog == nil {
			sum.Backlog = new(float64)
		}
		*sum.Backlog += *o.Backlog
	}
}

func poolAll(sums, os []Outcome) []Outcome {
	for len(sums) < len(os) {
		sums = append(sums, Outcome{})
	}
	for i, o := range os {
		pool(&sums[i], o)
	}
	return sums
}

func pointers(os []Outcome) []*Outcome {
	ps := make([]*Outcome, len(os))
	for i := range os {
		ps[i] = &os[i]
	}
	return ps
}

// meanOf averages the figures that are there.
type meanOf struct {
	sum float64
	n   int
}

func (m *meanOf) add(x *float64) {
	if x != nil {
		m.sum += *x
		m.n++
	}
}

func (m meanOf) mean() *float64 {
	if m.n == 0 {
		return nil
	}
	return num(m.sum / float64(m.n))
}
