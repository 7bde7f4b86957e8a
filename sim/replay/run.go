package replay

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slasim/slasim/sim/trace"
)

// Option configures a run (functional options, as in Vegeta).
type Option func(*config)

type config struct {
	pacer       Pacer
	mapping     Mapping
	maxInFlight int
	timeout     time.Duration
	duration    time.Duration
	grace       time.Duration
	settle      time.Duration
	maxTickets  int
	retries     int
	backoff     time.Duration
	maxBackoff  time.Duration
	abortRate   float64
	abortMin    int
	journal     *Journal
	resume      *JournalState
	onResult    func(*Result)
	interval    time.Duration
}

// WithPacer sets the schedule (default SpeedPacer{1}).
func WithPacer(p Pacer) Option { return func(c *config) { c.pacer = p } }

// WithMapping sets how actions become operations.
func WithMapping(m Mapping) Option { return func(c *config) { c.mapping = m } }

// MaxInFlight caps the requests in flight (default 64).
func MaxInFlight(n int) Option { return func(c *config) { c.maxInFlight = n } }

// Timeout bounds each request (default 30s).
func Timeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// Duration is a hard bound on sending: no request leaves later than d
// after the start (0: no bound). Requests in flight then get the Grace
// period to finish; what is cut is in doubt, what never left is not sent.
func Duration(d time.Duration) Option { return func(c *config) { c.duration = d } }

// Grace is how long requests in flight may finish after sending stopped at
// the Duration bound (default 5s).
func Grace(d time.Duration) Option { return func(c *config) { c.grace = d } }

// Settle is how long after a request was cut (timeout, connection closed)
// the helpdesk may still apply it: a ticket or reply not found by then is
// taken as absent and sent again (default: the request timeout, so absence
// is believed two timeouts after the request left). After a 5xx the lookup
// is immediate: a 5xx is a complete answer.
func Settle(d time.Duration) Option { return func(c *config) { c.settle = d } }

// MaxTickets replays only the first n tickets of the trace (0: all).
func MaxTickets(n int) Option { return func(c *config) { c.maxTickets = n } }

// Retries sets how many times a failed request may be sent again when that
// is safe (default 3), with exponential backoff from base up to max. 429
// answers never count against it: they pause the sender instead.
func Retries(n int, base, max time.Duration) Option {
	return func(c *config) { c.retries, c.backoff, c.maxBackoff = n, base, max }
}

// AbortOnErrorRate stops the run once more than rate of the completed
// actions (at least min of them) failed or ended in doubt. 0 disables it.
func AbortOnErrorRate(rate float64, min int) Option {
	return func(c *config) { c.abortRate, c.abortMin = rate, min }
}

// WithJournal appends begin/done records to j.
func WithJournal(j *Journal) Option { return func(c *config) { c.journal = j } }

// Resume skips the actions st records as done and settles those in doubt.
func Resume(st *JournalState) Option { return func(c *config) { c.resume = st } }

// OnResult is called (from several goroutines) for every Result.
func OnResult(f func(*Result)) Option { return func(c *config) { c.onResult = f } }

// Interval is the grain of the per-interval series (default 1s).
func Interval(d time.Duration) Option { return func(c *config) { c.interval = d } }

// ErrAborted is returned when the error rate passed AbortOnErrorRate.
var ErrAborted = errors.New("replay aborted: error rate above the limit")

var (
	errDurationReached = errors.New("--duration reached")
	errGraceOver       = errors.New("grace period over")
)

// step is one action on its way to the helpdesk.
type step struct {
	res      Result
	ops      []Op
	inDoubt  bool
	beganAt  time.Time // when an in-doubt action began in the crashed run
	waitingA string    // where the action waits (a not-sent reason), guarded by its goroutine
}

// ticketState serialises the actions of one ticket. busy and queue are
// guarded by run.mu; ref, failed and doubt are only touched by the
// goroutine that holds the ticket (busy), and handed over through run.mu.
type ticketState struct {
	busy   bool
	queue  []*step
	ref    string
	failed bool // the create failed: later actions fail as dependency
	doubt  bool // the create is in doubt: later actions are not sent
}

type run struct {
	cfg     config
	ad      Adapter
	ver     Verifier
	ctx     context.Context // requests: cut at the end of the grace period
	cancel  context.CancelCauseFunc
	sendCtx context.Context // new requests and waits: stopped at --duration
	stop    context.CancelCauseFunc
	sem     chan struct{}
	pause   pauseGate
	mu      sync.Mutex
	tickets map[int64]*ticketState
	wg      sync.WaitGroup
	metrics *Metrics
	timers  []*time.Timer

	completed, failed atomic.Int64
}

