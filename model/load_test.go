package model

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// base is a small valid scenario; the table below breaks it one way at a
// time. Line numbers in the expectations refer to this text.
const base = `[scenario]
name = "test"
start = 2026-11-23T00:00:00-05:00
duration = "7d"
interval = "30m"
seed = 1

[[channel]]
name = "phone"
mode = "sync"
rate = "120/h"
sla = { target = 0.8, within = "20s" }

[[channel]]
name = "chat"
mode = "concurrent"
rate = "60/h"
sla = { target = 0.8, within = "60s" }

[[category]]
name = "general"
share = 1
handle_time = { dist = "lognormal", mean = "5m", cv = 0.5 }

[[tier]]
name = "rep"
skills = ["phone", "chat"]
concurrency = { chat = 3 }

[[shift]]
name = "day"
tier = "rep"
days = "mon-fri"
start = "08:00"
length = "8h"
headcount = 10
`

func TestLoadValid(t *testing.T) {
	sc, err := Parse("ok.toml", []byte(base))
	require.NoError(t, err)
	assert.Equal(t, "test", sc.Meta.Name)
	assert.Equal(t, 30*time.Minute, sc.Meta.Interval.Duration)
	assert.Equal(t, 7*Day, sc.Meta.Duration.Duration)
	assert.InDelta(t, 120.0/3600, sc.Channels[0].Rate.PerSecond, 1e-12)
	assert.Equal(t, 3, sc.Tiers[0].ConcurrencyFor("chat"))
	assert.Equal(t, 1, sc.Tiers[0].ConcurrencyFor("phone"))
	assert.Equal(t, 10, sc.Meta.Replications, "default replications")
	assert.Equal(t, 1.0, sc.Channels[1].Stretch, "default stretch")
}

func TestBundledScenariosLoad(t *testing.T) {
	files, err := filepath.Glob("../scenarios/*.toml")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 3)
	for _, f := range files {
		_, err := Load(f)
		assert.NoError(t, err, f)
	}
}

