package model

import (
	"time"
)

// Channel modes.
const (
	// ModeSync is a live contact whose customer waits on the line and may
	// abandon (phone).
	ModeSync = "sync"
	// ModeConcurrent is a live contact of which an agent holds several at
	// once (chat).
	ModeConcurrent = "concurrent"
	// ModeDeferred is an asynchronous contact answered from a backlog
	// (email, social, SMS): no abandonment, an SLA on first response.
	ModeDeferred = "deferred"
)

// SLA clocks for deferred channels.
const (
	ClockCalendar = "calendar"
	ClockBusiness = "business"
)

// Scenario is a support organisation over a period: its channels and their
// volumes, the kinds of tickets, the tiers of agents and their rotas, and
// what it all costs. A Scenario returned by Load is validated; treat it as
// read-only.
type Scenario struct {
	// File is the path the scenario was read from; Dir its folder.
	File string `toml:"-"`
	Dir  string `toml:"-"`

	Meta          Meta           `toml:"scenario"`
	Channels      []Channel      `toml:"channel"`
	Profiles      []Profile      `toml:"profile"`
	Surges        []Surge        `toml:"surge"`
	Categories    []Category     `toml:"category"`
	Priorities    []Priority     `toml:"priority"`
	Tiers         []Tier         `toml:"tier"`
	Shifts        []Shift        `toml:"shift"`
	Shrinkage     Shrinkage      `toml:"shrinkage"`
	Bands         []Band         `toml:"band"`
	BusinessHours *BusinessHours `toml:"business_hours"`
	// Contracts and Openings rule what a planned roster may use (contract.go).
	Contracts []Contract `toml:"contract"`
	Openings  []Opening  `toml:"opening"`

	// Location is the scenario's time zone: Meta.TimeZone if given,
	// otherwise the offset of Meta.Start.
	Location *time.Location `toml:"-"`

	// valid is set when validation passed; lines locates keys in the file
	// it was parsed from, so revalidation never reads the disk again.
	valid bool
	lines lineIndex
}

// Validated reports whether the scenario passed validation (Load, Parse or
// Validate) and so carries its defaults: the engine refuses one that has
// not.
func (s *Scenario) Validated() bool { return s.valid }

// Meta is the [scenario] table: the period simulated and how.
type Meta struct {
	Name  string    `toml:"name"`
	Start time.Time `toml:"start"`
	// TimeZone is an IANA zone ("America/New_York"); shifts, profiles and
	// business hours follow its wall clock, daylight saving included.
	TimeZone string   `toml:"timezone"`
	Duration Duration `toml:"duration"`
	// Interval is the reporting and staffing grain.
	Interval Duration `toml:"interval"`
	// Warmup is simulated before Start and left out of every statistic, so
	// the period starts with the queues a real day would have.
	Warmup       Duration `toml:"warmup"`
	Seed         uint64   `toml:"seed"`
	Replications int      `toml:"replications"`
}

// SLA is a service-level target: a share of contacts answered (or, on a
// deferred channel, first-responded) within a time.
type SLA struct {
	Target float64  `toml:"target"`
	Within Duration `toml:"within"`
	// Clock is "calendar" (default) or "business" (deferred channels only:
	// the clock stops outside [business_hours]).
	Clock string `toml:"clock"`
	// MaxAbandon optionally caps the abandonment rate (live channels).
	MaxAbandon float64 `toml:"max_abandon"`
}

// Channel is a way customers reach support, with its volume and its SLA.
type Channel struct {
	Name string `toml:"name"`
	Mode string `toml:"mode"`
	// Rate is the base arrival rate; the profile and surges multiply it.
	Rate Rate `toml:"rate"`
	// Profile names a [[profile]]; none means a flat rate.
	Profile string `toml:"profile"`
	// Patience is how long a live customer waits before hanging up; none
	// means nobody abandons.
	Patience *DistSpec `toml:"patience"`
	SLA      SLA       `toml:"sla"`
	// Stretch is, on a concurrent channel, the factor by which each extra
	// chat an agent holds stretches the handle time of a new one: a chat
	// taken as the k-th in hand lasts stretch^(k-1) times its drawn time.
	// 1 (the default) means no slowdown.
	Stretch float64 `toml:"stretch"`
	// ForecastCV is the coefficient of variation of a random day-level
	// multiplier on the volume (mean 1, lognormal): forecast uncertainty.
	ForecastCV float64 `toml:"forecast_cv"`
}

// Live reports whether customers wait on the line (sync or concurrent).
func (c *Channel) Live() bool { return c.Mode != ModeDeferred }

