package report

import "strings"

// formulaStarts are the first characters that make a spreadsheet read a
// CSV cell as a formula (or, for tab and carriage return, hide one).
const formulaStarts = "=+-@\t\r"

// textCell makes a name safe in a CSV cell: one that a spreadsheet would
// run as a formula ("=HYPERLINK(...)", "+1", "@SUM(...)") gets a leading
// apostrophe, so it is shown as the text it is. Only names go through it,
// never figures (a negative number stays a number).
func textCell(s string) string {
	if s != "" && strings.ContainsRune(formulaStarts, rune(s[0])) {
		return "'" + s
	}
	return s
}
