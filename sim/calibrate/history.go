package calibrate

import (
	"cmp"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim/trace"
)

// History is a helpdesk's history aggregated as it is read: every figure
// the estimates need, kept as counts, sums and bounded samples. Add events
// in any order across tickets (each ticket's own events in time order),
// then Close.
type History struct {
	cfg    Config
	Issues Issues

	start, end  float64 // period, seconds since the epoch
	first, last float64 // first and last event seen
	ipd         int     // intervals per day

	channels  []*channelStats
	chIdx     map[string]int
	cats      names
	tiers     names
	prios     names
	agents    names
	agentTier []int

	handle    map[handleKey]*sample
	esc       map[escKey]int
	handledAt map[[2]int]int    // (category, tier) → tickets handled there
	reply     map[int]*replyAcc // by category
	deflect   map[[2]int]*deflectAcc
	catCh     map[[2]int]int   // (category, channel) → tickets
	prioCh    map[[2]int]int   // (priority, channel) → tickets
	spans     map[[2]int]*span // (agent, day) → first and last activity
	inHand    []int
	maxConc   map[[2]int]int // (tier, channel) → most contacts one agent held
	idle      idleTracker
	reserve   reserveTracker
	open      map[string]*life
	closed    bool
}

// handleKey is a cell of handle times: category × channel × tier, and
// whether the ticket reached the tier by escalation.
type handleKey struct {
	cat, ch, tier int
	escalated     bool
}

type escKey struct{ cat, from, to int }

type replyAcc struct {
	replies, resolves, awayOpen int
	delaySum, censoredSum       float64
}

type deflectAcc struct {
	deflected, fallback, botN int
	botSum                    float64
}

type span struct{ first, last float64 }

// life is one open ticket's lifecycle so far.
type life struct {
	line         int
	created      float64
	last         float64
	ch, cat, pri int
	tier         int
	waitFrom     float64 // start of the current wait, or NaN
	firstWait    bool    // a live contact not yet answered
	answered     bool    // first answer or first response given
	hStart       float64
	hTier, agent int // the handling in progress (-1 none)
	queuedAt     int // tier whose queue the ticket waits in (-1 none)
	replyAt      float64
	awaiting     bool // an agent replied; escalation, resolution or a customer reply follows
	handled      uint64
	escalatedTo  uint64
	deflectedAt  float64
}

// names interns names as small indices.
type names struct {
	idx  map[string]int
	list []string
}

func (n *names) of(s string) int {
	if i, ok := n.idx[s]; ok {
		return i
	}
	if n.idx == nil {
		n.idx = map[string]int{}
	}
	n.idx[s] = len(n.list)
	n.list = append(n.list, s)
	return len(n.list) - 1
}

func (n *names) find(s string) int {
	if i, ok := n.idx[s]; ok {
		return i
	}
	return -1
}

// maxSpan bounds a history to about three years each side of its start,
// so that one absurd time cannot make the per-day tables huge.
const maxSpan = 1100 * 86400

// NewHistory returns an empty history read with cfg.
func NewHistory(cfg Config) *History {
	cfg = cfg.withDefaults()
	h := &History{cfg: cfg, chIdx: map[string]int{}, first: math.Inf(1), last: math.Inf(-1),
		ipd: int(24 * time.Hour / cfg.Interval), handle: map[handleKey]*sample{}, esc: map[escKey]int{},
		handledAt: map[[2]int]int{}, reply: map[int]*replyAcc{}, deflect: map[[2]int]*deflectAcc{},
		catCh: map[[2]int]int{}, prioCh: map[[2]int]int{}, spans: map[[2]int]*span{},
		maxConc: map[[2]int]int{}, open: map[string]*life{}}
	h.start, h.end = math.NaN(), math.NaN()
	if !cfg.Start.IsZero() {
		h.start = unix(cfg.Start)
	}
	if !cfg.End.IsZero() {
		h.end = unix(cfg.End)
	}
	return h
}

func unix(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

// localMidnight is the midnight before t in loc, as epoch seconds.
func localMidnight(t float64, loc *time.Location) float64 {
	v := time.Unix(0, int64(t*1e9)).In(loc)
	return unix(time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, loc))
}

