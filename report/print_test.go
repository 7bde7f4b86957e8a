package report

import (
	"bytes"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slasim/slasim/sim/staffing"
)

// fitProbe runs in a page holding the pages under test in iframes: after
// load it lists, per frame, every table cell that ends beyond the frame's
// width or inside a box that scrolls sideways (cut off on a screenshot or
// a printout), and the text of every header and first-column cell.
const fitProbe = `<script>
window.addEventListener("load", function () {
  var out = [];
  document.querySelectorAll("iframe").forEach(function (f) {
    var doc = f.contentDocument, w = doc.documentElement.clientWidth, id = f.id + " ";
    doc.querySelectorAll("div.scroll").forEach(function (d) {
      if (d.scrollWidth > d.clientWidth + 1) out.push(id + "SCROLLS " + d.scrollWidth + ">" + d.clientWidth);
    });
    doc.querySelectorAll("th, td").forEach(function (c) {
      var r = c.getBoundingClientRect();
      if (r.right > w + 1) out.push(id + "CUT " + c.textContent + " at " + Math.round(r.right) + ">" + w);
    });
    doc.querySelectorAll("th, tbody td:first-child").forEach(function (c) { out.push(id + "CELL " + c.textContent); });
  });
  var pre = document.createElement("pre");
  pre.textContent = "PROBE\n" + out.join("\n") + "\nEND";
  document.body.appendChild(pre);
});
</script>`

// frame is one page under test, shown at a width, with its print CSS
// applied as on paper when print is set.
type frame struct {
	id    string
	page  []byte
	width int
	print bool
}

// probeFrames loads the frames side by side in one Chromium run (it
// starts slowly) and returns, per frame id, the cells cut off and the
// header texts seen.
func probeFrames(t *testing.T, bin, dir string, frames []frame) (cut, cells map[string][]string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html><body>")
	for _, f := range frames {
		page := f.page
		if f.print {
			page = bytes.Replace(page, []byte("@media print"), []byte("@media all"), 1)
		}
		fmt.Fprintf(&b, `<iframe id="%s" width="%d" height="800" srcdoc="%s"></iframe>`, f.id, f.width, html.EscapeString(string(page)))
	}
	b.WriteString(fitProbe + "</body></html>")
	p := filepath.Join(dir, "frames.html")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	dom, stderr := runChromium(t, bin, "file://"+p, "--window-size=1400,1000", "--dump-dom")
	i, j := strings.Index(dom, "PROBE\n"), strings.Index(dom, "\nEND")
	if i < 0 || j < i {
		t.Fatalf("the probe did not run; stderr:\n%s", stderr)
	}
	cut, cells = map[string][]string{}, map[string][]string{}
	for _, l := range strings.Split(dom[i+len("PROBE\n"):j], "\n") {
		id, rest, _ := strings.Cut(l, " ")
		if c, ok := strings.CutPrefix(rest, "CELL "); ok {
			cells[id] = append(cells[id], c)
		} else if l != "" {
			cut[id] = append(cut[id], rest)
		}
	}
	return cut, cells
}

// Both pages fit a 1400-pixel window and a printed page (the print CSS at
// A4 width), with every column of the rota present, and print to PDF.
func TestPagesFitScreenAndPrint(t *testing.T) {
	bin := chromium(t)
	dir := t.TempDir()
	r, sc := fixture()
	var report bytes.Buffer
	if err := WriteHTML(&report, r, sc, nil); err != nil {
		t.Fatal(err)
	}

	st := smallTeam(t, "scenario.duration=16d")
	// Free per-date shifts: one rota column per date (a roster under
	// contracts has one per weekday).
	plan, err := staffing.Build(st, staffing.Options{Replications: 2, Fragments: true})
	if err != nil {
		t.Fatal(err)
	}
	var staff bytes.Buffer
	if err := WriteStaffingHTML(&staff, plan, nil); err != nil {
		t.Fatal(err)
	}
	days := rotaColumns(plan)
	if len(days) < 16 {
		t.Fatalf("the rota has %d day columns, want 16 or more, as wide as a long rota", len(days))
	}

	frames := []frame{
		{"report-screen", report.Bytes(), 1400, false}, {"report-print", report.Bytes(), 794, true},
		{"staffing-screen", staff.Bytes(), 1400, false}, {"staffing-print", staff.Bytes(), 794, true},
	}
	cut, cells := probeFrames(t, bin, dir, frames)
	for _, f := range frames {
		if len(cut[f.id]) > 0 {
			t.Errorf("%s at %d px: cut off:\n%s", f.id, f.width, strings.Join(cut[f.id], "\n"))
		}
		if len(cells[f.id]) == 0 {
			t.Errorf("%s: no table seen", f.id)
		}
		if !strings.HasPrefix(f.id, "staffing") {
			continue
		}
		seen := strings.Join(cells[f.id], "\n") + "\n"
		for _, d := range days {
			if !strings.Contains(seen, d.label+"\n") {
				t.Errorf("%s: rota column %q missing", f.id, d.label)
			}
		}
	}
	// Both print to PDF.
	for _, pg := range []struct {
		name string
		page []byte
	}{{"report", report.Bytes()}, {"staffing", staff.Bytes()}} {
		src := filepath.Join(dir, pg.name+".html")
		if err := os.WriteFile(src, pg.page, 0o644); err != nil {
			t.Fatal(err)
		}
		pdf := filepath.Join(dir, pg.name+".pdf")
		runChromium(t, bin, "file://"+src, "--print-to-pdf="+pdf, "--no-pdf-header-footer")
		data, err := os.ReadFile(pdf)
		if err != nil {
			t.Fatalf("%s: no PDF: %v", pg.name, err)
		}
		if !bytes.HasPrefix(data, []byte("%PDF-")) || bytes.Count(data, []byte("/Type /Page")) < 1 {
			t.Errorf("%s.pdf is not a PDF with pages (%d bytes)", pg.name, len(data))
		}
	}
}
