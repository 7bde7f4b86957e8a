package report

import (
	"bytes"
	"encoding/xml"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// checkPNG decodes a PNG and checks its size and that it is not blank:
// enough pixels differ from the background.
func checkPNG(t *testing.T, name string, data []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: not a PNG: %v", name, err)
	}
	b := img.Bounds()
	if b.Dx() < 600 || b.Dy() < 200 {
		t.Errorf("%s: %dx%d is too small", name, b.Dx(), b.Dy())
	}
	bg := img.At(b.Min.X, b.Min.Y)
	br, bgc, bb, _ := bg.RGBA()
	ink, colour := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r != br || g != bgc || bl != bb {
				ink++
			}
			if max(r, g, bl)-min(r, g, bl) > 0x2000 {
				colour++
			}
		}
	}
	total := (b.Dx() / 2) * (b.Dy() / 2)
	if ink < total/100 {
		t.Errorf("%s: looks blank (%d of %d sampled pixels drawn)", name, ink, total)
	}
	if colour < total/500 {
		t.Errorf("%s: no coloured data drawn (%d of %d sampled pixels)", name, colour, total)
	}
	return img
}

// checkSVG parses an SVG with encoding/xml and checks it draws paths and
// text of a plausible size.
func checkSVG(t *testing.T, name string, data []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	paths, texts := 0, 0
	var root *xml.StartElement
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: invalid SVG: %v", name, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == nil {
				s := se.Copy()
				root = &s
			}
			switch se.Name.Local {
			case "path":
				paths++
			case "text":
				texts++
			}
		}
	}
	if root == nil || root.Name.Local != "svg" {
		t.Fatalf("%s: root element is not <svg>", name)
	}
	var wAttr string
	for _, a := range root.Attr {
		if a.Name.Local == "width" {
			wAttr = a.Value
		}
	}
	if wAttr == "" {
		t.Errorf("%s: <svg> has no width", name)
	}
	if paths < 10 || texts < 5 {
		t.Errorf("%s: only %d paths and %d texts", name, paths, texts)
	}
}

func TestChartsFixture(t *testing.T) {
	r, sc := fixture()
	charts, err := Charts(r, sc)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"service-level", "queue-depth", "agents", "arrivals", "cost"}
	if len(charts) != len(want) {
		t.Fatalf("got %d charts, want %d", len(charts), len(want))
	}
	dump := os.Getenv("SLASIM_CHART_DIR") // set to look at the charts
	for i, c := range charts {
		if c.Name != want[i] {
			t.Errorf("chart %d is %q, want %q", i, c.Name, want[i])
		}
		png := checkChart(t, c)
		// The SVG is pinned: go test ./report -update rewrites
		// testdata/charts/ after a deliberate change; review it with
		// a browser.
		var svg bytes.Buffer
		if err := c.WriteSVG(&svg); err != nil {
			t.Fatal(err)
		}
		golden(t, filepath.Join("charts", c.Name+".svg"), svg.Bytes())
		if dump != "" {
			os.WriteFile(filepath.Join(dump, c.Name+".png"), png, 0o644)
			var svg bytes.Buffer
			c.WriteSVG(&svg)
			os.WriteFile(filepath.Join(dump, c.Name+".svg"), svg.Bytes(), 0o644)
		}
	}
}

// checkChart renders a chart as PNG and SVG, checks both (decoded PNG not
// blank, SVG well formed) and returns the PNG.
func checkChart(t *testing.T, c *Chart) []byte {
	t.Helper()
	var p, s bytes.Buffer
	if err := c.WritePNG(&p, 96); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, c.Name+".png", p.Bytes())
	if err := c.WriteSVG(&s); err != nil {
		t.Fatal(err)
	}
	checkSVG(t, c.Name+".svg", s.Bytes())
	return p.Bytes()
}