func (h *History) channel(name string) *channelStats {
	if i, ok := h.chIdx[name]; ok {
		return h.channels[i]
	}
	mode, src := h.cfg.mode(name)
	c := newChannelStats(name, mode, src, h.cfg.within(name, mode), h.ipd)
	h.chIdx[name] = len(h.channels)
	h.channels = append(h.channels, c)
	return c
}

// Add takes one event of the history.
func (h *History) Add(ev Event) {
	if math.IsNaN(h.start) {
		h.start = localMidnight(ev.T, h.cfg.Location)
	}
	if math.Abs(ev.T-h.start) > maxSpan || math.IsNaN(ev.T) {
		h.Issues.Add(BadTime, fmt.Sprintf("line %d: ticket %s: %s at %s is more than %d days from the history's start %s",
			ev.Line, ev.Ticket, ev.Kind, h.clock(ev.T), int(maxSpan/86400), h.clock(h.start)))
		return
	}
	if !cleanEvent(&ev) {
		h.Issues.Add(Malformed, fmt.Sprintf("line %d: ticket %s: %s without a channel", ev.Line, ev.Ticket, ev.Kind))
		return
	}
	h.idle.order(ev.T)
	h.first, h.last = math.Min(h.first, ev.T), math.Max(h.last, ev.T)
	l := h.open[ev.Ticket]
	if ev.Kind == trace.Created {
		if l != nil {
			h.Issues.Add(Duplicate, fmt.Sprintf("line %d: ticket %s (created on line %d)", ev.Line, ev.Ticket, l.line))
			return
		}
		h.created(ev)
		return
	}
	if l == nil {
		h.Issues.Add(NoCreated, fmt.Sprintf("line %d: ticket %s: %s with no created event before it (begun before the history, or after its end)", ev.Line, ev.Ticket, ev.Kind))
		return
	}
	if ev.T < l.last {
		h.Issues.Add(OutOfOrder, fmt.Sprintf("line %d: ticket %s: %s at %s is before its previous event", ev.Line, ev.Ticket, ev.Kind, h.clock(ev.T)))
		return
	}
	l.last = ev.T
	if h.step(l, ev) {
		delete(h.open, ev.Ticket)
	}
}

// clock writes an epoch time in the history's calendar.
func (h *History) clock(t float64) string {
	return time.Unix(0, int64(t*1e9)).In(h.cfg.Location).Format(time.RFC3339)
}

func (h *History) created(ev Event) {
	c := h.channel(ev.Channel)
	l := &life{line: ev.Line, created: ev.T, last: ev.T, ch: h.chIdx[ev.Channel], cat: h.cats.of(ev.Category),
		pri: h.prios.of(ev.Priority), tier: -1, waitFrom: ev.T, firstWait: c.live(), hTier: -1, agent: -1, queuedAt: -1}
	h.open[ev.Ticket] = l
	if d, s, ok := h.slot(ev.T); ok { // shares count the period's tickets
		c.arrive(d, s)
		if !c.live() {
			c.flow[d][s]++
		}
		h.catCh[[2]int{l.cat, l.ch}]++
		h.prioCh[[2]int{l.pri, l.ch}]++
	}
}

// slot is the day of the period and the interval of the day of time t.
func (h *History) slot(t float64) (day, slot int, ok bool) {
	dt := t - h.start
	if dt < 0 || (!math.IsNaN(h.end) && t >= h.end) {
		return 0, 0, false
	}
	day = int(dt / 86400)
	slot = int((dt - float64(day)*86400) / h.cfg.Interval.Seconds())
	return day, min(slot, h.ipd-1), true
}

