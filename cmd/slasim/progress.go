package main

import (
	"io"
	"os"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// progressDelay is how long a run goes before its bars appear: quick runs
// print nothing.
var progressDelay = time.Second

// progressBars shows, on stderr, one bar per run: replications done of the
// total, elapsed time and ETA. It is off when stderr is not a terminal or
// with --quiet; every method is then a no-op. Nothing is drawn, or even
// created, before progressDelay has passed, so a quick run leaves no trace.
type progressBars struct {
	out    io.Writer
	mu     sync.Mutex
	p      *mpb.Progress // nil until the delay has passed
	timer  *time.Timer
	tracks []*track
	done   bool
}

// track is one run's count, kept whether or not its bar is drawn yet.
type track struct {
	name        string
	unit        string
	total, done int
	bar         *mpb.Bar
}

func (tr *track) unitName() string {
	if tr.unit == "" {
		return "replications"
	}
	return tr.unit
}

// newProgress returns the bars for stderr; enabled decides whether they
// are drawn (use progressEnabled).
func newProgress(stderr io.Writer, enabled bool) *progressBars {
	if !enabled {
		return &progressBars{}
	}
	pb := &progressBars{out: stderr}
	pb.timer = time.AfterFunc(progressDelay, pb.show)
	return pb
}

// progressEnabled reports whether progress should be drawn: stderr is a
// terminal and --quiet was not given.
func progressEnabled(stderr io.Writer, quiet bool) bool {
	return !quiet && isTerminal(stderr)
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// show starts drawing, once the delay has passed.
func (pb *progressBars) show() {
	pb.mu.Lock()
	defer pb.mu.Unlock()
	if pb.done || pb.p != nil {
		return
	}
	pb.p = mpb.New(mpb.WithOutput(pb.out), mpb.WithWidth(40), mpb.WithRefreshRate(150*time.Millisecond), mpb.WithAutoRefresh())
	for _, tr := range pb.tracks {
		pb.addBar(tr)
	}
}

func (pb *progressBars) addBar(tr *track) {
	tr.bar = pb.p.AddBar(int64(tr.total),
		mpb.PrependDecorators(
			decor.Name(tr.name, decor.WC{C: decor.DindentRight | decor.DextraSpace}),
			decor.CountersNoUnit("%d/%d "+tr.unitName(), decor.WCSyncWidth),
		),
		mpb.AppendDecorators(
			decor.Elapsed(decor.ET_STYLE_GO, decor.WCSyncSpace),
			decor.OnComplete(decor.Name(" ETA "), " "),
			decor.OnComplete(decor.AverageETA(decor.ET_STYLE_GO), "done"),
		),
	)
	tr.bar.SetCurrent(int64(tr.done))
}

// track adds a bar named name for total replications and returns the
// callback for sim.Options.Progress.
func (pb *progressBars) track(name string, total int) func(done, total int) {
	return pb.trackIn(name, "replications", total)
}

// trackIn adds a bar named name counting total of unit (e.g.
// "simulations").
func (pb *progressBars) trackIn(name, unit string, total int) func(done, total int) {
	if pb.timer == nil {
		return nil
	}
	pb.mu.Lock()
	tr := &track{name: name, total: total, unit: unit}
	pb.tracks = append(pb.tracks, tr)
	if pb.p != nil {
		pb.addBar(tr)
	}
	pb.mu.Unlock()
	return func(done, n int) {
		pb.mu.Lock()
		defer pb.mu.Unlock()
		if n > 0 {
			tr.total = n
		}
		tr.done = done
		if tr.bar != nil {
			tr.bar.SetTotal(int64(tr.total), false)
			tr.bar.SetCurrent(int64(done))
		}
	}
}

// wait completes the bars and waits for the last frame; a run that ended
// before the delay drew nothing and leaves nothing.
func (pb *progressBars) wait(ok bool) {
	if pb.timer == nil {
		return
	}
	pb.timer.Stop()
	pb.mu.Lock()
	pb.done = true
	p := pb.p
	for _, tr := range pb.tracks {
		if tr.bar == nil {
			continue
		}
		if ok {
			tr.bar.SetTotal(int64(tr.total), true)
		} else {
			tr.bar.Abort(false)
		}
	}
	pb.mu.Unlock()
	if p != nil {
		p.Wait()
	}
}
