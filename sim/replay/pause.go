package replay

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// pauseGate holds every sender while the helpdesk asks for a pause (429).
// One gate serves the run: the adapters talk to one helpdesk, whose limit
// is usually per account or per client, not per ticket. A pause lasts the
// Retry-After the helpdesk gave (at most a minute), else a backoff that
// doubles with each 429 without a success in between. When it ends the
// waiting senders are released spread over a tenth of the pause, so the
// helpdesk is not hit by all of them at once; if it still refuses, the
// next 429 pauses again. The run thus settles at the rate the helpdesk
// allows.
type pauseGate struct {
	mu        sync.Mutex
	until     time.Time
	streak    int
	base, max time.Duration
	total     time.Duration
	spells    int
}

// maxPause bounds one pause whatever Retry-After says.
const maxPause = time.Minute

// hold pauses the senders for retryAfter (0: a backoff).
func (g *pauseGate) hold(retryAfter time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	d := retryAfter
	if d <= 0 {
		d = g.base << min(g.streak, 20)
		if d > g.max || d <= 0 {
			d = g.max
		}
		if d <= 0 {
			d = 100 * time.Millisecond
		}
	}
	d = min(d, maxPause)
	g.streak++
	now := time.Now()
	end := now.Add(d)
	if !end.After(g.until) {
		return
	}
	if g.until.Before(now) {
		g.total += d
		g.spells++
	} else {
		g.total += end.Sub(g.until)
	}
	g.until = end
}

// ok records a request the helpdesk accepted.
func (g *pauseGate) ok() {
	g.mu.Lock()
	g.streak = 0
	g.mu.Unlock()
}

func (g *pauseGate) active() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return time.Now().Before(g.until)
}

// wait returns when no pause is on (false if ctx ended first).
func (g *pauseGate) wait(ctx context.Context) bool {
	for {
		g.mu.Lock()
		d := time.Until(g.until)
		g.mu.Unlock()
		if d <= 0 {
			return ctx.Err() == nil
		}
		d += time.Duration(rand.Float64() * 0.1 * float64(d))
		if !sleepCtx(ctx, d) {
			return false
		}
	}
}

// totals returns the time the senders were paused (the union of the
// pauses) and the number of separate pauses.
func (g *pauseGate) totals() (time.Duration, int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.total, g.spells
}
