package calibrate

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// Calibration is everything estimated from a history, with where each
// figure came from and how sure it is. Its JSON form is calibration.json.
type Calibration struct {
	Source   string    `json:"source"`
	Start    time.Time `json:"start"`
	Days     int       `json:"days"`
	Interval string    `json:"interval"`
	// Tickets is the number of tickets created in the period.
	Tickets  int      `json:"tickets"`
	Issues   Issues   `json:"issues"`
	Warnings []string `json:"warnings"`

	Channels   []ChannelEstimate    `json:"channels"`
	Categories []CategoryEstimate   `json:"categories"`
	Priorities []PriorityEstimate   `json:"priorities,omitempty"`
	Tiers      []TierEstimate       `json:"tiers"`
	Escalation []EscalationEstimate `json:"escalations,omitempty"`
	// Returns are tickets passed back down to a lower tier: counted, not
	// modelled (an escalation path in a scenario only goes up).
	Returns []EscalationEstimate `json:"returns,omitempty"`
	Shifts  []ShiftEstimate      `json:"shifts"`
	// Backtest, when asked for, compares the calibrated scenario simulated
	// over the history's period with what happened.
	Backtest *Backtest `json:"backtest,omitempty"`

	cfg Config // how the history was read: the backtest reads its simulations alike
}

// ChannelEstimate is one channel's volume and outcomes.
type ChannelEstimate struct {
	Name       string `json:"name"`
	Mode       string `json:"mode"`
	ModeSource string `json:"mode_source"`
	// WithinSeconds is the SLA threshold the observed service level uses.
	WithinSeconds float64 `json:"within_seconds"`
	Contacts      int     `json:"contacts"`
	// RatePerHour is the mean arrival rate over the period, RateCI95 the
	// half-width of its 95% interval (Poisson and day-to-day variation).
	RatePerHour float64 `json:"rate_per_hour"`
	RateCI95    float64 `json:"rate_ci95"`
	// Intraday holds one multiplier per interval of the day (mean 1);
	// Weekly seven, Monday first (mean 1 over the days seen).
	Intraday []float64 `json:"intraday"`
	Weekly   []float64 `json:"weekly"`
	// ForecastCV is the day-to-day variation left after the weekly
	// pattern and Poisson noise (0 with under two weeks of history).
	ForecastCV float64 `json:"forecast_cv"`
	// Daily holds the contacts created each day.
	Daily    []float64 `json:"daily"`
	Patience *Patience `json:"patience,omitempty"`
	// Concurrency is the most contacts of the channel one agent held.
	Concurrency int `json:"concurrency"`
	// Observed is what the contacts met over the period, ObservedDays per day.
	Observed     Outcome   `json:"observed"`
	ObservedDays []Outcome `json:"observed_days"`
	// ObservedIntervals holds what the contacts created in each interval
	// met, day by day (the backtest's per-interval rows carry them).
	ObservedIntervals []Outcome `json:"-"`
	ResolutionAvg     float64   `json:"resolution_mean_seconds"`
	// ResolutionP50 and ResolutionP90 are percentiles of the time from
	// creation to resolution of the period's tickets resolved in it
	// (absent with none resolved).
	ResolutionP50 *float64 `json:"resolution_p50_seconds,omitempty"`
	ResolutionP90 *float64 `json:"resolution_p90_seconds,omitempty"`
}

// CategoryEstimate is a category's share and times.
type CategoryEstimate struct {
	Name string `json:"name"`
	// Count tickets, Share of the volume of its channels (95% ±ShareCI95).
	Count     int      `json:"count"`
	Share     float64  `json:"share"`
	ShareCI95 float64  `json:"share_ci95"`
	Channels  []string `json:"channels,omitempty"`
	// HandleTime is fitted on every handling not after an escalation.
	HandleTime Durations `json:"handle_time"`
	// EntryHandleTime is fitted on the entry tier's handlings alone, when
	// other tiers also took the category first-hand: the scenario's
	// handle_time then, the other tiers' handle_factor scaling it.
	EntryHandleTime *Durations       `json:"entry_handle_time,omitempty"`
	Cells           []HandleCell     `json:"cells"`
	Deflect         *DeflectEstimate `json:"deflect,omitempty"`
	Reply           *ReplyEstimate   `json:"reply,omitempty"`
}

// HandleCell is the handle time of one category on one channel at one tier.
type HandleCell struct {
	Channel   string    `json:"channel"`
	Tier      string    `json:"tier"`
	Escalated bool      `json:"escalated"`
	Durations Durations `json:"durations"`
}

