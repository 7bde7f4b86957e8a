package sim

import (
	"fmt"
	"math"
)

// rota unrolls the shifts into instances over the horizon and creates one
// agent per rota line and position. Breaks are staggered across the line's
// agents; a tier that spends only part of its time on tickets (leads) is
// away for the rest of each hour, in staggered blocks.
func (p *plan) rota() {
	sc := p.sc
	tierCount := make([]int, len(sc.Tiers))
	for si := range sc.Shifts {
		s := &sc.Shifts[si]
		ti := sc.TierIndex(s.Tier)
		sp := shiftPlan{tier: ti, headcount: s.Headcount, firstAg: len(p.agents), stagger: s.Stagger.Seconds()}
		clock := s.Start.Offset
		length := s.Length.Seconds()
		for d := p.day0.AddDate(0, 0, -1); secondsSince(p.start, d) < p.end; d = d.AddDate(0, 0, 1) {
			if !s.RunsOn(d) {
				continue
			}
			a := secondsSince(p.start, atClock(d, clock))
			b := a + length
			if b > p.t0 && a < p.end {
				sp.instances = append(sp.instances, window{a, b})
			}
		}
		for _, br := range s.Breaks {
			sp.breaks = append(sp.breaks, breakPlan{after: br.After.Seconds(), length: br.Length.Seconds(), stagger: true})
		}
		if share := p.tiers[ti].ticketShare; share < 1 {
			away := (1 - share) * 3600
			for h := 0.0; h+3600 <= length+1e-9; h += 3600 {
				sp.breaks = append(sp.breaks, breakPlan{after: h + share*3600, length: away})
			}
		}
		reserved := int(math.Round(p.tiers[ti].deferredShare * float64(s.Headcount)))
		for j := 0; j < s.Headcount; j++ {
			tierCount[ti]++
			p.tiers[ti].agents = append(p.tiers[ti].agents, int32(len(p.agents)))
			p.agents = append(p.agents, agentPlan{tier: ti, shift: si, index: tierCount[ti], reserved: j < reserved})
		}
		p.shifts = append(p.shifts, sp)
	}
}

// breakStart is when agent j (0-based within its rota line) of a line of n
// agents starts break br of an instance starting at s; staggered breaks
// spread over the line's stagger window. Hourly away blocks (ticket_share)
// start anywhere in their hour, j/n of the way through it, and may run into
// the next: were they kept inside the hour, a block of half an hour or more
// would cover the hour's middle for everyone, and the tier would leave the
// floor at once. A line of one agent has no one to stagger against: its
// breaks fall at their offsets, and its away blocks at the agent's own
// place in the hour (spread, in [0, 1): its number in the tier over the
// tier's agents).
func (sp *shiftPlan) breakStart(br breakPlan, s float64, j int, stagger, share, spread float64) float64 {
	frac := spread
	if sp.headcount > 1 {
		frac = float64(j) / float64(sp.headcount)
	} else if br.stagger {
		return s + br.after
	}
	if br.stagger {
		return s + br.after + frac*stagger
	}
	return s + br.after - share*3600 + frac*3600
}

// absent reports whether agent a misses shift instance k: whole-day
// absences (PTO, sickness, training) drawn per agent and instance with the
// scenario's shrinkage. Start and end of the instance agree without
// keeping state.
func (e *engine) absent(a, k int) bool {
	sh := e.p.sc.Shrinkage.Total()
	return sh > 0 && !e.p.noShrinkage && hashUniform(e.seed, e.rep, uint64(a), uint64(k)) < sh
}

func (e *engine) shiftStart(a, k int) {
	if e.absent(a, k) {
		return
	}
	p := e.p
	ap := &p.agents[a]
	sp := &p.shifts[ap.shift]
	w := sp.instances[k]
	ag := &e.agents[a]
	e.ev.push(w.b, evShiftEnd, int32(a), int32(k))
	j := a - sp.firstAg
	share := p.tiers[ap.tier].ticketShare
	for _, br := range sp.breaks {
		// A one-agent line's away blocks: the agent's place among the
		// tier's agents, spread evenly over the hour.
		spread := float64(ap.index-1) / float64(len(p.tiers[ap.tier].agents))
		at := sp.breakStart(br, w.a, j, sp.stagger, share, spread)
		length := math.Min(br.length, w.b-at)
		if at >= e.now && length > 0 {
			e.ev.push(at, evBreakStart, int32(a), int32(math.Round(length)))
		}
	}
	ag.on++
	if ag.present {
		// Back on before leaving (back-to-back shifts or finishing overtime).
		if ag.on == 1 && ag.n > 0 {
			e.place(a)
		}
		return
	}
	ag.present = true
	e.move(&e.staffed[ap.tier], 1, e.st.tierStaffed[ap.tier])
	e.move(&e.available[ap.tier], 1, e.st.tierAvailable[ap.tier])
	e.pull(a)
}

