package staffing

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/slasim/slasim/model"
)

// The JSON form of a plan is for scripts: names as a scenario writes them,
// times of day as "06:00", durations as strings with units ("8h30m"),
// interval lengths in seconds.

type breakJSON struct {
	After  string `json:"after"`
	Length string `json:"length"`
}

// MarshalJSON writes a shift line as a scenario's [[shift]] would hold it.
func (l ShiftLine) MarshalJSON() ([]byte, error) {
	var br []breakJSON
	for _, b := range l.Breaks {
		br = append(br, breakJSON{After: model.FormatDuration(b.After.Duration), Length: model.FormatDuration(b.Length.Duration)})
	}
	return json.Marshal(struct {
		Name      string      `json:"name"`
		Tier      int         `json:"tier_index"`
		Contract  string      `json:"contract,omitempty"`
		Days      string      `json:"days"`
		Start     string      `json:"start"`
		Length    string      `json:"length"`
		Breaks    []breakJSON `json:"breaks,omitempty"`
		Stagger   string      `json:"stagger"`
		Headcount int         `json:"headcount"`
	}{l.Name, l.Tier, l.Contract, l.DaysText(), clock(l.Start), model.FormatDuration(l.Length), br, model.FormatDuration(l.Stagger), l.Headcount})
}

func clock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60)
}

// MarshalJSON writes the requirement per tier and interval, with the
// interval length in seconds.
func (r *Requirements) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Tiers           []string    `json:"tiers"`
		Start           time.Time   `json:"start"`
		IntervalSeconds float64     `json:"interval_seconds"`
		Erlang          [][]int     `json:"erlang"`
		Simulated       [][]int     `json:"simulated"`
		WarmupIntervals int         `json:"warmup_intervals"`
		WarmupErlang    [][]int     `json:"warmup_erlang"`
		Warmup          [][]int     `json:"warmup"`
		Runs            int         `json:"runs"`
		Margin          []float64   `json:"margin"`
		Meet            Meet        `json:"meet"`
		Classes         int         `json:"classes"`
		Uncertainty     Uncertainty `json:"uncertainty"`
		Unconverged     bool        `json:"unconverged,omitempty"`
		Open            int         `json:"open_classes"`
	}{r.Tiers, r.Start, r.Interval.Seconds(), r.Erlang, r.Simulated, r.WarmupIntervals, r.WarmupErlang, r.Warmup, r.Runs, r.Margin,
		r.Meet, r.Classes, r.Uncertainty, r.Unconverged, r.Open})
}

// MarshalJSON writes the schedule's lines and the agents it expects on the
// floor per tier and interval.
func (s *Schedule) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Lines     []ShiftLine `json:"lines"`
		Scheduled [][]float64 `json:"scheduled"`
		Uncovered int         `json:"uncovered_intervals"`
		Roster    []Position  `json:"roster,omitempty"`
		Quality   *Quality    `json:"quality,omitempty"`
	}{s.Lines, s.Scheduled, s.Uncovered, s.Roster, s.Quality})
}
