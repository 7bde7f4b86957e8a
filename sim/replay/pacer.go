package replay

import (
	"time"
)

// A Pacer is the open-loop schedule: it says when the n-th dispatched action
// (from 0), which happened simT simulated seconds after the first dispatched
// one, is due, as an offset from the start of the run. It never depends on
// responses, so a slow helpdesk cannot slow the schedule down.
type Pacer interface {
	Due(n int, simT float64) time.Duration
	// Rate is the intended mean rate in actions per second, 0 if it depends
	// on the trace.
	Rate() float64
}

// SpeedPacer replays the trace at Speed times real time: an action simT
// simulated seconds after the first is due simT/Speed seconds after start.
type SpeedPacer struct{ Speed float64 }

// Due implements Pacer.
func (p SpeedPacer) Due(_ int, simT float64) time.Duration {
	if p.Speed <= 0 {
		return 0
	}
	return time.Duration(simT / p.Speed * float64(time.Second))
}

// Rate implements Pacer.
func (p SpeedPacer) Rate() float64 { return 0 }

// RatePacer sends actions at a constant rate, in trace order, whatever their
// simulated times.
type RatePacer struct{ PerSecond float64 }

// Due implements Pacer.
func (p RatePacer) Due(n int, _ float64) time.Duration {
	if p.PerSecond <= 0 {
		return 0
	}
	return time.Duration(float64(n) / p.PerSecond * float64(time.Second))
}

// Rate implements Pacer.
func (p RatePacer) Rate() float64 { return p.PerSecond }

// ASAP sends every action as soon as it is read (dry runs, benchmarks of
// the helpdesk's capacity).
type ASAP struct{}

// Due implements Pacer.
func (ASAP) Due(int, float64) time.Duration { return 0 }

// Rate implements Pacer.
func (ASAP) Rate() float64 { return 0 }

// An Ender is a Pacer whose schedule ends: actions due after End are not
// sent (counted as not sent, reason "duration").
type Ender interface {
	End() time.Duration
}
