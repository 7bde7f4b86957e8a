package model

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	_ "time/tzdata" // scenarios name IANA zones; carry the database with the binary

	"github.com/BurntSushi/toml"
)

// Load reads, decodes and validates the scenario at path. On failure the
// error is a Problems value listing every problem found, each with file,
// line and field, or a single Problem for a file that cannot be read.
func Load(path string) (*Scenario, error) {
	st, err := os.Stat(path)
	if err != nil {
		msg := err.Error()
		if errors.Is(err, fs.ErrNotExist) {
			msg = "no such file"
		}
		return nil, Problems{{File: path, Msg: msg}}
	}
	if st.IsDir() {
		return nil, Problems{{File: path, Msg: "is a directory, not a scenario file"}}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, Problems{{File: path, Msg: err.Error()}}
	}
	defer f.Close()
	// Read one byte past the limit, so a device or a huge file is refused
	// without reading it all.
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, Problems{{File: path, Msg: err.Error()}}
	}
	return Parse(path, data)
}

// bom is the UTF-8 byte-order mark some editors write at the start of a
// file.
var bom = []byte("\ufeff")

// maxUnknownKeys is how many unknown keys are listed one by one.
const maxUnknownKeys = 50

// Parse decodes and validates a scenario held in memory; name is used in
// error messages and its folder to find empirical distribution files. Its
// work is linear in the size of data.
func Parse(name string, data []byte) (*Scenario, error) {
	if len(data) > MaxFileBytes {
		return nil, Problems{{File: name, Msg: fmt.Sprintf("is larger than %d MB; a scenario file is at most that", MaxFileBytes>>20)}}
	}
	data = bytes.TrimPrefix(data, bom)
	if len(bytes.TrimSpace(stripComments(data))) == 0 {
		return nil, Problems{{File: name, Line: 1, Msg: "the file is empty: a scenario needs at least [scenario], [[channel]], [[category]], [[tier]] and [[shift]]"}}
	}
	if sc := scanText(data); sc.deepLine > 0 {
		return nil, Problems{{File: name, Line: sc.deepLine, Msg: fmt.Sprintf(
			"tables, arrays or dotted keys nest %d levels deep here; a scenario nests at most %d", sc.deepLevel, MaxDepth)}}
	}
	text := string(data)
	var raw map[string]toml.Primitive
	rawMD, err := toml.Decode(text, &raw)
	if err != nil {
		return nil, Problems{syntaxProblem(name, data, err)}
	}
	lines := indexLines(data)
	sc := &Scenario{File: name, Dir: filepath.Dir(name)}
	md, err := toml.Decode(text, sc)
	if err != nil {
		d := decoding{file: name, lines: lines, raw: raw, md: rawMD}
		return nil, Problems{d.place(err)}
	}
	if ps := unknownKeys(name, lines, md.Undecoded()); len(ps) > 0 {
		return nil, ps
	}
	if p, bad := negativeSeed(name, lines, raw, rawMD); bad {
		return nil, Problems{p}
	}
	sc.lines = lines
	v := &validator{sc: sc, lines: lines}
	v.validate()
	if len(v.ps) > 0 {
		return nil, v.ps.capped()
	}
	sc.valid = true
	return sc, nil
}

// maxProblems is how many problems are listed one by one.
const maxProblems = 50

// capped keeps the first maxProblems problems and says how many more
// there were, so a broken file of thousands of tables does not flood the
// terminal.
func (ps Problems) capped() Problems {
	if len(ps) <= maxProblems {
		return ps
	}
	out := append(Problems(nil), ps[:maxProblems]...)
	return append(out, Problem{File: ps[0].File, Msg: fmt.Sprintf("and %d more problems", len(ps)-maxProblems)})
}

// unknownKeys lists keys the scenario does not know, the first
// maxUnknownKeys of them one by one.
func unknownKeys(name string, lines lineIndex, keys []toml.Key) Problems {
	var ps Problems
	n := 0
	for _, k := range keys {
		if len(k) > 2 && k[0] == "category" && k[1] == "escalate" {
			continue // decoded, strictly, by Escalations.UnmarshalTOML
		}
		if n++; n <= maxUnknownKeys {
			ps = append(ps, Problem{File: name, Line: lines.find(k), Msg: fmt.Sprintf("unknown key %q", k.String())})
		}
	}
	if n > maxUnknownKeys {
		ps = append(ps, Problem{File: name, Msg: fmt.Sprintf("and %d more unknown keys", n-maxUnknownKeys)})
	}
	return ps
}

// negativeSeed catches a negative seed, which the decoder wraps round
// into a huge unsigned one.
func negativeSeed(name string, lines lineIndex, raw map[string]toml.Primitive, md toml.MetaData) (Problem, bool) {
	var meta struct {
		Seed any `toml:"seed"`
	}
	if p, ok := raw["scenario"]; !ok || md.PrimitiveDecode(p, &meta) != nil {
		return Problem{}, false
	}
	if n, ok := meta.Seed.(int64); ok && n < 0 {
		return Problem{File: name, Line: lines.line("scenario.seed"), Where: "[scenario]", Field: "seed",
			Msg: fmt.Sprintf("%d must be a whole number ≥ 0", n)}, true
	}
	return Problem{}, false
}

// syntaxProblem places a TOML syntax error at its line, found from the
// error's byte offset (the decoder's own line is one too far when the
// error is an unexpected end of line).
func syntaxProblem(name string, data []byte, err error) Problem {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return Problem{File: name, Msg: err.Error()}
	}
	line := pe.Position.Line
	if off := pe.Position.Start; off > 0 && off <= len(data) {
		line = bytes.Count(data[:off], []byte("\n")) + 1
	}
	return Problem{File: name, Line: line, Msg: "not valid TOML: " + pe.Message}
}

// stripComments drops TOML comments, roughly, to tell an empty file.
func stripComments(data []byte) []byte {
	var out []byte
	for _, l := range bytes.Split(data, []byte("\n")) {
		if i := bytes.IndexByte(l, '#'); i >= 0 {
			l = l[:i]
		}
		out = append(out, l...)
	}
	return out
}

// Validate checks the scenario again after a change made in code (a what-if
// override, say) and fills defaults; problems carry the scenario's file but
// lines only where they can still be known.
func (s *Scenario) Validate() error {
	// Lines come from the file the scenario was parsed from; a scenario
	// built in code (no lines) skips the checks that only a file can fail,
	// such as a missing table.
	s.valid = false
	v := &validator{sc: s, lines: s.lines}
	v.validate()
	if len(v.ps) > 0 {
		return v.ps.capped()
	}
	s.valid = true
	return nil
}
