package replay

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Result is the outcome of one trace action: one "done" record of the
// journal, and what Metrics are computed from.
type Result struct {
	// Index is the position of the action in the trace (from 0); it
	// identifies the action across resumes.
	Index  int    `json:"i"`
	Ticket int64  `json:"ticket"`
	Action string `json:"action"`
	// Ops are the operations sent for the action, in order.
	Ops []OpKind `json:"ops"`
	// Ref is the helpdesk's id of the ticket after the action.
	Ref string `json:"ref,omitempty"`
	// Status is the HTTP status of the last request; Codes of every
	// request, retries included (0: no HTTP answer).
	Status  int   `json:"status,omitempty"`
	Codes   []int `json:"codes,omitempty"`
	Retries int   `json:"retries,omitempty"`
	// Throttled counts 429 answers (waited out, never retries); Lookups
	// the requests made to settle an unknown outcome (Find, Verifier).
	Throttled int `json:"throttled,omitempty"`
	Lookups   int `json:"lookups,omitempty"`
	// Class is the error class ("" when the action succeeded); Error the
	// message; Reason why an action is in doubt or was not sent.
	Class  string `json:"class,omitempty"`
	Error  string `json:"error,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Resolved tells how an in-doubt action of a resumed run was settled:
	// "found" (the create existed), "verified" (the reply was there), "resent".
	Resolved string `json:"resolved,omitempty"`
	// Intended is when the action was due; Dispatched when the scheduler
	// handed it over; Sent when its first request left; Done when its last
	// answer came back.
	Intended   time.Time `json:"intended"`
	Dispatched time.Time `json:"dispatched"`
	Sent       time.Time `json:"sent,omitzero"`
	Done       time.Time `json:"done"`
	// Latencies in nanoseconds (redundant with the times, for people and jq).
	LatencyIntended time.Duration `json:"latency_intended_ns"`
	LatencySent     time.Duration `json:"latency_sent_ns"`
	Lag             time.Duration `json:"lag_ns"`
	OrderWait       time.Duration `json:"order_wait_ns,omitempty"`
	// SlotWait is the time spent waiting for a free in-flight slot, Paused
	// the time held by 429 pauses.
	SlotWait time.Duration `json:"slot_wait_ns,omitempty"`
	Paused   time.Duration `json:"paused_ns,omitempty"`
}

// Outcome is the one outcome of the action: OutcomeOK, OutcomeFailed,
// OutcomeInDoubt or OutcomeNotSent.
func (r *Result) Outcome() string {
	switch r.Class {
	case ClassOK:
		return OutcomeOK
	case ClassInDoubt:
		return OutcomeInDoubt
	case ClassNotSent, ClassCanceled:
		return OutcomeNotSent
	}
	return OutcomeFailed
}

// OK reports whether the action succeeded.
func (r *Result) OK() bool { return r.Class == ClassOK }

func (r *Result) finish() {
	r.LatencyIntended = r.Done.Sub(r.Intended)
	if !r.Sent.IsZero() {
		r.LatencySent = r.Done.Sub(r.Sent)
	}
	if !r.Dispatched.IsZero() {
		r.Lag = r.Dispatched.Sub(r.Intended)
	}
}

// Header is the first record of each run (or resumed segment) in a journal.
type Header struct {
	RunID      string    `json:"run_id"`
	Helpdesk   string    `json:"helpdesk"`
	URL        string    `json:"url,omitempty"`
	Source     string    `json:"source,omitempty"`
	MaxTickets int       `json:"max_tickets,omitempty"`
	Started    time.Time `json:"started"`
	Resumed    bool      `json:"resumed,omitempty"`
}

// End is the last record of a run segment: what the done records do not
// say (actions never sent are not journaled one by one, so that a resumed
// run sends them).
type End struct {
	NotSent map[string]int `json:"not_sent,omitempty"`
	// Paused is the time the senders were held by 429 pauses, Pauses how
	// many separate pauses there were.
	Paused time.Duration `json:"paused_ns,omitempty"`
	Pauses int           `json:"pauses,omitempty"`
}

type record struct {
	Ev string `json:"ev"` // header | begin | done | end
	*Header
	*Result
	*End
	// begin
	BeginIndex  *int      `json:"bi,omitempty"`
	BeginTicket int64     `json:"bt,omitempty"`
	BeginOps    []OpKind  `json:"bops,omitempty"`
	BeginAt     time.Time `json:"bat,omitzero"`
}

// Journal is an append-only JSON-lines file of everything a run does: a
// header, then a "begin" record before each action is sent and a "done"
// record (a Result) after it completes. Each record reaches the file with
// one write call, so it survives the process being killed; the file is
// fsync'd every SyncEvery and on Close.
type Journal struct {
	mu    sync.Mutex
	f     *os.File
	buf   bytes.Buffer
	enc   *json.Encoder
	dirty bool
	err   error
	stop  chan struct{}
	wg    sync.WaitGroup
}

// SyncEvery is how often a Journal is fsync'd while records arrive.
const SyncEvery = 500 * time.Millisecond

// OpenJournal opens (creating or appending to) the journal at path and
// writes h as a new header record.
func OpenJournal(path string, h Header) (*Journal, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	j := &Journal{f: f, stop: make(chan struct{})}
	j.enc = json.NewEncoder(&j.buf)
	if h.Started.IsZero() {
		h.Started = time.Now()
	}
	h.URL = RedactURL(h.URL)
	if err := j.write(record{Ev: "header", Header: &h}); err != nil {
		f.Close()
		return nil, err
	}
	j.wg.Add(1)
	go j.syncLoop()
	return j, nil
}

func (j *Journal) syncLoop() {
	defer j.wg.Done()
	t := time.NewTicker(SyncEvery)
	defer t.Stop()
	for {
		select {
		case <-j.stop:
			return
		case <-t.C:
			j.mu.Lock()
			d := j.dirty
			j.dirty = false
			j.mu.Unlock()
			if d {
				_ = j.f.Sync()
			}
		}
	}
}

func (j *Journal) write(r record) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil {
		return j.err
	}
	j.buf.Reset()
	if err := j.enc.Encode(r); err != nil {
		return err
	}
	if _, err := j.f.Write(j.buf.Bytes()); err != nil {
		j.err = fmt.Errorf("journal: %w", err)
		return j.err
	}
	j.dirty = true
	return nil
}

// Begin records that action index of ticket is about to be sent.
func (j *Journal) Begin(index int, ticket int64, ops []OpKind) error {
	return j.write(record{Ev: "begin", BeginIndex: &index, BeginTicket: ticket, BeginOps: ops, BeginAt: time.Now()})
}

// Done records a completed action.
func (j *Journal) Done(r *Result) error { return j.write(record{Ev: "done", Result: r}) }

// End records the end of a run segment.
func (j *Journal) End(e End) error { return j.write(record{Ev: "end", End: &e}) }

// Close syncs and closes the file.
func (j *Journal) Close() error {
	close(j.stop)
	j.wg.Wait()
	j.mu.Lock()
	defer j.mu.Unlock()
	err := j.f.Sync()
	if cerr := j.f.Close(); err == nil {
		err = cerr
	}
	if j.err != nil {
		return j.err
	}
	return err
}

// JournalState is what a journal says about the runs written to it.
type JournalState struct {
	// Headers of every run segment, first the original run.
	Headers []Header
	// Results are the done records in file order; Done indexes the
	// settled ones (ok or failed) by action index.
	Results []*Result
	Done    map[int]*Result
	// InDoubt are actions that began but never completed (in flight when
	// the process stopped) or completed in doubt, by index, with their
	// ticket.
	InDoubt map[int]int64
	// InDoubtAt is when each in-doubt action began.
	InDoubtAt map[int]time.Time
	// Refs are the helpdesk ids of tickets known from done records.
	Refs map[int64]string
	// End is the end record of the last segment (nil if it did not end).
	End *End
	// Torn is set when the last line was cut short (the process was killed
	// while writing it); that line is ignored. Valid is the length of the
	// journal up to its last complete record.
	Torn  bool
	Valid int64
}

// Final returns the last result of each action, in the order the actions
// first completed: what a summary of the whole journal counts.
func (st *JournalState) Final() []*Result {
	last := map[int]int{}
	var out []*Result
	for _, r := range st.Results {
		if k, ok := last[r.Index]; ok {
			out[k] = r
			continue
		}
		last[r.Index] = len(out)
		out = append(out, r)
	}
	return out
}

// ReadJournal parses a journal.
func ReadJournal(path string) (*JournalState, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	defer f.Close()
	return DecodeJournal(f, path)
}

// RepairJournal truncates the journal at path to its last complete record
// when its last line was cut by a crash, so that records appended by a
// resumed run start on a line of their own. It returns how many bytes were
// cut (0: the journal was whole).
func RepairJournal(path string, st *JournalState) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, fmt.Errorf("journal: %w", err)
	}
	if fi.Size() <= st.Valid {
		return 0, nil
	}
	if err := os.Truncate(path, st.Valid); err != nil {
		return 0, fmt.Errorf("journal: repairing %s: %w", path, err)
	}
	return fi.Size() - st.Valid, nil
}

// DecodeJournal parses a journal from r; name is used in errors. A last
// line that is cut short (no newline, or not a whole record) is ignored and
// reported as Torn.
func DecodeJournal(r io.Reader, name string) (*JournalState, error) {
	st := &JournalState{Done: map[int]*Result{}, InDoubt: map[int]int64{}, InDoubtAt: map[int]time.Time{}, Refs: map[int64]string{}}
	br := bufio.NewReaderSize(r, 1<<20)
	line := 0
	for {
		b, err := br.ReadBytes('\n')
		if len(b) > 0 && (err == nil || err == io.EOF) {
			line++
			if err == io.EOF { // no newline: cut by a crash
				st.Torn = true
				break
			}
			if perr := st.add(b, name, line); perr != nil {
				if _, peek := br.Peek(1); peek == io.EOF {
					st.Torn = true // a bad last line
					break
				}
				return nil, perr
			}
			st.Valid += int64(len(b))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	if len(st.Headers) == 0 {
		return nil, errors.New(name + ": not a replay journal (no header)")
	}
	return st, nil
}

// add folds one journal line in.
func (st *JournalState) add(b []byte, name string, line int) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	var rec record
	if err := json.Unmarshal(b, &rec); err != nil {
		return fmt.Errorf("%s:%d: %w", name, line, err)
	}
	switch rec.Ev {
	case "header":
		if rec.Header == nil {
			return fmt.Errorf("%s:%d: empty header", name, line)
		}
		st.Headers = append(st.Headers, *rec.Header)
		st.End = nil
	case "begin":
		if rec.BeginIndex == nil {
			return fmt.Errorf("%s:%d: begin record without index", name, line)
		}
		if _, done := st.Done[*rec.BeginIndex]; !done {
			st.InDoubt[*rec.BeginIndex] = rec.BeginTicket
			st.InDoubtAt[*rec.BeginIndex] = rec.BeginAt
		}
	case "done":
		res := rec.Result
		if res == nil {
			return fmt.Errorf("%s:%d: empty done record", name, line)
		}
		st.Results = append(st.Results, res)
		if res.Ref != "" {
			st.Refs[res.Ticket] = res.Ref
		}
		switch res.Outcome() {
		case OutcomeInDoubt:
			st.InDoubt[res.Index] = res.Ticket
			if !res.Sent.IsZero() {
				st.InDoubtAt[res.Index] = res.Sent
			}
			return nil
		case OutcomeNotSent:
			return nil
		}
		st.Done[res.Index] = res
		delete(st.InDoubt, res.Index)
		delete(st.InDoubtAt, res.Index)
	case "end":
		st.End = rec.End
	default:
		return fmt.Errorf("%s:%d: unknown record %q", name, line, rec.Ev)
	}
	return nil
}
