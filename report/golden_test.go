package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
)

// smallTeam loads the bundled small-team scenario, shortened to two days in
// hourly intervals so its golden files stay small, with the overrides given.
func smallTeam(t *testing.T, sets ...string) *model.Scenario {
	t.Helper()
	sc, err := model.Load("../scenarios/small-team.toml")
	if err != nil {
		t.Fatal(err)
	}
	sets = append([]string{"scenario.duration=2d", "scenario.interval=1h", "scenario.replications=6"}, sets...)
	for _, kv := range sets {
		k, v, _ := strings.Cut(kv, "=")
		if err := sc.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	return sc
}

// run simulates at the fixed seed of the golden files.
func run(t *testing.T, sc *model.Scenario) *sim.Result {
	t.Helper()
	r, err := sim.Run(sc, sim.Options{Seed: 7, SeedSet: true})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestGoldenFixture pins the JSON contract and the CSV of a fixed
// fixture (not a live run, so a change in the engine does not rewrite
// them). After a deliberate change to the report, run
// go test ./report -update and review the diff of testdata/.
func TestGoldenFixture(t *testing.T) {
	r, _ := fixture()
	// The JSON golden keeps every interval of the last two hours, where
	// the fixture's tail is, and keeps the file small.
	short := *r
	short.Intervals, short.TierIntervals = nil, nil
	for _, iv := range r.Intervals {
		if iv.Index >= 92 {
			short.Intervals = append(short.Intervals, iv)
		}
	}
	for _, iv := range r.TierIntervals {
		if iv.Index >= 92 {
			short.TierIntervals = append(short.TierIntervals, iv)
		}
	}
	var js bytes.Buffer
	if err := WriteJSON(&js, &short); err != nil {
		t.Fatal(err)
	}
	golden(t, "fixture-result.json", js.Bytes())
	checkContract(t, js.Bytes())

	var csv bytes.Buffer
	if err := WriteIntervalsCSV(&csv, r); err != nil {
		t.Fatal(err)
	}
	golden(t, "fixture-intervals.csv", csv.Bytes())
}

// TestRealRunReports checks what a real run of a bundled scenario gives the
// reports, without pinning the engine's figures: the summary fits the
// terminal, the JSON keeps its contract, the CSV has a line per interval
// and channel, and the same seed gives the same bytes.
func TestRealRunReports(t *testing.T) {
	sc := smallTeam(t)
	r := run(t, sc)

	var sum bytes.Buffer
	if err := Summary(&sum, r, sc, SummaryOptions{}); err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(sum.String(), "\n") {
		if w := width(l); w > Columns {
			t.Errorf("summary line %d is %d columns wide: %q", i+1, w, l)
		}
	}
	var js bytes.Buffer
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	checkContract(t, js.Bytes())

	var csv bytes.Buffer
	if err := WriteIntervalsCSV(&csv, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
	if want := 1 + 48*len(r.Channels); len(lines) != want {
		t.Errorf("intervals.csv has %d lines, want %d (a header and one per interval × channel)", len(lines), want)
	}

	// Same seed, same bytes.
	var again bytes.Buffer
	if err := WriteJSON(&again, run(t, smallTeam(t))); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(js.Bytes(), again.Bytes()) {
		t.Error("two runs at the same seed give different JSON")
	}
}

// checkContract checks the keys DESIGN.md promises scripts.
func checkContract(t *testing.T, data []byte) {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"scenario", "seed", "replications", "channels", "tiers", "bands", "intervals"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("result.json lacks %q", k)
		}
	}
	chans, _ := doc["channels"].([]any)
	if len(chans) == 0 {
		t.Fatal("no channels")
	}
	ch := chans[0].(map[string]any)
	for _, k := range []string{"name", "offered", "answered", "abandoned", "deflected", "service_level", "p_wait", "asa_seconds", "abandon_rate", "max_queue"} {
		if _, ok := ch[k]; !ok {
			t.Errorf("channels[0] lacks %q", k)
		}
	}
	sl, _ := ch["service_level"].(map[string]any)
	if _, ok := sl["mean"]; !ok {
		t.Error("service_level is not {mean, ci95}")
	}
	if _, ok := sl["ci95"]; !ok {
		t.Error("service_level is not {mean, ci95}")
	}
	tier := doc["tiers"].([]any)[0].(map[string]any)
	for _, k := range []string{"name", "handled", "escalated", "occupancy", "staffed_hours", "cost"} {
		if _, ok := tier[k]; !ok {
			t.Errorf("tiers[0] lacks %q", k)
		}
	}
	band := doc["bands"].([]any)[0].(map[string]any)
	for _, k := range []string{"name", "cost"} {
		if _, ok := band[k]; !ok {
			t.Errorf("bands[0] lacks %q", k)
		}
	}
}

// TestChartsRealRun draws the charts of a real run and checks each PNG
// and SVG.
func TestChartsRealRun(t *testing.T) {
	sc := smallTeam(t)
	charts, err := Charts(run(t, sc), sc)
	if err != nil {
		t.Fatal(err)
	}
	if len(charts) != 5 {
		t.Fatalf("%d charts, want 5", len(charts))
	}
	for _, c := range charts {
		checkChart(t, c)
	}
}
