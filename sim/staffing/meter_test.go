package staffing

import "testing"

// The progress counts simulations against the most the remaining stages
// can use, lowered as each stage ends early, and ends with done = total.
func TestMeterBoundShrinks(t *testing.T) {
	var done, total []int
	m := newMeter(Options{MaxRuns: 10, RepairRounds: 3, Progress: func(d, n int) { done, total = append(done, d), append(total, n) }})
	if m.total != 10+3+1 {
		t.Fatalf("initial bound %d, want 14", m.total)
	}
	search := m.within(10)
	search(1, 10)
	search(2, 10)
	m.ended(2, 10) // the search used 2 of its 10
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
