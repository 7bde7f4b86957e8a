package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/slasim/slasim/model"
)

// ErlangAnswer is one answer of `slasim erlang`: the question as the user
// put it and the formula's figures.
type ErlangAnswer struct {
	// Rate is the arrival rate as the user wrote it ("570/h").
	Rate string
	// Load is the offered load in erlangs (rate × AHT).
	Load float64
	// AHT, Within and Patience are in seconds; Patience 0 means Erlang C.
	AHT, Within, Patience float64
	// Target and MaxAbandon are set when the agents were searched for.
	Target, MaxAbandon float64
	Searched           bool
	Result             model.ErlangResult
}

// erlangJSON is the --json output of `slasim erlang`; times are seconds and
// shares are in [0, 1].
type erlangJSON struct {
	Agents         int     `json:"agents"`
	OfferedErlangs float64 `json:"offered_erlangs"`
	PWait          float64 `json:"p_wait"`
	PAbandon       float64 `json:"p_abandon"`
	ServiceLevel   float64 `json:"service_level"`
	ASASeconds     float64 `json:"asa_seconds"`
	Occupancy      float64 `json:"occupancy"`
}

// WriteErlangJSON writes the answer as one JSON object.
func WriteErlangJSON(w io.Writer, a ErlangAnswer) error {
	r := a.Result
	return json.NewEncoder(w).Encode(erlangJSON{Agents: r.Agents, OfferedErlangs: a.Load, PWait: r.PWait,
		PAbandon: r.PAbandon, ServiceLevel: r.ServiceLevel, ASASeconds: r.ASA, Occupancy: r.Occupancy})
}

// WriteErlang writes the answer as a small table for a person.
func WriteErlang(w io.Writer, a ErlangAnswer) error {
	r := a.Result
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if a.Patience > 0 {
		fmt.Fprintf(tw, "model\tErlang A (mean patience %s)\n", erlangSeconds(a.Patience))
	} else {
		fmt.Fprintf(tw, "model\tErlang C (nobody abandons)\n")
	}
	fmt.Fprintf(tw, "offered load\t%.2f erlangs (%s at %s)\n", a.Load, a.Rate, erlangSeconds(a.AHT))
	if a.Searched {
		goal := fmt.Sprintf("%s within %s", erlangPercent(a.Target), erlangSeconds(a.Within))
		if a.MaxAbandon > 0 {
			goal += fmt.Sprintf(", at most %s abandoning", erlangPercent(a.MaxAbandon))
		}
		fmt.Fprintf(tw, "agents required\t%d for %s\n", r.Agents, goal)
	} else {
		fmt.Fprintf(tw, "agents\t%d\n", r.Agents)
	}
	fmt.Fprintf(tw, "P(wait)\t%s\n", erlangPercent(r.PWait))
	if a.Patience > 0 {
		fmt.Fprintf(tw, "P(abandon)\t%s\n", erlangPercent(r.PAbandon))
	}
	fmt.Fprintf(tw, "service level\t%s within %s\n", erlangPercent(r.ServiceLevel), erlangSeconds(a.Within))
	fmt.Fprintf(tw, "ASA\t%s\n", erlangWait(r.ASA))
	fmt.Fprintf(tw, "occupancy\t%s\n", erlangPercent(r.Occupancy))
	return tw.Flush()
}

// erlangPercent writes a share as a percentage with one decimal, dropping
// ".0": 0.823 → "82.3%", 0.8 → "80%".
func erlangPercent(v float64) string {
	s := strconv.FormatFloat(100*v, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0") + "%"
}

// erlangSeconds writes a span compactly: 20s, 5m, 1m30s, 2h, 4.5s.
func erlangSeconds(sec float64) string {
	d := time.Duration(math.Round(sec * float64(time.Second)))
	if d%time.Second != 0 || d < time.Minute {
		return strconv.FormatFloat(sec, 'f', -1, 64) + "s"
	}
	s := model.FormatDuration(d)
	s = strings.Replace(s, "m0s", "m", 1)
	s = strings.Replace(s, "h0m", "h", 1)
	return s
}

// erlangWait writes a mean wait in seconds with one decimal, and in
// minutes as well when it is a minute or more: "12.3s", "75.5s (1m16s)".
func erlangWait(sec float64) string {
	s := strconv.FormatFloat(sec, 'f', 1, 64) + "s"
	if sec >= 60 && sec < 1e9 {
		s += " (" + (time.Duration(math.Round(sec*10)) * time.Second / 10).String() + ")"
	}
	return s
}
