package report

import (
	"io"
	"strings"
	"unicode/utf8"
)

// ANSI colours used when the summary goes to a terminal.
const (
	ansiReset = "\x1b[0m"
	ansiBold  = "\x1b[1m"
	ansiRed   = "\x1b[31m"
	ansiGreen = "\x1b[32m"
	ansiDim   = "\x1b[2m"
)

// cell is one table cell; style is an ANSI prefix applied only when colour
// is on, after padding, so widths stay right.
type cell struct {
	text  string
	style string
}

// table is a small aligned text table: the first column is left-aligned,
// the others as set in right.
type table struct {
	indent string
	head   []string
	right  []bool
	rows   [][]cell
}

func (t *table) add(cells ...cell) { t.rows = append(t.rows, cells) }

// addText adds a row of unstyled cells.
func (t *table) addText(texts ...string) {
	cs := make([]cell, len(texts))
	for i, s := range texts {
		cs[i] = cell{text: s}
	}
	t.add(cs...)
}

func width(s string) int { return utf8.RuneCountInString(s) }

// write renders the table; trailing spaces are trimmed from every line.
func (t *table) write(w io.Writer, color bool) error {
	n := len(t.head)
	for _, r := range t.rows {
		n = max(n, len(r))
	}
	wd := make([]int, n)
	for i, h := range t.head {
		wd[i] = max(wd[i], width(h))
	}
	for _, r := range t.rows {
		for i, c := range r {
			wd[i] = max(wd[i], width(c.text))
		}
	}
	var b strings.Builder
	line := func(cells []cell, head bool) {
		var l strings.Builder
		l.WriteString(t.indent)
		for i := 0; i < n; i++ {
			var c cell
			if i < len(cells) {
				c = cells[i]
			}
			if i > 0 {
				l.WriteString("  ")
			}
			pad := strings.Repeat(" ", wd[i]-width(c.text))
			right := i < len(t.right) && t.right[i]
			style := c.style
			if head {
				style = ansiDim
			}
			text := c.text
			if color && style != "" && text != "" {
				text = style + text + ansiReset
			}
			if right {
				l.WriteString(pad + text)
			} else {
				l.WriteString(text + pad)
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " "))
		b.WriteByte('\n')
	}
	if len(t.head) > 0 {
		hs := make([]cell, len(t.head))
		for i, h := range t.head {
			hs[i] = cell{text: h}
		}
		line(hs, true)
	}
	for _, r := range t.rows {
		line(r, false)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
