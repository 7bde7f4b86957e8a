package staffing

import "testing"

// The progress counts simulations against the most the remaining stages
// can use, lowered as each stage ends early, and ends with done = total.
func TestMeterBoundShrinks(t *testing.T) {
	var done, total []int
	m := newMeter(Options{MaxRuns: 10, RepairRounds: 3, Progress: func(d, n int) { done, total = append(done, d), append(total, n) }})
	// The search's 10, one simulation of each of its answers (the first
	// and three tightening reruns), three rota rounds and the check.
	if m.total != 10+4+3+1 {
		t.Fatalf("initial bound %d, want 18", m.total)
	}
	search := m.within(14)
	search(1, 14)
	search(2, 14)
	m.ended(2, 14) // the search used 2 of its 14
	m.tick()       // one rota round
	m.drop(3 - 0 - 1)
	m.tick() // the check
	last := len(done) - 1
	if done[last] != 4 || total[last] != 4 {
		t.Errorf("ended at %d of %d, want 4 of 4 (reports %v of %v)", done[last], total[last], done, total)
	}
	for k := 1; k < len(total); k++ {
		if total[k] > total[k-1] || done[k] < done[k-1] || done[k] > total[k] {
			t.Errorf("step %d: %d of %d after %d of %d", k, done[k], total[k], done[k-1], total[k-1])
		}
	}
}

// A whole plan with its sensitivity (and, in period mode, its trim) ends
// its progress at done = total = the simulations it ran, and the total
// never grows.
func TestPlanProgressEndsAtItsRuns(t *testing.T) {
	sc := load(t, "testdata/mmn.toml")
	for _, meet := range []Meet{MeetInterval, MeetPeriod} {
		var done, total []int
		p, err := Build(sc, Options{Meet: meet, Sensitivity: meet == MeetInterval, Progress: func(d, n int) { done, total = append(done, d), append(total, n) }})
		if err != nil {
			t.Fatal(err)
		}
		last := len(done) - 1
		if done[last] != p.Runs || total[last] != p.Runs {
			t.Errorf("%s: progress ended at %d of %d, the plan ran %d", meet, done[last], total[last], p.Runs)
		}
		for k := 1; k < len(total); k++ {
			if total[k] > total[k-1] || done[k] < done[k-1] {
				t.Errorf("%s step %d: %d of %d after %d of %d", meet, k, done[k], total[k], done[k-1], total[k-1])
			}
		}
	}
}
