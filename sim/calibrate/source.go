package calibrate

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/slasim/slasim/sim/trace"
)

// ReadTrace reads a JSON-lines lifecycle trace (what `slasim run --trace`
// writes) as history. Trace times are seconds since the simulated period's
// start, which the trace does not carry: start places them in time. Bad
// lines are counted in is and skipped; only a read error stops it.
func ReadTrace(r io.Reader, name string, start time.Time, is *Issues, add func(Event)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), trace.MaxLine)
	t0 := float64(start.UnixNano()) / 1e9
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		is.Rows++
		var a trace.Action
		if err := json.Unmarshal(b, &a); err != nil {
			kind := Malformed
			if strings.Contains(err.Error(), "unknown action") {
				kind = UnknownKind
			}
			is.Add(kind, fmt.Sprintf("%s:%d: %v", name, line, err))
			continue
		}
		if a.Kind == 0 || a.Ticket <= 0 {
			is.Add(Malformed, fmt.Sprintf("%s:%d: missing \"action\" or \"ticket\"", name, line))
			continue
		}
		add(traceEvent(a, t0, line))
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s:%d: %w", name, line+1, err)
	}
	return nil
}

// traceEvent is a trace's action as an event of a history whose period
// starts at t0 (epoch seconds).
func traceEvent(a trace.Action, t0 float64, line int) Event {
	return Event{Line: line, T: t0 + a.T, Ticket: strconv.FormatInt(a.Ticket, 10), Kind: a.Kind,
		Channel: a.Channel, Category: a.Category, Priority: a.Priority,
		Tier: a.Tier, Agent: a.Agent, From: a.From, To: a.To}
}

// Mapping says how to read a CSV event log: which column holds which
// field, how statuses map to lifecycle actions, and the time zone of times
// written without an offset. Empty fields take the defaults of
// DefaultMapping.
type Mapping struct {
	// Columns maps a field (ticket, time, status, channel, category,
	// priority, tier, agent, from, to) to its header.
	Columns map[string]string `toml:"columns"`
	// Status maps a status or activity as written in the log to an action
	// name of the trace (created, queued, answered, agent_reply,
	// customer_reply, escalated, resolved, abandoned…).
	Status map[string]string `toml:"status"`
	// TimeZone (IANA) reads times written without an offset; without it
	// such a time is an error, never a guess.
	TimeZone string `toml:"timezone"`
	// TimeLayout is a Go time layout tried before the usual ones.
	TimeLayout string `toml:"time_layout"`
}

// fieldHeaders are the header names recognised for each field when the
// mapping does not name a column (compared case-insensitively).
var fieldHeaders = map[string][]string{
	"ticket":   {"ticket", "ticket_id", "case id", "case_id", "case", "incident", "number", "id"},
	"time":     {"time", "timestamp", "t", "date", "event_time", "datetime"},
	"status":   {"action", "status", "activity", "event", "incident state"},
	"channel":  {"channel", "via", "source", "contact_type", "contact type"},
	"category": {"category", "product", "topic", "type"},
	"priority": {"priority"},
	"tier":     {"tier", "level", "support level", "support_level", "group", "assignment group", "queue"},
	"agent":    {"agent", "resource", "assignee", "owner", "assigned_to"},
	"from":     {"from", "from_tier"},
	"to":       {"to", "to_tier"},
}

// statusSynonyms maps common helpdesk statuses to lifecycle actions.
var statusSynonyms = map[string]trace.Kind{
	"new": trace.Created, "create": trace.Created, "opened": trace.Created,
	"waiting": trace.Queued, "in queue": trace.Queued,
	"accepted": trace.Answered, "in progress": trace.Answered, "taken": trace.Answered,
	"replied": trace.AgentReply, "correspondence": trace.AgentReply, "agent reply": trace.AgentReply,
	"customer reply": trace.CustomerReply, "reopened": trace.CustomerReply,
	"escalate": trace.Escalated,
	"closed":   trace.Resolved, "solved": trace.Resolved,
	"cancelled": trace.Abandoned, "canceled": trace.Abandoned, "hung up": trace.Abandoned,
}

// LoadMapping reads a mapping file (TOML with [columns] and [status]).
func LoadMapping(path string) (Mapping, error) {
	var m Mapping
	b, err := os.ReadFile(path)
	if err != nil {
		return m, err
	}
	md, err := toml.Decode(string(b), &m)
	if err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	if u := md.Undecoded(); len(u) > 0 {
		return m, fmt.Errorf("%s: unknown key %q", path, u[0].String())
	}
	return m, nil
}

// csvReader is a CSV log being read with a resolved mapping.
type csvReader struct {
	name   string
	col    map[string]int
	status map[string]trace.Kind
	loc    *time.Location
	layout string
	offset int
	zoned  bool
}

// ReadCSV reads a CSV event log (one row per status change) as history.
// The first row is the header. Rows that cannot be read are counted in is
// and skipped.
func ReadCSV(r io.Reader, name string, m Mapping, is *Issues, add func(Event)) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%s:1: reading the header: %w", name, err)
	}
	rd, err := newCSVReader(name, header, m)
	if err != nil {
		return err
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		is.Rows++
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return fmt.Errorf("%s:%d: %w", name, line, err)
			}
			is.Add(Malformed, fmt.Sprintf("%s:%d: %v", name, pe.Line, pe.Err))
			continue
		}
		if ev, ok := rd.event(rec, line, is); ok {
			add(ev)
		}
	}
}