// step applies one event to an open ticket; it reports whether the ticket
// has ended.
func (h *History) step(l *life, ev Event) bool {
	c := h.channels[l.ch]
	t := ev.T
	switch ev.Kind {
	case trace.Deflected:
		h.deflectAcc(l).deflected++
		l.deflectedAt, l.waitFrom = t, math.NaN()
	case trace.Fallback, trace.DeflectedDone:
		d := h.deflectAcc(l)
		d.botN++
		d.botSum += t - l.deflectedAt
		if ev.Kind == trace.DeflectedDone {
			h.ended(l, t)
			return true
		}
		d.fallback++
		l.waitFrom = t
	case trace.Queued:
		if math.IsNaN(l.waitFrom) {
			l.waitFrom = t
		}
		l.tier = h.tiers.of(ev.Tier)
		if l.queuedAt < 0 {
			l.queuedAt = l.tier
			h.idle.queue(l.tier, t, +1)
			h.reserve.queue(l.tier, c.live(), +1)
		}
	case trace.Answered:
		h.answered(l, c, ev)
	case trace.AgentReply:
		h.agentReply(l, c, ev)
	case trace.CustomerReply:
		r := h.replyAcc(l)
		if l.awaiting {
			r.replies++
			r.delaySum += t - l.replyAt
		}
		l.awaiting, l.waitFrom = false, t
	case trace.Escalated:
		if ev.To == "" {
			h.Issues.Add(Malformed, fmt.Sprintf("line %d: ticket %s: escalated without the tier it went to", ev.Line, ev.Ticket))
			return false
		}
		to := h.tiers.of(ev.To)
		from := l.tier
		if ev.From != "" || from < 0 {
			from = h.tiers.of(cmp.Or(ev.From, DefaultTier))
		}
		h.esc[escKey{l.cat, from, to}]++
		l.escalatedTo |= 1 << uint(to%64)
		l.tier, l.awaiting, l.waitFrom = to, false, t
	case trace.Resolved:
		if l.awaiting {
			h.replyAcc(l).resolves++
		}
		c.resolved(t - l.created)
		h.ended(l, t)
		if d, iv, ok := h.slot(l.created); ok && (math.IsNaN(h.end) || t < h.end) {
			c.at(d, iv).resolve(t - l.created)
			c.resolution.add(t - l.created)
		}
		return true
	case trace.Abandoned:
		h.unqueue(l, t)
		h.ended(l, t)
		if !math.IsNaN(l.waitFrom) {
			w := t - l.waitFrom
			c.patience.add(w, true)
			if d, iv, ok := h.slot(l.created); ok {
				c.at(d, iv).abandon()
			}
		}
		return true
	}
	return false
}

func (h *History) answered(l *life, c *channelStats, ev Event) {
	t := ev.T
	if !math.IsNaN(l.waitFrom) && l.firstWait {
		w := t - l.waitFrom
		c.patience.add(w, false)
		if d, iv, ok := h.slot(l.created); ok {
			c.at(d, iv).answer(w, w <= c.within.Seconds())
		}
		l.firstWait = false
	}
	l.waitFrom = math.NaN()
	from := l.queuedAt // the queue the ticket is taken from
	if from < 0 {
		from = l.tier
	}
	h.takeUp(l, c, ev)
	h.unqueue(l, t)
	l.tier = h.tiers.of(ev.Tier)
	if from < 0 {
		from = l.tier
	}
	l.hStart, l.hTier = t, l.tier
	l.agent = -1
	if ev.Agent != "" {
		a := h.agents.of(ev.Agent)
		for len(h.agentTier) <= a {
			h.agentTier = append(h.agentTier, l.tier)
			h.inHand = append(h.inHand, 0)
		}
		l.agent = a
		if h.inHand[a] == 0 {
			h.idle.taken(a, l.tier, from, t)
		}
		h.inHand[a]++
		k := [2]int{l.tier, l.ch}
		h.maxConc[k] = max(h.maxConc[k], h.inHand[a])
		h.active(a, t)
	}
}

func (h *History) agentReply(l *life, c *channelStats, ev Event) {
	t := ev.T
	tier := l.hTier
	if ev.Tier != "" {
		tier = h.tiers.of(ev.Tier)
	}
	if tier >= 0 && l.hTier >= 0 {
		k := handleKey{l.cat, l.ch, tier, l.escalatedTo&(1<<uint(tier%64)) != 0}
		s := h.handle[k]
		if s == nil {
			s = newSample(uint64(len(h.handle)) + 1)
			h.handle[k] = s
		}
		s.add(t - l.hStart)
		if l.handled&(1<<uint(tier%64)) == 0 {
			l.handled |= 1 << uint(tier%64)
			h.handledAt[[2]int{l.cat, tier}]++
		}
	}
	if l.agent >= 0 {
		h.inHand[l.agent]--
		h.active(l.agent, t)
		if h.inHand[l.agent] == 0 {
			h.idle.freed(l.agent, t)
		}
	}
	if !c.live() && !l.answered {
		if d, iv, ok := h.slot(l.created); ok {
			fr := t - l.created
			c.at(d, iv).answer(fr, fr <= c.within.Seconds())
		}
	}
	l.answered, l.hTier, l.agent = true, -1, -1
	l.replyAt, l.awaiting = t, !c.live() // customers write again on deferred channels
}

