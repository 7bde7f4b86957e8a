package model

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"
)

// textScan is what one pass over a scenario's bytes finds before decoding:
// which lines start outside any string or bracket (where a table header or
// a key can begin), and whether tables, arrays and dotted keys nest deeper
// than MaxDepth. The pass is linear in the file, so a hostile file is
// refused before the decoder and the line index do any work on it.
type textScan struct {
	topLevel  []bool // per line, 0-based
	deepLine  int    // first line nesting deeper than MaxDepth, or 0
	deepLevel int
}

// scan states.
const (
	inCode = iota
	inComment
	inBasic      // "…"
	inLiteral    // '…'
	inMultiBasic // """…"""
	inMultiLit   // '''…'''
)

// scanText walks data once. The nesting level of a value counts the parts
// of its table header, then, for each open bracket or brace, one level
// plus the extra parts of the dotted key it is the value of, then the
// extra parts of a dotted key being read.
func scanText(data []byte) textScan {
	sc := scanner{data: data, line: 1, lineStart: true}
	sc.out.topLevel = []bool{true}
	for i := 0; i < len(data); i++ {
		switch {
		case data[i] == '\n':
			sc.newline()
		case sc.state != inCode:
			i = sc.inString(i)
		default:
			i = sc.code(i)
			if n := sc.level(); n > MaxDepth {
				sc.out.deepLine, sc.out.deepLevel = sc.line, n
				return sc.out
			}
		}
	}
	return sc.out
}

// scanner is the state of scanText.
type scanner struct {
	data      []byte
	out       textScan
	state     int
	line      int
	dots      int   // dots of the dotted key being read
	base      int   // parts of the current table header
	open      []int // per open bracket: its share of the level (1 + its key's dots)
	header    bool  // reading a table header
	lineStart bool  // nothing but blanks yet on this line
}

func (sc *scanner) level() int {
	n := sc.base + sc.dots
	for _, x := range sc.open {
		n += x
	}
	return n
}

func (sc *scanner) at(i int, q string) bool { return bytes.HasPrefix(sc.data[i:], []byte(q)) }

func (sc *scanner) newline() {
	sc.line++
	if sc.state == inComment || sc.state == inBasic || sc.state == inLiteral {
		sc.state = inCode // a comment ends; a broken string is the decoder's to report
	}
	sc.dots, sc.lineStart = 0, true
	sc.out.topLevel = append(sc.out.topLevel, sc.state == inCode && len(sc.open) == 0)
}

// inString consumes byte i inside a comment or string and returns the
// index of the last byte consumed.
func (sc *scanner) inString(i int) int {
	c := sc.data[i]
	switch {
	case sc.state == inComment:
	case (sc.state == inBasic || sc.state == inMultiBasic) && c == '\\':
		if i+1 < len(sc.data) && sc.data[i+1] != '\n' {
			i++ // an escaped character; a line-ending backslash leaves the newline to count
		}
	case sc.state == inBasic && c == '"', sc.state == inLiteral && c == '\'':
		sc.state = inCode
	case sc.state == inMultiBasic && sc.at(i, `"""`), sc.state == inMultiLit && sc.at(i, `'''`):
		sc.state, i = inCode, i+2
	}
	return i
}

// code consumes byte i outside strings and returns the index of the last
// byte consumed.
func (sc *scanner) code(i int) int {
	c := sc.data[i]
	if c == ' ' || c == '\t' || c == '\r' {
		return i
	}
	first := sc.lineStart && len(sc.open) == 0
	sc.lineStart = false
	switch c {
	case '#':
		sc.state = inComment
	case '"':
		sc.state = inBasic
		if sc.at(i, `"""`) {
			sc.state, i = inMultiBasic, i+2
		}
	case '\'':
		sc.state = inLiteral
		if sc.at(i, `'''`) {
			sc.state, i = inMultiLit, i+2
		}
	case '[', '{':
		if first && c == '[' {
			sc.header, sc.base = true, 0
		}
		sc.open = append(sc.open, 1+sc.dots)
		sc.dots = 0
	case ']', '}':
		if len(sc.open) > 0 {
			sc.open = sc.open[:len(sc.open)-1]
		}
		if sc.header && len(sc.open) == 0 {
			sc.header, sc.base = false, 1+sc.dots
		}
		if !sc.header {
			sc.dots = 0
		}
	case ',':
		sc.dots = 0
	case '.':
		sc.dots++
	}
	return i
}

// lineIndex maps key paths such as "channel[1].sla" to the line where they
// are written (BurntSushi/toml gives positions only for decode errors), and
// paths without indices ("channel.sla") to their first line.
type lineIndex struct {
	at    map[string]int
	first map[string]int
}

var (
	headerRe = regexp.MustCompile(`^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?`)
	keyRe    = regexp.MustCompile(`^\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*=`)
	indexRe  = regexp.MustCompile(`\[\d+\]`)
)

// indexLines builds the index in one pass over the lines that start
// outside strings and brackets.
func indexLines(data []byte) lineIndex {
	top := scanText(data).topLevel
	idx := lineIndex{at: map[string]int{}, first: map[string]int{}}
	count := map[string]int{}
	prefix := ""
	for i, l := range strings.Split(string(data), "\n") {
		n := i + 1
		if i < len(top) && !top[i] {
			continue
		}
		if m := headerRe.FindStringSubmatch(l); m != nil {
			name := m[2]
			if m[1] == "[[" {
				prefix = fmt.Sprintf("%s[%d]", name, count[name])
				count[name]++
			} else {
				prefix = name
			}
			idx.add(prefix, n)
			continue
		}
		if m := keyRe.FindStringSubmatch(l); m != nil {
			p := strings.ReplaceAll(m[1], " ", "")
			if prefix != "" {
				p = prefix + "." + p
			}
			idx.add(p, n)
		}
	}
	return idx
}

func (idx lineIndex) add(path string, n int) {
	if _, ok := idx.at[path]; !ok {
		idx.at[path] = n
	}
	if k := stripIndices(path); idx.first[k] == 0 {
		idx.first[k] = n
	}
}

// has reports whether path is written in the file.
func (idx lineIndex) has(path string) bool {
	_, ok := idx.at[path]
	return ok
}

// line returns the line of a path, or of its nearest written parent.
func (idx lineIndex) line(path string) int {
	for p := path; p != ""; {
		if n, ok := idx.at[p]; ok {
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
// MetaData.Undecoded gives it), or of its nearest written parent.
func (idx lineIndex) find(k toml.Key) int {
	for n := len(k); n > 0; n-- {
		if line := idx.first[strings.Join(k[:n], ".")]; line > 0 {
			return line
		}
	}
	return 0
}

func stripIndices(p string) string {
	if !strings.Contains(p, "[") {
		return p
	}
	return indexRe.ReplaceAllString(p, "")
}
