package sim_test

import (
	"fmt"
	"strings"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/trace"
)

// Simulate a bundled scenario and read one channel's service level.
func ExampleRun() {
	sc, err := model.Load("../scenarios/small-team.toml")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := sim.Run(sc, sim.Options{Replications: 5})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ch := range res.Channels {
		fmt.Printf("%s: %.1f%% ± %.1f within %gs (target %.0f%%)\n", ch.Name,
			100*ch.ServiceLevel.Mean, 100*ch.ServiceLevel.CI95, ch.WithinSeconds, 100*ch.Target)
	}
	// Output:
	// phone: 85.4% ± 4.9 within 30s (target 80%)
	// email: 100.0% ± 0.0 within 14400s (target 90%)
}

// The lifecycle of the first ticket of a run, as the replayer sees it.
func ExampleTraceRun() {
	sc, err := model.Load("../scenarios/saas-support.toml")
	if err != nil {
		fmt.Println(err)
		return
	}
	n := 0
	err = sim.TraceRun(sc, func(a trace.Action) error {
		if a.Ticket == 1 && n < 4 {
			fmt.Println(strings.TrimSpace(strings.Join([]string{a.Kind.String(), a.Channel, a.Tier, a.Agent}, " ")))
			n++
		}
		return nil
	})
	fmt.Println(err)
	// Output:
	// created email
	// answered email representative representative-23
	// agent_reply email representative representative-23
	// customer_reply email representative
	// <nil>
}