func TestLoadRejects(t *testing.T) {
	cases := []struct {
		name    string
		from    string // replaced in base
		to      string
		want    []string // every one must appear in the error
		wantAll int      // number of problems, if > 0
	}{
		{"negative rate", `rate = "120/h"`, `rate = "-5/h"`, []string{`bad.toml:11: channel "phone": rate: rate "-5/h" must be positive`}, 0},
		{"zero rate", `rate = "120/h"`, `rate = "0/h"`, []string{"bad.toml:11:", "must be positive"}, 0},
		{"rate without unit", `rate = "120/h"`, `rate = "120"`, []string{"bad.toml:11:", "malformed rate"}, 0},
		{"shares", `share = 1`, `share = 0.7`, []string{"bad.toml:22:", "category shares sum to 0.7"}, 2},
		{"unknown tier", `tier = "rep"`, `tier = "nobody"`, []string{"bad.toml:32:", `shift "day": tier "nobody" is not a [[tier]]`}, 0},
		{"unknown channel", `skills = ["phone", "chat"]`, `skills = ["phone", "fax"]`, []string{"bad.toml:27:", `names "fax", which is not a [[channel]]`}, 0},
		{"shift with no tier", "tier = \"rep\"\n", "", []string{"bad.toml:30:", `shift "day": tier is missing`}, 0},
		{"target above 1", `target = 0.8, within = "20s"`, `target = 1.3, within = "20s"`, []string{"bad.toml:12:", `channel "phone": sla.target 1.3 is not in (0,1]`}, 0},
		{"target zero", `target = 0.8, within = "60s"`, `target = 0, within = "60s"`, []string{"bad.toml:18:", `channel "chat": sla.target 0 is not in (0,1]`}, 0},
		{"malformed duration", `length = "8h"`, `length = "8 hours"`, []string{"bad.toml:35:", `shift "day": length: malformed duration "8 hours"`}, 0},
		{"unknown key", `headcount = 10`, "headcount = 10\nheadcont = 3", []string{"bad.toml:37:", `unknown key "shift.headcont"`}, 0},
		{"unknown mode", `mode = "sync"`, `mode = "phone"`, []string{"bad.toml:10:", `mode "phone" is not sync, concurrent or deferred`}, 0},
		{"bad days", `days = "mon-fri"`, `days = "weekdays"`, []string{"bad.toml:33:", `shift "day": days: "weekdays" is not a day`}, 0},
		{"concurrency on sync", `concurrency = { chat = 3 }`, `concurrency = { phone = 3 }`, []string{"bad.toml:28:", `concurrency.phone is 3 but channel "phone" is not concurrent`}, 0},
		{"unreachable target", `target = 0.8, within = "20s"`, `target = 1, within = "0s"`, []string{"bad.toml:12:", "cannot be met"}, 0},
		{"toml syntax", `seed = 1`, `seed = = 1`, []string{"bad.toml:6:"}, 0},
		{"escalation to nowhere", `cv = 0.5 }`, "cv = 0.5 }\nescalate = { to = \"l2\", p = 0.1 }", []string{"bad.toml:24:", `escalate.to "l2" is not a [[tier]]`}, 0},
		{"duplicate channel", `name = "chat"`, `name = "phone"`, []string{"bad.toml:15:", `channel "phone": is defined twice`}, 0},
		{"days and dates", `days = "mon-fri"`, "days = \"mon-fri\"\ndates = [2026-11-27]", []string{`shift "day": dates and days are both given`}, 0},
		{"second of an array", `rate = "60/h"`, `rate = "0/h"`, []string{`bad.toml:17: channel "chat": rate:`}, 0},
		// A value the decoder refuses is placed at its own element's line,
		// not at the key's last occurrence in the file.
		{"no unit, first channel", `rate = "120/h"`, `rate = 120`, []string{`bad.toml:11: channel "phone": rate: malformed rate "120"`}, 1},
		{"no unit, second channel", `rate = "60/h"`, `rate = 60`, []string{`bad.toml:17: channel "chat": rate: malformed rate "60"`}, 1},
		{"text for a number", `headcount = 10`, `headcount = "ten"`, []string{`bad.toml:36: shift "day": headcount must be a whole number (e.g. 12), not text`}, 1},
		{"a number for a table", `handle_time = { dist = "lognormal", mean = "5m", cv = 0.5 }`, `handle_time = 5`, []string{`bad.toml:23: category "general": handle_time must be a table`, "not a whole number"}, 1},
		{"missing bracket", "[[channel]]\nname = \"chat\"", "[[channel]\nname = \"chat\"", []string{"bad.toml:14: not valid TOML"}, 1},
		{"overlapping breaks", `headcount = 10`, "headcount = 10\nbreaks = [{ after = \"2h\", length = \"1h\" }, { after = \"2h30m\", length = \"15m\" }]", []string{`bad.toml:37: shift "day": breaks[1] starts 2h30m0s into the shift, before breaks[0] ends at 3h0m0s`}, 1},
		{"break staggered past the end", `headcount = 10`, "headcount = 10\nbreaks = [{ after = \"7h30m\", length = \"15m\" }]", []string{`breaks[0] ends 8h12m0s into the shift for the last agent (staggered 27m0s late over stagger = "30m0s")`}, 1},
		{"control character in a name", `name = "general"`, `name = "gen\teral"`, []string{`bad.toml:21: [[category]]: name "gen\teral" holds the control character U+0009`}, 1},
		{"category factor of an unknown category", `concurrency = { chat = 3 }`, "concurrency = { chat = 3 }\ncategory_handle_factor = { bugs = 1.5 }", []string{`bad.toml:29: tier "rep": category_handle_factor names "bugs", which is not a [[category]]`}, 1},
		{"category factor out of range", `concurrency = { chat = 3 }`, "concurrency = { chat = 3 }\ncategory_handle_factor = { general = 0 }", []string{`bad.toml:29: tier "rep": category_handle_factor.general 0 is not in (0, 20]`}, 1},
		{"year 9999", `start = 2026-11-23T00:00:00-05:00`, `start = 9999-11-23T00:00:00-05:00`, []string{`bad.toml:3: [scenario]: start is in the year 9999; dates must fall in 1900–2999`}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Contains(t, base, c.from)
			src := strings.Replace(base, c.from, c.to, 1)
			_, err := Parse("bad.toml", []byte(src))
			require.Error(t, err)
			var ps Problems
			require.True(t, errors.As(err, &ps), "error is Problems: %v", err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			if c.wantAll > 0 {
				assert.Len(t, ps, c.wantAll, err.Error())
			}
		})
	}
}

func TestAllProblemsAtOnce(t *testing.T) {
	src := strings.Replace(base, `rate = "120/h"`, `rate = "120/h"`+"\nprofile = \"nope\"", 1)
	src = strings.Replace(src, `target = 0.8, within = "60s"`, `target = 2, within = "60s"`, 1)
	src = strings.Replace(src, `headcount = 10`, `headcount = -1`, 1)
	_, err := Parse("many.toml", []byte(src))
	var ps Problems
	require.True(t, errors.As(err, &ps))
	assert.Len(t, ps, 3, err.Error())
	assert.Contains(t, err.Error(), `many.toml:12: channel "phone": profile "nope" is not a [[profile]]`)
	assert.Contains(t, err.Error(), `many.toml:19: channel "chat": sla.target 2 is not in (0,1]`)
	assert.Contains(t, err.Error(), `many.toml:37: shift "day": headcount -1 is not in [0, 100000]`)
}

