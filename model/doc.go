// Package model is slasim's domain as data: the scenario types (channels,
// categories, priorities, tiers, shifts, shrinkage, salary bands), their
// loading and validation from TOML, the distributions of handle times and
// patience, calendars, and the analytic queueing formulas (Erlang C and
// Erlang A) the simulator is checked against and the staffing search
// starts from.
//
// Load reads a scenario strictly: unknown keys are errors, and every
// problem is reported at once with its file, line and field, so a user
// fixes a file in one pass. A loaded Scenario is validated and treated as
// read-only; what-if changes go through Set and Validate.
//
// The package imports no other package of the project.
package model
