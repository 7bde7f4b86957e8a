package calibrate

import "sort"

// reserveTracker watches how a blended tier's agents choose between live
// and deferred work, for deferred_share. Like the idle tracker it needs the
// events in time order across tickets (it is switched off with it).
//
// deferred_share reserves fixed agents for deferred work: a reserved agent
// who comes free takes a waiting deferred ticket before a waiting live
// contact, any other agent the live contact. So each agent's choices when
// both waited in the tier's queues sort the agents into reserved and not,
// and the share is the reserved agents' part of the tier's active time.
//
// protect_live is not estimated: it holds agents idle while deferred work
// waits, and an idle agent leaves no event in a ticket history (an agent
// is seen on shift only from its first handling of the day to its last,
// and a break looks the same as an idle spell), so the other agents idle
// at a take-up cannot be counted.
type reserveTracker struct {
	waiting map[int]*[2]int // tier → [live, deferred] tickets waiting in its own queues
	choices map[int]*[2]int // agent → times it took [live, deferred] when both waited
}

func (r *reserveTracker) init() {
	if r.waiting == nil {
		r.waiting, r.choices = map[int]*[2]int{}, map[int]*[2]int{}
	}
}

// kind is 0 for a live channel's contact, 1 for a deferred one.
func kind(live bool) int {
	if live {
		return 0
	}
	return 1
}

func (r *reserveTracker) queue(tier int, live bool, d int) {
	r.init()
	w := r.waiting[tier]
	if w == nil {
		w = &[2]int{}
		r.waiting[tier] = w
	}
	w[kind(live)] = max(0, w[kind(live)]+d)
}

// taken notes that a free agent of tier took a ticket, live or not, from
// the tier's own queue.
func (r *reserveTracker) taken(agent, tier int, live bool) {
	r.init()
	w := r.waiting[tier]
	if w == nil || w[0] == 0 || w[1] == 0 {
		return
	}
	c := r.choices[agent]
	if c == nil {
		c = &[2]int{}
		r.choices[agent] = c
	}
	c[kind(live)]++
}

// takeUp tells the reserve tracker that an agent took a ticket: a choice
// when the agent was free and took it from its own tier's queue.
func (h *History) takeUp(l *life, c *channelStats, ev Event) {
	if ev.Agent == "" || l.queuedAt < 0 {
		return
	}
	a := h.agents.find(ev.Agent)
	if a >= 0 && a < len(h.inHand) && h.inHand[a] > 0 {
		return
	}
	tier := h.tiers.of(ev.Tier)
	if a >= 0 && a < len(h.agentTier) {
		tier = h.agentTier[a]
	}
	if l.queuedAt == tier {
		h.reserve.taken(h.agents.of(ev.Agent), tier, c.live())
	}
}

// ReserveEstimate is what a blended tier's choices between live and
// deferred work say about deferred_share, and how sure that is. When it is
// not identifiable from the history DeferredShare is absent, with the
// reason in Note.
type ReserveEstimate struct {
	// Choices counts the take-ups by a free agent while both a live contact
	// and a deferred ticket waited in the tier's queues; Consistent is the
	// share of them that agree with the agents' classification (1 under
	// the engine's rule; lower means the helpdesk chooses some other way).
	Choices    int     `json:"choices"`
	Consistent float64 `json:"consistent"`
	// Reserved and Classified count the agents who took deferred work first
	// and the agents with a choice seen.
	Reserved   int `json:"reserved_agents"`
	Classified int `json:"classified_agents"`
	// DeferredShare is the reserved agents' part of the classified agents'
	// active time.
	DeferredShare *float64 `json:"deferred_share,omitempty"`
	Note          string   `json:"note,omitempty"`
}

// Evidence needed before deferred_share is written.
const (
	minReserveChoices = 20
	minConsistent     = 0.9
)

// reserveEstimate reads the choices of a tier skilled for live and
// deferred channels.
func (h *History) reserveEstimate(tier int) *ReserveEstimate {
	r := &h.reserve
	re := &ReserveEstimate{}
	if h.idle.off {
		re.Note = "the history is not in time order across tickets, so what waited when an agent came free is not known"
		return re
	}
	var resTime, allTime, agree float64
	for _, a := range h.agentsOf(tier) {
		c := r.choices[a]
		if c == nil {
			continue
		}
		re.Choices += c[0] + c[1]
		re.Classified++
		agree += float64(max(c[0], c[1]))
		active := h.activeTime(a)
		allTime += active
		if c[1] > c[0] {
			re.Reserved++
			resTime += active
		}
	}
	if re.Choices > 0 {
		re.Consistent = agree / float64(re.Choices)
	}
	switch {
	case re.Choices < minReserveChoices:
		re.Note = "live and deferred work seldom waited at once, so the agents' order of choice is not seen"
	case re.Consistent < minConsistent:
		re.Note = "the agents' choices follow no fixed reservation"
	default:
		re.DeferredShare = num(resTime / allTime)
	}
	return re
}

// blended reports whether channels hold both live and deferred ones.
func (h *History) blended(channels []string) bool {
	var live, deferred bool
	for _, name := range channels {
		if i, ok := h.chIdx[name]; ok {
			live = live || h.channels[i].live()
			deferred = deferred || !h.channels[i].live()
		}
	}
	return live && deferred
}

// agentsOf lists a tier's agents in the order first seen.
func (h *History) agentsOf(tier int) []int {
	var out []int
	for a, t := range h.agentTier {
		if t == tier {
			out = append(out, a)
		}
	}
	return out
}

// activeTime is an agent's first-to-last activity summed over the days
// (in day order, so the sum is the same each run).
func (h *History) activeTime(agent int) float64 {
	var days []int
	for k := range h.spans {
		if k[0] == agent {
			days = append(days, k[1])
		}
	}
	sort.Ints(days)
	var s float64
	for _, d := range days {
		sp := h.spans[[2]int{agent, d}]
		s += sp.last - sp.first
	}
	return s
}
