package main

import (
	"bytes"
	"os"
	"path/filepath"
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
	for _, f := range []string{"rota.csv", "requirements.csv", "staffing.json", "staffing.png", "staffing.svg", "tornado.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	if !strings.Contains(out.String(), "Budget") {
		t.Errorf("summary without a budget:\n%s", out.String())
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
