package report

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/slasim/slasim/sim"
)

// WriteJSON writes the result contract of DESIGN.md: one indented JSON
// document, its keys in a fixed order, so that the same run gives the same
// bytes.
func WriteJSON(w io.Writer, r *sim.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteIntervalsCSV writes one row per interval and channel: when it
// starts (RFC 3339, in the scenario's zone when given through r.Start's
// location), contact figures (means over replications), service level and
// its CI, ASA, queue mean and max, backlog, then per tier the agents
// staffed and busy (time averages), the interval's staff cost (all tiers,
// the same on every channel's row of an interval) and the channel's cost
// (its share of the staff cost by handle time, plus its automation), and
// the contacts of the interval still open and not yet past their target
// when the period ended (undecided: left out of offered and the service
// level). Undefined figures (no contact offered) are left empty.
func WriteIntervalsCSV(w io.Writer, r *sim.Result) error {
	cw := csv.NewWriter(w)
	head := []string{"start", "channel", "arrivals", "deflected", "offered", "answered", "abandoned",
		"service_level", "service_level_ci95", "asa_seconds", "abandon_rate", "queue_mean", "queue_max", "backlog"}
	tiers := tierNames(r)
	for _, t := range tiers {
		head = append(head, "staffed_"+t, "busy_"+t)
	}
	head = append(head, "staff_cost", "cost", "undecided")
	if err := cw.Write(head); err != nil {
		return err
	}
	type key struct {
		tier  string
		index int
	}
	ti := map[key]*sim.TierIntervalResult{}
	cost := map[int]float64{}
	for i := range r.TierIntervals {
		x := &r.TierIntervals[i]
		ti[key{x.Tier, x.Index}] = x
		cost[x.Index] += x.Cost.Mean
	}
	loc := r.Start.Location()
	undecided := undecidedAt(r)
	for _, x := range r.Intervals {
		row := []string{x.Start.In(loc).Format(time.RFC3339), textCell(x.Channel),
			num(x.Arrivals.Mean), num(x.Deflected.Mean), num(x.Offered.Mean), num(x.Answered.Mean), num(x.Abandoned.Mean),
			optMean(x.ServiceLevel), optCI(x.ServiceLevel), optMean(x.ASASeconds), optMean(x.AbandonRate),
			num(x.QueueMean.Mean), num(x.MaxQueue.Mean), num(x.Backlog.Mean)}
		for _, t := range tiers {
			if tx := ti[key{t, x.Index}]; tx != nil {
				row = append(row, num(tx.Staffed.Mean), num(tx.Busy.Mean))
			} else {
				row = append(row, "", "")
			}
		}
		row = append(row, num(cost[x.Index]), num(x.Cost.Mean), num(undecided[x.Channel][x.Index]))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// tierNames lists the tiers in the result's order.
func tierNames(r *sim.Result) []string {
	ns := make([]string, len(r.Tiers))
	for i, t := range r.Tiers {
		ns[i] = t.Name
	}
	return ns
}

// num writes a figure with at most 4 decimals, no exponent, no "-0".
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	x = math.Round(x*1e4) / 1e4
	if x == 0 {
		x = 0
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

func optMean(s *sim.Stat) string {
	if s == nil {
		return ""
	}
	return num(s.Mean)
}

func optCI(s *sim.Stat) string {
	if s == nil {
		return ""
	}
	return num(s.CI95)
}
