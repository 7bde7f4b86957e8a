package replay

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// OpKind is a helpdesk-neutral operation on a ticket.
type OpKind string

// Operations every adapter knows.
const (
	OpCreate        OpKind = "create"
	OpCustomerReply OpKind = "customer_reply"
	OpAgentReply    OpKind = "agent_reply"
	OpComment       OpKind = "comment"
	OpSetOwner      OpKind = "set_owner"
	OpMove          OpKind = "move"
	OpResolve       OpKind = "resolve"
)

// Idempotent reports whether sending the operation twice leaves the helpdesk
// as sending it once (owner, queue and status changes).
func (k OpKind) Idempotent() bool {
	return k == OpSetOwner || k == OpMove || k == OpResolve
}

// Op is one operation to perform on a helpdesk ticket.
type Op struct {
	Kind OpKind `json:"op"`
	// Ticket is the simulated ticket number; Ref the helpdesk's id of the
	// ticket (empty for OpCreate).
	Ticket int64  `json:"ticket"`
	Ref    string `json:"ref,omitempty"`
	// Marker is unique to the ticket within a run (and across resumes); a
	// create carries it (subject, external id) so that the ticket can be
	// found again. Nonce is unique to the operation (put in bodies so an
	// in-doubt reply can be verified).
	Marker string `json:"marker,omitempty"`
	Nonce  string `json:"nonce,omitempty"`
	// Subject and Body of a create, reply or comment.
	Subject string `json:"subject,omitempty"`
	Body    string `json:"body,omitempty"`
	// Channel, Category and Priority of the ticket (set on every op).
	Channel  string `json:"channel,omitempty"`
	Category string `json:"category,omitempty"`
	Priority string `json:"priority,omitempty"`
	// Requester is the customer's address (create, customer reply).
	Requester string `json:"requester,omitempty"`
	// Queue is the target queue or group (create, move).
	Queue string `json:"queue,omitempty"`
	// Owner is the helpdesk user taking the ticket (set_owner).
	Owner string `json:"owner,omitempty"`
	// Status is the status to set (resolve): "resolved".
	Status string `json:"status,omitempty"`
}

// Outcome is what the helpdesk answered to an Op.
type Outcome struct {
	// Ref is the helpdesk's id of the ticket (set by creates).
	Ref string
	// Status is the HTTP status code of the (last) request.
	Status int
}

// Adapter sends helpdesk-neutral operations to one helpdesk product. An
// adapter must be safe for concurrent use.
type Adapter interface {
	// Do performs op and returns the helpdesk's answer. A non-2xx answer or
	// a refusal hidden in a 2xx body is returned as an *HTTPError.
	Do(ctx context.Context, op Op) (Outcome, error)
	// Find returns the Ref of the ticket created with marker, or "" if the
	// helpdesk has none. It makes creates safe to retry.
	Find(ctx context.Context, marker string) (string, error)
}

// Verifier is implemented by adapters that can tell whether a reply or
// comment carrying op.Nonce already reached the ticket op.Ref (and, for
// owner, queue and status changes, whether the ticket is in that state).
// An adapter that cannot for some helpdesk answers ErrCannotVerify.
type Verifier interface {
	Sent(ctx context.Context, op Op) (bool, error)
}

// ErrCannotVerify is what Verifier.Sent answers when the adapter has no
// way to look the operation up (a generic adapter without [find_reply]).
var ErrCannotVerify = errors.New("the adapter cannot look this operation up")

// HTTPError is a refusal by the helpdesk: a non-2xx status, or a 2xx whose
// body says the change was rejected (RT answers validation errors with 200).
type HTTPError struct {
	Status     int
	RetryAfter time.Duration // from a Retry-After header, 0 if none
	Rejected   bool          // 2xx with a refusal in the body
	Msg        string        // short excerpt of the body
}

func (e *HTTPError) Error() string {
	if e.Rejected {
		return fmt.Sprintf("HTTP %d, rejected: %s", e.Status, e.Msg)
	}
	return fmt.Sprintf("HTTP %d: %s", e.Status, e.Msg)
}

// Error classes of Result.Class.
const (
	ClassOK         = ""
	ClassTimeout    = "timeout"
	ClassConnect    = "connect"
	Class4xx        = "4xx"
	Class5xx        = "5xx"
	Class429        = "429"
	ClassRejected   = "rejected"   // 2xx with a refusal in the body
	ClassTLS        = "tls"        // certificate or handshake refused: nothing was sent
	ClassDependency = "dependency" // an earlier action of the ticket failed
	ClassInDoubt    = "in_doubt"   // may or may not have reached the helpdesk; --resume settles it
	ClassNotSent    = "not_sent"   // never sent (Result.Reason says why); --resume sends it
	ClassCanceled   = "canceled"   // the request was cut by the end of the run (internal: becomes in_doubt or not_sent)
	ClassOther      = "other"
)

// Outcomes of an action: every intended action ends in exactly one.
const (
	OutcomeOK      = "ok"
	OutcomeFailed  = "failed"
	OutcomeInDoubt = "in_doubt"
	OutcomeNotSent = "not_sent"
)

// Reasons an action was not sent (Result.Reason of a not_sent action).
const (
	NotSentDuration     = "duration"      // due after --duration or the end of the stages
	NotSentCapSaturated = "cap_saturated" // due in time, but no free in-flight slot before sending stopped
	NotSentPaused       = "paused"        // waiting out a 429 pause when sending stopped
	NotSentBehindTicket = "behind_ticket" // waiting for the ticket's previous action when sending stopped
	NotSentTicketDoubt  = "ticket_in_doubt"
	NotSentAborted      = "aborted"     // --abort-on-error-rate stopped the run
	NotSentInterrupted  = "interrupted" // signal or cancelled context
)

// Classify returns the error class of err (ClassOK for nil).
func Classify(err error) string {
	if err == nil {
		return ClassOK
	}
	var he *HTTPError
	if errors.As(err, &he) {
		switch {
		case he.Rejected:
			return ClassRejected
		case he.Status == http.StatusTooManyRequests:
			return Class429
		case he.Status >= 500:
			return Class5xx
		case he.Status >= 400:
			return Class4xx
		}
		return ClassOther
	}
	if errors.Is(err, errDependency) {
		return ClassDependency
	}
	if errors.Is(err, errInDoubt) {
		return ClassInDoubt
	}
	if isTLS(err) {
		return ClassTLS
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return ClassTimeout
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return ClassTimeout
	}
	if errors.Is(err, context.Canceled) {
		return ClassCanceled
	}
	if notSent(err) {
		return ClassConnect
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return ClassConnect
	}
	return ClassOther
}

// notSent reports whether err proves the request never reached the server
// (the connection could not be made), so that any operation may be retried.
func notSent(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH) {
		return true
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		return true
	}
	var de *net.DNSError
	return errors.As(err, &de)
}

// isTLS reports a certificate or TLS handshake failure: the request was
// never sent, and retrying cannot help.
func isTLS(err error) bool {
	var (
		ua x509.UnknownAuthorityError
		ci x509.CertificateInvalidError
		hn x509.HostnameError
		cv *tls.CertificateVerificationError
		rh tls.RecordHeaderError
		ae tls.AlertError
	)
	return errors.As(err, &ua) || errors.As(err, &ci) || errors.As(err, &hn) || errors.As(err, &cv) ||
		errors.As(err, &rh) || errors.As(err, &ae)
}

var (
	errDependency = errors.New("an earlier action of this ticket failed")
	errInDoubt    = errors.New("outcome unknown, not re-sent to avoid a duplicate")
)

// ParseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
