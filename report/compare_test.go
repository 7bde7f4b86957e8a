package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/slasim/slasim/sim"
)

func TestCompareIdenticalIsExactlyZero(t *testing.T) {
	a, b := run(t, smallTeam(t)), run(t, smallTeam(t))
	c := Compare(a, b, "A", "B")
	if len(c.Deltas) == 0 {
		t.Fatal("no deltas")
	}
	for _, d := range c.Deltas {
		if d.Diff.Mean != 0 || d.Diff.CI95 != 0 || d.Significant {
			t.Errorf("%s %s: identical runs differ by %g ± %g", d.Subject, d.Metric, d.Diff.Mean, d.Diff.CI95)
		}
	}
	var out bytes.Buffer
	if err := WriteComparison(&out, c, SummaryOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "total cost unchanged") || !strings.Contains(out.String(), "+0.0 pts ± 0.0") {
		t.Errorf("identical comparison does not say so:\n%s", out.String())
	}
}

func TestCompareMoreAgents(t *testing.T) {
	a := run(t, smallTeam(t))
	b := run(t, smallTeam(t, "shift.morning.headcount=6", "shift.afternoon.headcount=6"))
	c := Compare(a, b, "as rostered", "6 more representatives")
	sl := c.Find("phone", "service_level")
	if sl == nil || !sl.Paired {
		t.Fatalf("phone service level not compared with pairs: %+v", sl)
	}
	if !(sl.Diff.Mean > 0) || !sl.Significant {
		t.Errorf("more agents should raise phone service level significantly: %+v", sl.Diff)
	}
	// Common random numbers: the paired CI is narrower than the unpaired one.
	if unpaired := sl.A.CI95 + sl.B.CI95; !(sl.Diff.CI95 < unpaired) {
		t.Errorf("paired CI %g is not narrower than %g", sl.Diff.CI95, unpaired)
	}
	cost := c.Find("cost", "staff")
	if cost == nil || !(cost.Diff.Mean > 0) || !cost.Significant {
		t.Errorf("more agents should cost more: %+v", cost)
	}
	asa := c.Find("phone", "asa_seconds")
	if asa == nil || !(asa.Diff.Mean < 0) {
		t.Errorf("more agents should shorten ASA: %+v", asa)
	}
	var out bytes.Buffer
	if err := WriteComparison(&out, c, SummaryOptions{}); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{"phone service level", "→", "pts ±", "total cost +$", "▲ better", "▲ worse"} {
		if !strings.Contains(text, want) {
			t.Errorf("comparison lacks %q:\n%s", want, text)
		}
	}
	for i, l := range strings.Split(text, "\n") {
		if width(l) > Columns {
			t.Errorf("line %d is %d columns wide: %q", i+1, width(l), l)
		}
	}
	var js bytes.Buffer
	if err := WriteComparisonJSON(&js, c); err != nil {
		t.Fatal(err)
	}
	var back Comparison
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back.Deltas) != len(c.Deltas) {
		t.Errorf("comparison JSON does not round-trip: %v", err)
	}
}

func TestCompareUnpairedFallback(t *testing.T) {
	r, _ := fixture()
	r2, _ := fixture()
	r2.Channels[0].ServiceLevel.Samples = r2.Channels[0].ServiceLevel.Samples[:3]
	c := Compare(r, r2, "A", "B")
	d := c.Find("phone", "service_level")
	if d.Paired {
		t.Error("samples of different lengths were paired")
	}
}

// Each side is marked against its own target: in the fixture chat misses
// 80%; B, with chat at 85%, meets it.
func TestCompareMarksBothSides(t *testing.T) {
	a, _ := fixture()
	b, _ := fixture()
	b.Channels[1].ServiceLevel = sim.NewStat([]float64{0.85, 0.86, 0.84})
	var out bytes.Buffer
	if err := WriteComparison(&out, Compare(a, b, "A", "B"), SummaryOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"  service level target       A       B\n", "  chat                  80%  MISSED  MET\n", "    vip                 90%  MET     MET\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("comparison lacks %q:\n%s", want, out.String())
		}
	}
}
