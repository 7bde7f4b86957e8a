package model

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// Checks of volume: profiles, channels and surges, and the peak rate they
// give together.

func (v *validator) profiles() {
	seen := map[string]bool{}
	for i := range v.sc.Profiles {
		pr := &v.sc.Profiles[i]
		p, w := v.named("profile", i, pr.Name, seen)
		if len(pr.Intraday) == 0 {
			pr.Intraday = []float64{1}
		}
		if len(pr.Intraday) > MaxIntradaySlices {
			v.bad(p+".intraday", w, "intraday", "has %d values; a day has at most %d slices (one a minute)", len(pr.Intraday), MaxIntradaySlices)
		}
		if v.multipliers(p+".intraday", w, "intraday", pr.Intraday, closed(0, MaxIntradayValue)) {
			var sum float64
			for _, x := range pr.Intraday {
				sum += x
			}
			if sum <= 0 {
				v.bad(p+".intraday", w, "intraday", "is all zeros")
			}
		}
		if len(pr.Weekly) == 0 {
			pr.Weekly = []float64{1, 1, 1, 1, 1, 1, 1}
		} else if len(pr.Weekly) != 7 {
			v.bad(p+".weekly", w, "weekly", "has %d values; want 7 (Monday to Sunday)", len(pr.Weekly))
		}
		v.multipliers(p+".weekly", w, "weekly", pr.Weekly, closed(0, MaxMultiplier))
	}
}

// multipliers checks every value of a list against s and reports the first
// one outside it; it reports whether all were inside.
func (v *validator) multipliers(path, where, field string, xs []float64, s span) bool {
	for j, x := range xs {
		if err := s.check(x); err != nil {
			v.bad(path, where, fmt.Sprintf("%s[%d]", field, j), "%v", err)
			return false
		}
	}
	return true
}

// rateSpan is the allowed base rate of a channel, per hour.
var rateSpan = leftOpen(0, MaxRatePerHour)

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
		if c.Rate.PerSecond == 0 {
			v.bad(p, w, "rate", "is missing (e.g. \"120/h\")")
		} else if !rateSpan.has(c.Rate.PerHour()) {
			v.bad(p+".rate", w, "rate", "%s is not in %s: the limit is %d/h per channel", formatRate(c.Rate.PerSecond), rateSpan, MaxRatePerHour)
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
		if v.lines.at != nil && !v.lines.has(p+".sla") {
			v.bad(p, w, "sla", "is missing (e.g. { target = 0.80, within = \"20s\" })")
		} else {
			v.sla(p+".sla", w, &c.SLA, c.Live())
		}
		if c.Stretch == 0 {
			c.Stretch = 1
		}
		v.inSpan(p+".stretch", w, "stretch", c.Stretch, closed(1, 10))
		v.inSpan(p+".forecast_cv", w, "forecast_cv", c.ForecastCV, closed(0, 2))
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
		if err := checkName(s.Name); err != nil {
			v.bad(p+".name", fmt.Sprintf("surge #%d", i+1), "name", "%v", err)
			w = fmt.Sprintf("surge #%d", i+1)
		}
		switch {
		case s.From.IsZero() || s.To.IsZero() || !s.From.Before(s.To):
			v.bad(p+".to", w, "from/to", "must be two date-times with from before to")
		case checkYear(s.From) != nil:
			v.bad(p+".from", w, "from", "%v", checkYear(s.From))
		case checkYear(s.To) != nil:
			v.bad(p+".to", w, "to", "%v", checkYear(s.To))
		}
		v.inSpan(p+".factor", w, "factor", s.Factor, closed(0, MaxMultiplier))
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

// peakRates refuses a channel whose rate, multiplied by the peak of its
// profile, its highest weekly multiplier and the surges that overlap,
// passes MaxPeakRatePerHour. It runs only on values already found valid.
func (v *validator) peakRates() {
	if len(v.ps) > 0 {
		return
	}
	for i := range v.sc.Channels {
		c := &v.sc.Channels[i]
		profile, surge := v.sc.peakFactors(c)
		peak := c.Rate.PerHour() * profile * surge
		if !(peak <= MaxPeakRatePerHour) {
			v.bad(fmt.Sprintf("channel[%d].rate", i), fmt.Sprintf("channel %q", c.Name), "rate",
				"%s reaches %.3g/h at its peak (×%.3g from the profile, ×%.3g from surges); the limit is %d/h per channel",
				formatRate(c.Rate.PerSecond), peak, profile, surge, MaxPeakRatePerHour)
		}
	}
}

// PeakRate is the highest arrival rate, per second, that channel i
// reaches at any moment of the period (warm-up included): its base rate
// times the peak of its profile and the surges that overlap. The day-level
// forecast factor (forecast_cv) is random and not included.
func (s *Scenario) PeakRate(i int) float64 {
	c := &s.Channels[i]
	profile, surge := s.peakFactors(c)
	return c.Rate.PerSecond * profile * surge
}

// peakFactors returns the peak multipliers of a channel's profile and of
// its overlapping surges.
func (s *Scenario) peakFactors(c *Channel) (profile, surge float64) {
	profile = 1
	if j := s.ProfileIndex(c.Profile); j >= 0 {
		profile = s.Profiles[j].peak()
	}
	return profile, s.peakSurge(c.Name)
}

// peak is the largest multiplier the profile applies to a base rate: the
// highest intraday slice over the slices' mean, times the highest weekly
// multiplier.
func (pr *Profile) peak() float64 {
	var sum, hi float64
	for _, x := range pr.Intraday {
		sum += x
		hi = math.Max(hi, x)
	}
	week := 0.0
	for _, x := range pr.Weekly {
		week = math.Max(week, x)
	}
	return hi / (sum / float64(len(pr.Intraday))) * week
}

// peakSurge is the largest product of surge factors that apply to the
// channel at one moment of the simulated period (warm-up included).
func (s *Scenario) peakSurge(channel string) float64 {
	type edge struct {
		at   time.Time
		logF float64
		zero bool
		open bool
	}
	from := s.Meta.Start.Add(-s.Meta.Warmup.Duration)
	to := s.Meta.Start.Add(s.Meta.Duration.Duration)
	var edges []edge
	for _, su := range s.Surges {
		if !Covers(su.Channels, channel) || !su.To.After(from) || !su.From.Before(to) {
			continue
		}
		l := math.Log(su.Factor)
		edges = append(edges, edge{su.From, l, su.Factor == 0, true}, edge{su.To, l, su.Factor == 0, false})
	}
	// Windows are [from, to): at equal times a window closes before the
	// next opens.
	sort.SliceStable(edges, func(a, b int) bool {
		if !edges[a].at.Equal(edges[b].at) {
			return edges[a].at.Before(edges[b].at)
		}
		return !edges[a].open && edges[b].open
	})
	best, sum, zeros := 0.0, 0.0, 0
	for _, e := range edges {
		sign := 1.0
		if !e.open {
			sign = -1
		}
		if e.zero {
			zeros += int(sign)
		} else {
			sum += sign * e.logF
		}
		if e.open && zeros == 0 && sum > best {
			best = sum
		}
	}
	return math.Exp(best)
}
