package sim

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/slasim/slasim/model"
)

// plan is a scenario compiled for the engine: names turned into indices,
// profiles and surges into piecewise-constant rates, rotas into shift
// instances. It is built once per run and shared, read-only, by every
// replication.
type plan struct {
	// queueLimit bounds the contacts waiting (live) or open (deferred) on
	// a channel; arrivals past it are turned away. 0: DefaultQueueLimit.
	queueLimit int
	sc         *model.Scenario
	start      time.Time
	t0         float64 // simulation start: −warmup
	end        float64 // end of the reported period
	interval   float64
	nInterval  int
	nDays      int // calendar days covered, from day 0 = the day holding t0
	day0       time.Time

	channels []chanPlan
	cats     []catPlan
	prios    []prioPlan
	tiers    []tierPlan
	agents   []agentPlan
	shifts   []shiftPlan
	business []window // business-hours windows, in seconds since start
	// noShrinkage turns off absences (a staffing given per interval counts
	// agents present).
	noShrinkage bool
}

type rateSeg struct {
	t0, t1 float64
	rate   float64 // per second, before the day-level forecast factor
	day    int32
}

type chanPlan struct {
	name       string
	mode       string
	live       bool
	concurrent bool
	segs       []rateSeg
	patience   model.Dist
	within     float64
	target     float64
	business   bool
	stretch    float64
	forecastCV float64
	entryTier  int
	// categories and priorities of this channel with cumulative shares
	catIdx  []int
	catCum  []float64
	prioIdx []int
	prioCum []float64
}

type escStep struct {
	from   int // −1: the tier that last handled the ticket
	to     int
	p      float64
	handle []model.Dist // per tier; nil entries use the category's
}

type catPlan struct {
	name    string
	handle  []model.Dist // per tier, scaled by the tier's factor
	deflect []deflectPlan
	esc     []escStep
	replyP  float64
	replyIn model.Dist
}

type deflectPlan struct {
	rate, fallback, botTime, cost float64
}

type prioPlan struct {
	name           string
	within, target []float64 // per channel
}

type tierPlan struct {
	name          string
	conc          []int // per channel
	maxConc       int
	deferredShare float64
	protectLive   int // idle agents kept for live contacts before deferred work is started
	ticketShare   float64
	hourly        float64
	band          int
	agents        []int32
	skilled       []bool  // per channel
	olaWithin     float64 // the tier's target for taking up escalations; < 0: none
	helps         []int   // earlier tiers whose new tickets it takes when idle, nearest first
	overflowTo    [][]int // per channel: later tiers skilled for it, nearest first
}

type agentPlan struct {
	tier     int
	shift    int
	index    int // within its tier, from 1, for names
	reserved bool
}

type shiftPlan struct {
	tier      int
	headcount int
	instances []window
	breaks    []breakPlan // relative to the instance start, per agent of the line
	stagger   float64     // seconds over which each break's start is spread across the line
	firstAg   int
}

type breakPlan struct {
	after, length float64
	stagger       bool
}

type window struct{ a, b float64 }

func secondsSince(start, t time.Time) float64 { return t.Sub(start).Seconds() }

