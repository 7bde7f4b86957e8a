package sim

// The end-of-period tail. A run stops at the end of its period; contacts
// still open then have no outcome yet. One that has already waited past its
// target is counted as offered and missed (censor); one that has not is
// left out of offered and of the service level, because nobody knows yet
// whether it will be answered in time. This file counts both, so reports
// can say how many contacts the figures leave out and where the last
// intervals stop being data.

// tailCounts are the contacts open at the end of one replication, by the
// channel and interval in which they arrived.
type tailCounts struct {
	undecided [][]float64 // [channel][interval]: open, not yet past the target
	missed    [][]float64 // [channel][interval]: open, already past the target
}

// noteOpen records a contact still open at the end of the period; missed
// says whether it has already waited past its target.
func (e *engine) noteOpen(t *ticket, missed bool) {
	tc := &e.st.tail
	if tc.undecided == nil {
		tc.undecided = grid(len(e.p.channels), e.p.nInterval)
		tc.missed = grid(len(e.p.channels), e.p.nInterval)
	}
	if t.ivl < 0 || int(t.ivl) >= e.p.nInterval {
		return
	}
	if missed {
		tc.missed[t.ch][t.ivl]++
	} else {
		tc.undecided[t.ch][t.ivl]++
	}
}

// TailResult is one channel's end-of-period tail: the contacts still open
// when the period ended.
type TailResult struct {
	Channel string `json:"channel"`
	// Undecided counts the contacts that reached an agent queue and were
	// neither answered nor past their target at the end: their outcome is
	// not known, so they are left out of offered and of the service level.
	Undecided Stat `json:"undecided"`
	// MissedOpen counts the contacts still unanswered at the end and
	// already past their target: they are in offered, as missed.
	MissedOpen Stat `json:"missed_open"`
	// FromSeconds is where the tail starts (seconds since the start of the
	// period): the first interval from which every interval with contacts
	// still has undecided ones. Figures from there on describe only the
	// contacts already decided. It equals the duration when nothing is
	// undecided.
	FromSeconds float64 `json:"from_seconds"`
	// Intervals lists the intervals that have undecided contacts.
	Intervals []TailInterval `json:"intervals,omitempty"`
}

// TailInterval is the undecided contacts that arrived in one interval.
type TailInterval struct {
	Index     int  `json:"index"`
	Undecided Stat `json:"undecided"`
}

// summariseTail gathers the tail of every channel over the replications.
func summariseTail(p *plan, reps []*repStats) []TailResult {
	at := func(g [][]float64, c, i int) float64 {
		if g == nil {
			return 0
		}
		return g[c][i]
	}
	var out []TailResult
	for c, ch := range p.channels {
		tr := TailResult{Channel: ch.name, FromSeconds: p.end}
		tr.Undecided = over(reps, func(r *repStats) float64 {
			var s float64
			for i := 0; i < p.nInterval; i++ {
				s += at(r.tail.undecided, c, i)
			}
			return s
		})
		tr.MissedOpen = over(reps, func(r *repStats) float64 {
			var s float64
			for i := 0; i < p.nInterval; i++ {
				s += at(r.tail.missed, c, i)
			}
			return s
		})
		und := make([]float64, p.nInterval)
		for i := range und {
			s := over(reps, func(r *repStats) float64 { return at(r.tail.undecided, c, i) })
			und[i] = s.Mean
			if s.Mean > 0 {
				tr.Intervals = append(tr.Intervals, TailInterval{Index: i, Undecided: s})
			}
		}
		if tr.Undecided.Mean > 0 {
			i := p.nInterval - 1
			for i >= 0 && (und[i] > 0 || meanOffered(reps, c, i) == 0) {
				i--
			}
			tr.FromSeconds = float64(i+1) * p.interval
		}
		out = append(out, tr)
	}
	return out
}

func meanOffered(reps []*repStats, c, i int) float64 {
	var s float64
	for _, r := range reps {
		s += r.chIv[c][i].offered
	}
	return s / float64(len(reps))
}