// Run replays actions against the helpdesk behind ad and returns the
// metrics of the run. It returns when every dispatched action has
// completed; the error is ErrAborted, the context's error, or a journal
// failure.
func Run(ctx context.Context, actions iter.Seq[trace.Action], ad Adapter, opts ...Option) (*Metrics, error) {
	cfg := config{
		pacer: SpeedPacer{1}, maxInFlight: 64, timeout: 30 * time.Second, grace: 5 * time.Second,
		retries: 3, backoff: 100 * time.Millisecond, maxBackoff: 5 * time.Second,
		abortMin: 20, interval: time.Second,
	}
	for _, o := range opts {
		o(&cfg)
	}
	cfg.maxInFlight = max(cfg.maxInFlight, 1)
	if cfg.settle <= 0 {
		cfg.settle = cfg.timeout
	}
	r := &run{cfg: cfg, ad: ad, sem: make(chan struct{}, cfg.maxInFlight),
		tickets: map[int64]*ticketState{}, metrics: NewMetrics(cfg.interval)}
	r.pause.base, r.pause.max = cfg.backoff, cfg.maxBackoff
	r.ver, _ = ad.(Verifier)
	r.ctx, r.cancel = context.WithCancelCause(ctx)
	r.sendCtx, r.stop = context.WithCancelCause(r.ctx)
	defer r.cancel(nil)
	if st := cfg.resume; st != nil {
		r.resumeTickets(st)
	}
	r.metrics.SetIntendedRate(cfg.pacer.Rate())
	r.metrics.SetGrace(cfg.grace)
	r.schedule(actions)
	r.wg.Wait()
	for _, t := range r.timers {
		t.Stop()
	}
	paused, spells := r.pause.totals()
	r.metrics.SetPaused(paused, spells)
	if j := r.cfg.journal; j != nil {
		if err := j.End(r.metrics.endRecord()); err != nil && context.Cause(r.ctx) == nil {
			r.cancel(err)
		}
	}
	if c := context.Cause(r.sendCtx); c != nil && !errors.Is(c, errDurationReached) && !errors.Is(c, errGraceOver) {
		return r.metrics, c
	}
	return r.metrics, nil
}

func (r *run) resumeTickets(st *JournalState) {
	for t, ref := range st.Refs {
		r.tickets[t] = &ticketState{ref: ref}
	}
	for _, res := range st.Done {
		if res.Outcome() == OutcomeFailed && len(res.Ops) > 0 && res.Ops[0] == OpCreate {
			r.ticketState(res.Ticket).failed = true
		}
	}
}

// armStop stops sending at the duration bound and cuts what is still in
// flight a grace period later.
func (r *run) armStop(start time.Time) {
	if r.cfg.duration <= 0 {
		return
	}
	at := start.Add(r.cfg.duration)
	r.timers = append(r.timers,
		time.AfterFunc(time.Until(at), func() { r.stop(errDurationReached) }),
		time.AfterFunc(time.Until(at.Add(r.cfg.grace)), func() { r.cancel(errGraceOver) }))
}

// spinBelow is how close to its due time the scheduler stops using a
// runtime timer and sleeps in the kernel instead (timer wake-ups of an idle
// Go runtime are late by up to 1 ms).
const spinBelow = 2 * time.Millisecond

func (r *run) ticketState(t int64) *ticketState {
	ts := r.tickets[t]
	if ts == nil {
		ts = &ticketState{}
		r.tickets[t] = ts
	}
	return ts
}

