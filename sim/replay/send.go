package replay

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"
)

// errStopped says a request was not sent because sending had stopped.
var errStopped = errors.New("sending stopped")

// exec performs the operations of one action and settles its outcome.
func (r *run) exec(ts *ticketState, s *step) {
	res := &s.res
	if w := time.Since(res.Dispatched); w > 0 {
		res.OrderWait = w
	}
	defer func() {
		res.Done = time.Now()
		res.finish()
		r.record(res)
	}()
	switch {
	case r.sendCtx.Err() != nil:
		res.Class, res.Reason = ClassNotSent, r.stopReason(res, NotSentBehindTicket)
		return
	case ts.failed || (ts.ref == "" && !ts.doubt && s.ops[0].Kind != OpCreate):
		res.Class, res.Error = ClassDependency, errDependency.Error()
		return
	case ts.doubt:
		res.Class, res.Reason = ClassNotSent, NotSentTicketDoubt
		return
	}
	for k := range s.ops {
		op := s.ops[k]
		op.Ref = ts.ref
		out, err := r.send(op, s, res)
		if err != nil {
			r.conclude(s, err)
			if op.Kind == OpCreate {
				ts.doubt = res.Outcome() == OutcomeInDoubt
				ts.failed = res.Outcome() == OutcomeFailed
			}
			return
		}
		if op.Kind == OpCreate {
			ts.ref = out.Ref
		}
	}
	res.Ref = ts.ref
}

// conclude classes a failed action: never left → not sent; left and cut or
// unresolvable → in doubt (with why); else failed by class.
func (r *run) conclude(s *step, err error) {
	res := &s.res
	res.Error = err.Error()
	cut := errors.Is(err, errStopped) || errors.Is(err, context.Canceled) || r.ctx.Err() != nil
	switch {
	case cut && (res.Sent.IsZero() || onlyThrottled(res)):
		// never left, or every answer was a 429 (nothing was processed)
		res.Class, res.Reason = ClassNotSent, r.stopReason(res, s.waitingA)
		res.Error = ""
	case cut:
		res.Class, res.Reason = ClassInDoubt, "cut when the run stopped: "+context.Cause(r.ctx).Error()
		if r.ctx.Err() == nil {
			res.Reason = "cut when sending stopped: " + context.Cause(r.sendCtx).Error()
		}
	case errors.Is(err, errInDoubt):
		res.Class, res.Reason = ClassInDoubt, err.Error()
	default:
		res.Class = Classify(err)
	}
}

// onlyThrottled reports whether every request of res was answered 429.
func onlyThrottled(res *Result) bool {
	for _, c := range res.Codes {
		if c != http.StatusTooManyRequests {
			return false
		}
	}
	return len(res.Codes) > 0
}

// send performs one operation with the fault rules of the package doc.
func (r *run) send(op Op, s *step, res *Result) (Outcome, error) {
	if s.inDoubt {
		if out, ok, err := r.settleCrashed(op, s, res); ok || err != nil {
			return out, err
		}
	}
	for attempt := 0; ; attempt++ {
		out, err := r.do(op, s)
		if err == nil {
			return out, nil
		}
		cls := Classify(err)
		switch {
		case errors.Is(err, errStopped) || cls == ClassCanceled || r.ctx.Err() != nil:
			return out, err
		case cls == Class4xx || cls == ClassRejected || cls == ClassTLS || cls == ClassOther && !ambiguous(err):
			return out, err // a definite refusal: sending again cannot help
		case notSent(err) || op.Kind.Idempotent():
			if attempt >= r.cfg.retries {
				if op.Kind.Idempotent() && cls == ClassTimeout {
					return r.settleIdempotent(op, s, err)
				}
				return out, err
			}
			if !sleepCtx(r.sendCtx, r.backoffAfter(attempt)) {
				return out, errStopped
			}
		default: // a create, reply or comment whose outcome is unknown
			found, ref, lerr := r.lookup(op, s, cls == Class5xx, time.Now())
			if lerr != nil {
				return out, lerr
			}
			if found {
				res.Resolved = "found"
				return Outcome{Ref: ref, Status: res.Status}, nil
			}
			if attempt >= r.cfg.retries {
				return out, fmt.Errorf("%w (absent at the helpdesk after %d attempts)", err, attempt+1)
			}
		}
		res.Retries++
	}
}

