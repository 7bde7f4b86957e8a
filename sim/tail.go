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

// tailTally folds the tail of each replication, in replication order:
// the totals of every replication (a few scalars per channel) and the sums
// per interval, so memory does not grow with replications.
type tailTally struct {
	undecided, missed [][]float64 // [channel][replication]: totals
	ivUndecided       []moments   // [channel×intervals+interval]
	ivOffered         []float64   // [channel×intervals+interval]: sum over replications
	folded            int
}

// fold adds one replication's tail.
func (tt *tailTally) fold(p *plan, r *repStats) {
	nc, ni := len(p.channels), p.nInterval
	if tt.undecided == nil {
		tt.undecided, tt.missed = make([][]float64, nc), make([][]float64, nc)
		tt.ivUndecided, tt.ivOffered = make([]moments, nc*ni), make([]float64, nc*ni)
	}
	for c := 0; c < nc; c++ {
		var und, mis float64
		for i := 0; i < ni; i++ {
			var u float64
			if r.tail.undecided != nil {
				u = r.tail.undecided[c][i]
				mis += r.tail.missed[c][i]
			}
			und += u
			tt.ivUndecided[c*ni+i].add(u)
			tt.ivOffered[c*ni+i] += r.chIv[c][i].offered
		}
		tt.undecided[c] = append(tt.undecided[c], und)
		tt.missed[c] = append(tt.missed[c], mis)
	}
	tt.folded++
}

// result is the tail of every channel over the replications folded.
func (tt *tailTally) result(p *plan) []TailResult {
	ni := p.nInterval
	tq := map[int]float64{}
	var out []TailResult
	for c, ch := range p.channels {
		tr := TailResult{Channel: ch.name, FromSeconds: p.end}
		if tt.folded == 0 {
			out = append(out, tr)
			continue
		}
		tr.Undecided, tr.MissedOpen = NewStat(tt.undecided[c]), NewStat(tt.missed[c])
		und := make([]float64, ni)
		for i := range und {
			s := tt.ivUndecided[c*ni+i].stat(tq)
			und[i] = s.Mean
			if s.Mean > 0 {
				tr.Intervals = append(tr.Intervals, TailInterval{Index: i, Undecided: s})
			}
		}
		if tr.Undecided.Mean > 0 {
			i := ni - 1
			for i >= 0 && (und[i] > 0 || tt.ivOffered[c*ni+i] == 0) {
				i--
			}
			tr.FromSeconds = float64(i+1) * p.interval
		}
		out = append(out, tr)
	}
	return out
}
