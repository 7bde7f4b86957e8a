package report

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// chromium finds the headless browser, or skips the test; under CI
// (CI=true) a missing browser is a failure, since CI installs it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("SLASIM_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed, and CI=true requires the HTML rendering test (apt-get install chromium)")
	}
	t.Skip("chromium is not installed; skipping the HTML rendering test")
	return ""
}

// runChromium loads a file:// URL headless with the given extra flags and
// returns stdout and stderr.
func runChromium(t *testing.T, bin, url string, extra ...string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0",
		"--hide-scrollbars", "--virtual-time-budget=10000"}
	args = append(append(args, extra...), url)
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", extra, err, errb.String())
	}
	return out.String(), errb.String()
}

// consoleLine matches what Chromium logs for a console message or a failed
// load with --enable-logging=stderr.
var consoleLine = regexp.MustCompile(`(?m)^.*(CONSOLE|Failed to load resource|net::ERR_|Uncaught).*$`)

// probe is appended to a copy of the page: after load, it writes the
// drawn size of every chart into the DOM, for --dump-dom to show.
const probe = `<script>
window.addEventListener("load", function () {
  var out = [];
  document.querySelectorAll("img.chart").forEach(function (img) {
    var r = img.getBoundingClientRect();
    out.push([img.alt, img.complete, img.naturalWidth, img.naturalHeight, Math.round(r.width), Math.round(r.height)].join("|"));
  });
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = "PROBE\n" + out.join("\n") + "\nEND";
  document.body.appendChild(pre);
});
</script>`

func TestHTMLRendersInChromium(t *testing.T) {
	bin := chromium(t)
	r, sc := fixture()
	dir := t.TempDir()
	if _, err := WriteAll(dir, r, sc, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	// Self-contained: no script, nothing fetched from elsewhere.
	for _, bad := range []string{"<script", "http://", "https://", "<link", "@import", "src=\"charts/"} {
		if bytes.Contains(page, []byte(bad)) {
			t.Errorf("report.html contains %q; it must be self-contained", bad)
		}
	}
	charts := bytes.Count(page, []byte(`<img class="chart"`))
	if charts != 5 {
		t.Errorf("report.html embeds %d charts, want 5", charts)
	}

	// Every chart is decoded and drawn at a visible size.
	probed := filepath.Join(dir, "probe.html")
	withProbe := bytes.Replace(page, []byte("</body>"), []byte(probe+"</body>"), 1)
	if err := os.WriteFile(probed, withProbe, 0o644); err != nil {
		t.Fatal(err)
	}
	dom, stderr := runChromium(t, bin, "file://"+probed, "--window-size=1200,900", "--dump-dom")
	i, j := strings.Index(dom, "PROBE\n"), strings.Index(dom, "\nEND")
	if i < 0 || j < i {
		t.Fatalf("the probe did not run; DOM:\n%.2000s\nstderr:\n%s", dom, stderr)
	}
	lines := strings.Split(strings.TrimSpace(dom[i+len("PROBE\n"):j]), "\n")
	if len(lines) != charts {
		t.Errorf("probe saw %d charts, want %d", len(lines), charts)
	}
	for _, l := range lines {
		f := strings.Split(l, "|")
		if len(f) != 6 {
			t.Errorf("probe line %q", l)
			continue
		}
		nw, _ := strconv.Atoi(f[2])
		w, _ := strconv.Atoi(f[4])
		h, _ := strconv.Atoi(f[5])
		if f[1] != "true" || nw < 600 || w < 600 || h < 150 {
			t.Errorf("chart %q is not visible: complete=%s natural width %d, drawn %dx%d", f[0], f[1], nw, w, h)
		}
	}
	if m := consoleLine.FindAllString(stderr, -1); len(m) > 0 {
		t.Errorf("console errors while loading the page:\n%s", strings.Join(m, "\n"))
	}

	// A screenshot of the page as it is (no probe) is not blank.
	shot := filepath.Join(dir, "shot.png")
	_, stderr = runChromium(t, bin, "file://"+filepath.Join(dir, "report.html"), "--window-size=1100,2600", "--screenshot="+shot)
	if m := consoleLine.FindAllString(stderr, -1); len(m) > 0 {
		t.Errorf("console errors while loading the page:\n%s", strings.Join(m, "\n"))
	}
	data, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v\n%s", err, stderr)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	// Count rows of the screenshot that hold more than the background.
	drawn := 0
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		first := img.At(b.Min.X+2, y)
		for x := b.Min.X; x < b.Max.X; x += 4 {
			if img.At(x, y) != first {
				drawn++
				break
			}
		}
	}
	if drawn < (b.Dy()/4)/2 {
		t.Errorf("the screenshot is mostly blank: %d of %d sampled rows drawn", drawn, b.Dy()/4)
	}
	if d := os.Getenv("SLASIM_SCREENSHOT"); d != "" {
		os.WriteFile(d, data, 0o644)
	}
}

func TestTransposeWideTable(t *testing.T) {
	wide := &table{head: []string{"tier", "agents starting", "Mon", "Tue"}}
	wide.addText("rep", "on 3 lines", "5 (40h)", "6 (48h)")
	wide.addText("lead", "on 1 line", "1 (8h)", "0 (0h)")
	var b bytes.Buffer
	if err := transpose(wide).write(&b, false); err != nil {
		t.Fatal(err)
	}
	want := "tier                    rep       lead\n" +
		"agents starting  on 3 lines  on 1 line\n" +
		"Mon                 5 (40h)     1 (8h)\n" +
		"Tue                 6 (48h)     0 (0h)\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// report.html carries the warnings, the end-of-period table and the class
// rows indented under their channel.
func TestHTMLWarningsTailAndClasses(t *testing.T) {
	r, sc := fixture()
	var b bytes.Buffer
	if err := WriteHTML(&b, r, sc, []*Chart{}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{
		`<div class="warnings"><b>Warnings</b><ul><li>channel &#34;chat&#34;: about 558 contacts`,
		`<h2>End of period</h2>`,
		`<td class="">email</td><td class="r ">126 ± 4</td><td class="">Sat 28 Nov 20:00</td>`,
		`<td class="sub">vip</td>`,
		`@media print`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}
