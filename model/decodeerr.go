package model

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// decoding places an error of decoding a valid TOML file into a Scenario
// (a value of the wrong type, or one its type refused, such as a rate
// without a unit) at its line. The decoder names the key but not which
// element of an array of tables holds it, and gives the line of the key's
// last occurrence; decoding each element of that array alone finds the
// first that fails.
type decoding struct {
	file  string
	lines lineIndex
	raw   map[string]toml.Primitive
	md    toml.MetaData
}

var (
	// BurntSushi/toml's type errors: `toml: line 9 (last key "shift.headcount"): …`.
	typeErrRe = regexp.MustCompile(`^toml: (?:line (\d+) )?(?:\(last key ("(?:[^"\\]|\\.)*")\): )?(.*)$`)
	mismatch  = regexp.MustCompile(`^incompatible types: TOML value has type (\S+); destination has type (.+)$`)
	notTable  = regexp.MustCompile(`^type mismatch for \S+: expected table but found (\S+)$`)
	// A date-time written as text, refused by time.Time.UnmarshalText.
	timeErrRe = regexp.MustCompile(`^parsing time ("[^"]*") as `)
)

// place returns the problem for a decoding error.
func (d decoding) place(err error) Problem {
	key, msg, line := "", err.Error(), 0
	colon := true // a value's own error reads "field: message"
	var pe toml.ParseError
	if errors.As(err, &pe) {
		key, msg, line = pe.LastKey, pe.Message, pe.Position.Line
		if m := timeErrRe.FindStringSubmatch(msg); m != nil {
			msg, colon = fmt.Sprintf("must be a TOML date-time without quotes, e.g. 2026-11-23T00:00:00-05:00, not the text %s", m[1]), false
		}
	} else if m := typeErrRe.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		if m[2] != "" {
			key, _ = strconv.Unquote(m[2])
		}
		msg, colon = humanType(m[3])
	}
	if key == "" {
		return Problem{File: d.file, Line: line, Msg: msg}
	}
	path, where := d.element(key)
	if n := d.lines.line(path); n > 0 {
		line = n
	}
	field := key
	if where != "" {
		_, field, _ = strings.Cut(key, ".")
	}
	if colon {
		field += ":"
	}
	return Problem{File: d.file, Line: line, Where: where, Field: field, Msg: msg}
}

// humanType rewrites the decoder's type errors in the scenario's words;
// other messages are kept. colon says whether the field and message read
// better apart ("rate: malformed …") than together ("headcount must be …").
func humanType(msg string) (string, bool) {
	if m := mismatch.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("must be %s, not %s", wantType[m[2]], tomlType(m[1])), false
	}
	if m := notTable.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("must be a table such as { dist = \"exponential\", mean = \"4m\" }, not %s", tomlType(m[1])), false
	}
	return msg, true
}

// wantType names what a destination of the decoder accepts.
var wantType = map[string]string{
	"integer":                 "a whole number (e.g. 12)",
	"float":                   "a number (e.g. 0.8)",
	"string":                  "text in quotes",
	"primitive (string-like)": "text in quotes (e.g. \"120/h\", \"5m\")",
	"boolean":                 "true or false",
	"map":                     "a table",
	"slice":                   "a list [ … ]",
}

// tomlType names the type of a TOML value from its Go type.
func tomlType(goType string) string {
	switch {
	case goType == "string":
		return "text"
	case goType == "int64":
		return "a whole number"
	case goType == "float64":
		return "a number"
	case goType == "bool":
		return "true/false"
	case goType == "time.Time":
		return "a date-time"
	case strings.HasPrefix(goType, "map"):
		return "a table"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	}
	return "a value of another type"
}

// element returns the path of the value that failed, with the index of
// its array element ("shift[1].headcount"), and the element's label
// (`shift "afternoon"`); for a plain table, the key and the table.
func (d decoding) element(key string) (path, where string) {
	kind, rest, _ := strings.Cut(key, ".")
	elem, isArray := scenarioTable(kind)
	if !isArray {
		if rest == "" || elem == nil {
			return key, ""
		}
		return key, "[" + kind + "]"
	}
	var items []toml.Primitive
	if d.md.PrimitiveDecode(d.raw[kind], &items) != nil {
		return key, ""
	}
	for i, it := range items {
		if d.md.PrimitiveDecode(it, reflect.New(elem).Interface()) == nil {
			continue
		}
		path = fmt.Sprintf("%s[%d]", kind, i)
		if rest != "" {
			path += "." + rest
		}
		var named struct {
			Name string `toml:"name"`
		}
		where = fmt.Sprintf("%s #%d", kind, i+1)
		if d.md.PrimitiveDecode(it, &named) == nil && named.Name != "" && checkName(named.Name) == nil {
			where = fmt.Sprintf("%s %q", kind, named.Name)
		}
		return path, where
	}
	return key, ""
}

// scenarioTable returns the Go type of a top-level table of Scenario (the
// element type for an array of tables) and whether it is an array.
func scenarioTable(kind string) (reflect.Type, bool) {
	t := reflect.TypeOf(Scenario{})
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Tag.Get("toml") != kind {
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Slice {
			return ft.Elem(), true
		}
		return ft, false
	}
	return nil, false
}
