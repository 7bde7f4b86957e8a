package report

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	goldenfile "github.com/slasim/slasim/report/golden"
	"github.com/slasim/slasim/sim"
)

// golden compares got with testdata/name (see package golden; -update
// rewrites it).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got)
}

func TestSummaryFixture(t *testing.T) {
	r, sc := fixture()
	var b bytes.Buffer
	if err := Summary(&b, r, sc, SummaryOptions{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for i, l := range strings.Split(out, "\n") {
		if w := width(l); w > Columns {
			t.Errorf("line %d is %d columns wide (max %d): %q", i+1, w, Columns, l)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour codes without Color")
	}
	for _, want := range []string{"chat", "MISSED", "MET", "vip", "Sat 28 Nov 10:30", "WORST INTERVALS", "band specialist"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	golden(t, "fixture-summary.golden", b.Bytes())

	b.Reset()
	if err := Summary(&b, r, sc, SummaryOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), ansiRed+"MISSED") {
		t.Error("Color does not mark MISSED in red")
	}
}

// With one replication the figures have no confidence interval: the
// summary says "± n/a" and no spread, never "± 0.0" and "88.3–88.3%".
func TestSummaryOneReplication(t *testing.T) {
	r, sc := fixture()
	one := func(s sim.Stat) sim.Stat { return sim.NewStat([]float64{s.Mean}) }
	for i := range r.Channels {
		c := &r.Channels[i]
		c.Offered, c.ServiceLevel, c.ASASeconds, c.AbandonRate, c.MaxQueue = one(c.Offered), one(c.ServiceLevel), one(c.ASASeconds), one(c.AbandonRate), one(c.MaxQueue)
		c.ServiceLevelP10, c.ServiceLevelP90 = c.ServiceLevel.Mean, c.ServiceLevel.Mean
	}
	r.Cost.Total = one(r.Cost.Total)
	var b bytes.Buffer
	if err := Summary(&b, r, sc, SummaryOptions{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	phone := r.Channels[0]
	if want := percent(phone.ServiceLevel.Mean) + " ± n/a"; !strings.Contains(out, want) {
		t.Errorf("summary lacks %q:\n%s", want, out)
	}
	if strings.Contains(out, "% ± 0.0") {
		t.Errorf("a single replication printed as ± 0.0:\n%s", out)
	}
	if !strings.Contains(out, "n/a  80% in 20s") {
		t.Errorf("no n/a in the P10–P90 column:\n%s", out)
	}
	if !strings.Contains(out, "WARNINGS\n  ! channel \"chat\": about 558 contacts") {
		t.Errorf("warnings missing:\n%s", out)
	}
}