// Profile shapes volume over the day and the week.
type Profile struct {
	Name string `toml:"name"`
	// Intraday holds multipliers for equal slices of the day; they are
	// scaled so their mean is 1, so the base rate is the daily average.
	Intraday []float64 `toml:"intraday"`
	// Weekly holds seven multipliers, Monday to Sunday, used as written.
	Weekly []float64 `toml:"weekly"`
}

// Surge multiplies the volume of some channels over a window.
type Surge struct {
	Name     string    `toml:"name"`
	From     time.Time `toml:"from"`
	To       time.Time `toml:"to"`
	Factor   float64   `toml:"factor"`
	Channels []string  `toml:"channels"`
}

// Category is what a ticket is about: its share of volume, how long it
// takes, how much automation deflects and where it escalates.
type Category struct {
	Name string `toml:"name"`
	// Share of each listed channel's volume (all channels if none listed).
	Share      float64  `toml:"share"`
	Channels   []string `toml:"channels"`
	HandleTime DistSpec `toml:"handle_time"`
	Deflect    *Deflect `toml:"deflect"`
	// Escalate is the escalation path: after a handling at a tier the
	// ticket goes on, with probability P, to the next tier named.
	Escalate Escalations `toml:"escalate"`
	// Reply, on deferred channels, is the chance that the customer writes
	// again after an agent's reply, sending the ticket back to the queue.
	Reply *Reply `toml:"reply"`
}

// Deflect is automation resolving tickets without an agent.
type Deflect struct {
	Rate    float64  `toml:"rate"`
	BotTime Duration `toml:"bot_time"`
	// Fallback is the share of deflected tickets that still reach a human.
	Fallback float64 `toml:"fallback"`
	// Channels limits deflection to these channels (all if none).
	Channels []string `toml:"channels"`
	// Cost per deflected ticket, in the bands' currency.
	Cost float64 `toml:"cost"`
}

// Escalation is one step of an escalation path.
type Escalation struct {
	// From is the tier this step applies after; empty means the tier that
	// handled the ticket before (the first tier for the first step).
	From string  `toml:"from"`
	To   string  `toml:"to"`
	P    float64 `toml:"p"`
	// HandleTime at the new tier; none means the category's handle time
	// times the new tier's factor.
	HandleTime *DistSpec `toml:"handle_time"`
}

// Reply is a customer writing again after an agent's reply.
type Reply struct {
	P     float64  `toml:"p"`
	After DistSpec `toml:"after"`
}

// Priority is a class of customers served first, with its own SLA.
type Priority struct {
	Name     string   `toml:"name"`
	Share    float64  `toml:"share"`
	Channels []string `toml:"channels"`
	// SLA overrides the channel's target and threshold for this class.
	SLA *SLA `toml:"sla"`
}

// Tier is a kind of agent.
type Tier struct {
	Name string `toml:"name"`
	// Skills are the channels the tier serves.
	Skills []string `toml:"skills"`
	// Concurrency is how many contacts of a concurrent channel an agent
	// holds at once, per channel (default 1).
	Concurrency map[string]int `toml:"concurrency"`
	// HandleFactor multiplies handle times at this tier (default 1).
	HandleFactor float64 `toml:"handle_factor"`
	// CategoryHandleFactor multiplies, on top of HandleFactor, the tier's
	// handle times of the categories it names ({ bug = 1.4 }: bugs take
	// 1.4 × handle_factor × the category's time here), first-hand and after
	// an escalation alike. A category not named takes HandleFactor alone.
	CategoryHandleFactor map[string]float64 `toml:"category_handle_factor"`
	// TicketShare is the share of a shift spent on tickets (leads: 0.5,
	// say; default 1). The rest is taken in blocks each hour.
	TicketShare float64 `toml:"ticket_share"`
	// DeferredShare reserves a share of the tier's agents for deferred
	// work: they take live contacts only when no deferred ticket waits.
	DeferredShare float64 `toml:"deferred_share"`
	// ProtectLive keeps agents of the tier free for live contacts: an agent
	// starts deferred work (email) only when no live contact waits for the
	// tier and at least ProtectLive other agents of the tier are idle. It
	// stops a blended team from taking the overnight email at opening
	// while the calls wait.
	ProtectLive int    `toml:"protect_live"`
	Band        string `toml:"band"`
	// Annual overrides the band's midpoint salary for this tier.
	Annual float64 `toml:"annual"`
	// SLA, if set, is the tier's internal target (an OLA) for escalated
	// tickets: the share taken up by an agent of the tier within a time of
	// reaching its queue. slasim staff sizes the tier by it.
	SLA *SLA `toml:"sla"`
}

