package model_test

import (
	"fmt"

	"github.com/slasim/slasim/model"
)

// 570 calls an hour with a 5-minute handle time is 47.5 erlangs of work.
// Are 50 agents enough for 80% answered within 20 seconds if nobody hangs up?
func ExampleErlangC() {
	lambda := 570.0 / 3600 // calls per second
	r, err := model.ErlangC(lambda, 5*60, 50, 20)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("P(wait) %.1f%%, %.1f%% answered within 20s, ASA %.1fs, occupancy %.1f%%\n",
		100*r.PWait, 100*r.ServiceLevel, r.ASA, 100*r.Occupancy)
	// Output:
	// P(wait) 62.9%, 46.7% answered within 20s, ASA 75.5s, occupancy 95.0%
}

// The same 50 agents, with callers who hang up after 2 minutes on average:
// abandonment shortens the queue for those who stay.
func ExampleErlangA() {
	r, err := model.ErlangA(570.0/3600, 5*60, 2*60, 50, 20)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("P(wait) %.1f%%, %.1f%% abandon, %.1f%% answered within 20s, ASA %.1fs, occupancy %.1f%%\n",
		100*r.PWait, 100*r.PAbandon, 100*r.ServiceLevel, r.ASA, 100*r.Occupancy)
	// Output:
	// P(wait) 30.1%, 4.7% abandon, 85.5% answered within 20s, ASA 5.1s, occupancy 90.6%
}

// How many agents does 570 calls an hour at 5 minutes need for 80/20?
// Without abandonment (Erlang C) and with callers of 2 minutes' patience,
// at most 5% of whom may hang up (Erlang A).
func ExampleAgentsFor() {
	lambda, aht := 570.0/3600, 5*60.0
	c, err := model.AgentsFor(lambda, aht, 0, 20, 0.80, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	a, err := model.AgentsFor(lambda, aht, 2*60, 20, 0.80, 0.05)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("Erlang C: %d agents, %.1f%% within 20s\n", c.Agents, 100*c.ServiceLevel)
	fmt.Printf("Erlang A: %d agents, %.1f%% within 20s, %.1f%% abandon\n", a.Agents, 100*a.ServiceLevel, 100*a.PAbandon)
	// Output:
	// Erlang C: 54 agents, 82.7% within 20s
	// Erlang A: 50 agents, 85.5% within 20s, 4.7% abandon
}
