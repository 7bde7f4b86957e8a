package calibrate

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ReadHistory reads a history file into a closed History: a lifecycle
// trace (.jsonl, whose times need cfg.Start) or a CSV event log (.csv, read
// with m). Bad rows are counted in the history's Issues; the error is for
// a file that cannot be read at all.
func ReadHistory(path string, cfg Config, m Mapping) (*History, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	name := filepath.Base(path)
	r := bufio.NewReaderSize(f, 1<<20)
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".jsonl", ".ndjson":
		if cfg.Start.IsZero() {
			return nil, fmt.Errorf("%s: a trace's times count from the simulated start: give --start (the scenario's start, e.g. 2026-11-02T00:00:00+01:00)", name)
		}
		h := NewHistory(cfg)
		err = ReadTrace(r, name, cfg.Start, &h.Issues, h.Add)
		h.Close()
		return h, err
	case ".csv":
		h := NewHistory(cfg)
		err = ReadCSV(r, name, m, &h.Issues, h.Add)
		h.Close()
		return h, err
	default:
		return nil, fmt.Errorf("%s: unknown history format %q (a trace .jsonl or an event log .csv)", name, ext)
	}
}
