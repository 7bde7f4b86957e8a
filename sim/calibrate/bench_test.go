package calibrate

import (
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"
)

// exportReader generates a CSV event log of n rows on the fly, four rows a
// ticket (created, answered, agent_reply, resolved; or, one ticket in
// twenty, created, queued, abandoned and a row with an unparsable time), a
// ticket a minute on two channels and three categories, so the benchmark
// reads a real export without holding it in memory.
type exportReader struct {
	rows, n int
	buf     []byte
	t0      time.Time
}

func newExport(n int) *exportReader {
	return &exportReader{n: n, buf: []byte("case id,timestamp,activity,channel,category,support level,resource\n"),
		t0: time.Date(2025, 1, 6, 0, 0, 0, 0, time.FixedZone("", 3600))}
}

func (e *exportReader) Read(p []byte) (int, error) {
	for len(e.buf) < len(p) && e.rows < e.n {
		e.ticket()
	}
	n := copy(p, e.buf)
	e.buf = e.buf[:copy(e.buf, e.buf[n:])]
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

// ticket appends the rows of the next ticket.
func (e *exportReader) ticket() {
	id := e.rows / 4
	ch, cat := [2]string{"phone", "email"}[id%2], [3]string{"order", "returns", "bug"}[id%3]
	t := e.t0.Add(time.Duration(id) * time.Minute)
	agent := id % 40
	row := func(status string, d time.Duration) {
		if e.rows < e.n {
			e.buf = fmt.Appendf(e.buf, "%d,%s,%s,%s,%s,L1,rep-%d\n", id, t.Add(d).Format(time.RFC3339), status, ch, cat, agent)
			e.rows++
		}
	}
	row("created", 0)
	if id%20 == 0 {
		row("queued", 0)
		row("abandoned", time.Duration(30+id%60)*time.Second)
		if e.rows < e.n { // a bad row: an unparsable time
			e.buf = fmt.Appendf(e.buf, "%d,yesterday,resolved,%s,%s,L1,rep-%d\n", id, ch, cat, agent)
			e.rows++
		}
		return
	}
	wait := time.Duration(id%90) * time.Second
	row("answered", wait)
	row("agent_reply", wait+time.Duration(240+id%300)*time.Second)
	row("resolved", wait+time.Duration(240+id%300)*time.Second)
}

// BenchmarkCalibrateExport reads and estimates a generated export of 250k
// and 1M rows: rows/s, and the peak live heap sampled every 50k rows,
// which must not grow with the row count.
func BenchmarkCalibrateExport(b *testing.B) {
	for _, n := range []int{250_000, 1_000_000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			var peak uint64
			for range b.N {
				runtime.GC()
				h := NewHistory(Config{})
				rows := 0
				err := ReadCSV(newExport(n), "export.csv", Mapping{}, &h.Issues, func(ev Event) {
					h.Add(ev)
					if rows++; rows%50_000 == 0 {
						var ms runtime.MemStats
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapAlloc)
					}
				})
				if err != nil {
					b.Fatal(err)
				}
				cal := h.Estimate("export.csv")
				if cal.Tickets == 0 || h.Issues.Errors() != n/80 {
					b.Fatalf("%d tickets, %d bad rows:\n%s", cal.Tickets, h.Issues.Errors(), h.Issues.String())
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}
