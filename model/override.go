package model

import (
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"
)

// Set applies a what-if override addressed by names, then validates the
// scenario again. Keys are the scenario file's keys, with the table's name
// in place of the array index:
//
//	scenario.replications=50          scenario.seed=3   scenario.duration=2d
//	channel.chat.rate=200/h           channel.phone.sla.target=0.85
//	channel.phone.sla.within=30s      channel.phone.patience.mean=4m
//	category.returns.deflect.rate=0.5 category.returns.handle_time.mean=6m
//	tier.representative.concurrency.chat=4 tier.specialist.category_handle_factor.bug=1.5
//	shift.early.headcount=46          shift.early.start=07:00
//	band.representative.annual=52000  priority.vip.share=0.2
//	surge.black-friday.factor=4       shrinkage.sick=0.05
//
// A shift name shared by several tiers is addressed as
// shift.TIER/NAME.headcount. An unknown key or a bad value is an error that
// names it and says what is accepted.
func (s *Scenario) Set(key, value string) error {
	key, value = strings.TrimSpace(key), strings.TrimSpace(value)
	if err := s.set(key, value); err != nil {
		return &OverrideError{Key: key, Value: value, Err: err}
	}
	if err := s.Validate(); err != nil {
		return &OverrideError{Key: key, Value: value, Err: err}
	}
	return nil
}

// OverrideError is a what-if override (--set key=value) that could not be
// applied: an unknown key, a bad value, or a scenario the change makes
// invalid (Err is then the Problems found).
type OverrideError struct {
	Key, Value string
	Err        error
}

func (e *OverrideError) Error() string { return fmt.Sprintf("--set %s=%s: %v", e.Key, e.Value, e.Err) }

// Unwrap gives the underlying error.
func (e *OverrideError) Unwrap() error { return e.Err }

func (s *Scenario) set(key, value string) error {
	kind, rest, _ := strings.Cut(key, ".")
	switch kind {
	case "scenario":
		return s.setMeta(rest, value)
	case "shrinkage":
		return setShrinkage(&s.Shrinkage, rest, value)
	case "channel", "category", "tier", "shift", "band", "priority", "surge", "profile":
	default:
		return fmt.Errorf("unknown key: %q is not one of scenario, channel, category, tier, shift, band, priority, surge, profile, shrinkage", kind)
	}
	names := s.names(kind)
	// The longest name that prefixes rest wins, so names may hold dots.
	idx, field := -1, ""
	for i, n := range names {
		if strings.HasPrefix(rest, n+".") && (idx < 0 || len(n) > len(names[idx])) {
			idx, field = i, rest[len(n)+1:]
		}
	}
	if idx < 0 {
		var plain []string
		for _, n := range unique(names) {
			if kind != "shift" || !strings.Contains(n, "/") {
				plain = append(plain, n)
			}
		}
		name, _, _ := strings.Cut(rest, ".")
		return fmt.Errorf("unknown key: no %s named %q (%s: %s)", kind, name, plural[kind], strings.Join(plain, ", "))
	}
	if kind == "shift" {
		return s.setShift(names[idx], field, value)
	}
	switch kind {
	case "channel":
		return setChannel(&s.Channels[idx], field, value)
	case "category":
		return setCategory(&s.Categories[idx], field, value)
	case "tier":
		return setTier(&s.Tiers[idx], field, value)
	case "band":
		return setBand(&s.Bands[idx], field, value)
	case "priority":
		return setPriority(&s.Priorities[idx], field, value)
	case "surge":
		return setSurge(&s.Surges[idx], field, value)
	default: // profile
		return setProfile(&s.Profiles[idx], field, value)
	}
}

// plural names the tables of a kind in messages.
var plural = map[string]string{
	"channel": "channels", "category": "categories", "tier": "tiers", "shift": "shifts",
	"band": "bands", "priority": "priorities", "surge": "surges", "profile": "profiles",
}

