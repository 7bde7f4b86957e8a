package report

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	goldenfile "github.com/slasim/slasim/report/golden"
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
