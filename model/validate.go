package model

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// validator checks a decoded scenario, fills defaults and collects every
// problem with its line.
type validator struct {
	sc    *Scenario
	lines lineIndex
	ps    Problems
}

// bad records a problem at path (for the line), naming where and field.
func (v *validator) bad(path, where, field, format string, args ...any) {
	v.ps = append(v.ps, Problem{File: v.sc.File, Line: v.lines.line(path), Where: where, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// named checks the name of the i-th table of a kind (missing, or defined
// twice) and returns its key path and its label for messages.
func (v *validator) named(kind string, i int, name string, seen map[string]bool) (path, where string) {
	path = fmt.Sprintf("%s[%d]", kind, i)
	where = fmt.Sprintf("%s %q", kind, name)
	if name == "" {
		v.bad(path, "[["+kind+"]]", "name", "is missing")
	} else if err := checkName(name); err != nil {
		v.bad(path+".name", "[["+kind+"]]", "name", "%v", err)
		where = fmt.Sprintf("%s #%d", kind, i+1)
	} else if seen[name] {
		v.bad(path+".name", where, "", "is defined twice")
	}
	seen[name] = true
	return path, where
}

// Shares and probabilities.
var (
	unitLeftOpen = leftOpen(0, 1)
	unitClosed   = closed(0, 1)
	unitHalfOpen = halfOpen(0, 1)
)

// Limits that keep a run finite and its memory bounded.
const (
	maxReplications = 10000
	maxIntervals    = 200000
)

func (v *validator) validate() {
	if !v.counts() {
		return
	}
	v.meta()
	v.bands()
	v.profiles()
	v.channels()
	v.surges()
	v.peakRates()
	v.categories()
	v.priorities()
	v.tiers()
	v.shifts()
	v.shrinkage()
	v.businessHours()
	v.contracts()
}

func (v *validator) meta() {
	m := &v.sc.Meta
	const w = "[scenario]"
	if v.lines.at != nil && !v.lines.has("scenario") {
		v.bad("", w, "", "is missing: a scenario needs a [scenario] table with start and duration")
		return
	}
	if m.Name == "" {
		m.Name = v.sc.File
	} else if err := checkName(m.Name); err != nil {
		v.bad("scenario.name", w, "name", "%v", err)
	}
	if m.Start.IsZero() {
		v.bad("scenario.start", w, "start", "is missing (a TOML date-time, e.g. 2026-11-23T00:00:00-05:00)")
	} else if err := checkYear(m.Start); err != nil {
		v.bad("scenario.start", w, "start", "%v", err)
	}
	v.sc.Location = m.Start.Location()
	if m.TimeZone != "" {
		loc, err := time.LoadLocation(m.TimeZone)
		if err != nil {
			v.bad("scenario.timezone", w, "timezone", "%q is not a known time zone (want e.g. \"America/New_York\")", m.TimeZone)
		} else {
			v.sc.Location = loc
			m.Start = m.Start.In(loc)
		}
	}
	if m.Duration.Duration <= 0 {
		v.bad("scenario.duration", w, "duration", "must be positive (e.g. \"7d\")")
	} else if m.Duration.Duration > MaxDuration {
		v.bad("scenario.duration", w, "duration", "%s is longer than the limit of %s", FormatDuration(m.Duration.Duration), FormatDuration(MaxDuration))
	}
	if m.Warmup.Duration > MaxWarmup {
		v.bad("scenario.warmup", w, "warmup", "%s is longer than the limit of %s", FormatDuration(m.Warmup.Duration), FormatDuration(MaxWarmup))
	}
	if m.Interval.Duration == 0 {
		m.Interval.Duration = 30 * time.Minute
	}
	iv := m.Interval.Duration
	if iv < time.Minute || Day%iv != 0 {
		v.bad("scenario.interval", w, "interval", "%s must be at least 1m and divide a day evenly (e.g. \"15m\", \"30m\", \"1h\")", FormatDuration(iv))
	} else if m.Duration.Duration > 0 && int64(m.Duration.Duration/iv) > maxIntervals {
		v.bad("scenario.duration", w, "duration", "gives more than %d intervals; use a longer interval", maxIntervals)
	}
	if m.Replications == 0 {
		m.Replications = 10
	}
	if m.Replications < 1 || m.Replications > maxReplications {
		v.bad("scenario.replications", w, "replications", "%d is not in [1, %d]", m.Replications, maxReplications)
	}
}

func (v *validator) bands() {
	seen := map[string]bool{}
	for i := range v.sc.Bands {
		b := &v.sc.Bands[i]
		p, w := v.named("band", i, b.Name, seen)
		switch {
		case len(b.Annual) == 0 || len(b.Annual) > 2:
			v.bad(p+".annual", w, "annual", "must be [min, max] or [salary]")
		case !salary.has(b.Annual[0]) || !salary.has(b.Annual[len(b.Annual)-1]):
			v.bad(p+".annual", w, "annual", "%v: each salary must be in %s", b.Annual, salary)
		case b.Annual[len(b.Annual)-1] < b.Annual[0]:
			v.bad(p+".annual", w, "annual", "%v must have min ≤ max", b.Annual)
		}
		v.inSpan(p+".benefits", w, "benefits", b.Benefits, closed(0, 5))
		if b.PaidHours == 0 {
			b.PaidHours = 2080
		}
		v.inSpan(p+".paid_hours", w, "paid_hours", b.PaidHours, leftOpen(0, 8784))
	}
}

// salary is the range of an annual salary.
var salary = leftOpen(0, MaxSalary)

func (v *validator) sla(p, w string, s *SLA, live bool) {
	v.inSpan(p+".target", w, "sla.target", s.Target, unitLeftOpen)
	if s.Within.Duration > MaxDistMean {
		v.bad(p+".within", w, "sla.within", "%s is longer than %s", FormatDuration(s.Within.Duration), FormatDuration(MaxDistMean))
	}
	if s.Target == 1 && s.Within.Duration == 0 && live {
		v.bad(p+".target", w, "sla.target", "1 within 0s cannot be met by any staffing")
	}
	switch s.Clock {
	case "":
		s.Clock = ClockCalendar
	case ClockCalendar:
	case ClockBusiness:
		if v.sc.BusinessHours == nil {
			v.bad(p+".clock", w, "sla.clock", "\"business\" needs a [business_hours] table")
		}
	default:
		v.bad(p+".clock", w, "sla.clock", "%q is not calendar or business", s.Clock)
	}
	v.inSpan(p+".max_abandon", w, "sla.max_abandon", s.MaxAbandon, unitHalfOpen)
}

func (v *validator) categories() {
	if len(v.sc.Categories) == 0 {
		v.bad("", "", "", "no [[category]]: a scenario needs at least one category with a handle_time")
	}
	seen := map[string]bool{}
	for i := range v.sc.Categories {
		c := &v.sc.Categories[i]
		p, w := v.named("category", i, c.Name, seen)
		v.inSpan(p+".share", w, "share", c.Share, unitLeftOpen)
		v.channelList(p+".channels", w, "channels", c.Channels)
		if _, err := c.HandleTime.Build(v.sc.Dir); err != nil {
			v.bad(p+".handle_time", w, "handle_time", "%v", err)
		}
		if d := c.Deflect; d != nil {
			v.inSpan(p+".deflect", w, "deflect.rate", d.Rate, unitClosed)
			v.inSpan(p+".deflect", w, "deflect.fallback", d.Fallback, unitClosed)
			v.inSpan(p+".deflect", w, "deflect.cost", d.Cost, closed(0, MaxDeflectCost))
			if d.BotTime.Duration > MaxDistMean {
				v.bad(p+".deflect", w, "deflect.bot_time", "%s is longer than %s", FormatDuration(d.BotTime.Duration), FormatDuration(MaxDistMean))
			}
			v.channelList(p+".deflect", w, "deflect.channels", d.Channels)
		}
		for j := range c.Escalate {
			e := &c.Escalate[j]
			f := fmt.Sprintf("escalate[%d]", j)
			if len(c.Escalate) == 1 {
				f = "escalate"
			}
			if v.sc.TierIndex(e.To) < 0 {
				v.bad(p+".escalate", w, f+".to", "%q is not a [[tier]]", e.To)
			}
			if e.From != "" && v.sc.TierIndex(e.From) < 0 {
				v.bad(p+".escalate", w, f+".from", "%q is not a [[tier]]", e.From)
			}
			v.inSpan(p+".escalate", w, f+".p", e.P, unitClosed)
			if e.HandleTime != nil {
				if _, err := e.HandleTime.Build(v.sc.Dir); err != nil {
					v.bad(p+".escalate", w, f+".handle_time", "%v", err)
				}
			}
		}
		if r := c.Reply; r != nil {
			v.inSpan(p+".reply", w, "reply.p", r.P, unitHalfOpen)
			if _, err := r.After.Build(v.sc.Dir); err != nil {
				v.bad(p+".reply", w, "reply.after", "%v", err)
			}
		}
	}
	// Shares of the categories of each channel add up to 1.
	for _, ch := range v.sc.Channels {
		var sum float64
		first := ""
		for i, c := range v.sc.Categories {
			if Covers(c.Channels, ch.Name) {
				sum += c.Share
				if first == "" {
					first = fmt.Sprintf("category[%d].share", i)
				}
			}
		}
		if len(v.sc.Categories) > 0 && !(math.Abs(sum-1) <= 1e-6) {
			v.bad(first, fmt.Sprintf("channel %q", ch.Name), "", "category shares sum to %g; they must sum to 1", sum)
		}
	}
	v.escalationCycles()
}

// EntryTier is the tier a new ticket of the channel goes to: the first tier
// listed with the channel among its skills, or -1.
func (s *Scenario) EntryTier(channel string) int {
	for i := range s.Tiers {
		if s.Tiers[i].Skilled(channel) {
			return i
		}
	}
	return -1
}

// escalationCycles rejects escalation paths that come back to a tier.
func (v *validator) escalationCycles() {
	for i, c := range v.sc.Categories {
		if len(c.Escalate) == 0 {
			continue
		}
		for _, ch := range v.sc.Channels {
			if !Covers(c.Channels, ch.Name) {
				continue
			}
			cur := v.sc.EntryTier(ch.Name)
			if cur < 0 {
				continue
			}
			visited := map[int]bool{cur: true}
			for _, e := range c.Escalate {
				to := v.sc.TierIndex(e.To)
				if to < 0 {
					break
				}
				if e.From != "" {
					cur = v.sc.TierIndex(e.From)
					visited[cur] = true
				}
				if visited[to] {
					v.bad(fmt.Sprintf("category[%d].escalate", i), fmt.Sprintf("category %q", c.Name), "escalate",
						"path from %q (channel %q) comes back to tier %q: escalation paths must not have cycles",
						v.sc.Tiers[cur].Name, ch.Name, e.To)
					return
				}
				visited[to] = true
				cur = to
			}
		}
	}
}

func (v *validator) priorities() {
	seen := map[string]bool{}
	for i := range v.sc.Priorities {
		pr := &v.sc.Priorities[i]
		p, w := v.named("priority", i, pr.Name, seen)
		v.inSpan(p+".share", w, "share", pr.Share, unitLeftOpen)
		v.channelList(p+".channels", w, "channels", pr.Channels)
		if pr.SLA != nil {
			v.sla(p+".sla", w, pr.SLA, true)
		}
	}
	if len(v.sc.Priorities) == 0 {
		return
	}
	for _, ch := range v.sc.Channels {
		var sum float64
		n := 0
		for _, pr := range v.sc.Priorities {
			if Covers(pr.Channels, ch.Name) {
				sum += pr.Share
				n++
			}
		}
		if n > 0 && !(math.Abs(sum-1) <= 1e-6) {
			v.bad("priority[0].share", fmt.Sprintf("channel %q", ch.Name), "", "priority shares sum to %g; they must sum to 1", sum)
		}
	}
}

// categoryFactors checks a tier's category_handle_factor: known categories,
// factors in (0, 20], reported in the categories' order.
func (v *validator) categoryFactors(p, w string, t *Tier) {
	known := map[string]bool{}
	for _, c := range v.sc.Categories {
		known[c.Name] = true
	}
	cats := make([]string, 0, len(t.CategoryHandleFactor))
	for c := range t.CategoryHandleFactor {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		if !known[c] {
			v.bad(p+".category_handle_factor", w, "category_handle_factor", "names %q, which is not a [[category]]", c)
			continue
		}
		v.inSpan(p+".category_handle_factor", w, "category_handle_factor."+c, t.CategoryHandleFactor[c], leftOpen(0, 20))
	}
}

func (v *validator) tiers() {
	if len(v.sc.Tiers) == 0 {
		v.bad("", "", "", "no [[tier]]: a scenario needs at least one tier of agents")
	}
	seen := map[string]bool{}
	for i := range v.sc.Tiers {
		t := &v.sc.Tiers[i]
		p, w := v.named("tier", i, t.Name, seen)
		if len(t.Skills) == 0 {
			v.bad(p, w, "skills", "is missing: name the channels the tier serves")
		}
		v.channelList(p+".skills", w, "skills", t.Skills)
		for ch, n := range t.Concurrency {
			ci := v.sc.ChannelIndex(ch)
			switch {
			case ci < 0:
				v.bad(p+".concurrency", w, "concurrency", "names %q, which is not a [[channel]]", ch)
			case n < 1 || n > 20:
				v.bad(p+".concurrency", w, "concurrency."+ch, "%d is not in [1, 20]", n)
			case n > 1 && v.sc.Channels[ci].Mode != ModeConcurrent:
				v.bad(p+".concurrency", w, "concurrency."+ch, "is %d but channel %q is not concurrent", n, ch)
			}
		}
		if t.HandleFactor == 0 {
			t.HandleFactor = 1
		}
		v.inSpan(p+".handle_factor", w, "handle_factor", t.HandleFactor, leftOpen(0, 20))
		v.categoryFactors(p, w, t)
		if t.TicketShare == 0 {
			t.TicketShare = 1
		}
		v.inSpan(p+".ticket_share", w, "ticket_share", t.TicketShare, unitLeftOpen)
		v.inSpan(p+".deferred_share", w, "deferred_share", t.DeferredShare, unitHalfOpen)
		v.protectLive(p, w, t)
		if t.Band != "" && v.sc.BandIndex(t.Band) < 0 {
			v.bad(p+".band", w, "band", "%q is not a [[band]]", t.Band)
		}
		if t.Annual != 0 {
			v.inSpan(p+".annual", w, "annual", t.Annual, salary)
		}
		if t.SLA != nil {
			v.sla(p+".sla", w, t.SLA, true)
			if t.SLA.MaxAbandon != 0 {
				v.bad(p+".sla", w, "sla.max_abandon", "does not apply to a tier: escalated tickets do not abandon")
			}
		}
	}
	for i, ch := range v.sc.Channels {
		if len(v.sc.Tiers) > 0 && v.sc.EntryTier(ch.Name) < 0 {
			v.bad(fmt.Sprintf("channel[%d]", i), fmt.Sprintf("channel %q", ch.Name), "", "no tier has it among its skills")
		}
	}
}

func (v *validator) shrinkage() {
	s := v.sc.Shrinkage
	for _, f := range []struct {
		name string
		x    float64
	}{{"pto", s.PTO}, {"sick", s.Sick}, {"training", s.Training}, {"other", s.Other}} {
		v.inSpan("shrinkage."+f.name, "[shrinkage]", f.name, f.x, unitHalfOpen)
	}
	if s.Total() >= 1 {
		v.bad("shrinkage", "[shrinkage]", "", "shares sum to %g; they must sum to less than 1", s.Total())
	}
}

func (v *validator) businessHours() {
	b := v.sc.BusinessHours
	if b == nil {
		return
	}
	const w = "[business_hours]"
	if b.Days.IsZero() {
		b.Days, _ = ParseDaySet("mon-fri")
	}
	if !b.Open.Set {
		v.bad("business_hours", w, "open", "is missing (e.g. \"09:00\")")
	}
	if !b.Close.Set {
		v.bad("business_hours", w, "close", "is missing (e.g. \"17:00\")")
	}
	if b.Open.Set && b.Close.Set && b.Open.Offset >= b.Close.Offset {
		v.bad("business_hours.close", w, "close", "%s must be after open %s", b.Close, b.Open)
	}
}

// protectLive checks a tier's protect_live: a count of agents, for a tier
// that serves both live and deferred channels.
func (v *validator) protectLive(p, w string, t *Tier) {
	if t.ProtectLive == 0 {
		return
	}
	if t.ProtectLive < 0 || t.ProtectLive > 10000 {
		v.bad(p+".protect_live", w, "protect_live", "%d is not in [0, 10000]", t.ProtectLive)
		return
	}
	var live, deferred bool
	for _, ch := range t.Skills {
		if i := v.sc.ChannelIndex(ch); i >= 0 {
			live = live || v.sc.Channels[i].Live()
			deferred = deferred || !v.sc.Channels[i].Live()
		}
	}
	if !live || !deferred {
		v.bad(p+".protect_live", w, "protect_live", "applies to a tier skilled for both live and deferred channels")
	}
}