// unqueue takes a ticket out of the queue it waits in, if any.
func (h *History) unqueue(l *life, t float64) {
	if l.queuedAt >= 0 {
		h.idle.queue(l.queuedAt, t, -1)
		h.reserve.queue(l.queuedAt, h.channels[l.ch].live(), -1)
		l.queuedAt = -1
	}
}

func (h *History) active(agent int, t float64) {
	dt := t - h.start
	if dt < 0 {
		return
	}
	k := [2]int{agent, int(dt / 86400)}
	if s := h.spans[k]; s != nil {
		s.first, s.last = math.Min(s.first, t), math.Max(s.last, t)
		return
	}
	h.spans[k] = &span{t, t}
}

func (h *History) deflectAcc(l *life) *deflectAcc {
	k := [2]int{l.cat, l.ch}
	if h.deflect[k] == nil {
		h.deflect[k] = &deflectAcc{}
	}
	return h.deflect[k]
}

func (h *History) replyAcc(l *life) *replyAcc {
	if h.reply[l.cat] == nil {
		h.reply[l.cat] = &replyAcc{}
	}
	return h.reply[l.cat]
}

// Close ends the history: the tickets still open are censored at the end of
// the period (a wait still running is a censored patience; an unanswered
// contact already past its SLA threshold counts as missed), and reported.
func (h *History) Close() {
	if h.closed {
		return
	}
	h.closed = true
	if math.IsNaN(h.start) {
		h.start, h.first, h.last = 0, 0, 0
	}
	if math.IsNaN(h.end) {
		h.end = localMidnight(h.last, h.cfg.Location)
		if h.end <= h.last {
			h.end += 86400
		}
		if h.end-h.start > 86400 && h.last-h.end+86400 < 1 {
			h.end -= 86400 // the last event exactly at midnight
		}
	}
	// Report open tickets in the order of their first line.
	ids := make([]string, 0, len(h.open))
	for id := range h.open {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return h.open[ids[i]].line < h.open[ids[j]].line })
	for _, id := range ids {
		l := h.open[id]
		h.Issues.Add(NoEnd, fmt.Sprintf("line %d: ticket %s created %s is still open at the end of the history (censored)", l.line, id, h.clock(l.created)))
		c := h.channels[l.ch]
		if !math.IsNaN(l.waitFrom) && l.firstWait && c.live() {
			w := math.Max(0, h.end-l.waitFrom)
			c.patience.add(w, false)
			if d, iv, ok := h.slot(l.created); ok && w >= c.within.Seconds() {
				c.at(d, iv).miss()
			}
		}
		if !c.live() && !l.answered {
			if d, iv, ok := h.slot(l.created); ok && h.end-l.created >= c.within.Seconds() {
				c.at(d, iv).miss()
			}
		}
		if l.awaiting && !c.live() {
			r := h.replyAcc(l)
			r.awayOpen++
			r.censoredSum += math.Max(0, h.end-l.replyAt)
		}
	}
	h.open = nil
}

// Days is the number of whole days in the history's period.
func (h *History) Days() int { return int(math.Round((h.end - h.start) / 86400)) }

// Start is the start of the history's period.
func (h *History) Start() time.Time {
	return time.Unix(0, int64(h.start*1e9)).In(h.cfg.Location)
}

// Live reports whether a channel's contacts wait on the line.
func (c *channelStats) live() bool { return c.mode != model.ModeDeferred }

// Names a history gives when its rows leave them empty.
const (
	DefaultCategory = "general"
	DefaultTier     = "agents"
)