// settleIdempotent decides an owner, queue or status change whose every
// attempt timed out: done when the helpdesk shows the ticket in that state,
// else in doubt (a resumed run sends it again, harmlessly).
func (r *run) settleIdempotent(op Op, s *step, cause error) (Outcome, error) {
	if r.ver != nil {
		ok, _, err := r.ask(s, func(ctx context.Context) (bool, string, error) {
			ok, err := r.ver.Sent(ctx, op)
			return ok, "", err
		})
		if err == nil && ok {
			s.res.Resolved = "verified"
			return Outcome{Ref: op.Ref, Status: http.StatusOK}, nil
		}
	}
	return Outcome{}, fmt.Errorf("%w: every attempt timed out (%w)", errInDoubt, cause)
}

// ambiguous reports an error after which the request may have reached the
// helpdesk (connection closed or reset mid-request, unreadable answer).
func ambiguous(err error) bool {
	var he *HTTPError
	return !errors.As(err, &he) && !isTLS(err)
}

// lookup checks whether the helpdesk has the effect of op (a create by its
// marker, a reply or comment by its nonce). After a 5xx (complete) one
// look suffices; after a cut request the helpdesk may still be applying
// it, so absence is believed only once the settle window since from has
// passed. A lookup that cannot be made leaves the action in doubt.
func (r *run) lookup(op Op, s *step, complete bool, from time.Time) (found bool, ref string, err error) {
	var check func(ctx context.Context) (bool, string, error)
	switch {
	case op.Kind == OpCreate:
		check = func(ctx context.Context) (bool, string, error) {
			ref, err := r.ad.Find(ctx, op.Marker)
			return ref != "", ref, err
		}
	case r.ver != nil:
		check = func(ctx context.Context) (bool, string, error) {
			ok, err := r.ver.Sent(ctx, op)
			return ok, op.Ref, err
		}
	default:
		return false, "", fmt.Errorf("%w: the %s may have reached the helpdesk and the adapter cannot look it up by nonce", errInDoubt, op.Kind)
	}
	deadline := from
	if !complete {
		deadline = from.Add(r.cfg.settle)
	}
	failures := 0
	for {
		ok, ref, err := r.ask(s, check)
		switch {
		case errors.Is(err, errStopped):
			return false, "", fmt.Errorf("%w: sending stopped before the %s could be looked up", errInDoubt, op.Kind)
		case errors.Is(err, ErrCannotVerify):
			return false, "", fmt.Errorf("%w: the %s may have reached the helpdesk and the adapter cannot look it up by nonce", errInDoubt, op.Kind)
		case err != nil:
			if failures++; failures > r.cfg.retries {
				return false, "", fmt.Errorf("%w: looking up the %s: %w", errInDoubt, op.Kind, err)
			}
		case ok:
			return true, ref, nil
		case !time.Now().Before(deadline):
			return false, "", nil
		}
		wait := min(time.Until(deadline), jitter(r.cfg.settle/5, 0.2))
		if err != nil || wait <= 0 {
			wait = r.backoffAfter(failures)
		}
		if !sleepCtx(r.sendCtx, wait) {
			return false, "", fmt.Errorf("%w: sending stopped before the %s could be looked up", errInDoubt, op.Kind)
		}
	}
}

