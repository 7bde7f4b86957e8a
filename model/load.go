package model

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
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
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, Problems{{File: path, Msg: err.Error()}}
	}
	return Parse(path, data)
}

// Parse decodes and validates a scenario held in memory; name is used in
// error messages and its folder to find empirical distribution files.
func Parse(name string, data []byte) (*Scenario, error) {
	if len(bytes.TrimSpace(stripComments(data))) == 0 {
		return nil, Problems{{File: name, Line: 1, Msg: "the file is empty: a scenario needs at least [scenario], [[channel]], [[category]], [[tier]] and [[shift]]"}}
	}
	sc := &Scenario{File: name, Dir: filepath.Dir(name)}
	md, err := toml.Decode(string(data), sc)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			if pe.LastKey == "" {
				return nil, Problems{{File: name, Line: pe.Position.Line, Msg: pe.Message}}
			}
			// A value that failed to decode (a rate, a duration): the
			// decoder knows the key but, in arrays of tables, not which
			// element; find the line that holds the offending value.
			lines := indexLines(data)
			line, where := lines.locate(data, pe.LastKey, pe.Message)
			if line == 0 {
				line = pe.Position.Line
			}
			field := pe.LastKey
			if i := strings.IndexByte(field, '.'); i >= 0 && where != "" {
				field = field[i+1:]
			}
			return nil, Problems{{File: name, Line: line, Where: where, Field: field + ":", Msg: pe.Message}}
		}
		return nil, Problems{{File: name, Msg: err.Error()}}
	}
	lines := indexLines(data)
	var ps Problems
	for _, k := range md.Undecoded() {
		if len(k) > 2 && k[0] == "category" && k[1] == "escalate" {
			continue // decoded, strictly, by Escalations.UnmarshalTOML
		}
		ps = append(ps, Problem{File: name, Line: lines.find(k), Msg: fmt.Sprintf("unknown key %q", k.String())})
	}
	if len(ps) > 0 {
		return nil, ps
	}
	sc.lines = lines
	v := &validator{sc: sc, lines: lines}
	v.validate()
	if len(v.ps) > 0 {
		return nil, v.ps
	}
	sc.valid = true
	return sc, nil
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

// lineIndex maps key paths such as "channel[1].sla" to the line where they
// are written; BurntSushi/toml gives positions only for decode errors.
type lineIndex map[string]int

var (
	headerRe = regexp.MustCompile(`^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?`)
	keyRe    = regexp.MustCompile(`^\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*=`)
)

func indexLines(data []byte) lineIndex {
	idx := lineIndex{}
	count := map[string]int{}
	prefix := ""
	depth := 0 // open brackets of a multi-line array or table
	for i, l := range strings.Split(string(data), "\n") {
		n := i + 1
		if depth == 0 {
			if m := headerRe.FindStringSubmatch(l); m != nil {
				name := m[2]
				if m[1] == "[[" {
					prefix = fmt.Sprintf("%s[%d]", name, count[name])
					count[name]++
				} else {
					prefix = name
				}
				if _, ok := idx[prefix]; !ok {
					idx[prefix] = n
				}
				continue
			}
			if m := keyRe.FindStringSubmatch(l); m != nil {
				key := strings.ReplaceAll(m[1], " ", "")
				p := key
				if prefix != "" {
					p = prefix + "." + key
				}
				if _, ok := idx[p]; !ok {
					idx[p] = n
				}
			}
		}
		depth += bracketBalance(l)
		if depth < 0 {
			depth = 0
		}
	}
	return idx
}

// bracketBalance counts [ and { against ] and } outside strings and comments.
func bracketBalance(l string) int {
	bal := 0
	inStr := byte(0)
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case inStr != 0:
			if c == '\\' && inStr == '"' {
				i++
			} else if c == inStr {
				inStr = 0
			}
		case c == '"' || c == '\'':
			inStr = c
		case c == '#':
			return bal
		case c == '[' || c == '{':
			bal++
		case c == ']' || c == '}':
			bal--
		}
	}
	return bal
}

