// Package staffing answers "how many people, on which shifts, and what does
// it cost?": it finds per tier and interval the fewest agents that meet
// every target of a scenario by simulation (starting from Erlang A/C and
// searching with common random numbers), plans shifts covering them at
// least cost (an integer covering program solved through its LP
// relaxation), re-simulates the rota with fresh random streams and costs it
// in FTEs and money per salary band.
package staffing
