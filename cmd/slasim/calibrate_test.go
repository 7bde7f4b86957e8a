package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim/calibrate"
)

// TestCalibrateTraceRoundTrip runs the README's worked example: a bundled
// scenario's trace calibrated back into a scenario that loads, with a JSON
// report beside it.
func TestCalibrateTraceRoundTrip(t *testing.T) {
	dir := t.TempDir()
	tr := filepath.Join(dir, "trace.jsonl")
	code, _, errs := runCLI(t, "run", testScenario, "--replications", "1", "--trace", tr)
	require.Equal(t, 0, code, errs)
	out, js := filepath.Join(dir, "calibrated.toml"), filepath.Join(dir, "calibration.json")
	page := filepath.Join(dir, "calibration.html")
	code, stdout, errs := runCLI(t, "calibrate", tr, "--start", "2026-11-02T00:00:00+01:00", "--timezone", "Europe/Amsterdam", "--out", out, "--json", js, "--html", page, "--backtest")
	require.Equal(t, 0, code, errs)
	html, err := os.ReadFile(page)
	require.NoError(t, err)
	for _, want := range []string{"Patience: Kaplan–Meier against the fitted exponential", "Backtest: daily service level", "data:image/png;base64,", "Daily volume: observed and fitted"} {
		require.Contains(t, string(html), want)
	}
	require.Contains(t, stdout, "Bias (mean daily error)")
	require.Contains(t, stdout, "Calibrated from trace.jsonl: 1,094 tickets over 7 days")
	sc, err := model.Load(out)
	require.NoError(t, err)
	require.Equal(t, "Europe/Amsterdam", sc.Meta.TimeZone)
	require.Equal(t, model.ModeSync, sc.Channels[sc.ChannelIndex("phone")].Mode, "phone's mode from its name")
	var cal calibrate.Calibration
	b, err := os.ReadFile(js)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &cal))
	require.Len(t, cal.Channels, 2)
}

func TestCalibrateBadHistoryExitsTwo(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "export.csv")
	rows := "ticket,time,status,channel\n1,2026-11-02T09:00:00Z,created,email\n2,noon,created,email\n1,2026-11-02T09:30:00Z,agent_reply,email\n"
	require.NoError(t, os.WriteFile(csv, []byte(rows), 0o644))
	code, _, errs := runCLI(t, "calibrate", csv, "--out", filepath.Join(dir, "c.toml"), "--json", "", "--html", "")
	require.Equal(t, 2, code)
	require.Contains(t, errs, `export.csv:3: time "noon"`)
	require.Contains(t, errs, "1 of 3 rows")
	// A trace needs its start; unknown formats and flags are refused.
	for _, args := range [][]string{
		{"calibrate", filepath.Join(dir, "t.jsonl")},
		{"calibrate", filepath.Join(dir, "t.xlsx")},
		{"calibrate", csv, "--mode", "phone=psychic"},
	} {
		code, _, errs := runCLI(t, args...)
		require.Equal(t, 2, code, strings.Join(args, " "))
		require.NotEmpty(t, errs)
	}
}

// TestCalibrateForecast forecasts a week after four weeks of history and
// writes a scenario for it that loads, with the last week's rota weekly.
func TestCalibrateForecast(t *testing.T) {
	dir := t.TempDir()
	tr := filepath.Join(dir, "trace.jsonl")
	code, _, errs := runCLI(t, "run", testScenario, "--replications", "1", "--set", "scenario.duration=28d", "--trace", tr)
	require.Equal(t, 0, code, errs)
	fc := filepath.Join(dir, "forecast.toml")
	code, stdout, errs := runCLI(t, "calibrate", tr, "--start", "2026-11-02T00:00:00+01:00", "--out", filepath.Join(dir, "c.toml"),
		"--json", "", "--html", "", "--for", "2026-12-07..2026-12-13", "--forecast-out", fc)
	require.Equal(t, 0, code, errs)
	require.Contains(t, stdout, "Mon 7 Dec")
	require.Contains(t, stdout, "weeks held out, MAPE")
	sc, err := model.Load(fc)
	require.NoError(t, err)
	require.Equal(t, 7*24.0, sc.Meta.Duration.Hours())
	require.NotEmpty(t, sc.Shifts)
	require.Empty(t, sc.Shifts[0].Dates, "a weekly rota, not the history's dates")
	code, _, errs = runCLI(t, "calibrate", tr, "--start", "2026-11-02T00:00:00+01:00", "--out", filepath.Join(dir, "c.toml"), "--json", "", "--html", "", "--for", "2026-11-10..2026-11-12")
	require.Equal(t, 2, code, "a target inside the history")
	require.Contains(t, errs, "--for")
}
