package replay

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
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

// Duration stops dispatching actions due later than d after the start
// (0: no bound). Requests in flight are given Timeout to finish.
func Duration(d time.Duration) Option { return func(c *config) { c.duration = d } }

// MaxTickets replays only the first n tickets of the trace (0: all).
func MaxTickets(n int) Option { return func(c *config) { c.maxTickets = n } }

// Retries sets how many times a failed request may be retried when that is
// safe (default 3), with exponential backoff from base up to max.
func Retries(n int, base, max time.Duration) Option {
	return func(c *config) { c.retries, c.backoff, c.maxBackoff = n, base, max }
}

// AbortOnErrorRate stops the run once more than rate of the completed
// actions (at least min of them) failed. 0 disables it.
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

// step is one action on its way to the helpdesk.
type step struct {
	res      Result
	ops      []Op
	terminal bool
	inDoubt  bool
	beganAt  time.Time // when an in-doubt action began in the crashed run
}

// ticketState serialises the actions of one ticket. busy and queue are
// guarded by run.mu; ref and failed are only touched by the goroutine that
// holds the ticket (busy), and handed over through run.mu.
type ticketState struct {
	busy   bool
	queue  []*step
	ref    string
	failed bool
}

type run struct {
	cfg     config
	ad      Adapter
	ver     Verifier
	ctx     context.Context
	cancel  context.CancelCauseFunc
	sem     chan struct{}
	mu      sync.Mutex
	tickets map[int64]*ticketState
	wg      sync.WaitGroup
	metrics *Metrics

	completed, failed atomic.Int64
}

