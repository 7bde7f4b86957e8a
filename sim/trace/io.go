package trace

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
)

// Writer writes Actions as JSON lines, one complete line per action. Lines
// are buffered; Flush (or Close) writes what is buffered, and never writes a
// partial line: a trace cut by a crash ends at its last complete action.
type Writer struct {
	w   io.Writer
	buf []byte
	n   int // buffered bytes before a flush
}

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w, n: 64 << 10} }

// Write appends one action.
func (w *Writer) Write(a Action) error {
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	w.buf = append(w.buf, b...)
	w.buf = append(w.buf, '\n')
	if len(w.buf) >= w.n {
		return w.Flush()
	}
	return nil
}

// Flush writes the buffered lines.
func (w *Writer) Flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	_, err := w.w.Write(w.buf)
	w.buf = w.buf[:0]
	return err
}

// MaxLine is the longest trace line the reader accepts.
const MaxLine = 1 << 20

// Read returns the actions of a JSON-lines trace in file order, and a
// function that gives the error that stopped the iteration (nil at a clean
// end). name is used in errors ("trace.jsonl:12: unknown action \"x\"").
// Blank lines are skipped; a malformed line, an unknown kind or times going
// backwards are errors.
func Read(r io.Reader, name string) (iter.Seq[Action], func() error) {
	var readErr error
	seq := func(yield func(Action) bool) {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), MaxLine)
		line, last := 0, math.Inf(-1)
		for sc.Scan() {
			line++
			b := bytes.TrimSpace(sc.Bytes())
			if len(b) == 0 {
				continue
			}
			a, err := decode(b)
			if err == nil && a.T < last {
				err = fmt.Errorf("time %g is before the previous action's %g", a.T, last)
			}
			if err != nil {
				readErr = fmt.Errorf("%s:%d: %w", name, line, err)
				return
			}
			last = a.T
			if !yield(a) {
				return
			}
		}
		if err := sc.Err(); err != nil {
			readErr = fmt.Errorf("%s:%d: %w", name, line+1, err)
		}
	}
	return seq, func() error { return readErr }
}

func decode(b []byte) (Action, error) {
	var a Action
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			return a, fmt.Errorf("field %q: %v", ute.Field, err)
		}
		return a, err
	}
	if dec.More() {
		return a, errors.New("more than one JSON value on the line")
	}
	if a.Kind == 0 {
		return a, errors.New(`missing "action"`)
	}
	if a.Ticket <= 0 {
		return a, errors.New(`missing or non-positive "ticket"`)
	}
	return a, nil
}
