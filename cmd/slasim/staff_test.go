package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestStaffSmallScenario(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	code := runStaff([]string{"../../sim/staffing/testdata/mmn.toml", "--out", dir, "--quiet", "--replications", "10"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, f := range []string{"rota.csv", "roster.csv", "requirements.csv", "staffing.json", "staffing.png", "staffing.svg", "tornado.png", "tornado.svg", "staffing.html"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	for _, want := range []string{"BUDGET", "FTE", "TARGETS", "ROTA", "REQUIREMENT", "SENSITIVITY", "PLAN QUALITY", "YOU HAVE vs YOU NEED"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary without %s:\n%s", want, out.String())
		}
	}
	// One weekly cost: the budget's $/week is the plan quality's roster
	// $/week (mmn.toml is one day: both are its paid hours × 5).
	var plan struct {
		Budget struct {
			Weekly float64 `json:"cost_per_week"`
		} `json:"budget"`
		Schedule struct {
			Quality struct {
				Cost float64 `json:"cost_per_week"`
			} `json:"quality"`
		} `json:"schedule"`
	}
	js, err := os.ReadFile(filepath.Join(dir, "staffing.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(js, &plan); err != nil {
		t.Fatal(err)
	}
	if b, q := plan.Budget.Weekly, plan.Schedule.Quality.Cost; b <= 0 || math.Abs(b-q) > 1e-6*b {
		t.Errorf("budget $%.2f a week, plan quality $%.2f: want one figure", b, q)
	}
	// The HTML page carries the budget and both charts, embedded.
	page, err := os.ReadFile(filepath.Join(dir, "staffing.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"FTE", "cost per week", "BUDGET", "data:image/png;base64,", "numbered positions to publish"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("staffing.html lacks %q", want)
		}
	}
	if n := strings.Count(string(page), "data:image/png;base64,"); n != 2 {
		t.Errorf("staffing.html embeds %d charts, want 2 (requirement, tornado)", n)
	}
	if strings.Contains(string(page), "http://") || strings.Contains(string(page), "https://") || strings.Contains(string(page), "<script") {
		t.Error("staffing.html is not self-contained")
	}
	// The roster: numbered full-time positions of the default contract, 8h
	// a day, five days running.
	roster, err := os.ReadFile(filepath.Join(dir, "roster.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(string(roster)), "\n")
	if rows[0] != "position,tier,contract,days,start,end,length,breaks,hours_per_week,hours_in_period" || len(rows) < 2 {
		t.Fatalf("roster.csv:\n%s", roster)
	}
	for i, r := range rows[1:] {
		f := strings.Split(r, ",")
		if f[0] != strconv.Itoa(i+1) || f[2] != "full-time" || f[6] != "8h" || f[8] != "40" || !strings.Contains(f[3], "-") || len(strings.Fields(f[7])) != 3 {
			t.Errorf("roster row %q: want position %d, full-time, a run of days, 8h, three breaks, 40 h", r, i+1)
		}
	}
	// A second run overwrites its own files; a foreign file blocks it.
	if code := runStaff([]string{"--quiet", "--out", dir, "../../sim/staffing/testdata/mmn.toml"}, &out, &errb); code != 0 {
		t.Fatalf("rerun: exit %d: %s", code, errb.String())
	}
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "rota.csv"), []byte("mine"), 0o644)
	if code := runStaff([]string{"../../sim/staffing/testdata/mmn.toml", "--quiet", "--out", other}, &out, &errb); code != 2 {
		t.Errorf("foreign file: exit %d, want 2", code)
	}
}

func TestStaffInfeasibleAndUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := runStaff([]string{"../../sim/staffing/testdata/infeasible.toml", "--quiet"}, &out, &errb); code != 1 {
		t.Errorf("infeasible: exit %d, want 1 (%s)", code, errb.String())
	}
	if code := runStaff([]string{"--replications", "x"}, &out, &errb); code != 2 {
		t.Errorf("bad flag: exit %d, want 2", code)
	}
}

func TestStaffPatternFlags(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	code := runStaff([]string{"../../sim/staffing/testdata/mmn.toml", "--quiet", "--no-sensitivity", "--out", dir,
		"--start-every", "1h", "--lengths", "8h"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	rota, err := os.ReadFile(filepath.Join(dir, "rota.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(rota)), "\n")[1:]
	if len(lines) == 0 {
		t.Fatal("empty rota")
	}
	for _, l := range lines {
		f := strings.Split(l, ",")
		if f[3] != "8h" || !strings.HasSuffix(f[2], ":00") {
			t.Errorf("rota line %q: want 8h shifts starting on the hour", l)
		}
	}
	for _, bad := range [][]string{{"--lengths", "3x"}, {"--lengths", "10h-4h"}, {"--start-every", "7m"}, {"--contract-hours", "0"}} {
		if code := runStaff(append([]string{"../../sim/staffing/testdata/mmn.toml", "--quiet"}, bad...), &out, &errb); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
}

// In period mode the summary says what the trim took off the rota and
// which targets the next smaller rota missed, and the JSON carries it.
func TestStaffPeriodSaysWhatItTrimmed(t *testing.T) {
	var out, errb bytes.Buffer
	if code := runStaff([]string{"../../scenarios/small-team.toml", "--quiet", "--no-sensitivity", "--meet", "period"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"trim: the rota over", "of the requirement of the tiers channels enter still held every period target", "$/week before the trim", "the next smaller rota missed: channel \"phone\""} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if code := runStaff([]string{"../../scenarios/small-team.toml", "--quiet", "--no-sensitivity", "--meet", "period", "--json"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var p struct {
		Trim *struct {
			Scale        float64  `json:"scale"`
			WeeklyBefore float64  `json:"cost_per_week_before"`
			Limit        []string `json:"limit"`
		} `json:"trim"`
		Budget struct {
			Weekly float64 `json:"cost_per_week"`
		} `json:"budget"`
	}
	if err := json.Unmarshal(out.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if p.Trim == nil || p.Trim.Scale >= 1 || len(p.Trim.Limit) == 0 || p.Budget.Weekly >= p.Trim.WeeklyBefore {
		t.Errorf("JSON trim %+v, budget $%.0f/week", p.Trim, p.Budget.Weekly)
	}
}