// midnight returns the start of the calendar day of t in loc.
func midnight(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// ErrNotValidated is returned for a scenario that has not passed
// validation: the engine relies on the defaults and checks it brings.
var ErrNotValidated = errors.New("the scenario has not been validated: load it with model.Load or model.Parse, or call its Validate method after changing it")

func compile(sc *model.Scenario) (*plan, error) {
	if sc == nil || !sc.Validated() {
		return nil, ErrNotValidated
	}
	m := sc.Meta
	p := &plan{
		sc:       sc,
		start:    m.Start,
		t0:       -m.Warmup.Seconds(),
		end:      m.Duration.Seconds(),
		interval: m.Interval.Seconds(),
	}
	p.nInterval = int(math.Ceil(p.end/p.interval - 1e-9))
	loc := sc.Location
	p.day0 = midnight(m.Start.Add(-m.Warmup.Duration), loc)
	for d := p.day0; secondsSince(m.Start, d) < p.end; d = d.AddDate(0, 0, 1) {
		p.nDays++
	}
	p.compileTiers()
	for i := range sc.Channels {
		cp, err := p.channel(i)
		if err != nil {
			return nil, err
		}
		p.channels = append(p.channels, cp)
	}
	for i := range sc.Categories {
		cp, err := p.category(i)
		if err != nil {
			return nil, err
		}
		p.cats = append(p.cats, cp)
	}
	p.compilePriorities()
	p.rota()
	p.business = businessWindows(sc, p.day0, p.end+31*86400)
	return p, nil
}

// compileTiers turns the tiers into indices: concurrency and skills per
// channel, hourly cost, and who helps whom with overflow.
func (p *plan) compileTiers() {
	sc := p.sc
	for i := range sc.Tiers {
		t := &sc.Tiers[i]
		tp := tierPlan{name: t.Name, deferredShare: t.DeferredShare, protectLive: t.ProtectLive, ticketShare: t.TicketShare, band: sc.BandIndex(t.Band), olaWithin: -1}
		if t.SLA != nil {
			tp.olaWithin = t.SLA.Within.Seconds()
		}
		for _, ch := range sc.Channels {
			c := t.ConcurrencyFor(ch.Name)
			tp.conc = append(tp.conc, c)
			if c > tp.maxConc {
				tp.maxConc = c
			}
		}
		if tp.band >= 0 {
			tp.hourly = sc.Bands[tp.band].HourlyCost(t.Annual)
		}
		for _, ch := range sc.Channels {
			tp.skilled = append(tp.skilled, t.Skilled(ch.Name))
		}
		for lo := i - 1; lo >= 0; lo-- {
			tp.helps = append(tp.helps, lo)
		}
		p.tiers = append(p.tiers, tp)
	}
	for i := range p.tiers {
		p.tiers[i].overflowTo = make([][]int, len(sc.Channels))
		for c := range sc.Channels {
			for hi := i + 1; hi < len(p.tiers); hi++ {
				if p.tiers[hi].skilled[c] {
					p.tiers[i].overflowTo[c] = append(p.tiers[i].overflowTo[c], hi)
				}
			}
		}
	}
}

// compilePriorities sets each class's target per channel (its own SLA or
// the channel's) and each channel's cumulative class shares.
func (p *plan) compilePriorities() {
	sc := p.sc
	for _, pr := range sc.Priorities {
		pp := prioPlan{name: pr.Name}
		for _, ch := range p.channels {
			w, t := ch.within, ch.target
			if pr.SLA != nil {
				w, t = pr.SLA.Within.Seconds(), pr.SLA.Target
			}
			pp.within = append(pp.within, w)
			pp.target = append(pp.target, t)
		}
		p.prios = append(p.prios, pp)
	}
	if len(p.prios) == 0 {
		pp := prioPlan{name: "normal"}
		for _, ch := range p.channels {
			pp.within = append(pp.within, ch.within)
			pp.target = append(pp.target, ch.target)
		}
		p.prios = []prioPlan{pp}
	}
	for ci := range p.channels {
		c := &p.channels[ci]
		var cum float64
		for i, pr := range sc.Priorities {
			if model.Covers(pr.Channels, c.name) {
				cum += pr.Share
				c.prioIdx = append(c.prioIdx, i)
				c.prioCum = append(c.prioCum, cum)
			}
		}
		if len(c.prioIdx) == 0 {
			// A channel no priority names gets the last (lowest) class.
			c.prioIdx = []int{len(p.prios) - 1}
			c.prioCum = []float64{1}
		}
		c.prioCum[len(c.prioCum)-1] = 1
	}
}

func (p *plan) channel(i int) (chanPlan, error) {
	sc := p.sc
	ch := &sc.Channels[i]
	cp := chanPlan{
		name:       ch.Name,
		mode:       ch.Mode,
		live:       ch.Live(),
		concurrent: ch.Mode == model.ModeConcurrent,
		within:     ch.SLA.Within.Seconds(),
		target:     ch.SLA.Target,
		business:   ch.SLA.Clock == model.ClockBusiness,
		stretch:    ch.Stretch,
		forecastCV: ch.ForecastCV,
		entryTier:  sc.EntryTier(ch.Name),
	}
	if ch.Patience != nil {
		d, err := ch.Patience.Build(sc.Dir)
		if err != nil {
			return cp, fmt.Errorf("channel %q: patience: %w", ch.Name, err)
		}
		cp.patience = d
	}
	var cum float64
	for ci, cat := range sc.Categories {
		if model.Covers(cat.Channels, ch.Name) {
			cum += cat.Share
			cp.catIdx = append(cp.catIdx, ci)
			cp.catCum = append(cp.catCum, cum)
		}
	}
	if n := len(cp.catCum); n > 0 {
		cp.catCum[n-1] = 1
	}
	cp.segs = p.rateSegments(ch)
	return cp, nil
}

// rateSegments turns base rate × intraday × weekly × surges into a list of
// constant-rate pieces covering [t0, end), split at day boundaries so a
// day-level factor applies to whole pieces.
func (p *plan) rateSegments(ch *model.Channel) []rateSeg {
	sc := p.sc
	loc := sc.Location
	var prof *model.Profile
	if i := sc.ProfileIndex(ch.Profile); i >= 0 {
		prof = &sc.Profiles[i]
	}
	var cuts []float64
	day := 0
	for d := p.day0; ; d = d.AddDate(0, 0, 1) {
		ds := secondsSince(p.start, d)
		if ds >= p.end {
			break
		}
		next := secondsSince(p.start, d.AddDate(0, 0, 1))
		cuts = append(cuts, ds)
		if prof != nil {
			n := len(prof.Intraday)
			for k := 1; k < n; k++ {
				cuts = append(cuts, ds+(next-ds)*float64(k)/float64(n))
			}
		}
		day++
	}
	var surges []model.Surge
	for _, s := range sc.Surges {
		if model.Covers(s.Channels, ch.Name) {
			surges = append(surges, s)
			cuts = append(cuts, secondsSince(p.start, s.From), secondsSince(p.start, s.To))
		}
	}
	cuts = append(cuts, p.t0, p.end)
	sort.Float64s(cuts)
	var mean float64 = 1
	if prof != nil {
		var sum float64
		for _, x := range prof.Intraday {
			sum += x
		}
		mean = sum / float64(len(prof.Intraday))
	}
	var segs []rateSeg
	for k := 0; k+1 < len(cuts); k++ {
		a, b := cuts[k], cuts[k+1]
		if a < p.t0 || b > p.end || b-a <= 1e-9 {
			continue
		}
		mid := p.start.Add(time.Duration((a + b) / 2 * float64(time.Second)))
		r := ch.Rate.PerSecond
		dm := midnight(mid, loc)
		if prof != nil {
			dayLen := dm.AddDate(0, 0, 1).Sub(dm).Seconds()
			frac := mid.Sub(dm).Seconds() / dayLen
			slot := int(frac * float64(len(prof.Intraday)))
			if slot >= len(prof.Intraday) {
				slot = len(prof.Intraday) - 1
			}
			wd := (int(mid.In(loc).Weekday()) + 6) % 7
			r *= prof.Intraday[slot] / mean * prof.Weekly[wd]
		}
		for _, s := range surges {
			if !mid.Before(s.From) && mid.Before(s.To) {
				r *= s.Factor
			}
		}
		segs = append(segs, rateSeg{t0: a, t1: b, rate: r, day: int32(p.dayOf(dm))})
	}
	return segs
}

// dayOf returns the index of the calendar day starting at midnight m.
func (p *plan) dayOf(m time.Time) int {
	d := int(math.Round(m.Sub(p.day0).Hours() / 24))
	if d < 0 {
		d = 0
	}
	return d
}

func (p *plan) category(i int) (catPlan, error) {
	sc := p.sc
	cat := &sc.Categories[i]
	cp := catPlan{name: cat.Name}
	base, err := cat.HandleTime.Build(sc.Dir)
	if err != nil {
		return cp, fmt.Errorf("category %q: handle_time: %w", cat.Name, err)
	}
	for _, t := range sc.Tiers {
		cp.handle = append(cp.handle, scaled(base, t.FactorFor(cat.Name)))
	}
	for _, ch := range sc.Channels {
		var dp deflectPlan
		if d := cat.Deflect; d != nil && model.Covers(d.Channels, ch.Name) {
			dp = deflectPlan{rate: d.Rate, fallback: d.Fallback, botTime: d.BotTime.Seconds(), cost: d.Cost}
		}
		cp.deflect = append(cp.deflect, dp)
	}
	for _, e := range cat.Escalate {
		st := escStep{from: -1, to: sc.TierIndex(e.To), p: e.P}
		if e.From != "" {
			st.from = sc.TierIndex(e.From)
		}
		if e.HandleTime != nil {
			d, err := e.HandleTime.Build(sc.Dir)
			if err != nil {
				return cp, fmt.Errorf("category %q: escalate.handle_time: %w", cat.Name, err)
			}
			st.handle = make([]model.Dist, len(sc.Tiers))
			for ti, t := range sc.Tiers {
				st.handle[ti] = scaled(d, t.FactorFor(cat.Name))
			}
		}
		cp.esc = append(cp.esc, st)
	}
	if r := cat.Reply; r != nil && r.P > 0 {
		d, err := r.After.Build(sc.Dir)
		if err != nil {
			return cp, fmt.Errorf("category %q: reply.after: %w", cat.Name, err)
		}
		cp.replyP, cp.replyIn = r.P, d
	}
	return cp, nil
}

func scaled(d model.Dist, f float64) model.Dist {
	if f == 1 {
		return d
	}
	return model.Scaled{D: d, Factor: f}
}