// Run replays actions against the helpdesk behind ad and returns the
// metrics of the run. It returns when every dispatched action has
// completed; the error is ErrAborted, the context's error, or a journal
// failure.
func Run(ctx context.Context, actions iter.Seq[trace.Action], ad Adapter, opts ...Option) (*Metrics, error) {
	cfg := config{
		pacer: SpeedPacer{1}, maxInFlight: 64, timeout: 30 * time.Second,
		retries: 3, backoff: 100 * time.Millisecond, maxBackoff: 5 * time.Second,
		abortMin: 20, interval: time.Second,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.maxInFlight <= 0 {
		cfg.maxInFlight = 1
	}
	r := &run{cfg: cfg, ad: ad, sem: make(chan struct{}, cfg.maxInFlight),
		tickets: map[int64]*ticketState{}, metrics: NewMetrics(cfg.interval)}
	r.ver, _ = ad.(Verifier)
	r.ctx, r.cancel = context.WithCancelCause(ctx)
	defer r.cancel(nil)
	if st := cfg.resume; st != nil {
		for t, ref := range st.Refs {
			r.tickets[t] = &ticketState{ref: ref}
		}
		for _, res := range st.Done {
			if res.Class != ClassOK && len(res.Ops) > 0 && res.Ops[0] == OpCreate {
				r.ticketState(res.Ticket).failed = true
			}
		}
	}
	r.metrics.SetIntendedRate(cfg.pacer.Rate())
	if r.schedule(actions) {
		// --duration reached: what is still in flight or queued gets one
		// request timeout to finish, then is cancelled (and not journaled as
		// done, so a resumed run sends it).
		stop := time.AfterFunc(cfg.timeout, func() { r.cancel(errFinished) })
		defer stop.Stop()
	}
	r.wg.Wait()
	r.metrics.Close()
	if c := context.Cause(r.ctx); c != nil && !errors.Is(c, errFinished) {
		return r.metrics, c
	}
	return r.metrics, nil
}

var errFinished = errors.New("finished")

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

// schedule walks the trace and dispatches each action at its due time. It
// reports whether it stopped at the duration bound.
func (r *run) schedule(actions iter.Seq[trace.Action]) (hitDuration bool) {
	cfg := &r.cfg
	mp := NewMapper(cfg.mapping)
	selected := map[int64]bool{}
	open := 0
	n := 0
	var start time.Time
	var firstT float64
	var timer *time.Timer
	i := -1
	for a := range actions {
		i++
		if r.ctx.Err() != nil {
			return false
		}
		if cfg.maxTickets > 0 {
			if !selected[a.Ticket] {
				if len(selected) >= cfg.maxTickets {
					if open == 0 {
						return false // every selected ticket is closed: nothing more to send
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
		s := &step{ops: ops, terminal: a.Kind.Ends()}
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
		}
		due := cfg.pacer.Due(n, a.T-firstT)
		if cfg.duration > 0 && due > cfg.duration {
			return true
		}
		n++
		at := start.Add(due)
		if d := time.Until(at) - spinBelow; d > 0 {
			if timer == nil {
				timer = time.NewTimer(d)
			} else {
				timer.Reset(d)
			}
			select {
			case <-timer.C:
			case <-r.ctx.Done():
				return false
			}
		}
		// An idle Go runtime wakes timers with a 1 ms grain (epoll): sleep the
		// last stretch in the kernel (nanosleep, ~50 µs slack) instead.
		if d := time.Until(at); d > 0 {
			preciseSleep(d)
		}
		s.res = Result{Index: i, Ticket: a.Ticket, Action: a.Kind.String(), Intended: at, Dispatched: time.Now()}
		s.res.Ops = make([]OpKind, len(ops))
		for k, o := range ops {
			s.res.Ops[k] = o.Kind
		}
		r.dispatch(s)
	}
	return false
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

func (r *run) exec(ts *ticketState, s *step) {
	res := &s.res
	now := time.Now()
	if w := now.Sub(res.Dispatched); w > 0 {
		res.OrderWait = w
	}
	defer func() {
		res.Done = time.Now()
		res.finish()
		r.record(res)
	}()
	if r.ctx.Err() != nil {
		res.Class, res.Error = ClassCanceled, "run stopped before the action was sent"
		return
	}
	if ts.failed || (ts.ref == "" && s.ops[0].Kind != OpCreate) {
		res.Class, res.Error = ClassDependency, errDependency.Error()
		return
	}
	for k := range s.ops {
		op := s.ops[k]
		op.Ref = ts.ref
		out, err := r.send(op, s, res)
		if err != nil {
			res.Class, res.Error = Classify(err), err.Error()
			if op.Kind == OpCreate && res.Class != ClassCanceled {
				ts.failed = true
			}
			return
		}
		if op.Kind == OpCreate {
			ts.ref = out.Ref
		}
	}
	res.Ref = ts.ref
}

// record journals and measures a completed action. Actions stopped by the
// end of the run are measured but not journaled as done, so that a resumed
// run sends them.
func (r *run) record(res *Result) {
	if res.Class != ClassCanceled {
		if j := r.cfg.journal; j != nil {
			if err := j.Done(res); err != nil {
				r.cancel(err)
			}
		}
	}
	r.metrics.Add(res)
	if r.cfg.onResult != nil {
		r.cfg.onResult(res)
	}
	if res.Class == ClassCanceled || r.cfg.abortRate <= 0 {
		return
	}
	c := r.completed.Add(1)
	f := r.failed.Load()
	if res.Class != ClassOK {
		f = r.failed.Add(1)
	}
	if c >= int64(r.cfg.abortMin) && float64(f)/float64(c) > r.cfg.abortRate {
		r.cancel(fmt.Errorf("%w: %d of %d actions failed (limit %.0f%%)", ErrAborted, f, c, r.cfg.abortRate*100))
	}
}

// send performs one operation with the retry rules of the package doc.
func (r *run) send(op Op, s *step, res *Result) (Outcome, error) {
	inDoubt := s.inDoubt
	if inDoubt && op.Kind == OpCreate {
		ref, err := r.settle(s, func() (bool, string, error) {
			ref, err := r.find(op.Marker)
			return ref != "", ref, err
		})
		if err != nil {
			return Outcome{}, fmt.Errorf("looking up %s before re-creating: %w", op.Marker, err)
		}
		if ref != "" {
			res.Resolved = "found"
			return Outcome{Ref: ref, Status: 200}, nil
		}
		res.Resolved = "resent"
	}
	if inDoubt && op.Kind.Idempotent() && r.ver != nil {
		// re-sending would be harmless, but send nothing twice when the
		// helpdesk can tell the change is there
		if ok, err := r.verify(op); err == nil && ok {
			res.Resolved = "verified"
			return Outcome{Ref: op.Ref, Status: 200}, nil
		}
		res.Resolved = "resent"
	}
	if inDoubt && (op.Kind == OpAgentReply || op.Kind == OpCustomerReply || op.Kind == OpComment) {
		if r.ver == nil {
			return Outcome{}, errInDoubt
		}
		ok, err := r.settle(s, func() (bool, string, error) {
			ok, err := r.verify(op)
			return ok, "", err
		})
		if err != nil {
			return Outcome{}, err
		}
		if ok != "" {
			res.Resolved = "verified"
			return Outcome{Ref: op.Ref, Status: 200}, nil
		}
		res.Resolved = "resent"
	}
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			res.Retries++
		}
		out, err := r.do(op, res)
		if err == nil {
			return out, nil
		}
		if attempt >= r.cfg.retries || r.ctx.Err() != nil {
			return out, err
		}
		delay, ok, ambiguous := r.retryable(op, err, attempt)
		if !ok {
			return out, err
		}
		if ambiguous {
			// The helpdesk may have created the ticket and answered too late
			// (RT finishes every request it accepted). Never POST it again in
			// this run: look for its marker until it shows up.
			return r.settleCreate(op, err, res)
		}
		if !sleepCtx(r.ctx, delay) {
			return out, err
		}
	}
}

// settle decides an in-doubt action of a crashed run: check reports
// whether the helpdesk has it. A helpdesk may still be working on a request
// whose client died (RT finishes every request it accepted), so "absent" is
// only believed once one request timeout has passed since the action
// began; until then check is repeated about every second. It returns a
// non-empty string when the action was found (the ref, or "yes").
func (r *run) settle(s *step, check func() (bool, string, error)) (string, error) {
	deadline := s.beganAt.Add(r.cfg.timeout)
	for {
		ok, ref, err := check()
		if err != nil {
			return "", err
		}
		if ok {
			if ref == "" {
				ref = "yes"
			}
			return ref, nil
		}
		wait := time.Until(deadline)
		if wait <= 0 {
			return "", nil
		}
		if !sleepCtx(r.ctx, min(wait, jitter(time.Second, 0.2))) {
			return "", context.Cause(r.ctx)
		}
	}
}

// settleCreate looks for the ticket of a create whose outcome is unknown:
// first after one request timeout (so a create still running at the
// helpdesk can finish), then with backoff. If it never shows up the action
// fails with the original error; the create is not repeated.
func (r *run) settleCreate(op Op, cause error, res *Result) (Outcome, error) {
	wait := r.cfg.timeout
	for k := 0; k <= r.cfg.retries; k++ {
		if !sleepCtx(r.ctx, wait) {
			return Outcome{}, cause
		}
		ref, err := r.find(op.Marker)
		if err == nil && ref != "" {
			res.Resolved = "found"
			return Outcome{Ref: ref, Status: 200}, nil
		}
		wait = jitter(r.cfg.backoff<<k, 0.5)
	}
	return Outcome{}, fmt.Errorf("create outcome unknown, ticket not found by its marker (not re-sent): %w", cause)
}

// do sends one request, holding an in-flight slot for its duration.
func (r *run) do(op Op, res *Result) (Outcome, error) {
	select {
	case r.sem <- struct{}{}:
	case <-r.ctx.Done():
		return Outcome{}, fmt.Errorf("%w: %w", context.Canceled, context.Cause(r.ctx))
	}
	if res.Sent.IsZero() {
		// The first request of the action is about to leave: from now on
		// a crash leaves it in doubt.
		if j := r.cfg.journal; j != nil {
			if err := j.Begin(res.Index, res.Ticket, res.Ops); err != nil {
				<-r.sem
				r.cancel(err)
				return Outcome{}, fmt.Errorf("%w: %w", context.Canceled, err)
			}
		}
		res.Sent = time.Now()
	}
	ctx, cancel := context.WithTimeout(r.ctx, r.cfg.timeout)
	out, err := r.ad.Do(ctx, op)
	cancel()
	<-r.sem
	code := out.Status
	var he *HTTPError
	if errors.As(err, &he) {
		code = he.Status
	}
	res.Codes = append(res.Codes, code)
	res.Status = code
	return out, err
}

func (r *run) find(marker string) (string, error) {
	if !r.acquire() {
		return "", context.Canceled
	}
	defer func() { <-r.sem }()
	ctx, cancel := context.WithTimeout(r.ctx, r.cfg.timeout)
	defer cancel()
	return r.ad.Find(ctx, marker)
}

func (r *run) verify(op Op) (bool, error) {
	if !r.acquire() {
		return false, context.Canceled
	}
	defer func() { <-r.sem }()
	ctx, cancel := context.WithTimeout(r.ctx, r.cfg.timeout)
	defer cancel()
	return r.ver.Sent(ctx, op)
}

// acquire takes an in-flight slot unless the run stops first.
func (r *run) acquire() bool {
	select {
	case r.sem <- struct{}{}:
		return true
	case <-r.ctx.Done():
		return false
	}
}

// retryable decides whether err may be retried for op, after which delay,
// and whether the outcome of a create is unknown (it may exist).
func (r *run) retryable(op Op, err error, attempt int) (delay time.Duration, ok, ambiguous bool) {
	backoff := r.cfg.backoff << attempt
	if backoff > r.cfg.maxBackoff || backoff <= 0 {
		backoff = r.cfg.maxBackoff
	}
	backoff = jitter(backoff, 0.5)
	var he *HTTPError
	if errors.As(err, &he) && he.Status == 429 {
		if he.RetryAfter > 0 {
			ra := min(he.RetryAfter, time.Minute)
			return ra + time.Duration(rand.Float64()*0.1*float64(ra)) + time.Duration(rand.Int64N(int64(50*time.Millisecond))), true, false
		}
		return backoff, true, false // not processed: safe for every operation
	}
	switch Classify(err) {
	case ClassConnect:
		if notSent(err) {
			return backoff, true, false
		}
		fallthrough
	case ClassTimeout, Class5xx, ClassOther:
		switch {
		case op.Kind.Idempotent():
			return backoff, true, false
		case op.Kind == OpCreate:
			return backoff, true, true // look the ticket up; never re-create blindly
		}
		return 0, false, false // a reply or comment may have been delivered
	}
	return 0, false, false
}

func jitter(d time.Duration, frac float64) time.Duration {
	return d + time.Duration(rand.Float64()*frac*float64(d))
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