// Shift is a rota line: a number of agents of one tier working the same
// hours on a pattern of days.
type Shift struct {
	Name string `toml:"name"`
	Tier string `toml:"tier"`
	// Days: "mon-fri", "sat,sun", "daily", "fri".
	Days DaySet `toml:"days"`
	// Dates lists calendar days instead (TOML dates: [2026-11-27,
	// 2026-11-30]), for a line that runs on particular days only, such as a
	// peak-day overlay. A shift has days or dates, not both.
	Dates []time.Time `toml:"dates"`
	// Start is the wall-clock time the shift starts, "06:00".
	Start  Clock    `toml:"start"`
	Length Duration `toml:"length"`
	Breaks []Break  `toml:"breaks"`
	// Headcount is the number of agents on the rota line.
	Headcount int `toml:"headcount"`
	// Stagger spreads each break's start across the shift's agents over
	// this window (default 30m), so they do not all leave at once.
	Stagger *Duration `toml:"stagger"`
}

// Break is a pause in a shift: After is the time from the shift's start.
type Break struct {
	After  Duration `toml:"after"`
	Length Duration `toml:"length"`
}

// Shrinkage is the share of scheduled agent-days lost to whole-day
// absences.
type Shrinkage struct {
	PTO      float64 `toml:"pto"`
	Sick     float64 `toml:"sick"`
	Training float64 `toml:"training"`
	Other    float64 `toml:"other"`
}

// Total is the share of scheduled agent-days absent.
func (s Shrinkage) Total() float64 { return s.PTO + s.Sick + s.Training + s.Other }

// Band is a salary band.
type Band struct {
	Name string `toml:"name"`
	// Annual is the salary range, min and max.
	Annual []float64 `toml:"annual"`
	// Benefits is the load on top of salary (0.30 = 30%).
	Benefits float64 `toml:"benefits"`
	// PaidHours per year (default 2080).
	PaidHours float64 `toml:"paid_hours"`
}

// HourlyCost is the cost of one staffed hour at this band for an annual
// salary (0 means the band's midpoint).
func (b *Band) HourlyCost(annual float64) float64 {
	if annual == 0 {
		annual = (b.Annual[0] + b.Annual[len(b.Annual)-1]) / 2
	}
	return annual * (1 + b.Benefits) / b.PaidHours
}

// BusinessHours is the opening time of a business-hours SLA clock.
type BusinessHours struct {
	Days  DaySet `toml:"days"`
	Open  Clock  `toml:"open"`
	Close Clock  `toml:"close"`
}

// FactorFor is the tier's handle-time factor for a category: HandleFactor
// times the category's own factor at the tier, if it has one.
func (t *Tier) FactorFor(category string) float64 {
	if f, ok := t.CategoryHandleFactor[category]; ok {
		return t.HandleFactor * f
	}
	return t.HandleFactor
}

// ChannelIndex returns the index of the named channel, or -1.
func (s *Scenario) ChannelIndex(name string) int {
	for i := range s.Channels {
		if s.Channels[i].Name == name {
			return i
		}
	}
	return -1
}

// TierIndex returns the index of the named tier, or -1.
func (s *Scenario) TierIndex(name string) int {
	for i := range s.Tiers {
		if s.Tiers[i].Name == name {
			return i
		}
	}
	return -1
}

// BandIndex returns the index of the named band, or -1.
func (s *Scenario) BandIndex(name string) int {
	for i := range s.Bands {
		if s.Bands[i].Name == name {
			return i
		}
	}
	return -1
}

// ProfileIndex returns the index of the named profile, or -1.
func (s *Scenario) ProfileIndex(name string) int {
	for i := range s.Profiles {
		if s.Profiles[i].Name == name {
			return i
		}
	}
	return -1
}

// Skilled reports whether tier t serves channel c.
func (t *Tier) Skilled(channel string) bool {
	for _, s := range t.Skills {
		if s == channel {
			return true
		}
	}
	return false
}

// ConcurrencyFor is how many contacts of the channel an agent of the tier
// holds at once.
func (t *Tier) ConcurrencyFor(channel string) int {
	if n, ok := t.Concurrency[channel]; ok && n > 0 {
		return n
	}
	return 1
}

// RunsOn reports whether the shift starts an instance on the calendar day
// of t (its date in t's location).
func (s *Shift) RunsOn(t time.Time) bool {
	if len(s.Dates) > 0 {
		return OnDates(s.Dates, t)
	}
	return s.Days.Has(t.Weekday())
}

// OnDates reports whether t falls on one of the calendar dates (compared
// by year, month and day).
func OnDates(dates []time.Time, t time.Time) bool {
	y, m, d := t.Date()
	for _, x := range dates {
		if xy, xm, xd := x.Date(); xy == y && xm == m && xd == d {
			return true
		}
	}
	return false
}
