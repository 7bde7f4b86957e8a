package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
)

// addReplicationsFlag declares --replications N, which must be a whole
// number in [1, sim.MaxReplications] when given; *n stays 0 when it is not.
func addReplicationsFlag(fs *flag.FlagSet, n *int, usage string) {
	fs.Func("replications", usage, func(v string) error {
		r, err := strconv.Atoi(v)
		if err != nil || r < 1 || r > sim.MaxReplications {
			return fmt.Errorf("%q is not a number of replications in [1, %d]", v, sim.MaxReplications)
		}
		*n = r
		return nil
	})
}

// addLimitFlags declares --max-tickets and --max-memory, which bound the
// size of a run before it starts (sim.DefaultLimits).
func addLimitFlags(fs *flag.FlagSet, l *sim.Limits) {
	*l = sim.DefaultLimits
	fs.Func("max-tickets", fmt.Sprintf("refuse a run expected to simulate more than `N` tickets over all replications (default %.0e; 0: no limit)", l.Tickets), func(v string) error {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || !(x >= 0) {
			return fmt.Errorf("%q is not a number of tickets ≥ 0", v)
		}
		l.Tickets = x
		return nil
	})
	fs.Func("max-memory", fmt.Sprintf("refuse a run expected to need more than `GIB` GiB of memory (default %g; 0: no limit)", l.Bytes/(1<<30)), func(v string) error {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || !(x >= 0) {
			return fmt.Errorf("%q is not a size in GiB ≥ 0", v)
		}
		l.Bytes = x * (1 << 30)
		return nil
	})
	fs.Func("max-queue", fmt.Sprintf("bound on the contacts one channel holds waiting (live) or open (deferred), `N`; arrivals past it are turned away and the run ends with exit 1 (default %d)", sim.DefaultQueueLimit), func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return fmt.Errorf("%q is not a whole number ≥ 1", v)
		}
		l.Queue = n
		return nil
	})
}

// queueVerdict prints, for a result whose channels reached the queue
// bound, why its figures are not to be trusted; it reports whether any did.
func queueVerdict(cmd string, r *sim.Result, stderr io.Writer) bool {
	v := r.QueueVerdict()
	for _, l := range strings.Split(strings.TrimSpace(v), "\n") {
		if l != "" {
			fmt.Fprintf(stderr, "slasim %s: %s: %s\n", cmd, r.Scenario, l)
		}
	}
	return v != ""
}

// checkWork estimates runs simulations of sc with opt and refuses them
// past the limits, saying on stderr what to change. It returns the
// estimate of one simulation and whether to go on.
func checkWork(cmd string, sc *model.Scenario, opt sim.Options, runs int, l sim.Limits, stderr io.Writer) (sim.Work, bool) {
	w, err := sim.Estimate(sc, opt)
	if err == nil {
		all := w
		all.Replications *= runs
		err = all.Check(l)
	}
	if err != nil {
		if errors.Is(err, sim.ErrTooBig) {
			fmt.Fprintf(stderr, "slasim %s: %s: %v\n", cmd, sc.Meta.Name, err)
		} else {
			fmt.Fprintf(stderr, "slasim %s: %v\n", cmd, err)
		}
		return w, false
	}
	return w, true
}