// schedule walks the trace and dispatches each action at its due time.
// Actions due after the end (duration, stages) or after the run stopped are
// counted as not sent, so every intended action is accounted for.
func (r *run) schedule(actions iter.Seq[trace.Action]) {
	cfg := &r.cfg
	mp := NewMapper(cfg.mapping)
	selected := map[int64]bool{}
	open, n := 0, 0
	var start time.Time
	var firstT float64
	var timer *time.Timer
	var end time.Duration = -1
	if e, ok := cfg.pacer.(Ender); ok {
		end = e.End()
	}
	i := -1
	for a := range actions {
		i++
		if cfg.maxTickets > 0 {
			if !selected[a.Ticket] {
				if len(selected) >= cfg.maxTickets {
					if open == 0 {
						return // every selected ticket is closed: nothing more to send
					}
					continue
				}
				selected[a.Ticket] = true
				open++
			}
			if a.Kind.Ends() {
				open--
			}
		}
		ops := mp.Ops(i, a)
		if len(ops) == 0 {
			continue
		}
		s := &step{ops: ops}
		if st := cfg.resume; st != nil {
			if _, done := st.Done[i]; done {
				continue
			}
			_, s.inDoubt = st.InDoubt[i]
			s.beganAt = st.InDoubtAt[i]
		}
		if n == 0 {
			start, firstT = time.Now(), a.T
			r.metrics.SetStart(start)
			r.armStop(start)
		}
		due := cfg.pacer.Due(n, a.T-firstT)
		n++
		at := start.Add(due)
		s.res = Result{Index: i, Ticket: a.Ticket, Action: a.Kind.String(), Intended: at}
		s.res.Ops = make([]OpKind, len(ops))
		for k, o := range ops {
			s.res.Ops[k] = o.Kind
		}
		if (cfg.duration > 0 && due >= cfg.duration) || (end >= 0 && due > end) {
			r.metrics.CountNotSent(&s.res, NotSentDuration)
			continue
		}
		if !r.waitUntil(at, &timer) {
			if r.interrupted() {
				return // the user wants out: do not walk the rest of the trace
			}
			r.metrics.CountNotSent(&s.res, r.stopReason(&s.res, NotSentDuration))
			continue
		}
		s.res.Dispatched = time.Now()
		r.dispatch(s)
	}
}

// waitUntil sleeps until at; false when sending stopped first.
func (r *run) waitUntil(at time.Time, timer **time.Timer) bool {
	if r.sendCtx.Err() != nil {
		return false
	}
	if d := time.Until(at) - spinBelow; d > 0 {
		if *timer == nil {
			*timer = time.NewTimer(d)
		} else {
			(*timer).Reset(d)
		}
		select {
		case <-(*timer).C:
		case <-r.sendCtx.Done():
			return false
		}
	}
	// An idle Go runtime wakes timers with a 1 ms grain (epoll): sleep the
	// last stretch in the kernel (nanosleep, ~50 µs slack) instead.
	if d := time.Until(at); d > 0 {
		preciseSleep(d)
	}
	return true
}

// interrupted reports whether the run was stopped by its caller (signal).
func (r *run) interrupted() bool {
	c := context.Cause(r.sendCtx)
	return c != nil && !errors.Is(c, errDurationReached) && !errors.Is(c, ErrAborted) && !errors.Is(c, errGraceOver)
}

// stopReason is why an action that never left was not sent, once sending
// stopped: where it was waiting (waiting) when the cause was the duration
// bound, else the cause.
func (r *run) stopReason(res *Result, waiting string) string {
	c := context.Cause(r.sendCtx)
	switch {
	case errors.Is(c, ErrAborted):
		return NotSentAborted
	case c == nil || errors.Is(c, errDurationReached) || errors.Is(c, errGraceOver):
		return waiting
	}
	return NotSentInterrupted
}

// dispatch starts s now, or queues it behind the running action of its
// ticket. It never blocks.
func (r *run) dispatch(s *step) {
	r.mu.Lock()
	ts := r.ticketState(s.res.Ticket)
	if ts.busy {
		ts.queue = append(ts.queue, s)
		r.mu.Unlock()
		return
	}
	ts.busy = true
	r.mu.Unlock()
	r.wg.Add(1)
	go r.serve(ts, s)
}

// serve runs the actions of one ticket one after the other.
func (r *run) serve(ts *ticketState, s *step) {
	defer r.wg.Done()
	for s != nil {
		r.exec(ts, s)
		r.mu.Lock()
		if len(ts.queue) > 0 {
			s = ts.queue[0]
			ts.queue[0] = nil
			ts.queue = ts.queue[1:]
		} else {
			s = nil
			ts.busy = false
		}
		r.mu.Unlock()
	}
}

// record journals and measures a finished action. Not-sent actions are
// counted in the journal's end record only, so a resumed run sends them.
func (r *run) record(res *Result) {
	if res.Class != ClassNotSent {
		if j := r.cfg.journal; j != nil {
			if err := j.Done(res); err != nil {
				r.stop(err)
				r.cancel(err)
			}
		}
	}
	r.metrics.Add(res)
	if r.cfg.onResult != nil {
		r.cfg.onResult(res)
	}
	if res.Class == ClassNotSent || r.cfg.abortRate <= 0 {
		return
	}
	c := r.completed.Add(1)
	f := r.failed.Load()
	if !res.OK() {
		f = r.failed.Add(1)
	}
	if c >= int64(r.cfg.abortMin) && float64(f)/float64(c) > r.cfg.abortRate {
		r.stop(fmt.Errorf("%w: %d of %d actions failed (limit %.0f%%)", ErrAborted, f, c, r.cfg.abortRate*100))
		r.cancel(ErrAborted)
	}
}
