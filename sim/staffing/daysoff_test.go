package staffing

import (
	"math/rand/v2"
	"testing"

	"github.com/slasim/slasim/model"
)

// bakerWorkforce is the smallest workforce that covers a weekly demand d
// (Monday first) when everyone works five days a week with two
// consecutive days off (Sunday–Monday counts as consecutive), from Baker
// (1974), "Scheduling a full-time workforce to meet cyclic staffing
// requirements", Management Science 20(12), and Burns and Carter (1985),
// "Workforce size and single shift schedules with variable demands",
// Management Science 31(5). Three lower bounds, each a count of who can
// work where, and their maximum is attained:
//   - B1 = max_j d_j: everyone working day j is one person;
//   - B2 = ⌈Σ_j d_j / 5⌉: each person works five days;
//   - B3 = max_j ⌈(d_j + d_{j+1} + d_{j+3} + d_{j+5}) / 3⌉ (days mod 7):
//     a block of two consecutive days off holds at most two of those four
//     days, and only the block {j, j+1} holds two, so each person works
//     at most three of them.
func bakerWorkforce(d [7]int) int {
	s, b1, b3 := 0, 0, 0
	for j, v := range d {
		s += v
		b1 = max(b1, v)
		b3 = max(b3, ceilDiv(d[j]+d[(j+1)%7]+d[(j+3)%7]+d[(j+5)%7], 3))
	}
	return max(b1, ceilDiv(s, 5), b3)
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// The planner's covering program with the default contract's working
// weeks (five days, two consecutive days off) as columns and one row per
// weekday finds Baker's optimum on hand-picked and random weekly demands.
func TestDaysOffMeetsBakersOptimum(t *testing.T) {
	c := model.DefaultContract()
	weeks := c.WorkWeeks(nil)
	if len(weeks) != 7 {
		t.Fatalf("%d working weeks with two consecutive days off, want 7", len(weeks))
	}
	cases := [][7]int{
		{9, 2, 8, 6, 9, 1, 3},    // B3 = ⌈(d6+d0+d2+d4)/3⌉ = ⌈29/3⌉ = 10 > B1 = 9
		{5, 5, 5, 5, 5, 5, 5},    // B2 = 7
		{10, 0, 10, 0, 10, 0, 0}, // B1 = 10
		{4, 4, 0, 4, 0, 4, 0},    // B3 = ⌈16/3⌉ = 6 > B1 = B2 = 4
		{8, 6, 6, 6, 7, 3, 2},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for k := 0; k < 200; k++ {
		var d [7]int
		for j := range d {
			d[j] = rng.IntN(25)
		}
		cases = append(cases, d)
	}
	for _, d := range cases {
		p := coverProblem{need: make([]float64, 7)}
		for j := range d {
			p.need[j] = float64(d[j])
		}
		for _, w := range weeks {
			col := make([]float64, 7)
			for j, on := range w {
				if on {
					col[j] = 1
				}
			}
			p.a = append(p.a, col)
			p.cost = append(p.cost, 1)
		}
		x, bound, err := solveCover(p)
		if err != nil {
			t.Fatalf("%v: %v", d, err)
		}
		got, cover := 0, [7]int{}
		for k, n := range x {
			got += n
			for j, on := range weeks[k] {
				if on {
					cover[j] += n
				}
			}
		}
		for j := range d {
			if cover[j] < d[j] {
				t.Errorf("%v: day %d covered by %d", d, j, cover[j])
			}
		}
		if want := bakerWorkforce(d); got != want {
			t.Errorf("demand %v: %d people, Baker's optimum %d (LP bound %.2f)", d, got, want, bound)
		}
		if bound > float64(got)+1e-6 {
			t.Errorf("demand %v: LP bound %.3f above the integer plan %d", d, bound, got)
		}
	}
}

// The contract's days-off rule: five working days with two consecutive
// days off gives exactly the seven rotations of Mon–Fri; days off anywhere
// gives C(7,2) = 21 weeks; opening on weekdays leaves only Mon–Fri.
func TestWorkWeeks(t *testing.T) {
	c := model.DefaultContract()
	for _, w := range c.WorkWeeks(nil) {
		if !offBlockOf(w, 2) {
			t.Errorf("%v: days off not consecutive", w)
		}
	}
	zero := 0
	c.ConsecutiveOff = &zero
	if n := len(c.WorkWeeks(nil)); n != 21 {
		t.Errorf("days off anywhere: %d weeks, want 21", n)
	}
	days, _ := model.ParseDays("mon-fri")
	if ws := c.WorkWeeks(&model.Opening{OnDays: days}); len(ws) != 1 || ws[0] != days {
		t.Errorf("open mon-fri: weeks %v, want only mon-fri", ws)
	}
}

func offBlockOf(w model.Weekdays, k int) bool {
	for s := 0; s < 7; s++ {
		free := true
		for d := 0; d < k; d++ {
			free = free && !w[(s+d)%7]
		}
		if free {
			return true
		}
	}
	return false
}