func newCSVReader(name string, header []string, m Mapping) (*csvReader, error) {
	rd := &csvReader{name: name, col: map[string]int{}, status: map[string]trace.Kind{}, loc: nil, layout: m.TimeLayout, offset: -1 << 31}
	idx := map[string]int{}
	for i, h := range header {
		idx[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for field, names := range fieldHeaders {
		if h, ok := m.Columns[field]; ok {
			i, found := idx[strings.ToLower(h)]
			if !found {
				return nil, fmt.Errorf("%s:1: mapping names column %q for %s, which the header does not have", name, h, field)
			}
			rd.col[field] = i
			continue
		}
		for _, n := range names {
			if i, ok := idx[n]; ok {
				rd.col[field] = i
				break
			}
		}
	}
	for _, need := range []string{"ticket", "time", "status", "channel"} {
		if _, ok := rd.col[need]; !ok {
			return nil, fmt.Errorf("%s:1: no column for %s (headers %q; name it in the mapping's [columns])", name, need, header)
		}
	}
	for k, v := range statusSynonyms {
		rd.status[k] = v
	}
	for _, k := range trace.Kinds() {
		rd.status[k.String()] = k
	}
	for from, to := range m.Status {
		k, err := trace.ParseKind(to)
		if err != nil {
			return nil, fmt.Errorf("mapping: status %q: %w", from, err)
		}
		rd.status[strings.ToLower(from)] = k
	}
	if m.TimeZone != "" {
		loc, err := time.LoadLocation(m.TimeZone)
		if err != nil {
			return nil, fmt.Errorf("mapping: timezone: %w", err)
		}
		rd.loc = loc
	}
	return rd, nil
}

func (rd *csvReader) get(rec []string, field string) string {
	if i, ok := rd.col[field]; ok && i < len(rec) {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

func (rd *csvReader) event(rec []string, line int, is *Issues) (Event, bool) {
	where := func(f string, a ...any) string { return fmt.Sprintf("%s:%d: ", rd.name, line) + fmt.Sprintf(f, a...) }
	for _, f := range []string{"ticket", "time", "status", "channel"} {
		if rd.col[f] >= len(rec) {
			is.Add(Malformed, where("%d fields, no %s", len(rec), f))
			return Event{}, false
		}
	}
	ts := rd.get(rec, "time")
	t, off, zoned, err := rd.parseTime(ts)
	if err != nil {
		is.Add(BadTime, where("time %q: %v", ts, err))
		return Event{}, false
	}
	if zoned {
		if rd.offset == -1<<31 {
			rd.offset = off
		} else if off != rd.offset {
			is.Add(MixedZones, where("time %q: offset differs from the first row's (read as that instant)", ts))
		}
	}
	st := rd.get(rec, "status")
	k, ok := rd.status[strings.ToLower(st)]
	if !ok {
		is.Add(UnknownKind, where("status %q maps to no action (add it to the mapping's [status])", st))
		return Event{}, false
	}
	ticket := rd.get(rec, "ticket")
	if ticket == "" {
		is.Add(Malformed, where("empty ticket id"))
		return Event{}, false
	}
	return Event{Line: line, T: t, Ticket: ticket, Kind: k,
		Channel: rd.get(rec, "channel"), Category: rd.get(rec, "category"), Priority: rd.get(rec, "priority"),
		Tier: rd.get(rec, "tier"), Agent: rd.get(rec, "agent"), From: rd.get(rec, "from"), To: rd.get(rec, "to")}, true
}

// zonedLayouts carry their own offset; localLayouts need the mapping's zone.
var (
	zonedLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 -0700", "2006-01-02T15:04:05-0700"}
	localLayouts = []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006/01/02 15:04:05", "02/01/2006 15:04:05"}
)

// parseTime reads a time as seconds since the epoch; zoned says whether
// the text carried an offset, off is that offset in seconds.
func (rd *csvReader) parseTime(s string) (t float64, off int, zoned bool, err error) {
	if rd.layout != "" {
		loc := rd.loc
		if loc == nil {
			loc = time.UTC
		}
		if v, e := time.ParseInLocation(rd.layout, s, loc); e == nil {
			_, off = v.Zone()
			return float64(v.UnixNano()) / 1e9, off, true, nil
		}
	}
	for _, l := range zonedLayouts {
		if v, e := time.Parse(l, s); e == nil {
			_, off = v.Zone()
			return float64(v.UnixNano()) / 1e9, off, true, nil
		}
	}
	for _, l := range localLayouts {
		if _, e := time.Parse(l, s); e == nil {
			if rd.loc == nil {
				return 0, 0, false, errors.New("no time zone in the time and none in the mapping (timezone = \"…\")")
			}
			v, _ := time.ParseInLocation(l, s, rd.loc)
			return float64(v.UnixNano()) / 1e9, 0, false, nil
		}
	}
	return 0, 0, false, errors.New("not a date-time (RFC 3339, or YYYY-MM-DD hh:mm:ss with a mapping timezone)")
}