// settleCrashed decides an action in flight when an earlier run stopped.
// ok is true when it needs no sending (found or verified).
func (r *run) settleCrashed(op Op, s *step, res *Result) (out Outcome, ok bool, err error) {
	switch {
	case op.Kind == OpCreate, !op.Kind.Idempotent():
		// The earlier request began at beganAt: absence is believed one
		// request timeout later.
		found, ref, err := r.lookup(op, s, false, s.beganAt.Add(r.cfg.timeout-r.cfg.settle))
		if err != nil || found {
			if found {
				res.Resolved = map[bool]string{true: "found", false: "verified"}[op.Kind == OpCreate]
			}
			return Outcome{Ref: ref, Status: 200}, found, err
		}
	case r.ver != nil:
		// re-sending would be harmless, but send nothing twice when the
		// helpdesk can tell the change is there
		if yes, _, err := r.ask(s, func(ctx context.Context) (bool, string, error) {
			ok, err := r.ver.Sent(ctx, op)
			return ok, "", err
		}); err == nil && yes {
			res.Resolved = "verified"
			return Outcome{Ref: op.Ref, Status: 200}, true, nil
		}
	}
	res.Resolved = "resent"
	return Outcome{}, false, nil
}

// do sends one request, holding an in-flight slot for its duration. A 429
// pauses every sender for Retry-After (or a growing backoff) and the
// request is sent again: it was not processed, so this never counts as a
// retry and never fails the action.
func (r *run) do(op Op, s *step) (Outcome, error) {
	res := &s.res
	for {
		if !r.acquire(s) {
			return Outcome{}, errStopped
		}
		if res.Sent.IsZero() {
			// The first request of the action is about to leave: from now on
			// a crash leaves it in doubt.
			if j := r.cfg.journal; j != nil {
				if err := j.Begin(res.Index, res.Ticket, res.Ops); err != nil {
					<-r.sem
					r.stop(err)
					return Outcome{}, errStopped
				}
			}
			res.Sent = time.Now()
		}
		ctx, cancel := context.WithTimeout(r.ctx, r.cfg.timeout)
		out, err := r.ad.Do(ctx, op)
		cancel()
		<-r.sem
		if r.answered(res, out.Status, err) {
			continue
		}
		return out, err
	}
}

// ask makes one lookup request (Find or Verifier.Sent) in a slot, waiting
// out 429s like do.
func (r *run) ask(s *step, check func(context.Context) (bool, string, error)) (bool, string, error) {
	for {
		if !r.acquire(s) {
			return false, "", errStopped
		}
		ctx, cancel := context.WithTimeout(r.ctx, r.cfg.timeout)
		ok, ref, err := check(ctx)
		cancel()
		<-r.sem
		s.res.Lookups++
		status := 0
		if err == nil {
			status = http.StatusOK // a lookup that answered had a 2xx
		}
		if r.answered(&s.res, status, err) {
			continue
		}
		return ok, ref, err
	}
}

// answered records the status of a request and reports whether it was a
// 429 (the sender is then paused).
func (r *run) answered(res *Result, status int, err error) (throttled bool) {
	var he *HTTPError
	if errors.As(err, &he) {
		status = he.Status
	}
	res.Codes = append(res.Codes, status)
	res.Status = status
	if status == 429 {
		res.Throttled++
		r.pause.hold(he.RetryAfter)
		return true
	}
	if err == nil {
		r.pause.ok()
	}
	return false
}

// acquire waits for the end of any 429 pause and for a free in-flight
// slot; false when sending stopped first. The waits are measured.
func (r *run) acquire(s *step) bool {
	for {
		s.waitingA = NotSentPaused
		t0 := time.Now()
		ok := r.pause.wait(r.sendCtx)
		s.res.Paused += time.Since(t0)
		if !ok {
			return false
		}
		s.waitingA = NotSentCapSaturated
		t0 = time.Now()
		select {
		case r.sem <- struct{}{}:
		case <-r.sendCtx.Done():
			s.res.SlotWait += time.Since(t0)
			return false
		}
		s.res.SlotWait += time.Since(t0)
		s.waitingA = NotSentBehindTicket
		if !r.pause.active() {
			return true
		}
		<-r.sem // a pause began while waiting for the slot
	}
}

func (r *run) backoffAfter(attempt int) time.Duration {
	b := r.cfg.backoff << min(attempt, 20)
	if b > r.cfg.maxBackoff || b <= 0 {
		b = r.cfg.maxBackoff
	}
	return jitter(b, 0.5)
}

func jitter(d time.Duration, frac float64) time.Duration {
	return d + time.Duration(rand.Float64()*frac*float64(d))
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
