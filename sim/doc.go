// Package sim is slasim's discrete-event engine and what is built on it:
// arrivals, agents and rotas, routing, escalation, deflection, statistics
// and parallel replications.
//
// The engine's core is small: a clock, a typed event heap ordered by
// (time, insertion sequence) and handlers for each kind of event (arrive,
// abandon, finish, shiftStart, shiftEnd, breakStart, breakEnd, tick…).
// Domain behaviour lives in files named for what they decide: arrivals.go
// (when contacts come), rota.go (who is at work), routing.go (who takes
// what), stats.go (what is counted).
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
