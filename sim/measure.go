package sim

// Measurement: what each event adds to the replication's statistics. Every
// figure is binned to the interval in which the contact arrived; contacts of
// the warm-up are never counted.

func (e *engine) setWaiting(c, d int) {
	e.move(&e.queueLen[c], float64(d), e.st.queueArea[c])
	e.waiting[c] += d
	if e.iv >= 0 && float64(e.waiting[c]) > e.st.queueMax[c][e.iv] {
		e.st.queueMax[c][e.iv] = float64(e.waiting[c])
	}
}

// move changes a level by d at the current time, integrating it into the
// current interval.
func (e *engine) move(l *level, d float64, bins []float64) {
	if e.iv >= 0 {
		bins[e.iv] += l.v * (e.now - l.last)
	}
	l.last = e.now
	l.v += d
}

// tick closes interval i−1 and opens interval i.
func (e *engine) tick(i int) {
	p := e.p
	for c := range p.channels {
		e.move(&e.queueLen[c], 0, e.st.queueArea[c])
	}
	for ti := range p.tiers {
		e.move(&e.staffed[ti], 0, e.st.tierStaffed[ti])
		e.move(&e.available[ti], 0, e.st.tierAvailable[ti])
		e.move(&e.busy[ti], 0, e.st.tierBusy[ti])
	}
	if e.iv >= 0 {
		for c := range p.channels {
			e.st.backlog[c][e.iv] = float64(e.backlog[c])
		}
	}
	if i >= p.nInterval {
		e.iv = -2 // past the end: nothing more is binned
		return
	}
	e.iv = i
	for c := range p.channels {
		e.st.queueMax[c][i] = float64(e.waiting[c])
	}
}

func (e *engine) firstResponse(t *ticket) {
	if t.ivl < 0 {
		return
	}
	p := e.p
	c := int(t.ch)
	elapsed := p.slaElapsed(c, t.created, e.now)
	within := elapsed <= p.prios[t.prio].within[c]
	for _, k := range [...]*counters{&e.st.ch[c], &e.st.chIv[c][t.ivl], &e.st.prio[c][t.prio]} {
		k.offered++
		k.answered++
		k.waitSum += elapsed
		k.waited++
		if within {
			k.within++
		}
	}
}

// censor settles, at the end of the period, the contacts whose outcome is
// still open: one that has already waited past its target counts as offered
// and missed; one that has not is left out (its outcome is unknown).
func (e *engine) censor() {
	p := e.p
	for s := range e.tickets {
		t := &e.tickets[s]
		if t.state == tsWaiting && t.escIv >= 0 {
			// An escalation still waiting past the tier's target counts
			// as missed; one within it is left out.
			if ti := int(t.tier); p.end-t.queued >= p.tiers[ti].olaWithin && p.tiers[ti].olaWithin >= 0 {
				e.st.tierEsc[ti][t.escIv].offered++
			}
		}
		if t.state == tsFree || t.state == tsBot || t.answered || t.ivl < 0 {
			continue
		}
		c := int(t.ch)
		from := t.created
		if p.channels[c].live {
			if t.state != tsWaiting {
				continue
			}
			from = t.queued
		}
		missed := p.slaElapsed(c, from, p.end) >= p.prios[t.prio].within[c]
		e.noteOpen(t, missed)
		if missed {
			for _, k := range [...]*counters{&e.st.ch[c], &e.st.chIv[c][t.ivl], &e.st.prio[c][t.prio]} {
				k.offered++
				k.waited++
			}
		}
	}
}