// DeflectEstimate is automation's part in a category.
type DeflectEstimate struct {
	Rate, Fallback float64
	BotSeconds     float64
	Channels       []string
}

// ReplyEstimate is the customer writing again after an agent's reply:
// probability P of a reply rather than a resolution, and the mean pending
// time until it (exponential MLE, open pending times censored).
type ReplyEstimate struct {
	Replies     int     `json:"replies"`
	Resolutions int     `json:"resolutions"`
	P           float64 `json:"p"`
	PCI95       float64 `json:"p_ci95"`
	MeanSeconds float64 `json:"mean_pending_seconds"`
	StillAway   int     `json:"still_pending_at_end"`
}

// PriorityEstimate is a priority's share on the channels it appears on.
type PriorityEstimate struct {
	Name     string   `json:"name"`
	Share    float64  `json:"share"`
	Channels []string `json:"channels"`
}

// TierEstimate is a tier as the history shows it.
type TierEstimate struct {
	Name        string         `json:"name"`
	Skills      []string       `json:"skills"`
	Concurrency map[string]int `json:"concurrency,omitempty"`
	Agents      int            `json:"agents"`
	// TicketShare is the share of its agents' active time the tier was
	// available for tickets: 1 − (time an agent sat without a ticket while
	// tickets waited in the tier's queue, spells of 5 minutes or more) ÷
	// (agents' first-to-last activity). 0 when the history is not in time
	// order across tickets, so it cannot be measured.
	TicketShare float64 `json:"ticket_share"`
	// Handle is the tier's first-hand handle time against the entry tier's;
	// CategoryHandle the same per category.
	Handle         TierHandle       `json:"handle"`
	CategoryHandle []CategoryHandle `json:"category_handle,omitempty"`
	// Reserve, on a tier skilled for live and deferred channels, is what
	// its agents' choices say about deferred_share and protect_live.
	Reserve *ReserveEstimate `json:"reserve,omitempty"`
}

// EscalationEstimate is one path between tiers for one category: of the
// Handled tickets that ended a handling at From, Escalated went to To.
type EscalationEstimate struct {
	Category   string    `json:"category"`
	From       string    `json:"from"`
	To         string    `json:"to"`
	Escalated  int       `json:"escalated"`
	Handled    int       `json:"handled"`
	P          float64   `json:"p"`
	PCI95      float64   `json:"p_ci95"`
	HandleTime Durations `json:"handle_time"`
}

// ShiftEstimate is a rota line inferred from when agents were active: the
// first and last handling of each agent each day, rounded out to the
// interval.
type ShiftEstimate struct {
	Tier      string      `json:"tier"`
	Start     string      `json:"start"`
	Length    string      `json:"length"`
	Headcount int         `json:"headcount"`
	Dates     []time.Time `json:"dates"`
}

// binomialCI is the half-width of a normal 95% interval on k of n.
func binomialCI(k, n int) (p, ci float64) {
	if n == 0 {
		return 0, 0
	}
	p = float64(k) / float64(n)
	return p, 1.96 * math.Sqrt(math.Max(p*(1-p), 1/float64(n*n))/float64(n))
}

// Estimate turns a closed history into a Calibration.
func (h *History) Estimate(source string) *Calibration {
	h.Close()
	cal := &Calibration{Source: cleanName(source), Start: h.Start(), Days: h.Days(), Interval: fmtDur(h.cfg.Interval), Issues: h.Issues, cfg: h.cfg}
	inPeriod := map[string]bool{}
	var empty []string
	for _, c := range h.channels {
		e := h.channelEstimate(c, cal)
		if e.Contacts == 0 {
			empty = append(empty, c.name)
			continue
		}
		inPeriod[c.name] = true
		cal.Channels = append(cal.Channels, e)
		cal.Tickets += e.Contacts
	}
	order := h.tierOrder()
	cal.Tiers = h.tierEstimates(order, inPeriod)
	entry := -1
	if len(order) > 0 {
		entry = order[0]
	}
	cal.Categories = h.categoryEstimates(entry)
	cal.Priorities = h.priorityEstimates()
	cal.Escalation, cal.Returns = h.escalationEstimates(order)
	cal.Shifts = h.shiftEstimates()
	cal.Warnings = h.warnings(cal)
	for _, n := range empty {
		cal.Warnings = append(cal.Warnings, fmt.Sprintf("channel %q has no ticket created in the period: left out of the scenario", n))
	}
	return cal
}

