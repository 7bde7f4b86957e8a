package model

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const overrideScenario = `
[scenario]
name = "override test"
start = 2026-11-23T00:00:00-05:00
duration = "1d"
replications = 5

[[channel]]
name = "phone"
mode = "sync"
rate = "60/h"
patience = { dist = "exponential", mean = "3m" }
sla = { target = 0.80, within = "20s" }

[[channel]]
name = "chat"
mode = "concurrent"
rate = "100/h"
sla = { target = 0.80, within = "60s" }

[[category]]
name = "returns"
share = 1
handle_time = { dist = "lognormal", mean = "5m", cv = 0.6 }
deflect = { rate = 0.3, bot_time = "90s", fallback = 0.25 }

[[tier]]
name = "representative"
skills = ["phone", "chat"]
concurrency = { chat = 3 }
band = "rep"

[[shift]]
name = "early"
tier = "representative"
start = "06:00"
length = "8h"
headcount = 10

[[band]]
name = "rep"
annual = [40000, 55000]
benefits = 0.3
`

func loadOverrideScenario(t *testing.T) *Scenario {
	t.Helper()
	p := filepath.Join(t.TempDir(), "s.toml")
	if err := os.WriteFile(p, []byte(overrideScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func TestSet(t *testing.T) {
	for _, tc := range []struct {
		key, value string
		check      func(*Scenario) bool
	}{
		{"shift.early.headcount", "46", func(s *Scenario) bool { return s.Shifts[0].Headcount == 46 }},
		{"shift.representative/early.headcount", "12", func(s *Scenario) bool { return s.Shifts[0].Headcount == 12 }},
		{"channel.chat.rate", "200/h", func(s *Scenario) bool {
			return s.Channels[1].Rate.PerHour() > 199.99 && s.Channels[1].Rate.PerHour() < 200.01
		}},
		{"channel.phone.sla.target", "0.85", func(s *Scenario) bool { return s.Channels[0].SLA.Target == 0.85 }},
		{"channel.phone.sla.within", "30s", func(s *Scenario) bool { return s.Channels[0].SLA.Within.Seconds() == 30 }},
		{"channel.phone.patience.mean", "5m", func(s *Scenario) bool { return s.Channels[0].Patience.Mean.Seconds() == 300 }},
		{"tier.representative.concurrency.chat", "4", func(s *Scenario) bool { return s.Tiers[0].Concurrency["chat"] == 4 }},
		{"tier.representative.category_handle_factor.returns", "1.5", func(s *Scenario) bool {
			return s.Tiers[0].FactorFor("returns") == 1.5*s.Tiers[0].HandleFactor
		}},
		{"scenario.replications", "50", func(s *Scenario) bool { return s.Meta.Replications == 50 }},
		{"scenario.seed", "99", func(s *Scenario) bool { return s.Meta.Seed == 99 }},
		{"category.returns.deflect.rate", "0.5", func(s *Scenario) bool { return s.Categories[0].Deflect.Rate == 0.5 }},
		{"category.returns.handle_time.mean", "6m", func(s *Scenario) bool { return s.Categories[0].HandleTime.Mean.Seconds() == 360 }},
		{"band.rep.annual", "50000", func(s *Scenario) bool { return s.Bands[0].HourlyCost(0) == 50000*1.3/2080 }},
		{"band.rep.annual", "[45000, 65000]", func(s *Scenario) bool { return s.Bands[0].Annual[1] == 65000 }},
		{"shrinkage.sick", "0.05", func(s *Scenario) bool { return s.Shrinkage.Sick == 0.05 }},
	} {
		t.Run(tc.key+"="+tc.value, func(t *testing.T) {
			sc := loadOverrideScenario(t)
			if err := sc.Set(tc.key, tc.value); err != nil {
				t.Fatal(err)
			}
			if !tc.check(sc) {
				t.Errorf("Set(%q, %q) did not take effect", tc.key, tc.value)
			}
		})
	}
}

func TestSetErrors(t *testing.T) {
	for _, tc := range []struct{ key, value, want string }{
		{"shift.late.headcount", "4", `no shift named "late" (shifts: early)`},
		{"category.x.share", "1", `categories: returns`},
		{"shift.early.heads", "4", `has no field "heads"`},
		{"channel.fax.rate", "4/h", `channels: phone, chat`},
		{"channel.chat.rate", "fast", `malformed rate`},
		{"channel.phone.sla.target", "1.3", `not in (0,1]`},
		{"wizard.x", "1", `unknown key`},
		{"scenario.replications", "many", `not a whole number`},
		{"tier.representative.concurrency.chat", "0", `not in [1, 20]`},
		{"tier.representative.category_handle_factor.parcels", "1.2", `names "parcels", which is not a [[category]]`},
		{"shift.early.headcount", "-3", `not in [0, 100000]`},
		// Values no distribution or engine can use: NaN and Inf are refused
		// with the allowed range, whatever the check.
		{"channel.phone.rate", "1e308/s", `is not in (0, 100000]: the limit is 100000/h per channel`},
		{"channel.phone.rate", "1e6/s", `the limit is 100000/h`},
		{"channel.chat.stretch", "NaN", `stretch NaN is not a finite number; want one in [1, 10]`},
		{"channel.chat.forecast_cv", "Inf", `forecast_cv +Inf is not a finite number`},
		{"channel.phone.sla.max_abandon", "nan", `sla.max_abandon NaN is not a finite number; want one in [0,1)`},
		{"tier.representative.handle_factor", "nan", `handle_factor NaN is not a finite number; want one in (0, 20]`},
		{"tier.representative.deferred_share", "NaN", `deferred_share NaN`},
		{"tier.representative.annual", "inf", `annual +Inf is not a finite number; want one in (0, 10000000]`},
		{"band.rep.annual", "inf", `each salary must be in (0, 10000000]`},
		{"band.rep.benefits", "NaN", `benefits NaN`},
		{"band.rep.paid_hours", "NaN", `paid_hours NaN`},
		{"shrinkage.sick", "NaN", `sick NaN`},
		{"category.returns.deflect.cost", "NaN", `deflect.cost NaN`},
		{"category.returns.handle_time.cv", "1e160", `cv 1e+160 is not in [0.001, 10] for a lognormal distribution`},
		{"category.returns.handle_time.mean", "400d", `mean 400d is longer than 365d`},
		{"scenario.start", "9999-01-01T00:00:00Z", `start is in the year 9999`},
	} {
		t.Run(tc.key, func(t *testing.T) {
			sc := loadOverrideScenario(t)
			err := sc.Set(tc.key, tc.value)
			if err == nil {
				t.Fatalf("Set(%q, %q) succeeded", tc.key, tc.value)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.key) {
				t.Errorf("error %q should name the key and say %q", err, tc.want)
			}
		})
	}
}

func TestSetAmbiguousShift(t *testing.T) {
	sc := loadOverrideScenario(t)
	sc.Shifts = append(sc.Shifts, sc.Shifts[0])
	sc.Shifts[1].Tier = "lead"
	err := sc.set("shift.early.headcount", "3")
	if err == nil || !strings.Contains(err.Error(), "shift.lead/early.headcount") {
		t.Errorf("ambiguous shift: got %v", err)
	}
}

func FuzzSet(f *testing.F) {
	f.Add("shift.early.headcount", "46")
	f.Add("channel.chat.rate", "200/h")
	f.Add("category.returns.escalate.0.p", "0.1")
	data := []byte(overrideScenario)
	f.Fuzz(func(t *testing.T, key, value string) {
		sc, err := Parse("fuzz.toml", data)
		if err != nil {
			t.Fatal(err)
		}
		_ = sc.set(key, value) // must not panic
	})
}

func TestOverrideErrorIsTyped(t *testing.T) {
	sc, err := Parse("s.toml", []byte(base))
	require.NoError(t, err)
	err = sc.Set("tier.nobody.annual", "1")
	var oe *OverrideError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "tier.nobody.annual", oe.Key)
	assert.Contains(t, err.Error(), "--set tier.nobody.annual=1: ")
	err = sc.Set("channel.phone.sla.target", "1.5")
	require.ErrorAs(t, err, &oe)
	var ps Problems
	assert.ErrorAs(t, err, &ps, "an override that makes the scenario invalid carries its problems")
}
