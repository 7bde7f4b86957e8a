package main

import (
	"encoding/json"
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
