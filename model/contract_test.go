package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Contracts that no roster could use are rejected at load, each at its
// file, line and field. base has 36 lines: each [[contract]] below starts
// at line 38.
func TestBadContracts(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"part-time share over 1", `
[[contract]]
name = "part-time"
lengths = ["4h", "6h"]
max_share = 1.5
`, `bad.toml:41: contract "part-time": max_share 1.5 is not in (0, 1]`},
		{"impossible days-off rule", `
[[contract]]
name = "six-on"
days = 6
consecutive_off = 2
`, `bad.toml:41: contract "six-on": consecutive_off 2 consecutive days off with 6 working days do not fit in a week: an impossible days-off rule`},
		{"no interval can use it", `
[[contract]]
name = "late"
tiers = ["rep"]
earliest_start = "20:00"

[[opening]]
tier = "rep"
open = "08:00"
close = "18:00"
`, `bad.toml:38: contract "late": leaves tier "rep" no shift it can work`},
		{"hours no length gives", `
[[contract]]
name = "short"
lengths = ["4h"]
min_hours = 30
`, `bad.toml:40: contract "short": lengths [4h0m0s] × 5 days a week: no length gives between min_hours 30 and max_hours 0`},
		{"latest before earliest", `
[[contract]]
name = "x"
earliest_start = "10:00"
latest_start = "08:00"
`, `bad.toml:41: contract "x": latest_start 08:00 is before earliest_start 10:00`},
		{"unknown tier", `
[[contract]]
name = "x"
tiers = ["nobody"]
`, `bad.toml:40: contract "x": tiers "nobody" is not a [[tier]]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("bad.toml", []byte(base+c.text))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

// A scenario without contracts plans full time; one with a part-time
// contract for a tier keeps the default for the others.
func TestContractsFor(t *testing.T) {
	sc, err := Parse("ok.toml", []byte(base+`
[[tier]]
name = "lead"
skills = ["phone"]

[[contract]]
name = "part-time"
tiers = ["rep"]
lengths = ["4h", "5h", "6h"]
max_share = 0.3
breaks = [{ length = "15m", from = "1h30m", to = "2h30m" }]
`))
	require.NoError(t, err)
	rep := sc.ContractsFor("rep")
	require.Len(t, rep, 1)
	assert.Equal(t, "part-time", rep[0].Name)
	assert.Equal(t, 5, rep[0].Days)
	assert.Len(t, rep[0].WorkWeeks(nil), 7)
	assert.Equal(t, Day-30*time.Minute, rep[0].Latest)
	lead := sc.ContractsFor("lead")
	require.Len(t, lead, 1)
	assert.Equal(t, "full-time", lead[0].Name)
	assert.Equal(t, []time.Duration{8 * time.Hour}, lead[0].LengthsFor())
	assert.Len(t, lead[0].BreaksFor(8*time.Hour), 3)
	assert.Equal(t, "8h", ShortDuration(8*time.Hour))
	assert.Equal(t, "8h30m", ShortDuration(8*time.Hour+30*time.Minute))
	assert.Equal(t, "45m", ShortDuration(45*time.Minute))
}

// A dated contract (temps on the peak days) loads with its dates as
// midnights in the scenario's zone, works all of them by default, and
// offers the sets of Days of them; bad ones are rejected at file, line and
// field. base runs 23–29 November 2026.
func TestDatedContract(t *testing.T) {
	sc, err := Parse("ok.toml", []byte(base+`
[[contract]]
name = "temp"
dates = [2026-11-27, 2026-11-29]

[[contract]]
name = "any-two"
dates = [2026-11-26, 2026-11-27, 2026-11-28]
days = 2
`))
	require.NoError(t, err)
	temp := sc.Contracts[0]
	require.True(t, temp.Dated())
	assert.Equal(t, 2, temp.Days)
	assert.Equal(t, sc.Location, temp.Dates[0].Location())
	assert.Equal(t, 0, temp.Dates[0].Hour())
	assert.Len(t, temp.WorkDates(nil), 1)
	assert.Len(t, sc.Contracts[1].WorkDates(nil), 3) // C(3,2)
	fri, _ := ParseDays("mon-fri")
	assert.Len(t, sc.Contracts[1].WorkDates(&Opening{OnDays: fri}), 1) // Thu and Fri only

	// A date outside the period is not worked in it (as a dated shift's
	// is not): the contract keeps its dates inside, and with fewer of them
	// than its days it offers no position. Shortening a period never makes
	// a scenario invalid.
	out, err := Parse("ok.toml", []byte(base+`
[[contract]]
name = "temp"
dates = [2026-11-27, 2026-11-30]

[[contract]]
name = "later"
dates = [2026-12-01, 2026-12-02]
days = 1
`))
	require.NoError(t, err)
	assert.Len(t, out.Contracts[0].Dates, 1)
	assert.Empty(t, out.Contracts[0].WorkDates(nil), "two days asked of one date in the period")
	assert.Empty(t, out.Contracts[1].Dates)
	assert.Empty(t, out.Contracts[1].WorkDates(nil))

	for _, c := range []struct{ name, text, want string }{
		{"more days than dates", `
[[contract]]
name = "temp"
dates = [2026-11-27]
days = 2
`, `bad.toml:41: contract "temp": days 2 working days is not in [1, 1]`},
		{"a days-off rule on dates", `
[[contract]]
name = "temp"
dates = [2026-11-27, 2026-11-28]
consecutive_off = 2
`, `bad.toml:41: contract "temp": consecutive_off is a weekly rule`},
		{"a date twice", `
[[contract]]
name = "temp"
dates = [2026-11-27, 2026-11-27]
`, `bad.toml:40: contract "temp": dates 2026-11-27 is listed twice`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("bad.toml", []byte(base+c.text))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}
