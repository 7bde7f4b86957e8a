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
	d, err := newDemand(sc)
	if err != nil {
		return nil, err
	}
	b := &builder{sc: sc, opt: opt, p: p, m: m, ck: newChecker(sc, d), d: d, w: req.WarmupIntervals, entry: make([]bool, len(sc.Tiers))}
	copy(b.ck.margin, req.Margin)
	for _, e := range d.entry {
		b.entry[e] = true
	}
	b.need = make([][]int, len(req.Tiers))
	for t := range b.need {
		b.need[t] = append(append([]int(nil), req.Warmup[t]...), req.Simulated[t]...)
	}
	if err := b.repair(); err != nil {
		return nil, err
	}
	if err := b.trim(); err != nil {
		return nil, err
	}
	p.Need, p.Schedule = b.need, b.sched
	if err := b.verify(); err != nil {
		return nil, err
	}
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

// repair rosters the requirement and checks the rota as a real rota
// (breaks, absences) on the search's streams, one replication a run so
// that each class's verdict has its confidence interval; where a class
// misses by more than twice its half-width (checker.failures), or a
// channel its whole-period target, the requirement gets one more agent and
// is rostered again, at most Options.RepairRounds times.
func (b *builder) repair() error {
	for round := 0; ; round++ {
		t0 := time.Now()
		sched, err := schedule(b.sc, b.need, b.w, b.opt)
		b.p.SolveTime += time.Since(t0)
		if err != nil {
			return err
		}
		if b.rota, err = sched.Rota(b.sc); err != nil {
			return err
		}
		b.sched = sched
		if round >= b.opt.RepairRounds {
			break
		}
		results, err := replications(b.rota, nil, b.opt, rotaBatch+round)
		b.p.Runs++
		b.m.tick()
		if err != nil {
			return err
		}
		if !b.raise(results) {
			break
		}
		b.p.Repairs++
	}
	b.m.drop(b.opt.RepairRounds - b.p.Repairs - 1) // the rota simulations not needed
	return nil
}

// raise adds an agent to the requirement where the rota's check missed,
// and reports whether it added any.
func (b *builder) raise(results []*sim.Result) bool {
	fail := b.ck.failures(results)
	short, _ := b.ck.periodMisses(results)
	// An interval the roster leaves empty (the tier is closed then, see
	// [[opening]]) is no place for another agent: its miss stands, and
	// the plan's quality counts the closed intervals.
	more := false
	for t := range fail {
		for i := range fail[t] {
			fail[t][i] = fail[t][i] && (b.sched.Scheduled == nil || b.sched.Scheduled[t][i] > 0)
			if fail[t][i] {
				b.need[t][b.w+i]++
				more = true
			}
		}
	}
	if more || allZero(short) {
		return more
	}
	// Only a whole-period target: one more agent wherever the channel's
	// entry tier works.
	for ci, x := range short {
		if x <= 0 {
			continue
		}
		e := b.d.entry[ci]
		for i := range b.need[e] {
			if b.need[e][i] > 0 {
				b.need[e][i]++
			}
		}
	}
	return true
}

// verify re-simulates the kept rota with fresh streams (VerifySeed) and
// costs it.
func (b *builder) verify() error {
	res, err := sim.Run(b.rota, sim.Options{Replications: b.opt.Replications, Seed: b.opt.VerifySeed, SeedSet: true, Workers: b.opt.Workers})
	b.p.Runs++
	b.m.tick()
	if err != nil {
		return err
	}
	p := b.p
	p.Verify = res
	p.Targets = targets(b.sc, res)
	p.Met = allMet(p.Targets)
	p.Budget = budget(b.sc, b.sched, b.opt.ContractHours)
	p.Budget.PerResolved = perResolved(p.Budget, res)
	p.OpenAtEnd = openWork(res)
	return nil
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
