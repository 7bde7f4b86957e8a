package staffing

import "github.com/slasim/slasim/model"

// meter counts a plan's simulations for Options.Progress in one unit: done
// so far, and a total that is the most the remaining stages can use (the
// search's cap, every repair round, the check, the sensitivity's searches),
// lowered as each stage ends short of its cap.
type meter struct {
	done, total int
	report      func(done, total int)
}

func newMeter(opt Options) *meter {
	m := &meter{report: opt.Progress}
	m.total = searchCap(opt) + opt.RepairRounds + 1
	if opt.Meet == MeetDay || opt.Meet == MeetPeriod {
		m.total += trimSteps
	}
	if opt.Sensitivity {
		// The baseline and each variant searched again.
		m.total += (resimulatedVariants + 1) * searchCap(sensitivityOptions(opt))
	}
	return m
}

// searchCap is the most simulations a requirement search may use: MaxRuns
// (three times that to loosen the targets in day and period mode), and
// the one simulation of each search's answer that may go past it (the
// first search's and each rerun's: tightenRounds in interval mode,
// loosenSteps + settleRounds in day and period mode).
func searchCap(opt Options) int {
	if opt.Meet == MeetDay || opt.Meet == MeetPeriod {
		return 3*opt.MaxRuns + 1 + loosenSteps + settleRounds
	}
	return opt.MaxRuns + 1 + tightenRounds
}

// resimulatedVariants is how many sensitivity variants search the
// requirement again (fewer when the scenario lacks an input: see drop).
const resimulatedVariants = 6

func (m *meter) tick() {
	m.done++
	m.show()
}

func (m *meter) show() {
	if m.report != nil {
		m.report(m.done, max(m.total, m.done))
	}
}

// drop lowers the total by n simulations a stage will not use.
func (m *meter) drop(n int) {
	if n > 0 {
		m.total -= n
		m.show()
	}
}

// within is the Progress of a requirement search of at most cap
// simulations run as a stage of the plan.
func (m *meter) within(cap int) func(done, total int) {
	base := m.done
	return func(done, _ int) {
		m.done = base + done
		m.show()
	}
}

// ended closes a search stage that used runs of its cap.
func (m *meter) ended(runs, cap int) {
	m.drop(cap - runs)
}

// MaxSimulations is the most simulations (batches of replications) a plan
// of sc with opt may run: the bound the progress starts from.
func MaxSimulations(sc *model.Scenario, opt Options) int {
	return newMeter(opt.withDefaults(sc)).total
}
