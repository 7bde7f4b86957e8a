package model

import (
	"fmt"
	"math"
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
	} else if seen[name] {
		v.bad(path+".name", where, "", "is defined twice")
	}
	seen[name] = true
	return path, where
}

func inUnit(x float64) bool       { return x > 0 && x <= 1 }
func inUnitClosed(x float64) bool { return x >= 0 && x <= 1 }

// Limits that keep a run finite and its memory bounded.
const (
	maxReplications = 10000
	maxIntervals    = 200000
)

func (v *validator) validate() {
	v.meta()
	v.bands()
	v.profiles()
	v.channels()
	v.surges()
	v.categories()
	v.priorities()
	v.tiers()
	v.shifts()
	v.shrinkage()
	v.businessHours()
}

func (v *validator) meta() {
	m := &v.sc.Meta
	const w = "[scenario]"
	if _, ok := v.lines["scenario"]; !ok && v.lines != nil {
		v.bad("", w, "", "is missing: a scenario needs a [scenario] table with start and duration")
		return
	}
	if m.Name == "" {
		m.Name = v.sc.File
	}
	if m.Start.IsZero() {
		v.bad("scenario.start", w, "start", "is missing (a TOML date-time, e.g. 2026-11-23T00:00:00-05:00)")
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
		case b.Annual[0] <= 0 || b.Annual[len(b.Annual)-1] < b.Annual[0]:
			v.bad(p+".annual", w, "annual", "%v must be positive with min ≤ max", b.Annual)
		}
		if b.Benefits < 0 || b.Benefits > 5 {
			v.bad(p+".benefits", w, "benefits", "%g is not in [0, 5]", b.Benefits)
		}
		if b.PaidHours == 0 {
			b.PaidHours = 2080
		}
		if b.PaidHours < 0 || b.PaidHours > 8784 {
			v.bad(p+".paid_hours", w, "paid_hours", "%g is not in (0, 8784]", b.PaidHours)
		}
	}
}

func (v *validator) profiles() {
	seen := map[string]bool{}
	for i := range v.sc.Profiles {
		pr := &v.sc.Profiles[i]
		p, w := v.named("profile", i, pr.Name, seen)
		if len(pr.Intraday) == 0 {
			pr.Intraday = []float64{1}
		}
		var sum float64
		for _, x := range pr.Intraday {
			if x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
				v.bad(p+".intraday", w, "intraday", "has %g: multipliers must be finite and ≥ 0", x)
			}
			sum += x
		}
		if sum <= 0 {
			v.bad(p+".intraday", w, "intraday", "is all zeros")
		}
		if len(pr.Weekly) == 0 {
			pr.Weekly = []float64{1, 1, 1, 1, 1, 1, 1}
		} else if len(pr.Weekly) != 7 {
			v.bad(p+".weekly", w, "weekly", "has %d values; want 7 (Monday to Sunday)", len(pr.Weekly))
		}
		for _, x := range pr.Weekly {
			if x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
				v.bad(p+".weekly", w, "weekly", "has %g: multipliers must be finite and ≥ 0", x)
			}
		}
	}
}

