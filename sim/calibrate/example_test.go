package calibrate_test

import (
	"fmt"
	"strings"

	"github.com/slasim/slasim/sim/calibrate"
)

// A tiny event log: two calls, one answered after 30 s and handled for
// 5 minutes, one abandoned after 90 s. Patience counts the answered wait as
// censored: (30 s + 90 s) ÷ 1 abandonment = 2 minutes, where the naive mean
// of abandoned waits says 90 s.
func Example() {
	log := `ticket,time,status,channel,category
1,2026-11-02T09:00:00Z,created,phone,order
1,2026-11-02T09:00:30Z,answered,phone,order
1,2026-11-02T09:05:30Z,agent_reply,phone,order
1,2026-11-02T09:05:30Z,resolved,phone,order
2,2026-11-02T09:10:00Z,created,phone,order
2,2026-11-02T09:11:30Z,abandoned,phone,order
`
	h := calibrate.NewHistory(calibrate.Config{})
	if err := calibrate.ReadCSV(strings.NewReader(log), "calls.csv", calibrate.Mapping{}, &h.Issues, h.Add); err != nil {
		panic(err)
	}
	cal := h.Estimate("calls.csv")
	p := cal.Channels[0].Patience
	fmt.Printf("%s: %d contacts, patience %.0fs (naive %.0fs), handle time %.0fs\n",
		cal.Channels[0].Mode, cal.Tickets, p.MeanMLE, p.NaiveMean, cal.Categories[0].HandleTime.Mean)
	// Output: sync: 2 contacts, patience 120s (naive 90s), handle time 300s
}
