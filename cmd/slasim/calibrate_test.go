package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
	for _, want := range []string{"Patience: Kaplan–Meier against the fitted exponential", "Backtest: daily service level", "Backtest: backlog at the end of each day", "Backtest: daily resolution time", "data:image/png;base64,", "Daily volume: observed and fitted"} {
		require.Contains(t, string(html), want)
	}
	require.Contains(t, stdout, "Bias (mean daily error)")
	require.Contains(t, stdout, "Worst intervals by service-level error")
	require.Contains(t, stdout, "backlog obs/sim (err)")
	require.Contains(t, stdout, "Resolution time percentiles")
	require.Contains(t, stdout, "handle factor ± 95%")
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
	require.NotEmpty(t, cal.Backtest.Intervals, "the backtest per interval")
	for _, r := range cal.Backtest.Channels {
		require.NotNil(t, r.Resolution.Error, "%s: resolution time in the backtest", r.Channel)
		require.Equal(t, r.Channel == "email", r.Backlog.Error != nil, "%s: backlog on the deferred channel only", r.Channel)
	}
}

// TestCalibrateEmpiricalHandle writes the observed handle times beside
// the scenario, which loads and names them.
func TestCalibrateEmpiricalHandle(t *testing.T) {
	dir := t.TempDir()
	tr := filepath.Join(dir, "trace.jsonl")
	code, _, errs := runCLI(t, "run", testScenario, "--replications", "1", "--trace", tr)
	require.Equal(t, 0, code, errs)
	out := filepath.Join(dir, "cal.toml")
	code, _, errs = runCLI(t, "calibrate", tr, "--start", "2026-11-02T00:00:00+01:00", "--out", out, "--json", "", "--html", "", "--handle", "empirical")
	require.Equal(t, 0, code, errs)
	sc, err := model.Load(out)
	require.NoError(t, err)
	for _, c := range sc.Categories {
		require.Equal(t, "empirical", c.HandleTime.Dist, c.Name)
		require.FileExists(t, filepath.Join(dir, c.HandleTime.File))
	}
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
		{"calibrate", csv, "--handle", "histogram"},
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

// TestCalibrateZendesk wires `calibrate zendesk` to a fake account serving
// one ticket's incremental exports, and refuses to run without a token.
func TestCalibrateZendesk(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC).Unix()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer zd-test" {
			http.Error(w, "{}", http.StatusUnauthorized)
			return
		}
		if strings.Contains(r.URL.Path, "tickets/cursor") {
			fmt.Fprint(w, `{"tickets":[{"id":7,"via":{"channel":"email"},"type":"question","priority":"normal","requester_id":900}],"end_of_stream":true}`)
			return
		}
		fmt.Fprintf(w, `{"ticket_events":[
			{"id":1,"ticket_id":7,"timestamp":%d,"updater_id":900,"child_events":[{"event_type":"Create","status":"new"},{"event_type":"Comment","public":true,"author_id":900}]},
			{"id":2,"ticket_id":7,"timestamp":%d,"updater_id":55,"child_events":[{"event_type":"Change","assignee_id":55,"previous_value":null}]},
			{"id":3,"ticket_id":7,"timestamp":%d,"updater_id":55,"child_events":[{"event_type":"Comment","public":true,"author_id":55},{"event_type":"Change","status":"solved","previous_value":"open"}]}
		],"end_of_stream":true}`, t0, t0+60, t0+360)
	}))
	defer srv.Close()
	dir := t.TempDir()
	out := filepath.Join(dir, "zd.toml")
	args := []string{"calibrate", "zendesk", "--url", srv.URL, "--token-env", "SLASIM_TEST_ZD_TOKEN", "--start", "2026-11-02T00:00:00Z",
		"--out", out, "--json", "", "--html", ""}
	code, _, errs := runCLI(t, args...)
	require.Equal(t, 2, code)
	require.Contains(t, errs, "SLASIM_TEST_ZD_TOKEN is empty")
	t.Setenv("SLASIM_TEST_ZD_TOKEN", "zd-test")
	code, stdout, errs := runCLI(t, args...)
	require.Equal(t, 0, code, errs)
	require.Contains(t, stdout, "Calibrated from zendesk: 1 ticket over 1 day from Mon 2 Nov 2026 (3 rows)")
	require.Contains(t, stdout, "5m ± 0.0s", "assigned at +60 s, answered at +360 s")
	sc, err := model.Load(out)
	require.NoError(t, err)
	require.Equal(t, model.ModeDeferred, sc.Channels[sc.ChannelIndex("email")].Mode)
}
