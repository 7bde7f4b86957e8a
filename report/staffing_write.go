package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim/staffing"
)

// WriteStaffing writes every output of a staffing plan into dir: rota.csv,
// roster.csv, requirements.csv, staffing.json, the staffing charts as PNG
// and SVG, and staffing.html. Like WriteAll it creates dir, refuses a
// folder holding files slasim did not write unless opt.Force, and writes
// through temporary files renamed into place. It returns the paths written.
func WriteStaffing(dir string, sc *model.Scenario, plan *staffing.Plan, opt WriteOptions) ([]string, error) {
	ours, err := ownedFiles(dir, opt.Force)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	add := func(name string, f func(io.Writer) error) error {
		var b bytes.Buffer
		if err := f(&b); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		files[name] = b.Bytes()
		return nil
	}
	charts, err := StaffingCharts(plan)
	if err != nil {
		return nil, err
	}
	type output struct {
		name string
		f    func(io.Writer) error
	}
	steps := []output{
		{"rota.csv", func(w io.Writer) error { return WriteRotaCSV(w, plan) }},
		{"roster.csv", func(w io.Writer) error { return WriteRosterCSV(w, plan) }},
		{"requirements.csv", func(w io.Writer) error { return WriteRequirementsCSV(w, sc, plan) }},
		{"staffing.json", func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(plan)
		}},
		{"staffing.html", func(w io.Writer) error { return WriteStaffingHTML(w, plan, charts) }},
	}
	for _, c := range charts {
		steps = append(steps, output{c.Name + ".png", func(w io.Writer) error { return c.WritePNG(w, 0) }},
			output{c.Name + ".svg", c.WriteSVG})
	}
	for _, s := range steps {
		if err := add(s.name, s.f); err != nil {
			return nil, err
		}
	}
	return writeOwned(dir, files, ours)
}
