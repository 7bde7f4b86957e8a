package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slasim/slasim/report"
)

func TestCompareMoreAgentsJSON(t *testing.T) {
	args := []string{"compare", testScenario, "--json", "--set", "shift.morning.headcount=6", "--replications", "5"}
	code, out, errs := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var c report.Comparison
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	sl := c.Find("phone", "service_level")
	cost := c.Find("cost", "staff")
	if sl == nil || cost == nil {
		t.Fatalf("missing deltas in %s", out)
	}
	if !(sl.Diff.Mean > 0) || !(cost.Diff.Mean > 0) || !cost.Significant {
		t.Errorf("3 more agents: service level %+v, cost %+v", sl.Diff, cost.Diff)
	}
	if !strings.Contains(c.B, "shift.morning.headcount=6") {
		t.Errorf("B is labelled %q", c.B)
	}
}

func TestCompareIdenticalFiles(t *testing.T) {
	code, out, errs := runCLI(t, "compare", testScenario, testScenario, "--replications", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "+0.0 pts ± 0.0") || strings.Contains(out, "better") || strings.Contains(out, "worse") {
		t.Errorf("identical scenarios should differ by exactly 0:\n%s", out)
	}
}

func TestCompareBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"compare"}, "one or two scenario files"},
		{[]string{"compare", testScenario}, "at least one --set"},
		{[]string{"compare", testScenario, "--set", "tier.nobody.annual=1"}, "no tier named"},
	} {
		code, _, errs := runCLI(t, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}

// compare --out writes its own page beside the JSON: both sides named,
// MET or MISSED on each, and the figures side by side.
func TestCompareOut(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cmp")
	code, _, errs := runCLI(t, "compare", testScenario, "--replications", "3", "--quiet", "--out", dir,
		"--set", "scenario.duration=2d", "--set", "shift.morning.headcount=1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	page, err := os.ReadFile(filepath.Join(dir, "compare.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Side by side", "Targets", `class="met"`, `class="missed"`, "shift.morning.headcount=1", "B − A"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("compare.html lacks %q", want)
		}
	}
	var c report.Comparison
	js, err := os.ReadFile(filepath.Join(dir, "comparison.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(js, &c); err != nil || c.Find("phone", "service_level").Target != 0.8 {
		t.Errorf("comparison.json: %v, %+v", err, c.Find("phone", "service_level"))
	}
	// A second compare into the same folder is fine (the files are ours).
	if code, _, errs := runCLI(t, "compare", testScenario, "--replications", "2", "--quiet", "--out", dir, "--set", "scenario.duration=1d"); code != 0 {
		t.Errorf("second compare into %s: exit %d: %s", dir, code, errs)
	}
}
