package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim/replay"
)

func replayFixture() replay.Summary {
	m := replay.NewMetrics(time.Second)
	t0 := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	for i := 0; i < 300; i++ {
		at := t0.Add(time.Duration(i) * 20 * time.Millisecond)
		r := &replay.Result{Index: i, Ticket: int64(i/3 + 1), Action: []string{"created", "answered", "resolved"}[i%3],
			Intended: at, Dispatched: at.Add(50 * time.Microsecond), Sent: at.Add(time.Millisecond),
			Done: at.Add(time.Duration(20+i%50) * time.Millisecond), Codes: []int{201}, Status: 201}
		if i%40 == 0 {
			r.Class, r.Codes, r.Status = replay.Class5xx, []int{503}, 503
		}
		r.LatencyIntended, r.LatencySent, r.Lag = r.Done.Sub(r.Intended), r.Done.Sub(r.Sent), r.Dispatched.Sub(r.Intended)
		m.Add(r)
	}
	return m.Summary()
}

func TestReplaySummaryTable(t *testing.T) {
	var b bytes.Buffer
	if err := ReplaySummary(&b, replayFixture()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"Replay: 300 actions", "from the intended send time", "actual send time", "created", "resolved", "total",
		"Status codes: 201=292 503=8", "Errors: 5xx=8"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	// aligned: every table row has the same width
	var widths []int
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "|") {
			widths = append(widths, len(strings.TrimRight(l, " ")))
		}
	}
	for _, w := range widths {
		if w != widths[0] {
			t.Fatalf("table rows not aligned: %v\n%s", widths, out)
		}
	}
	var js bytes.Buffer
	if err := WriteReplayJSON(&js, replayFixture()); err != nil {
		t.Fatal(err)
	}
	var back replay.Summary
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || back.Actions != 300 || len(back.Intervals) < 6 {
		t.Fatalf("JSON round trip: %v %+v", err, back.Actions)
	}
}

func TestReplayCharts(t *testing.T) {
	dir := t.TempDir()
	names, err := WriteReplayCharts(dir, replayFixture())
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 6 {
		t.Fatalf("files %v", names)
	}
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(n, ".png") {
			checkPNG(t, n, data)
		} else if !bytes.Contains(data, []byte("<svg")) {
			t.Errorf("%s is not SVG", n)
		}
	}
}
