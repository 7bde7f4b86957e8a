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
	s := textScan{topLevel: []bool{true}}
	state, dots, base := inCode, 0, 0
	var open []int // per open bracket: its level's share (1 + the key's dots)
	level := func() int {
		n := base + dots
		for _, x := range open {
			n += x
		}
		return n
	}
	header, lineStart := false, true
	line := 1
	at := func(i int, q string) bool { return bytes.HasPrefix(data[i:], []byte(q)) }
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c == '\n' {
			line++
			if state == inComment || state == inBasic || state == inLiteral {
				state = inCode // a comment ends; a broken string is the decoder's to report
			}
			dots, lineStart = 0, true
			s.topLevel = append(s.topLevel, state == inCode && len(open) == 0)
			continue
		}
		switch state {
		case inComment:
			continue
		case inBasic, inMultiBasic:
			if c == '\\' {
				i++
			} else if state == inBasic && c == '"' {
				state = inCode
			} else if state == inMultiBasic && at(i, `"""`) {
				state, i = inCode, i+2
			}
			continue
		case inLiteral:
			if c == '\'' {
				state = inCode
			}
			continue
		case inMultiLit:
			if at(i, `'''`) {
				state, i = inCode, i+2
			}
			continue
		}
		if c == ' ' || c == '\t' || c == '\r' {
			continue
		}
		first := lineStart && len(open) == 0
		lineStart = false
		switch c {
		case '#':
			state = inComment
		case '"':
			state = inBasic
			if at(i, `"""`) {
				state, i = inMultiBasic, i+2
			}
		case '\'':
			state = inLiteral
			if at(i, `'''`) {
				state, i = inMultiLit, i+2
			}
		case '[', '{':
			if first && c == '[' {
				header, base = true, 0
			}
			open = append(open, 1+dots)
			dots = 0
		case ']', '}':
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
			if header && len(open) == 0 {
				header, base = false, 1+dots
			}
			if !header {
				dots = 0
			}
		case ',':
			dots = 0
		case '.':
			dots++
		}
		if n := level(); n > MaxDepth {
			s.deepLine, s.deepLevel = line, n
			return s
		}
	}
	return s
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
