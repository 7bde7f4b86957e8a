// Package report turns a simulation's result into what people read and act
// on: a terminal summary, the JSON result contract, a CSV of intervals,
// charts (PNG and SVG), one self-contained HTML page, and the comparison of
// two runs made with common random numbers.
//
// The package never simulates: every function reads a *sim.Result (and the
// *model.Scenario it came from, for names, targets and the time zone).
package report
