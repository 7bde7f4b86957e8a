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
// with --quiet; every method is then a no-op.
type progressBars struct {
	p      *mpb.Progress
	delay  chan any
	timer  *time.Timer
	once   sync.Once
	bars   []*mpb.Bar
	totals []int
}

// newProgress returns the bars for stderr; enabled decides whether they
// are drawn (use progressEnabled).
func newProgress(stderr io.Writer, enabled bool) *progressBars {
	if !enabled {
		return &progressBars{}
	}
	pb := &progressBars{delay: make(chan any)}
	pb.p = mpb.New(mpb.WithOutput(stderr), mpb.WithWidth(40), mpb.WithRefreshRate(150*time.Millisecond),
		mpb.WithRenderDelay(pb.delay), mpb.WithAutoRefresh())
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

func (pb *progressBars) show() {
	pb.once.Do(func() { close(pb.delay) })
}

// track adds a bar named name for total replications and returns the
// callback for sim.Options.Progress.
func (pb *progressBars) track(name string, total int) func(done, total int) {
	if pb.p == nil {
		return nil
	}
	bar := pb.p.AddBar(int64(total),
		mpb.PrependDecorators(
			decor.Name(name, decor.WC{C: decor.DindentRight | decor.DextraSpace}),
			decor.CountersNoUnit("%d/%d replications", decor.WCSyncWidth),
		),
		mpb.AppendDecorators(
			decor.Elapsed(decor.ET_STYLE_GO, decor.WCSyncSpace),
			decor.OnComplete(decor.Name(" ETA "), " "),
			decor.OnComplete(decor.AverageETA(decor.ET_STYLE_GO), "done"),
		),
	)
	pb.bars = append(pb.bars, bar)
	pb.totals = append(pb.totals, total)
	return func(done, n int) {
		if n > 0 && int64(n) != int64(total) {
			bar.SetTotal(int64(n), false)
		}
		bar.SetCurrent(int64(done))
	}
}

// wait completes the bars and waits for the last frame; a run that ended
// before the delay leaves no trace on the terminal.
func (pb *progressBars) wait(ok bool) {
	if pb.p == nil {
		return
	}
	fired := !pb.timer.Stop()
	for i, b := range pb.bars {
		if !fired || !ok {
			b.Abort(!fired)
			continue
		}
		b.SetTotal(int64(pb.totals[i]), true)
	}
	pb.show()
	pb.p.Wait()
}
