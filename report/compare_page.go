package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// setTargets records the service-level targets of a subject's
// service_level figure in A and in B.
func (c *Comparison) setTargets(subject string, a, b float64) {
	for i := range c.Deltas {
		if d := &c.Deltas[i]; d.Subject == subject && d.Metric == "service_level" {
			d.Target, d.TargetB = a, b
		}
	}
}

// targetsTable says, per channel and priority class, whether each side
// meets its service-level target: MET or MISSED for A and for B.
func (c *Comparison) targetsTable() *table {
	t := &table{indent: "  ", head: []string{"service level target", "", "A", "B"}}
	for i := range c.Deltas {
		d := &c.Deltas[i]
		if d.Metric != "service_level" || d.Target == 0 {
			continue
		}
		name := d.Subject
		if _, class, ok := strings.Cut(d.Subject, "/"); ok {
			name = "  " + class
		}
		target := targetPercent(d.Target)
		if d.TargetB != d.Target {
			target += " / " + targetPercent(d.TargetB)
		}
		t.add(cell{text: name}, cell{text: target}, mark(d.A, d.Target), mark(d.B, d.TargetB))
	}
	return t
}

// WriteComparisonHTML writes compare.html: one self-contained page (the
// report's style, no script, no network) with both sides named, the
// headline, MET or MISSED on each side, and every figure side by side with
// the paired difference B − A.
func WriteComparisonHTML(w io.Writer, c *Comparison) error {
	v := htmlView{Title: "Comparison: B against A",
		Sentence: "A: " + c.A + " · B: " + c.B,
		Verdict:  c.Headline(),
		Footer: fmt.Sprintf("slasim compare · %s, seed %d, common random numbers: differences are B − A with 95%% CIs from the paired replications",
			plural(c.Replications, "replication"), c.Seed)}
	if tt := c.targetsTable(); len(tt.rows) > 0 {
		v.Tables = append(v.Tables, fromTable("Targets", "Whether each side meets the service-level target of each channel and priority class.", tt))
	}
	v.Tables = append(v.Tables, fromTable("Side by side",
		"Each figure in A and in B with its 95% confidence interval, and the difference B − A estimated from the paired replications (common random numbers), so its CI is narrower than either side's. ≈ within noise: the CI of the difference includes 0.",
		c.table()))
	return htmlPage.Execute(w, v)
}

// ComparisonFiles are the files WriteComparisonDir writes.
var ComparisonFiles = []string{"compare.html", "comparison.json"}

// WriteComparisonDir writes compare.html and comparison.json into dir,
// under the same rules as WriteAll: dir is created if needed, and a folder
// holding files slasim did not write is refused unless force is set. It
// returns the paths written.
func WriteComparisonDir(dir string, c *Comparison, force bool) ([]string, error) {
	if err := CheckDir(dir, force); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var page, js bytes.Buffer
	if err := WriteComparisonHTML(&page, c); err != nil {
		return nil, err
	}
	if err := WriteComparisonJSON(&js, c); err != nil {
		return nil, err
	}
	var paths []string
	for i, data := range [][]byte{page.Bytes(), js.Bytes()} {
		p := filepath.Join(dir, ComparisonFiles[i])
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	ours, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	if err := writeManifest(dir, append(ours, ComparisonFiles...)); err != nil {
		return nil, err
	}
	return paths, nil
}