func fmtDur(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func (h *History) channelEstimate(c *channelStats, cal *Calibration) ChannelEstimate {
	days := cal.Days
	c.grow(days - 1)
	e := ChannelEstimate{Name: c.name, Mode: c.mode, ModeSource: c.modeSource, WithinSeconds: c.within.Seconds(),
		Intraday: make([]float64, h.ipd), Weekly: make([]float64, 7), Daily: make([]float64, days)}
	var total float64
	dowSum, dowN := make([]float64, 7), make([]float64, 7)
	for d := 0; d < days; d++ {
		for s, n := range c.arrivals[d] {
			e.Daily[d] += n
			e.Intraday[s] += n
		}
		total += e.Daily[d]
		dow := (int(cal.Start.AddDate(0, 0, d).Weekday()) + 6) % 7
		dowSum[dow] += e.Daily[d]
		dowN[dow]++
		od := c.day(d)
		e.Observed.plus(od)
		e.ObservedDays = append(e.ObservedDays, od)
		e.ObservedIntervals = append(e.ObservedIntervals, c.ivs[d]...)
	}
	e.Contacts = int(total)
	meanDay := total / float64(max(days, 1))
	e.RatePerHour = meanDay / 24
	// Weekly multipliers are the mean of each weekday over the mean day;
	// summed over the history's own days they give back its volume (so a
	// weekday that occurs twice, as in an 8-day history, counts twice).
	for i := range e.Weekly {
		e.Weekly[i] = 1 // a weekday the history does not have: assumed average
		if dowN[i] > 0 && meanDay > 0 {
			e.Weekly[i] = dowSum[i] / dowN[i] / meanDay
		}
	}
	for s := range e.Intraday {
		if total > 0 {
			e.Intraday[s] *= float64(h.ipd) / total
		}
	}
	e.ForecastCV = forecastCV(e.Daily, e.Weekly, meanDay, cal.Start)
	if total > 0 {
		e.RateCI95 = 1.96 * e.RatePerHour * math.Sqrt(1/total+e.ForecastCV*e.ForecastCV/float64(days))
	}
	if c.live() {
		p := c.patience.estimate()
		e.Patience = &p
	}
	for k, n := range h.maxConc {
		if k[1] == h.chIdx[c.name] {
			e.Concurrency = max(e.Concurrency, n)
		}
	}
	if c.resN > 0 {
		e.ResolutionAvg = c.resSum / float64(c.resN)
	}
	e.ResolutionP50, e.ResolutionP90 = num(c.resolution.quantile(0.5)), num(c.resolution.quantile(0.9))
	if !c.live() {
		c.backlog(&e)
	}
	return e
}

// forecastCV is the coefficient of variation of the day-level factor: the
// spread of daily counts around level × weekly pattern, less the Poisson
// part. It needs two weeks of history (with one, the weekly pattern absorbs
// every day).
func forecastCV(daily, weekly []float64, meanDay float64, start time.Time) float64 {
	if len(daily) < 14 || meanDay == 0 {
		return 0
	}
	var rs, poisson []float64
	for d, n := range daily {
		exp := meanDay * weekly[(int(start.AddDate(0, 0, d).Weekday())+6)%7]
		if exp < 1 {
			continue
		}
		rs = append(rs, n/exp)
		poisson = append(poisson, 1/exp)
	}
	if len(rs) < 2 {
		return 0
	}
	var m, v, pn float64
	for i := range rs {
		m += rs[i]
		pn += poisson[i]
	}
	m /= float64(len(rs))
	for _, r := range rs {
		v += (r - m) * (r - m)
	}
	v = v/float64(len(rs)-1) - pn/float64(len(rs))
	return math.Round(1000*math.Sqrt(math.Max(0, v))) / 1000
}

// tierOrder ranks the tiers from the first line up: a tier escalated to
// comes after the tier escalated from (the more frequent direction of a
// pair wins; the other is a return), then by first appearance.
func (h *History) tierOrder() []int {
	n := len(h.tiers.list)
	depth := make([]int, n)
	for range n {
		for k, up := range h.esc {
			if k.from == k.to || up < h.esc[escKey{k.cat, k.to, k.from}] {
				continue
			}
			depth[k.to] = max(depth[k.to], min(depth[k.from]+1, n))
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return depth[order[a]] < depth[order[b]] })
	return order
}

func (h *History) tierEstimates(order []int, inPeriod map[string]bool) []TierEstimate {
	// A tier's skills are the channels it took first-hand (new tickets,
	// its own or as overflow); a tier that only ever took escalations
	// gets the channels of those.
	first, after := map[int]map[int]bool{}, map[int]map[int]bool{}
	for k, s := range h.handle {
		if s.n+s.zeros == 0 {
			continue
		}
		m := first
		if k.escalated {
			m = after
		}
		if m[k.tier] == nil {
			m[k.tier] = map[int]bool{}
		}
		m[k.tier][k.ch] = true
	}
	skills := first
	for t, chs := range after {
		if skills[t] == nil {
			skills[t] = chs
		}
	}
	agents := make([]int, len(h.tiers.list))
	for _, t := range h.agentTier {
		agents[t]++
	}
	var out []TierEstimate
	for _, ti := range order {
		te := TierEstimate{Name: h.tiers.list[ti], Agents: agents[ti], TicketShare: h.ticketShare(ti),
			Handle: h.tierHandle(ti, order[0], -1), CategoryHandle: h.categoryHandles(ti, order[0])}
		for ci, c := range h.channels {
			if !skills[ti][ci] || !inPeriod[c.name] {
				continue
			}
			te.Skills = append(te.Skills, c.name)
			if c.mode == "concurrent" {
				if te.Concurrency == nil {
					te.Concurrency = map[string]int{}
				}
				te.Concurrency[c.name] = max(1, h.maxConc[[2]int{ti, ci}])
			}
		}
		if h.blended(te.Skills) {
			te.Reserve = h.reserveEstimate(ti)
		}
		if len(te.Skills) > 0 {
			out = append(out, te)
		}
	}
	// A channel nobody handled in the history still needs a tier to go
	// to: the first one (a tier of its own when nobody handled anything).
	for _, c := range h.channels {
		if !inPeriod[c.name] {
			continue
		}
		covered := false
		for _, te := range out {
			covered = covered || slices.Contains(te.Skills, c.name)
		}
		if covered {
			continue
		}
		if len(out) == 0 {
			out = append(out, TierEstimate{Name: DefaultTier})
		}
		out[0].Skills = append(out[0].Skills, c.name)
	}
	return out
}

func (h *History) escalationEstimates(order []int) (up, back []EscalationEstimate) {
	rank := make([]int, len(order))
	for r, ti := range order {
		rank[ti] = r
	}
	keys := make([]escKey, 0, len(h.esc))
	for k := range h.esc {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.cat != b.cat {
			return a.cat < b.cat
		}
		if rank[a.from] != rank[b.from] {
			return rank[a.from] < rank[b.from]
		}
		return rank[a.to] < rank[b.to]
	})
	for _, k := range keys {
		n := h.handledAt[[2]int{k.cat, k.from}]
		p, ci := binomialCI(h.esc[k], n)
		e := EscalationEstimate{Category: h.cats.list[k.cat], From: h.tiers.list[k.from], To: h.tiers.list[k.to],
			Escalated: h.esc[k], Handled: n, P: p, PCI95: ci, HandleTime: h.merged(k.cat, k.to, true).durations()}
		if rank[k.to] > rank[k.from] {
			up = append(up, e)
		} else {
			back = append(back, e)
		}
	}
	return up, back
}

// merged pools the handle times of a category at a tier (any tier when
// tier < 0) over the channels, after an escalation or not.
func (h *History) merged(cat, tier int, escalated bool) *sample {
	keys := make([]handleKey, 0)
	for k := range h.handle {
		if k.cat == cat && k.escalated == escalated && (tier < 0 || k.tier == tier) {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].ch != keys[j].ch {
			return keys[i].ch < keys[j].ch
		}
		return keys[i].tier < keys[j].tier
	})
	m := newSample(1)
	for _, k := range keys {
		m.merge(h.handle[k])
	}
	return m
}

// ticketShare is the tier's availability for tickets over its agents'
// active spans (see TierEstimate.TicketShare).
func (h *History) ticketShare(tier int) float64 {
	if h.idle.off {
		return 0
	}
	var active float64
	for k, s := range h.spans {
		if h.agentTier[k[0]] == tier {
			active += s.last - s.first
		}
	}
	if active <= 0 {
		return 1
	}
	return math.Max(0.05, 1-h.idle.away[tier]/active)
}
