package calibrate

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/model"
)

// FuzzReadCSV feeds arbitrary logs to the CSV reader and the history: no
// input may panic, and every data row is counted once.
func FuzzReadCSV(f *testing.F) {
	f.Add(badCSV)
	f.Add("ticket,time,status,channel\n1,2026-11-02T09:00:00Z,created,phone\n1,2026-11-02T09:00:00Z,abandoned,phone\n")
	f.Add("ticket,time,status,channel\n\"1,x\n")
	f.Fuzz(func(t *testing.T, s string) {
		h := NewHistory(Config{})
		if err := ReadCSV(strings.NewReader(s), "f.csv", Mapping{}, &h.Issues, h.Add); err != nil {
			return
		}
		cal := h.Estimate("f.csv")
		if cal.Issues.Errors() > cal.Issues.Rows {
			t.Fatalf("%d errors in %d rows", cal.Issues.Errors(), cal.Issues.Rows)
		}
		var b bytes.Buffer
		if err := cal.WriteScenario(&b, ScenarioOptions{}); err != nil {
			t.Fatal(err)
		}
		if cal.Tickets > 0 && len(cal.Tiers) > 0 {
			if _, err := model.Parse("fuzz.toml", b.Bytes()); err != nil {
				t.Fatalf("%v\n%s", err, b.String())
			}
		}
	})
}

// FuzzReadTrace does the same for JSON-lines traces.
func FuzzReadTrace(f *testing.F) {
	f.Add(`{"t":0,"ticket":1,"action":"created","channel":"phone","category":"a","priority":"normal"}` + "\n" +
		`{"t":30,"ticket":1,"action":"abandoned","channel":"phone","category":"a","priority":"normal"}` + "\n")
	f.Add(`{"t":-5,"ticket":2,"action":"teleported"}` + "\n{")
	f.Fuzz(func(t *testing.T, s string) {
		start := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
		h := NewHistory(Config{Start: start})
		if err := ReadTrace(strings.NewReader(s), "f.jsonl", start, &h.Issues, h.Add); err != nil {
			return
		}
		h.Estimate("f.jsonl")
	})
}
