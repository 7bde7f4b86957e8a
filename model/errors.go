package model

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a scenario, placed at its file and line.
type Problem struct {
	File string
	Line int // 0 when no line applies (a missing file)
	// Where names the table, e.g. `channel "chat"`; Field the key path in
	// it, e.g. "sla.target". Either may be empty.
	Where string
	Field string
	Msg   string
}

func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Where != "" {
		b.WriteString(p.Where)
		b.WriteString(": ")
	}
	if p.Field != "" {
		b.WriteString(p.Field)
		b.WriteString(" ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Problems is every problem found in a scenario; Load returns it as its
// error so that a user sees them all at once.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}
