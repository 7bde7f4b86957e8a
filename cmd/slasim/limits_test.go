package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestRunRefusesTooBig: a run expected past the limits stops before it
// starts, with exit 2 and a message saying what to change; the limit can be
// raised explicitly.
func TestRunRefusesTooBig(t *testing.T) {
	const sc = "../../scenarios/small-team.toml"
	tests := []struct {
		name     string
		args     []string
		code     int
		contains []string
	}{
		// Rates past 100,000/h are refused when the scenario loads; the
		// highest allowed, over 70 days, is past the work limit.
		{"endless rate", []string{"run", sc, "--set", "channel.phone.rate=100000/h", "--set", "scenario.duration=70d"}, 2,
			[]string{"run too big", "tickets", "per replication × 30 replications", "exceed the limit of 2.0 billion", "--max-tickets"}},
		{"tickets past a lowered limit", []string{"run", sc, "--max-tickets", "1000"}, 2,
			[]string{"run too big", "limit of 1000", "fewer replications"}},
		{"memory past a lowered limit", []string{"run", sc, "--max-memory", "0.01"}, 2,
			[]string{"of memory", "336 intervals × 2 channels", "longer scenario.interval", "--max-memory"}},
		{"compare checks B too", []string{"compare", sc, "--set", "channel.phone.rate=100000/h", "--set", "scenario.duration=70d"}, 2,
			[]string{"slasim compare", "run too big"}},
		{"staff counts its simulations", []string{"staff", sc, "--max-tickets", "50000"}, 2,
			[]string{"slasim staff", "× 2960 replications"}}, // at most 296 simulations of 10: search 120 + 4 answers, 3 rota rounds, check, sensitivity baseline and six variants of 20 + 4
		{"replications 0", []string{"run", sc, "--replications", "0"}, 2, []string{`"0" is not a number of replications in [1, 10000]`}},
		{"replications past the file's cap", []string{"run", sc, "--replications", "10001"}, 2, []string{"[1, 10000]"}},
		{"compare replications past the cap", []string{"compare", sc, "--set", "scenario.seed=3", "--replications", "20000"}, 2, []string{"[1, 10000]"}},
		{"staff replications 0", []string{"staff", sc, "--replications", "0"}, 2, []string{"[1, 10000]"}},
		{"queue bound reached: figures printed, verdict, exit 1", []string{"run", sc, "--quiet", "--replications", "2", "--set", "channel.email.rate=200/h", "--max-queue", "50"}, 1,
			[]string{`channel "email" reached the bound of 50 open tickets in 2 of 2 replications`, "not a steady state", "--max-queue"}},
		{"max-queue 0", []string{"run", sc, "--max-queue", "0"}, 2, []string{"-max-queue", "≥ 1"}},
		{"raised limit runs", []string{"run", sc, "--quiet", "--replications", "2", "--max-tickets", "0", "--max-memory", "0"}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := dispatch(tt.args, &out, &errb)
			assert.Equal(t, tt.code, code, errb.String())
			for _, s := range tt.contains {
				assert.Contains(t, errb.String(), s)
			}
			if tt.code == 1 {
				assert.Contains(t, out.String(), "SERVICE LEVEL", "the figures are still printed")
			}
			if tt.code == 2 {
				assert.Empty(t, out.String())
				assert.False(t, strings.Contains(errb.String(), "goroutine"), errb.String())
			}
		})
	}
}