func (v *validator) sla(p, w string, s *SLA, live bool) {
	if !inUnit(s.Target) {
		v.bad(p+".target", w, "sla.target", "%g is not in (0,1]", s.Target)
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
	if s.MaxAbandon < 0 || s.MaxAbandon >= 1 {
		v.bad(p+".max_abandon", w, "sla.max_abandon", "%g is not in [0,1)", s.MaxAbandon)
	}
}

func (v *validator) channels() {
	if len(v.sc.Channels) == 0 {
		v.bad("", "", "", "no [[channel]]: a scenario needs at least one channel")
	}
	seen := map[string]bool{}
	for i := range v.sc.Channels {
		c := &v.sc.Channels[i]
		p, w := v.named("channel", i, c.Name, seen)
		switch c.Mode {
		case ModeSync, ModeConcurrent, ModeDeferred:
		case "":
			v.bad(p, w, "mode", "is missing (sync, concurrent or deferred)")
		default:
			v.bad(p+".mode", w, "mode", "%q is not sync, concurrent or deferred", c.Mode)
		}
		if c.Rate.PerSecond <= 0 {
			v.bad(p, w, "rate", "is missing (e.g. \"120/h\")")
		}
		if c.Profile != "" && v.sc.ProfileIndex(c.Profile) < 0 {
			v.bad(p+".profile", w, "profile", "%q is not a [[profile]]", c.Profile)
		}
		if c.Patience != nil {
			if !c.Live() {
				v.bad(p+".patience", w, "patience", "applies only to live (sync, concurrent) channels")
			} else if _, err := c.Patience.Build(v.sc.Dir); err != nil {
				v.bad(p+".patience", w, "patience", "%v", err)
			}
		}
		if _, ok := v.lines[p+".sla"]; !ok && v.lines != nil {
			v.bad(p, w, "sla", "is missing (e.g. { target = 0.80, within = \"20s\" })")
		} else {
			v.sla(p+".sla", w, &c.SLA, c.Live())
		}
		if c.Stretch == 0 {
			c.Stretch = 1
		}
		if c.Stretch < 1 || c.Stretch > 10 {
			v.bad(p+".stretch", w, "stretch", "%g is not in [1, 10]", c.Stretch)
		}
		if c.ForecastCV < 0 || c.ForecastCV > 2 {
			v.bad(p+".forecast_cv", w, "forecast_cv", "%g is not in [0, 2]", c.ForecastCV)
		}
	}
}

// channelList checks that names are channels.
func (v *validator) channelList(p, w, field string, names []string) {
	for _, n := range names {
		if v.sc.ChannelIndex(n) < 0 {
			v.bad(p, w, field, "names %q, which is not a [[channel]]", n)
		}
	}
}

func (v *validator) surges() {
	for i := range v.sc.Surges {
		s := &v.sc.Surges[i]
		p := fmt.Sprintf("surge[%d]", i)
		w := fmt.Sprintf("surge %q", s.Name)
		if s.From.IsZero() || s.To.IsZero() || !s.From.Before(s.To) {
			v.bad(p+".to", w, "from/to", "must be two date-times with from before to")
		}
		if !(s.Factor >= 0) || math.IsInf(s.Factor, 0) {
			v.bad(p+".factor", w, "factor", "%g must be ≥ 0", s.Factor)
		}
		v.channelList(p+".channels", w, "channels", s.Channels)
	}
}

// Covers reports whether a list of channel names (empty meaning all
// channels, as in a category's or surge's `channels` key) holds c.
func Covers(list []string, c string) bool {
	if len(list) == 0 {
		return true
	}
	for _, x := range list {
		if x == c {
			return true
		}
	}
	return false
}

func (v *validator) categories() {
	if len(v.sc.Categories) == 0 {
		v.bad("", "", "", "no [[category]]: a scenario needs at least one category with a handle_time")
	}
	seen := map[string]bool{}
	for i := range v.sc.Categories {
		c := &v.sc.Categories[i]
		p, w := v.named("category", i, c.Name, seen)
		if !inUnit(c.Share) {
			v.bad(p+".share", w, "share", "%g is not in (0,1]", c.Share)
		}
		v.channelList(p+".channels", w, "channels", c.Channels)
		if _, err := c.HandleTime.Build(v.sc.Dir); err != nil {
			v.bad(p+".handle_time", w, "handle_time", "%v", err)
		}
		if d := c.Deflect; d != nil {
			if !inUnitClosed(d.Rate) {
				v.bad(p+".deflect", w, "deflect.rate", "%g is not in [0,1]", d.Rate)
			}
			if !inUnitClosed(d.Fallback) {
				v.bad(p+".deflect", w, "deflect.fallback", "%g is not in [0,1]", d.Fallback)
			}
			if d.Cost < 0 {
				v.bad(p+".deflect", w, "deflect.cost", "%g must be ≥ 0", d.Cost)
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
			if !inUnitClosed(e.P) {
				v.bad(p+".escalate", w, f+".p", "%g is not in [0,1]", e.P)
			}
			if e.HandleTime != nil {
				if _, err := e.HandleTime.Build(v.sc.Dir); err != nil {
					v.bad(p+".escalate", w, f+".handle_time", "%v", err)
				}
			}
		}
		if r := c.Reply; r != nil {
			if r.P < 0 || r.P >= 1 {
				v.bad(p+".reply", w, "reply.p", "%g is not in [0,1)", r.P)
			}
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
		if len(v.sc.Categories) > 0 && math.Abs(sum-1) > 1e-6 {
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
		if !inUnit(pr.Share) {
			v.bad(p+".share", w, "share", "%g is not in (0,1]", pr.Share)
		}
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
		if n > 0 && math.Abs(sum-1) > 1e-6 {
			v.bad("priority[0].share", fmt.Sprintf("channel %q", ch.Name), "", "priority shares sum to %g; they must sum to 1", sum)
		}
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
		if t.HandleFactor < 0 || t.HandleFactor > 20 {
			v.bad(p+".handle_factor", w, "handle_factor", "%g is not in (0, 20]", t.HandleFactor)
		}
		if t.TicketShare == 0 {
			t.TicketShare = 1
		}
		if !inUnit(t.TicketShare) {
			v.bad(p+".ticket_share", w, "ticket_share", "%g is not in (0,1]", t.TicketShare)
		}
		if t.DeferredShare < 0 || t.DeferredShare >= 1 {
			v.bad(p+".deferred_share", w, "deferred_share", "%g is not in [0,1)", t.DeferredShare)
		}
		v.protectLive(p, w, t)
		if t.Band != "" && v.sc.BandIndex(t.Band) < 0 {
			v.bad(p+".band", w, "band", "%q is not a [[band]]", t.Band)
		}
		if t.Annual < 0 {
			v.bad(p+".annual", w, "annual", "%g must be ≥ 0", t.Annual)
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

func (v *validator) shifts() {
	for i := range v.sc.Shifts {
		s := &v.sc.Shifts[i]
		p := fmt.Sprintf("shift[%d]", i)
		w := fmt.Sprintf("shift %q", s.Name)
		if s.Name == "" {
			w = fmt.Sprintf("shift #%d", i+1)
		}
		if s.Tier == "" {
			v.bad(p, w, "tier", "is missing: say which [[tier]] works this shift")
		} else if v.sc.TierIndex(s.Tier) < 0 {
			v.bad(p+".tier", w, "tier", "%q is not a [[tier]]", s.Tier)
		}
		switch {
		case len(s.Dates) > 0 && s.Days != "":
			v.bad(p+".dates", w, "dates", "and days are both given: a shift runs on a pattern of days or on listed dates")
		case len(s.Dates) > 0:
		default:
			if s.Days == "" {
				s.Days = "daily"
			}
			if _, err := ParseDays(s.Days); err != nil {
				v.bad(p+".days", w, "days", "%v", err)
			}
		}
		if _, err := ParseClock(s.Start); err != nil {
			v.bad(p+".start", w, "start", "%v", err)
		}
		if s.Length.Duration <= 0 || s.Length.Duration > Day {
			v.bad(p+".length", w, "length", "must be in (0, 24h]")
		}
		for j, b := range s.Breaks {
			if b.Length.Duration <= 0 || b.After.Duration+b.Length.Duration > s.Length.Duration {
				v.bad(p+".breaks", w, fmt.Sprintf("breaks[%d]", j), "must have a positive length and end within the shift")
			}
		}
		if s.Headcount < 0 || s.Headcount > 100000 {
			v.bad(p+".headcount", w, "headcount", "%d is not in [0, 100000]", s.Headcount)
		}
		if s.Stagger == nil {
			s.Stagger = &Duration{30 * time.Minute}
		}
	}
}

func (v *validator) shrinkage() {
	s := v.sc.Shrinkage
	for _, f := range []struct {
		name string
		x    float64
	}{{"pto", s.PTO}, {"sick", s.Sick}, {"training", s.Training}, {"other", s.Other}} {
		if f.x < 0 || f.x >= 1 {
			v.bad("shrinkage."+f.name, "[shrinkage]", f.name, "%g is not in [0,1)", f.x)
		}
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
	if b.Days == "" {
		b.Days = "mon-fri"
	}
	if _, err := ParseDays(b.Days); err != nil {
		v.bad("business_hours.days", w, "days", "%v", err)
	}
	o, err1 := ParseClock(b.Open)
	c, err2 := ParseClock(b.Close)
	if err1 != nil {
		v.bad("business_hours.open", w, "open", "%v", err1)
	}
	if err2 != nil {
		v.bad("business_hours.close", w, "close", "%v", err2)
	}
	if err1 == nil && err2 == nil && o >= c {
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
