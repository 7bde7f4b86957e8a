package sim

import (
	"fmt"

	"github.com/slasim/slasim/sim/trace"
)

// The lifecycle trace: the engine's side of package trace.

func (e *engine) agentName(a int) string {
	if e.emitTo == nil || a < 0 {
		return ""
	}
	ap := &e.p.agents[a]
	return fmt.Sprintf("%s-%d", e.p.tiers[ap.tier].name, ap.index)
}

func (e *engine) emit(s int32, kind trace.Kind, tier, agent string) {
	if e.emitTo != nil {
		e.emitAction(s, trace.Action{Kind: kind, Tier: tier, Agent: agent})
	}
}

// emitAction completes a with the time and the ticket's attributes and
// sends it to the trace.
func (e *engine) emitAction(s int32, a trace.Action) {
	if e.emitTo == nil || e.err != nil {
		return
	}
	p := e.p
	t := &e.tickets[s]
	a.T, a.Ticket = e.now, t.id
	a.Channel, a.Category, a.Priority = p.channels[t.ch].name, p.cats[t.cat].name, p.prios[t.prio].name
	e.err = e.emitTo(a)
}
