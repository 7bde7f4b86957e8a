// Package sim is slasim's discrete-event engine and what is built on it:
// arrivals, agents and rotas, routing, escalation, deflection, statistics
// and parallel replications.
//
// The engine's core is small: a clock, a typed event heap ordered by
// (time, insertion sequence) and handlers for each kind of event (arrive,
// abandon, finish, shiftStart, shiftEnd, breakStart, breakEnd, tick…).
// Domain behaviour lives in files named for what they decide:
//
//   - engine.go: the state of a replication and the event loop;
//   - arrive.go: when contacts come, what they are, deflection;
//   - serve.go: queueing, abandonment, handling, resolution;
//   - escalate.go: where a handled ticket goes next;
//   - routing.go: who takes what;
//   - rota.go: who is at work (shifts, breaks, absences);
//   - clock.go: elapsed time against an SLA (calendar or business hours);
//   - measure.go: what each event adds to the statistics (stats.go);
//   - emit.go: the lifecycle trace (package trace);
//   - plan.go: the scenario compiled once for every replication, with
//     rates.go the one source of arrival rates.
//
// Time is in seconds since the scenario's start; the warm-up runs at
// negative times and is left out of every statistic.
//
// Randomness is explicit: every replication draws from streams derived
// from (seed, replication, purpose), so results do not depend on the
// number of cores, and a variant of a scenario (one more agent, a new
// channel) keeps the draws of everything it did not change: what-if
// comparisons use common random numbers.
package sim