func TestLoadFileProblems(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.toml")
	require.NoError(t, os.WriteFile(empty, []byte("# nothing here\n\n"), 0o644))
	for _, c := range []struct{ path, want string }{
		{filepath.Join(dir, "missing.toml"), "missing.toml: no such file"},
		{dir, "is a directory"},
		{empty, "empty.toml:1: the file is empty"},
	} {
		_, err := Load(c.path)
		require.Error(t, err, c.path)
		assert.Contains(t, err.Error(), c.want)
	}
}

func TestEscalationCycleRejected(t *testing.T) {
	src := strings.Replace(base, `cv = 0.5 }`, `cv = 0.5 }
escalate = [{ to = "l2", p = 0.1 }, { from = "l2", to = "rep", p = 0.1 }]`, 1)
	src += `
[[tier]]
name = "l2"
skills = ["phone"]
`
	_, err := Parse("cycle.toml", []byte(src))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cycle.toml:24:")
	assert.Contains(t, err.Error(), `comes back to tier "rep"`)
}

func TestDurationsAndRates(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"20s": 20 * time.Second, "5m": 5 * time.Minute, "8h30m": 8*time.Hour + 30*time.Minute,
		"7d": 7 * Day, "1d12h": 36 * time.Hour, "1.5h": 90 * time.Minute, "0s": 0,
	} {
		got, err := ParseDuration(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "5", "5x", "-3m", "d", "1e400d", "3 m"} {
		_, err := ParseDuration(bad)
		assert.Error(t, err, bad)
	}
	for in, want := range map[string]float64{"570/h": 570.0 / 3600, "12000/d": 12000.0 / 86400, "2/s": 2, "10/m": 10.0 / 60,
		"100/30m": 100.0 / 1800, "25/15m": 25.0 / 900, "900/2h": 900.0 / 7200, "1000/d": 1000.0 / 86400, "3/sec": 3} {
		got, err := ParseRate(in)
		require.NoError(t, err, in)
		assert.InDelta(t, want, got, 1e-12, in)
	}
	for _, bad := range []string{"", "570", "0/h", "-1/h", "5/week", "x/h", "NaN/h", "Inf/h", "50", "5/0m", "5/-30m", "5/30x"} {
		_, err := ParseRate(bad)
		assert.Error(t, err, bad)
	}
}

// FuzzParse: no input makes the loader panic, and whatever it accepts is
// valid enough to compile (rates positive, shares summing to 1).
func FuzzParse(f *testing.F) {
	f.Add([]byte(base))
	files, _ := filepath.Glob("../scenarios/*.toml")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(""))
	f.Add([]byte("[scenario]\nstart = 2026-01-01T00:00:00Z\nduration = \"1d\""))
	f.Add([]byte(strings.Replace(base, `"120/h"`, `"1e308/s"`, 1)))
	f.Add([]byte(strings.Replace(base, `"7d"`, `"99999999d"`, 1)))
	f.Add([]byte(strings.Replace(base, `cv = 0.5 }`, "cv = 0.5 }\nescalate = [1, 2]", 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Parse("fuzz.toml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.toml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, c := range sc.Channels {
			if !(c.Rate.PerSecond > 0) {
				t.Fatalf("accepted a channel with rate %v", c.Rate.PerSecond)
			}
		}
		if sc.Meta.Duration.Duration <= 0 || sc.Meta.Replications < 1 {
			t.Fatalf("accepted duration %v, replications %d", sc.Meta.Duration, sc.Meta.Replications)
		}
	})
}

// A scenario changed in code validates again without its file's lines.
func TestValidateInCode(t *testing.T) {
	sc, err := Parse("", []byte(base))
	require.NoError(t, err)
	require.NoError(t, sc.Validate())
	sc.Channels[0].SLA.Target = 2
	err = sc.Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), `channel "phone": sla.target 2 is not in (0,1]`)
}

// Clocks and day sets decode themselves: a scenario carries parsed times
// of day and weekday sets, and a bad one is reported at its line.
func TestClockAndDaysDecodeThemselves(t *testing.T) {
	sc, err := Parse("s.toml", []byte(base))
	require.NoError(t, err)
	for _, s := range sc.Shifts {
		assert.True(t, s.Start.Set, s.Name)
		assert.False(t, s.Days.IsZero() && len(s.Dates) == 0, "%s: days default to daily", s.Name)
	}
	var c Clock
	require.NoError(t, c.UnmarshalText([]byte("17:30")))
	assert.Equal(t, 17*time.Hour+30*time.Minute, c.Offset)
	assert.Equal(t, "17:30", c.String())
	assert.Error(t, c.UnmarshalText([]byte("25:00")))
	d, err := ParseDaySet("sat,sun")
	require.NoError(t, err)
	assert.True(t, d.Has(time.Saturday) && d.Has(time.Sunday) && !d.Has(time.Monday))
	assert.Equal(t, "sat,sun", d.String())
	_, err = Parse("s.toml", []byte(strings.Replace(base, `start = "`, `start = "8h`, 1)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "malformed time of day")
}
