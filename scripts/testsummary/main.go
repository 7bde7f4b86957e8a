// Command testsummary reads `go test -json` on standard input and prints
// what plain `go test` prints (a line per package, and the output of the
// tests that fail), then a list of the tests that skipped and why, so that
// a test needing Chromium, a live helpdesk or -long does not skip unseen.
// The last package's line is printed after the list, so the output still
// ends the way go test's does. It exits 1 if a test or package failed.
//
//	go test -json -count=1 ./... | go run ./scripts/testsummary
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// event is one line of go test -json (see go doc test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// skip is a skipped test and the lines it logged before skipping.
type skip struct {
	pkg, test string
	why       []string
}

func main() {
	os.Exit(summarise(os.Stdin, os.Stdout))
}

// summarise copies the report of go test -json in r to w as plain text,
// followed by the skipped tests, and returns the exit code.
func summarise(r io.Reader, w io.Writer) int {
	type key struct{ pkg, test string }
	logs := map[key][]string{}
	var skips []skip
	var held string // the last package line, printed at the end
	failed := false
	flush := func() {
		if held != "" {
			fmt.Fprint(w, held)
			held = ""
		}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		var e event
		if !strings.HasPrefix(line, "{") || json.Unmarshal([]byte(line), &e) != nil {
			flush()
			fmt.Fprintln(w, line)
			continue
		}
		k := key{e.Package, e.Test}
		switch {
		case e.Action == "output" && e.Test != "":
			logs[k] = append(logs[k], e.Output)
		case e.Action == "output" || e.Action == "build-output":
			if strings.HasPrefix(e.Output, "=== ") || e.Output == "PASS\n" || e.Output == "FAIL\n" || strings.HasPrefix(e.Output, "testing: warning") {
				continue
			}
			flush()
			held = e.Output
		case e.Action == "skip" && e.Test != "":
			skips = append(skips, skip{e.Package, e.Test, reasons(logs[k])})
			delete(logs, k)
		case e.Action == "fail":
			failed = true
			if e.Test != "" {
				flush()
				for _, l := range logs[k] {
					if !strings.HasPrefix(l, "=== ") {
						fmt.Fprint(w, l)
					}
				}
			}
			delete(logs, k)
		case e.Action == "pass":
			delete(logs, k)
		}
	}
	if len(skips) > 0 {
		fmt.Fprintf(w, "\nSKIPPED: %d tests\n", len(skips))
		for _, s := range skips {
			fmt.Fprintf(w, "  %s %s: %s\n", s.pkg, s.test, strings.Join(s.why, "; "))
		}
		fmt.Fprintln(w)
	}
	flush()
	if failed {
		return 1
	}
	return 0
}

// reasons keeps what a skipped test logged, without the framework's lines
// and the file:line prefixes.
func reasons(out []string) []string {
	var why []string
	for _, l := range out {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "=== ") || strings.HasPrefix(l, "--- SKIP") {
			continue
		}
		if i := strings.Index(l, ".go:"); i > 0 && !strings.Contains(l[:i], " ") {
			if j := strings.Index(l[i:], ": "); j > 0 {
				l = l[i+j+2:]
			}
		}
		why = append(why, l)
	}
	if len(why) == 0 {
		why = []string{"(no reason given)"}
	}
	return why
}