func (e *engine) shiftEnd(a, k int) {
	if e.absent(a, k) {
		return
	}
	ag := &e.agents[a]
	ag.on--
	if ag.on > 0 {
		return
	}
	if ag.n == 0 {
		e.leave(a)
		return
	}
	// Finish the contacts in hand, take nothing new.
	e.removeFromSet(a)
}

// leave takes an agent off the floor.
func (e *engine) leave(a int) {
	ag := &e.agents[a]
	if !ag.present {
		return
	}
	ti := e.p.agents[a].tier
	if ag.onBreak {
		ag.onBreak = false
		ag.breakSeq++
	} else {
		e.move(&e.available[ti], -1, e.st.tierAvailable[ti])
	}
	ag.pendingBreak = 0
	ag.present = false
	e.removeFromSet(a)
	e.move(&e.staffed[ti], -1, e.st.tierStaffed[ti])
}

func (e *engine) breakStart(a int, length float64) {
	ag := &e.agents[a]
	if ag.on == 0 || !ag.present {
		return
	}
	if ag.n > 0 {
		ag.pendingBreak = math.Max(ag.pendingBreak, length)
		e.removeFromSet(a)
		return
	}
	e.startBreak(a, length)
}

func (e *engine) startBreak(a int, length float64) {
	ag := &e.agents[a]
	ti := e.p.agents[a].tier
	end := e.now + length
	if ag.onBreak {
		if end <= ag.breakUntil {
			return // already away for longer (breaks that overlap)
		}
	} else {
		e.move(&e.available[ti], -1, e.st.tierAvailable[ti])
	}
	ag.onBreak = true
	ag.breakUntil = end
	ag.breakSeq++
	e.removeFromSet(a)
	e.ev.push(end, evBreakEnd, int32(a), ag.breakSeq)
}

func (e *engine) breakEnd(a int, seq int32) {
	ag := &e.agents[a]
	if !ag.onBreak || seq != ag.breakSeq {
		return
	}
	ti := e.p.agents[a].tier
	ag.onBreak = false
	e.move(&e.available[ti], 1, e.st.tierAvailable[ti])
	if ag.on == 0 {
		e.leave(a)
		return
	}
	e.pull(a)
}

// staffWith replaces the rota by a number of agents per tier and interval:
// agent j of a tier is on the floor in every interval that needs more than
// j agents, as one shift per run of such intervals.
func (p *plan) staffWith(n [][]int) error {
	if len(n) != len(p.tiers) {
		return fmt.Errorf("staffing has %d tiers, the scenario %d", len(n), len(p.tiers))
	}
	p.agents, p.shifts = nil, nil
	for ti := range p.tiers {
		tp := &p.tiers[ti]
		tp.agents = nil
		if len(n[ti]) != p.nInterval {
			return fmt.Errorf("staffing of tier %q has %d intervals, the scenario %d", tp.name, len(n[ti]), p.nInterval)
		}
		most := 0
		for _, x := range n[ti] {
			if x < 0 {
				return fmt.Errorf("staffing of tier %q: %d agents", tp.name, x)
			}
			most = max(most, x)
		}
		for j := 0; j < most; j++ {
			sp := shiftPlan{tier: ti, headcount: 1, firstAg: len(p.agents)}
			for i := 0; i < p.nInterval; {
				if n[ti][i] <= j {
					i++
					continue
				}
				k := i
				for k < p.nInterval && n[ti][k] > j {
					k++
				}
				a, b := float64(i)*p.interval, float64(k)*p.interval
				if i == 0 {
					a = p.t0
				}
				sp.instances = append(sp.instances, window{a, b})
				i = k
			}
			tp.agents = append(tp.agents, int32(len(p.agents)))
			p.agents = append(p.agents, agentPlan{tier: ti, shift: len(p.shifts), index: j + 1,
				reserved: float64(j) < math.Round(tp.deferredShare*float64(most))})
			p.shifts = append(p.shifts, sp)
		}
	}
	p.noShrinkage = true
	return nil
}
