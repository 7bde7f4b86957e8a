package calibrate

import (
	"strings"
	"time"

	"github.com/slasim/slasim/model"
)

// Config says how to read a history into a scenario's grain.
type Config struct {
	// Start is the start of the history's period, local midnight of its
	// first day. Zero: the midnight before the first event, in Location.
	Start time.Time
	// End closes the period (tickets still open then are censored). Zero:
	// the end of the day of the last event.
	End time.Time
	// Location is the calendar of the weekly and intraday profiles; nil
	// means Start's location, or UTC.
	Location *time.Location
	// Interval is the grain of the intraday profile and of the backtest
	// (default 30m).
	Interval time.Duration
	// Modes gives a channel's mode (sync, concurrent, deferred); a channel
	// not listed takes its mode from its name (ModeFor).
	Modes map[string]string
	// Within is a channel's SLA threshold, used for the observed service
	// level; a channel not listed takes DefaultWithin of its mode.
	Within map[string]time.Duration

	utcAssumed bool // no location and no start given: profiles in UTC
}

// ModeFor is the mode a channel's name suggests: phone, voice and call are
// sync; chat and messaging are concurrent; everything else is deferred.
// The source of the mode is written beside it in the scenario.
func ModeFor(channel string) string {
	n := strings.ToLower(channel)
	for _, w := range []string{"phone", "voice", "call", "tel"} {
		if strings.Contains(n, w) {
			return model.ModeSync
		}
	}
	for _, w := range []string{"chat", "messag", "whatsapp", "live"} {
		if strings.Contains(n, w) {
			return model.ModeConcurrent
		}
	}
	return model.ModeDeferred
}

// DefaultWithin is the SLA threshold assumed for a mode when the history
// does not say: 20s for sync, 60s for concurrent, 4h for deferred.
func DefaultWithin(mode string) time.Duration {
	switch mode {
	case model.ModeSync:
		return 20 * time.Second
	case model.ModeConcurrent:
		return time.Minute
	}
	return 4 * time.Hour
}

func (c Config) withDefaults() Config {
	if c.Interval <= 0 {
		c.Interval = 30 * time.Minute
	}
	if c.Location == nil {
		if !c.Start.IsZero() {
			c.Location = c.Start.Location()
		} else {
			c.Location, c.utcAssumed = time.UTC, true
		}
	}
	return c
}

// mode is the channel's configured or name-given mode, and where it came
// from.
func (c Config) mode(ch string) (mode, source string) {
	if m, ok := c.Modes[ch]; ok {
		return m, "given"
	}
	return ModeFor(ch), "from the channel's name"
}

func (c Config) within(ch, mode string) time.Duration {
	if w, ok := c.Within[ch]; ok {
		return w
	}
	return DefaultWithin(mode)
}