// names lists the names of the tables of a kind, in file order; shifts are
// listed both as NAME and TIER/NAME.
func (s *Scenario) names(kind string) []string {
	var ns []string
	switch kind {
	case "channel":
		for _, x := range s.Channels {
			ns = append(ns, x.Name)
		}
	case "category":
		for _, x := range s.Categories {
			ns = append(ns, x.Name)
		}
	case "tier":
		for _, x := range s.Tiers {
			ns = append(ns, x.Name)
		}
	case "shift":
		for _, x := range s.Shifts {
			ns = append(ns, x.Name)
		}
		for _, x := range s.Shifts {
			ns = append(ns, x.Tier+"/"+x.Name)
		}
	case "band":
		for _, x := range s.Bands {
			ns = append(ns, x.Name)
		}
	case "priority":
		for _, x := range s.Priorities {
			ns = append(ns, x.Name)
		}
	case "surge":
		for _, x := range s.Surges {
			ns = append(ns, x.Name)
		}
	case "profile":
		for _, x := range s.Profiles {
			ns = append(ns, x.Name)
		}
	}
	return ns
}

func unique(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

var errUnknownField = errors.New("unknown key")

// fieldError says which fields a table accepts.
func fieldError(what, field string, known ...string) error {
	return fmt.Errorf("%w: %s has no field %q (known: %s)", errUnknownField, what, field, strings.Join(known, ", "))
}

func parseFloat(v string) (float64, error) {
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", v)
	}
	return x, nil
}

func parseInt(v string) (int, error) {
	x, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number", v)
	}
	return x, nil
}

func parseDur(v string) (Duration, error) {
	d, err := ParseDuration(v)
	return Duration{d}, err
}

func parseTime(v string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date-time (want e.g. 2026-11-27T00:00:00-05:00)", v)
}