// line returns the line of a path, or of its nearest written parent.
func (idx lineIndex) line(path string) int {
	for p := path; p != ""; {
		if n, ok := idx[p]; ok {
			return n
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return 0
}

// find returns the first line of a key given without array indices (as
// MetaData.Undecoded gives it).
func (idx lineIndex) find(k toml.Key) int {
	want := strings.Join(k, ".")
	best := 0
	for p, n := range idx {
		if stripIndices(p) == want && (best == 0 || n < best) {
			best = n
		}
	}
	if best == 0 && len(k) > 1 {
		return idx.find(k[:len(k)-1])
	}
	return best
}

var (
	indexRe  = regexp.MustCompile(`\[\d+\]`)
	quotedRe = regexp.MustCompile(`"([^"]*)"`)
	nameRe   = regexp.MustCompile(`^\s*name\s*=\s*"([^"]*)"`)
)

// locate finds the line of a key (given without indices) whose text holds
// the first quoted value of msg, and names its table (`channel "chat"`).
func (idx lineIndex) locate(data []byte, key, msg string) (int, string) {
	text := strings.Split(string(data), "\n")
	val := ""
	if m := quotedRe.FindStringSubmatch(msg); m != nil {
		val = m[1]
	}
	best, bestPath := 0, ""
	for p, n := range idx {
		if n < 1 || n > len(text) || stripIndices(p) != key {
			continue
		}
		if val != "" && !strings.Contains(text[n-1], `"`+val+`"`) {
			continue
		}
		if best == 0 || n < best {
			best, bestPath = n, p
		}
	}
	if best == 0 {
		return 0, ""
	}
	// The table the key sits in, and its name if it has one.
	i := strings.LastIndexByte(bestPath, ']')
	if i < 0 {
		return best, ""
	}
	table := bestPath[:i+1]
	kind := table[:strings.IndexByte(table, '[')]
	if n, ok := idx[table+".name"]; ok && n <= len(text) {
		if m := nameRe.FindStringSubmatch(text[n-1]); m != nil {
			return best, fmt.Sprintf("%s %q", kind, m[1])
		}
	}
	return best, ""
}

func stripIndices(p string) string { return indexRe.ReplaceAllString(p, "") }

// Escalations is an escalation path. In a scenario it is one table
// (`escalate = { to = "specialist", p = 0.05 }`) or a list of them for a
// path of several steps.
type Escalations []Escalation

// UnmarshalTOML implements toml.Unmarshaler.
func (e *Escalations) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case map[string]any:
		s, err := escalationFrom(x)
		if err != nil {
			return err
		}
		*e = Escalations{s}
	case []map[string]any:
		for _, m := range x {
			s, err := escalationFrom(m)
			if err != nil {
				return err
			}
			*e = append(*e, s)
		}
	case []any:
		for _, it := range x {
			m, ok := it.(map[string]any)
			if !ok {
				return fmt.Errorf("escalate: each step must be a table such as { to = \"specialist\", p = 0.1 }")
			}
			s, err := escalationFrom(m)
			if err != nil {
				return err
			}
			*e = append(*e, s)
		}
	default:
		return fmt.Errorf("escalate must be a table such as { to = \"specialist\", p = 0.1 } or a list of them")
	}
	return nil
}

func escalationFrom(m map[string]any) (Escalation, error) {
	var s Escalation
	for k, v := range m {
		var err error
		switch k {
		case "from":
			s.From, err = asString(k, v)
		case "to":
			s.To, err = asString(k, v)
		case "p":
			s.P, err = asFloat(k, v)
		case "handle_time":
			dm, ok := v.(map[string]any)
			if !ok {
				return s, fmt.Errorf("escalate.handle_time must be a table such as { dist = \"exponential\", mean = \"12m\" }")
			}
			var d DistSpec
			d, err = distFrom(dm)
			s.HandleTime = &d
		default:
			return s, fmt.Errorf("escalate: unknown key %q (want from, to, p, handle_time)", k)
		}
		if err != nil {
			return s, fmt.Errorf("escalate.%w", err)
		}
	}
	return s, nil
}

func distFrom(m map[string]any) (DistSpec, error) {
	var d DistSpec
	for k, v := range m {
		var err error
		switch k {
		case "dist":
			d.Dist, err = asString(k, v)
		case "file":
			d.File, err = asString(k, v)
		case "cv":
			d.CV, err = asFloat(k, v)
		case "mean", "value":
			var s string
			if s, err = asString(k, v); err == nil {
				var dur time.Duration
				if dur, err = ParseDuration(s); err != nil {
					err = fmt.Errorf("handle_time.%s: %w", k, err)
				} else if k == "mean" {
					d.Mean.Duration = dur
				} else {
					d.Value.Duration = dur
				}
			}
		default:
			return d, fmt.Errorf("handle_time: unknown key %q", k)
		}
		if err != nil {
			return d, err
		}
	}
	return d, nil
}

func asString(k string, v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s must be a string", k)
	}
	return s, nil
}

func asFloat(k string, v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, fmt.Errorf("%s must be a finite number", k)
		}
		return x, nil
	case int64:
		return float64(x), nil
	}
	return 0, fmt.Errorf("%s must be a number", k)
}

// Validate checks the scenario again after a change made in code (a what-if
// override, say) and fills defaults; problems carry the scenario's file but
// lines only where they can still be known.
func (s *Scenario) Validate() error {
	// Lines come from the file the scenario was parsed from; a scenario
	// built in code (lines == nil) skips the checks that only a file can
	// fail, such as a missing table.
	s.valid = false
	v := &validator{sc: s, lines: s.lines}
	v.validate()
	if len(v.ps) > 0 {
		return v.ps
	}
	s.valid = true
	return nil
}
