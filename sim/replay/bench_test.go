package replay

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"
)

// loopbackAdapter sends one small JSON POST per operation to a trivial
// server: the cost measured is the replay loop's, not a helpdesk's.
type loopbackAdapter struct {
	h   *HTTP
	url string
}

var loopBody = []byte(`{"op":"x"}`)

func (a *loopbackAdapter) Do(ctx context.Context, op Op) (Outcome, error) {
	r, err := a.h.Send(ctx, http.MethodPost, a.url, nil, loopBody)
	if err != nil {
		return Outcome{}, err
	}
	return Outcome{Ref: "1", Status: r.Status}, nil
}

func (a *loopbackAdapter) Find(context.Context, string) (string, error) { return "", nil }

// BenchmarkReplayLoopback replays b.N actions open-loop at a fixed
// intended rate (12,000 actions/s) against a trivial loopback server and
// reports the achieved rate and the p99 scheduling lag (dispatch time −
// intended time). Target: ≥10,000 actions/s with p99 lag < 2 ms on 2 cores
// (go test -bench ReplayLoopback -cpu 2 ./sim/replay).
func BenchmarkReplayLoopback(b *testing.B) {
	for _, journal := range []bool{false, true} {
		b.Run("journal="+strconv.FormatBool(journal), func(b *testing.B) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(201)
				w.Write([]byte(`{"id":"1"}`))
			}))
			defer srv.Close()
			ad := &loopbackAdapter{h: &HTTP{Client: NewClient(ClientOptions{MaxConns: 256})}, url: srv.URL}
			acts := lifecycle(b.N/5+1, 1)
			acts = acts[:min(b.N, len(acts))]
			opts := []Option{WithPacer(RatePacer{PerSecond: 12000}), MaxInFlight(256)}
			if journal {
				j, err := OpenJournal(b.TempDir()+"/j.jsonl", Header{RunID: "bench"})
				if err != nil {
					b.Fatal(err)
				}
				defer j.Close()
				opts = append(opts, WithJournal(j))
			}
			b.ResetTimer()
			t0 := time.Now()
			m, err := Run(context.Background(), slices.Values(acts), ad, opts...)
			el := time.Since(t0)
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			s := m.Summary()
			if s.OK != s.Actions {
				b.Fatalf("%d of %d ok: %v, not sent %v", s.OK, s.Actions, s.ErrorClasses, s.NotSentBy)
			}
			b.Logf("lag %+v", s.Lag)
			b.ReportMetric(float64(s.OK)/el.Seconds(), "actions/s")
			b.ReportMetric(s.Lag.P99, "p99-lag-ms")
			b.ReportMetric(s.Total.FromIntended.P99, "p99-latency-ms")
		})
	}
}

// BenchmarkReplaySaturated replays at 5,000 actions/s against a server
// that takes 50 ms per request with an in-flight cap of 16 (capacity about
// 320 requests/s) for 1 s of sending: the cap cannot keep the schedule.
// It reports the share of the due actions never sent (for want of a slot,
// theirs or their ticket's previous action's) and checks that the summary
// warns (go test -bench ReplaySaturated ./sim/replay).
func BenchmarkReplaySaturated(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		time.Sleep(50 * time.Millisecond)
		w.WriteHeader(201)
		w.Write([]byte(`{"id":"1"}`))
	}))
	defer srv.Close()
	ad := &loopbackAdapter{h: &HTTP{Client: NewClient(ClientOptions{MaxConns: 64})}, url: srv.URL}
	acts := lifecycle(2000, 1)
	var s Summary
	for range b.N {
		m, err := Run(context.Background(), slices.Values(acts), ad, WithPacer(RatePacer{PerSecond: 5000}),
			MaxInFlight(16), Duration(time.Second), Grace(200*time.Millisecond))
		if err != nil {
			b.Fatal(err)
		}
		s = m.Summary()
	}
	if s.Warning == "" || s.NotSentBy[NotSentCapSaturated] == 0 {
		b.Fatalf("no saturation warning: not sent %v", s.NotSentBy)
	}
	if s.OK+s.Failed+s.InDoubt+s.NotSent != s.Actions || s.Actions != nActions(acts) {
		b.Fatalf("accounting: %d actions = %d ok + %d failed + %d in doubt + %d not sent", s.Actions, s.OK, s.Failed, s.InDoubt, s.NotSent)
	}
	due := s.Actions - s.NotSentBy[NotSentDuration]
	b.Logf("not sent %v; warning: %s", s.NotSentBy, s.Warning)
	b.ReportMetric(float64(due), "due")
	b.ReportMetric(float64(s.OK), "ok")
	b.ReportMetric(100*float64(s.NotSent-s.NotSentBy[NotSentDuration])/float64(due), "%due-not-sent")
	b.ReportMetric(s.Total.FromIntended.P99, "p99-from-intended-ms")
}