func parseList(v string) []string {
	v = strings.Trim(v, "[]")
	var out []string
	for _, x := range strings.Split(v, ",") {
		if x = strings.Trim(strings.TrimSpace(x), `"`); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func parseFloats(v string) ([]float64, error) {
	var out []float64
	for _, x := range parseList(v) {
		f, err := parseFloat(x)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

func (s *Scenario) setMeta(field, v string) error {
	m := &s.Meta
	var err error
	switch field {
	case "name":
		m.Name = v
	case "start":
		m.Start, err = parseTime(v)
	case "timezone":
		m.TimeZone = v
	case "duration":
		m.Duration, err = parseDur(v)
	case "interval":
		m.Interval, err = parseDur(v)
	case "warmup":
		m.Warmup, err = parseDur(v)
	case "seed":
		m.Seed, err = strconv.ParseUint(v, 10, 64)
		if err != nil {
			err = fmt.Errorf("%q is not a seed (a whole number ≥ 0)", v)
		}
	case "replications":
		m.Replications, err = parseInt(v)
	default:
		return fieldError("[scenario]", field, "name", "start", "timezone", "duration", "interval", "warmup", "seed", "replications")
	}
	return err
}

func setShrinkage(sh *Shrinkage, field, v string) error {
	x, err := parseFloat(v)
	if err != nil {
		return err
	}
	switch field {
	case "pto":
		sh.PTO = x
	case "sick":
		sh.Sick = x
	case "training":
		sh.Training = x
	case "other":
		sh.Other = x
	default:
		return fieldError("[shrinkage]", field, "pto", "sick", "training", "other")
	}
	return nil
}

// setDist sets a field of a distribution: dist, mean, cv, value, file.
func setDist(d *DistSpec, what, field, v string) error {
	var err error
	switch field {
	case "dist":
		d.Dist = v
	case "mean":
		d.Mean, err = parseDur(v)
	case "cv":
		d.CV, err = parseFloat(v)
	case "value":
		d.Value, err = parseDur(v)
	case "file":
		d.File = v
	default:
		return fieldError(what, field, "dist", "mean", "cv", "value", "file")
	}
	return err
}

func setSLA(sl *SLA, what, field, v string) error {
	var err error
	switch field {
	case "target":
		sl.Target, err = parseFloat(v)
	case "within":
		sl.Within, err = parseDur(v)
	case "clock":
		sl.Clock = v
	case "max_abandon":
		sl.MaxAbandon, err = parseFloat(v)
	default:
		return fieldError(what+" sla", field, "target", "within", "clock", "max_abandon")
	}
	return err
}

func setChannel(c *Channel, field, v string) error {
	what := fmt.Sprintf("channel %q", c.Name)
	var err error
	switch {
	case field == "rate":
		c.Rate.PerSecond, err = ParseRate(v)
	case field == "mode":
		c.Mode = v
	case field == "profile":
		c.Profile = v
	case field == "stretch":
		c.Stretch, err = parseFloat(v)
	case field == "forecast_cv":
		c.ForecastCV, err = parseFloat(v)
	case field == "patience" && (v == "none" || v == ""):
		c.Patience = nil
	case strings.HasPrefix(field, "patience."):
		if c.Patience == nil {
			c.Patience = &DistSpec{Dist: "exponential"}
		}
		err = setDist(c.Patience, what+" patience", strings.TrimPrefix(field, "patience."), v)
	case strings.HasPrefix(field, "sla."):
		err = setSLA(&c.SLA, what, strings.TrimPrefix(field, "sla."), v)
	default:
		return fieldError(what, field, "rate", "mode", "profile", "stretch", "forecast_cv", "patience.mean (…)", "sla.target", "sla.within", "sla.clock", "sla.max_abandon")
	}
	return err
}

func setCategory(c *Category, field, v string) error {
	what := fmt.Sprintf("category %q", c.Name)
	var err error
	switch {
	case field == "share":
		c.Share, err = parseFloat(v)
	case field == "channels":
		c.Channels = parseList(v)
	case strings.HasPrefix(field, "handle_time."):
		err = setDist(&c.HandleTime, what+" handle_time", strings.TrimPrefix(field, "handle_time."), v)
	case field == "deflect" && (v == "none" || v == ""):
		c.Deflect = nil
	case strings.HasPrefix(field, "deflect."):
		if c.Deflect == nil {
			c.Deflect = &Deflect{}
		}
		d := c.Deflect
		switch f := strings.TrimPrefix(field, "deflect."); f {
		case "rate":
			d.Rate, err = parseFloat(v)
		case "bot_time":
			d.BotTime, err = parseDur(v)
		case "fallback":
			d.Fallback, err = parseFloat(v)
		case "cost":
			d.Cost, err = parseFloat(v)
		case "channels":
			d.Channels = parseList(v)
		default:
			return fieldError(what+" deflect", f, "rate", "bot_time", "fallback", "cost", "channels")
		}
	case strings.HasPrefix(field, "escalate."):
		f := strings.TrimPrefix(field, "escalate.")
		// escalate.p (a single step) or escalate.N.p
		i := 0
		if n, rest, ok := strings.Cut(f, "."); ok {
			if k, e := strconv.Atoi(n); e == nil {
				i, f = k, rest
			}
		}
		if i < 0 || i >= len(c.Escalate) {
			return fmt.Errorf("%s has %d escalation steps; there is no step %d", what, len(c.Escalate), i)
		}
		e := &c.Escalate[i]
		switch f {
		case "p":
			e.P, err = parseFloat(v)
		case "to":
			e.To = v
		default:
			return fieldError(what+" escalate", f, "p", "to")
		}
	case strings.HasPrefix(field, "reply."):
		if c.Reply == nil {
			return fmt.Errorf("%s has no reply table to change", what)
		}
		switch f := strings.TrimPrefix(field, "reply."); {
		case f == "p":
			c.Reply.P, err = parseFloat(v)
		case strings.HasPrefix(f, "after."):
			err = setDist(&c.Reply.After, what+" reply.after", strings.TrimPrefix(f, "after."), v)
		default:
			return fieldError(what+" reply", f, "p", "after.mean (…)")
		}
	default:
		return fieldError(what, field, "share", "channels", "handle_time.mean (…)", "deflect.rate", "deflect.bot_time", "deflect.fallback", "deflect.cost", "escalate.p", "reply.p")
	}
	return err
}

func setTier(t *Tier, field, v string) error {
	what := fmt.Sprintf("tier %q", t.Name)
	var err error
	switch {
	case strings.HasPrefix(field, "concurrency."):
		ch := strings.TrimPrefix(field, "concurrency.")
		n, e := parseInt(v)
		if e != nil {
			return e
		}
		if t.Concurrency == nil {
			t.Concurrency = map[string]int{}
		} else {
			m := make(map[string]int, len(t.Concurrency)+1)
			for k, x := range t.Concurrency {
				m[k] = x
			}
			t.Concurrency = m
		}
		t.Concurrency[ch] = n
	case strings.HasPrefix(field, "category_handle_factor."):
		f, e := parseFloat(v)
		if e != nil {
			return e
		}
		m := maps.Clone(t.CategoryHandleFactor) // the map may be shared with the scenario it was copied from
		if m == nil {
			m = map[string]float64{}
		}
		m[strings.TrimPrefix(field, "category_handle_factor.")] = f
		t.CategoryHandleFactor = m
	case field == "skills":
		t.Skills = parseList(v)
	case field == "handle_factor":
		t.HandleFactor, err = parseFloat(v)
	case field == "ticket_share":
		t.TicketShare, err = parseFloat(v)
	case field == "deferred_share":
		t.DeferredShare, err = parseFloat(v)
	case field == "protect_live":
		t.ProtectLive, err = parseInt(v)
	case field == "band":
		t.Band = v
	case field == "annual":
		t.Annual, err = parseFloat(v)
	default:
		return fieldError(what, field, "concurrency.CHANNEL", "skills", "handle_factor", "category_handle_factor.CATEGORY", "ticket_share", "deferred_share", "protect_live", "band", "annual")
	}
	return err
}

// setShift sets a field of the shift named name ("NAME" or "TIER/NAME");
// a plain name shared by shifts of several tiers is ambiguous.
func (s *Scenario) setShift(name, field, v string) error {
	var idx []int
	for i, sh := range s.Shifts {
		if sh.Name == name || sh.Tier+"/"+sh.Name == name {
			idx = append(idx, i)
		}
	}
	if len(idx) > 1 {
		var alts []string
		for _, i := range idx {
			alts = append(alts, "shift."+s.Shifts[i].Tier+"/"+s.Shifts[i].Name+"."+field)
		}
		return fmt.Errorf("%d shifts are named %q; say which: %s", len(idx), name, strings.Join(alts, ", "))
	}
	sh := &s.Shifts[idx[0]]
	var err error
	switch field {
	case "headcount":
		sh.Headcount, err = parseInt(v)
	case "start":
		err = sh.Start.UnmarshalText([]byte(v))
	case "length":
		sh.Length, err = parseDur(v)
	case "days":
		err = sh.Days.UnmarshalText([]byte(v))
	case "tier":
		sh.Tier = v
	case "stagger":
		var d Duration
		d, err = parseDur(v)
		sh.Stagger = &d
	default:
		return fieldError(fmt.Sprintf("shift %q", name), field, "headcount", "start", "length", "days", "tier", "stagger")
	}
	return err
}

func setBand(b *Band, field, v string) error {
	var err error
	switch field {
	case "annual":
		b.Annual, err = parseFloats(v)
	case "benefits":
		b.Benefits, err = parseFloat(v)
	case "paid_hours":
		b.PaidHours, err = parseFloat(v)
	default:
		return fieldError(fmt.Sprintf("band %q", b.Name), field, "annual", "benefits", "paid_hours")
	}
	return err
}

func setPriority(p *Priority, field, v string) error {
	what := fmt.Sprintf("priority %q", p.Name)
	var err error
	switch {
	case field == "share":
		p.Share, err = parseFloat(v)
	case field == "channels":
		p.Channels = parseList(v)
	case strings.HasPrefix(field, "sla."):
		if p.SLA == nil {
			p.SLA = &SLA{}
		}
		err = setSLA(p.SLA, what, strings.TrimPrefix(field, "sla."), v)
	default:
		return fieldError(what, field, "share", "channels", "sla.target", "sla.within")
	}
	return err
}

func setSurge(s *Surge, field, v string) error {
	var err error
	switch field {
	case "factor":
		s.Factor, err = parseFloat(v)
	case "from":
		s.From, err = parseTime(v)
	case "to":
		s.To, err = parseTime(v)
	case "channels":
		s.Channels = parseList(v)
	default:
		return fieldError(fmt.Sprintf("surge %q", s.Name), field, "factor", "from", "to", "channels")
	}
	return err
}

func setProfile(p *Profile, field, v string) error {
	var err error
	switch field {
	case "intraday":
		p.Intraday, err = parseFloats(v)
	case "weekly":
		p.Weekly, err = parseFloats(v)
	default:
		return fieldError(fmt.Sprintf("profile %q", p.Name), field, "intraday", "weekly")
	}
	return err
}
