package staffing

import (
	"fmt"
	"strings"
	"time"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
)

// Plan answers "how many people, on which shifts, and what does it cost?":
// the requirement per tier and interval, the shifts that cover it, how the
// rota fares re-simulated with fresh random streams, and the budget.
type Plan struct {
	Scenario     string        `json:"scenario"`
	Replications int           `json:"replications"`
	Seed         uint64        `json:"seed"`
	VerifySeed   uint64        `json:"verify_seed"`
	Requirements *Requirements `json:"requirements"`
	Schedule     *Schedule     `json:"schedule"`
	// Need is the requirement the schedule covers, per tier and interval
	// (warm-up first): the simulated one, raised where a simulation of an
	// earlier rota missed a target.
	Need [][]int `json:"-"`
	// Repairs counts the re-plans after a rota simulation (search seed)
	// missed a target.
	Repairs int `json:"repairs"`
	// Targets: the rota re-simulated with VerifySeed.
	Targets []Target `json:"targets"`
	Met     bool     `json:"met"`
	// Meet is how the service-level targets were met: per interval, per
	// day or over the period.
	Meet   Meet    `json:"meet"`
	Budget *Budget `json:"budget"`
	// OpenAtEnd is the work still open when the period ends, per channel.
	OpenAtEnd []OpenWork `json:"open_at_end,omitempty"`
	// Trim, in day and period mode, is what was taken off a rota that met
	// the daily or whole-period targets by more than it must.
	Trim *Trim `json:"trim,omitempty"`
	// Quantile, when the plan is for a quantile of the volume (P90), says
	// what that costs against the median plan.
	Quantile    *QuantilePlan `json:"quantile,omitempty"`
	Sensitivity []Sensitivity `json:"sensitivity,omitempty"`
	// Verify is the re-simulation of the rota.
	Verify *sim.Result `json:"-"`
	// Runs counts every simulation made.
	Runs int `json:"runs"`
	// SolveTime is the wall time spent planning shifts (the covering
	// programs), the sensitivity's re-rostered variants included; the rest
	// of a plan's time is simulation.
	SolveTime time.Duration `json:"-"`
	// Current is the scenario's own rota beside the plan (planned under
	// contracts, when the scenario has a rota).
	Current *Current `json:"current,omitempty"`
}

