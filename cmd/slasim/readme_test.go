package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	goldenfile "github.com/slasim/slasim/report/golden"
)

var long = flag.Bool("long", false, "also run the long tests (the README's full Black Friday examples)")

// readmeMarker, on the line before a fenced block of the README, marks the
// block as an example this test runs: each line "$ slasim ARGS" is run
// through the dispatcher from the repository's root, and the lines after
// it, up to the next "$ " line or the fence, are its expected standard
// output. A line "…" (indented or not) stands for any number of lines. With "-long" after
// the marker the block runs only under go test -long.
const readmeMarker = "<!-- readme-test"

// readmeExample is one command of the README and the output it shows.
type readmeExample struct {
	line      int // of the command, 1-based
	args      []string
	long      bool
	want      []string
	wantStart int // index in the README's lines of the first output line
}

func readmeExamples(lines []string) []readmeExample {
	var out []readmeExample
	for i := 0; i+1 < len(lines); i++ {
		if !strings.HasPrefix(lines[i], readmeMarker) || !strings.HasPrefix(lines[i+1], "```") {
			continue
		}
		isLong := strings.Contains(lines[i], "-long")
		var cur *readmeExample
		for j := i + 2; j < len(lines) && !strings.HasPrefix(lines[j], "```"); j++ {
			if cmd, ok := strings.CutPrefix(lines[j], "$ slasim "); ok {
				out = append(out, readmeExample{line: j + 1, args: strings.Fields(cmd), long: isLong, wantStart: j + 1})
				cur = &out[len(out)-1]
				continue
			}
			if cur != nil {
				cur.want = append(cur.want, lines[j])
			}
		}
	}
	return out
}

// matchOutput compares output lines with the README's, where "…" matches
// any run of lines; it returns the README's lines as they should read
// (the output, with the "…" kept in place), and whether they match.
func matchOutput(want, got []string) ([]string, bool) {
	k := -1
	for i, l := range want {
		if strings.TrimSpace(l) == "…" {
			k = i
		}
	}
	if k < 0 {
		return got, strings.Join(want, "\n") == strings.Join(got, "\n")
	}
	head, tail := len(want[:k]), len(want[k+1:])
	if head+tail > len(got) {
		return got, false
	}
	fixed := append(append(append([]string{}, got[:head]...), want[k]), got[len(got)-tail:]...)
	return fixed, strings.Join(fixed, "\n") == strings.Join(want, "\n")
}

// The README's examples are the program's real output: every marked
// command runs and prints exactly what the README shows. go test -update
// (with -long for the long ones) rewrites the README's outputs.
func TestReadmeExamples(t *testing.T) {
	path, err := filepath.Abs("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	examples := readmeExamples(lines)
	if len(examples) < 3 {
		t.Fatalf("only %d marked examples in the README", len(examples))
	}
	t.Chdir("../..")
	// Rewrite from the last example up, so earlier line numbers hold.
	changed := false
	for k := len(examples) - 1; k >= 0; k-- {
		ex := examples[k]
		if ex.long && !*long {
			continue
		}
		var stdout, stderr bytes.Buffer
		if code := dispatch(ex.args, &stdout, &stderr); code != 0 {
			t.Errorf("README.md:%d: slasim %s: exit %d: %s", ex.line, strings.Join(ex.args, " "), code, stderr.String())
			continue
		}
		got := strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n")
		fixed, ok := matchOutput(ex.want, got)
		if ok {
			continue
		}
		if *goldenfile.Update {
			lines = append(append(append([]string{}, lines[:ex.wantStart]...), fixed...), lines[ex.wantStart+len(ex.want):]...)
			changed = true
			continue
		}
		t.Errorf("README.md:%d: slasim %s prints otherwise (go test ./cmd/slasim -run TestReadmeExamples -update rewrites it):\n%s",
			ex.line, strings.Join(ex.args, " "), goldenfile.Diff("README.md", "slasim output", strings.Join(ex.want, "\n")+"\n", strings.Join(fixed, "\n")+"\n"))
	}
	if changed {
		if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestReadmeMatchOutput(t *testing.T) {
	if _, ok := matchOutput([]string{"a", "…", "z"}, []string{"a", "b", "c", "z"}); !ok {
		t.Error("… should match b, c")
	}
	fixed, ok := matchOutput([]string{"a", "…", "z"}, []string{"a", "b", "y"})
	if ok || strings.Join(fixed, ",") != "a,…,y" {
		t.Errorf("got %v %v", fixed, ok)
	}
}
