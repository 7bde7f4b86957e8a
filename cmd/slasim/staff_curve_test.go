package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The cost-of-service curve: one plan per target, as a table, JSON and a
// chart; a dearer target costs no less.
func TestStaffCurve(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	code := runStaff([]string{"../../sim/staffing/testdata/mmn.toml", "--quiet", "--curve", "0.70:0.90:0.10", "--out", dir}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"Cost of service", "70%", "80%", "90%", "agent FTE", "re-simulated SL"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("curve table lacks %q:\n%s", want, out.String())
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "curve.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cv struct {
		Points []struct {
			Target float64 `json:"target"`
			Weekly float64 `json:"cost_per_week"`
			Met    bool    `json:"met"`
		} `json:"points"`
	}
	if err := json.Unmarshal(data, &cv); err != nil {
		t.Fatal(err)
	}
	if len(cv.Points) != 3 {
		t.Fatalf("%d points, want 3", len(cv.Points))
	}
	for k, p := range cv.Points {
		if !p.Met {
			t.Errorf("target %.2f not met", p.Target)
		}
		if k > 0 && p.Weekly < cv.Points[k-1].Weekly {
			t.Errorf("target %.2f costs %.0f, less than %.2f's %.0f", p.Target, p.Weekly, cv.Points[k-1].Target, cv.Points[k-1].Weekly)
		}
	}
	for _, f := range []string{"curve.png", "curve.svg"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

func TestStaffBadModeFlags(t *testing.T) {
	for _, bad := range [][]string{{"--meet", "week"}, {"--curve", "0.9:0.7:0.05"}, {"--curve", "0.7:1.2:0.1"}, {"--quantile", "1.5"}} {
		var out, errb bytes.Buffer
		if code := runStaff(append([]string{"../../sim/staffing/testdata/mmn.toml", "--quiet"}, bad...), &out, &errb); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
}

// A plan for the P90 volume costs more than the median plan, and says so.
func TestStaffQuantile(t *testing.T) {
	src, err := os.ReadFile("../../sim/staffing/testdata/mmn.toml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "forecast.toml")
	text := strings.Replace(string(src), `rate = "120/h"`, "rate = \"120/h\"\nforecast_cv = 0.2", 1)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := runStaff([]string{path, "--quiet", "--json", "--no-sensitivity", "--quantile", "0.9"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var p struct {
		Quantile struct {
			Factors []float64 `json:"volume_factors"`
			Premium float64   `json:"premium_per_week"`
		} `json:"quantile"`
	}
	if err := json.Unmarshal(out.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Quantile.Factors) != 1 || p.Quantile.Factors[0] <= 1.2 || p.Quantile.Premium <= 0 {
		t.Errorf("P90 plan: %+v, want a volume factor above 1.2 (lognormal, cv 0.2) and a positive premium", p.Quantile)
	}
}

// Targets no staffing meets: exit 1 and the reason on stderr.
func TestStaffInfeasibleSaysWhy(t *testing.T) {
	var out, errb bytes.Buffer
	if code := runStaff([]string{"../../sim/staffing/testdata/abandon.toml", "--quiet"}, &out, &errb); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(errb.String(), "never reached") || !strings.Contains(errb.String(), `channel "phone"`) {
		t.Errorf("stderr does not say why: %s", errb.String())
	}
}