// Build plans the scenario: requirements by simulation, a least-cost
// rota covering them, re-simulated as a real rota (breaks, absences) with
// the search's seed and re-planned where it misses a target, then
// re-simulated with fresh streams, and costed.
func Build(sc *model.Scenario, opt Options) (*Plan, error) {
	if opt.Quantile > 0 {
		return buildQuantile(sc, opt)
	}
	opt = opt.withDefaults(sc)
	m := newMeter(opt)
	ropt := opt
	ropt.Progress = m.within(searchCap(opt))
	req, err := FindRequirements(sc, ropt)
	if err != nil {
		return nil, err
	}
	m.ended(req.Runs, searchCap(opt))
	p := &Plan{Scenario: sc.Meta.Name, Replications: opt.Replications, Seed: opt.Seed, VerifySeed: opt.VerifySeed, Requirements: req, Runs: req.Runs, Meet: opt.Meet}
	w := req.WarmupIntervals
	need := make([][]int, len(req.Tiers))
	for t := range need {
		need[t] = append(append([]int(nil), req.Warmup[t]...), req.Simulated[t]...)
	}
	run := func(stage string, rota *model.Scenario, seed uint64) (*sim.Result, error) {
		res, err := sim.Run(rota, sim.Options{Replications: opt.Replications, Seed: seed, SeedSet: true, Workers: opt.Workers})
		p.Runs++
		m.tick()
		return res, err
	}
	d, err := newDemand(sc)
	if err != nil {
		return nil, err
	}
	ck := newChecker(sc, d)
	copy(ck.margin, req.Margin)
	var sched *Schedule
	var rota *model.Scenario
	for round := 0; ; round++ {
		t0 := time.Now()
		sched, err = schedule(sc, need, w, opt)
		p.SolveTime += time.Since(t0)
		if err != nil {
			return nil, err
		}
		rota, err = sched.Rota(sc)
		if err != nil {
			return nil, err
		}
		if round >= opt.RepairRounds {
			break
		}
		// The rota's check: one replication a run, so that each class's
		// verdict has its confidence interval.
		results, err := replications(rota, nil, opt, rotaBatch+round)
		p.Runs++
		m.tick()
		if err != nil {
			return nil, err
		}
		fail := ck.failures(results)
		short, _ := ck.periodMisses(results)
		// An interval the roster leaves empty (the tier is closed then,
		// see [[opening]]) is no place for another agent: its miss stands,
		// and the plan's quality counts the closed intervals.
		more := false
		for t := range fail {
			for i := range fail[t] {
				fail[t][i] = fail[t][i] && (sched.Scheduled == nil || sched.Scheduled[t][i] > 0)
				more = more || fail[t][i]
			}
		}
		if !more && allZero(short) {
			break
		}
		p.Repairs++
		for t := range fail {
			for i, f := range fail[t] {
				if f {
					need[t][w+i]++
				}
			}
		}
		if !anyFail(fail) {
			// Only a whole-period target: one more agent wherever the
			// channel's entry tier works.
			for ci, x := range short {
				if x <= 0 {
					continue
				}
				e := d.entry[ci]
				for i := range need[e] {
					if need[e][i] > 0 {
						need[e][i]++
					}
				}
			}
		}
	}
	m.drop(opt.RepairRounds - p.Repairs - 1) // the rota simulations not needed
	b := &builder{sc: sc, opt: opt, p: p, m: m, ck: ck, w: w, entry: make([]bool, len(sc.Tiers)), need: need, sched: sched, rota: rota}
	for _, e := range d.entry {
		b.entry[e] = true
	}
	if err := b.trim(need); err != nil {
		return nil, err
	}
	need, sched, rota = b.need, b.sched, b.rota
	p.Need, p.Schedule = need, sched
	res, err := run("verify", rota, opt.VerifySeed)
	if err != nil {
		return nil, err
	}
	p.Verify = res
	p.Targets = targets(sc, res)
	p.Met = allMet(p.Targets)
	p.Budget = budget(sc, sched, opt.ContractHours)
	p.Budget.PerResolved = perResolved(p.Budget, res)
	p.OpenAtEnd = openWork(res)
	if len(sc.Shifts) > 0 && !opt.Templates {
		if p.Current, err = compareRota(sc, p, opt); err != nil {
			return nil, err
		}
	}
	if opt.Sensitivity {
		s, err := sensitivity(sc, p, opt, m)
		if err != nil {
			return nil, err
		}
		p.Sensitivity = s
		p.Runs = m.done
	}
	return p, nil
}

// rotaBatch is the first batch index of the rota checks' seeds, far past
// any search step's.
const rotaBatch = 1 << 20

// Missed lists, in words, the targets the plan's check missed.
func (p *Plan) Missed() []string {
	var out []string
	for _, t := range p.Targets {
		if t.Met {
			continue
		}
		who := fmt.Sprintf("channel %q", t.Channel)
		if t.Priority != "" {
			who += fmt.Sprintf(" priority %q", t.Priority)
		}
		if t.Tier != "" {
			who = fmt.Sprintf("tier %q escalations", t.Tier)
		}
		cmp := "<"
		if t.Kind == "abandon_rate" {
			cmp = ">"
		}
		out = append(out, fmt.Sprintf("%s: %s %.3f ± %.3f %s target %.3f", who, strings.ReplaceAll(t.Kind, "_", " "), t.Got.Mean, t.Got.CI95, cmp, t.Target))
	}
	return out
}
