package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Errorf("%s differs from the golden file at line %d (go test ./report -update rewrites it):\ngot:  %q\nwant: %q", name, i+1, g, w)
				return
			}
		}
	}
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
