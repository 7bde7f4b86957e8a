package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/model"
)

func runErlangCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = dispatch(append([]string{"erlang"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func TestErlangCommandIsListed(t *testing.T) {
	var out, errb bytes.Buffer
	assert.Equal(t, 0, dispatch([]string{"help"}, &out, &errb))
	assert.Contains(t, errb.String(), "erlang")
}

func TestErlangJSONMatchesModel(t *testing.T) {
	const lambda, aht = 570.0 / 3600, 300.0
	erlangC := func(n int, within float64) model.ErlangResult {
		r, err := model.ErlangC(lambda, aht, n, within)
		require.NoError(t, err)
		return r
	}
	erlangA := func(patience float64, n int, within float64) model.ErlangResult {
		r, err := model.ErlangA(lambda, aht, patience, n, within)
		require.NoError(t, err)
		return r
	}
	agentsFor := func(patience, within, target, maxAbandon float64) model.ErlangResult {
		r, err := model.AgentsFor(lambda, aht, patience, within, target, maxAbandon)
		require.NoError(t, err)
		return r
	}
	tests := []struct {
		name string
		args []string
		want model.ErlangResult
	}{
		{"Erlang C, 50 agents", []string{"--agents", "50", "--within", "20s"}, erlangC(50, 20)},
		{"Erlang C, default within 20s", []string{"--agents", "55"}, erlangC(55, 20)},
		{"Erlang A, 50 agents", []string{"--agents", "50", "--within", "20s", "--patience", "2m"}, erlangA(120, 50, 20)},
		{"Erlang A below the load", []string{"--agents", "40", "--within", "30s", "--patience", "90s"}, erlangA(90, 40, 30)},
		{"Erlang C, target", []string{"--target", "0.8", "--within", "20s"}, agentsFor(0, 20, 0.8, 0)},
		{"Erlang A, target and cap", []string{"--target", "0.9", "--within", "15s", "--patience", "2m", "--max-abandon", "0.02"}, agentsFor(120, 15, 0.9, 0.02)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--rate", "570/h", "--aht", "5m", "--json"}, tt.args...)
			code, stdout, stderr := runErlangCLI(t, args...)
			require.Equal(t, 0, code, stderr)
			assert.Empty(t, stderr)

			var keys map[string]any
			require.NoError(t, json.Unmarshal([]byte(stdout), &keys))
			assert.ElementsMatch(t,
				[]string{"agents", "offered_erlangs", "p_wait", "p_abandon", "service_level", "asa_seconds", "occupancy"},
				mapKeys(keys))

			var got struct {
				Agents         int     `json:"agents"`
				OfferedErlangs float64 `json:"offered_erlangs"`
				PWait          float64 `json:"p_wait"`
				PAbandon       float64 `json:"p_abandon"`
				ServiceLevel   float64 `json:"service_level"`
				ASASeconds     float64 `json:"asa_seconds"`
				Occupancy      float64 `json:"occupancy"`
			}
			require.NoError(t, json.Unmarshal([]byte(stdout), &got))
			assert.Equal(t, tt.want.Agents, got.Agents)
			assert.InDelta(t, 47.5, got.OfferedErlangs, 1e-12)
			assert.Equal(t, tt.want.PWait, got.PWait)
			assert.Equal(t, tt.want.PAbandon, got.PAbandon)
			assert.Equal(t, tt.want.ServiceLevel, got.ServiceLevel)
			assert.Equal(t, tt.want.ASA, got.ASASeconds)
			assert.Equal(t, tt.want.Occupancy, got.Occupancy)
			assert.Equal(t, 1, strings.Count(stdout, "\n"), "one JSON object on one line")
		})
	}
}

func mapKeys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestErlangTable(t *testing.T) {
	code, stdout, stderr := runErlangCLI(t, "--rate", "570/h", "--aht", "5m", "--agents", "50", "--within", "20s", "--patience", "2m")
	require.Equal(t, 0, code, stderr)
	want := `model          Erlang A (mean patience 2m)
offered load   47.50 erlangs (570/h at 5m)
agents         50
P(wait)        30.1%
P(abandon)     4.7%
service level  85.5% within 20s
ASA            5.1s
occupancy      90.6%
`
	assert.Equal(t, want, stdout)

	code, stdout, stderr = runErlangCLI(t, "--rate", "570/h", "--aht", "5m", "--agents", "50")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "service level  46.7% within 20s\n")
	assert.Contains(t, stdout, "ASA            75.5s (1m15.5s)\n")
	assert.NotContains(t, stdout, "P(abandon)", "Erlang C has no abandonment row")

	code, stdout, stderr = runErlangCLI(t, "--rate", "360/h", "--aht", "240s", "--target", "0.8")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "agents required  29 for 80% within 20s\n")
	assert.Contains(t, stdout, "offered load     24.00 erlangs")

	code, stdout, stderr = runErlangCLI(t, "--rate", "570/h", "--aht", "5m", "--target", "0.8", "--patience", "2m", "--max-abandon", "0.05")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "agents required  50 for 80% within 20s, at most 5% abandoning\n")
}

func TestErlangBadInput(t *testing.T) {
	base := []string{"--rate", "570/h", "--aht", "5m"}
	with := func(extra ...string) []string { return append(append([]string{}, base...), extra...) }
	tests := []struct {
		name     string
		args     []string
		code     int
		contains []string
	}{
		{"missing rate", []string{"--aht", "5m", "--agents", "50"}, 2, []string{"--rate", "required"}},
		{"zero rate", []string{"--rate", "0/h", "--aht", "5m", "--agents", "50"}, 2, []string{"--rate", "positive"}},
		{"rate without unit", []string{"--rate", "570", "--aht", "5m", "--agents", "50"}, 2, []string{"--rate", "570"}},
		{"missing aht", []string{"--rate", "570/h", "--agents", "50"}, 2, []string{"--aht", "required"}},
		{"zero aht", []string{"--rate", "570/h", "--aht", "0s", "--agents", "50"}, 2, []string{"--aht"}},
		{"malformed aht", []string{"--rate", "570/h", "--aht", "five", "--agents", "50"}, 2, []string{"--aht", "five"}},
		{"malformed within", with("--agents", "50", "--within", "soon"), 2, []string{"--within"}},
		{"zero patience", with("--agents", "50", "--patience", "0s"), 2, []string{"--patience"}},
		{"agents and target", with("--agents", "50", "--target", "0.8"), 2, []string{"--agents", "--target"}},
		{"neither agents nor target", base, 2, []string{"--agents", "--target"}},
		{"zero agents", with("--agents", "0"), 2, []string{"--agents"}},
		{"agents past the bound (would take hours)", with("--agents", "1000000000000000"), 2, []string{"--agents 1000000000000000", "at most 100000"}},
		{"agents not a number", with("--agents", "lots"), 2, []string{"-agents", "lots"}},
		{"unstable Erlang C", with("--agents", "40"), 2, []string{"--agents 40", "unstable", "47.5 erlangs", "--patience", "48"}},
		{"Erlang C at the load", []string{"--rate", "10/m", "--aht", "1m", "--agents", "10"}, 2, []string{"unstable"}},
		{"target above 1", with("--target", "1.2"), 2, []string{"--target", "(0,1]"}},
		{"target as a percentage", with("--target", "80"), 2, []string{"--target", "(0,1]"}},
		{"target zero", with("--target", "0"), 2, []string{"--target"}},
		{"target negative", with("--target", "-0.5"), 2, []string{"--target"}},
		{"max-abandon without target", with("--agents", "50", "--patience", "2m", "--max-abandon", "0.05"), 2, []string{"--max-abandon", "--target"}},
		{"max-abandon without patience", with("--target", "0.8", "--max-abandon", "0.05"), 2, []string{"--max-abandon", "--patience"}},
		{"max-abandon above 1", with("--target", "0.8", "--patience", "2m", "--max-abandon", "5"), 2, []string{"--max-abandon"}},
		{"unknown flag", with("--agents", "50", "--sla", "0.8"), 2, []string{"sla"}},
		{"stray argument", with("--agents", "50", "extra"), 2, []string{"extra"}},
		{"target never met", with("--target", "1", "--within", "0s"), 1, []string{"--target", "100%"}},
		{"target never met with abandonment", with("--target", "1", "--patience", "2m"), 1, []string{"--target", "never"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runErlangCLI(t, tt.args...)
			assert.Equal(t, tt.code, code, stderr)
			assert.Empty(t, stdout)
			assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %q", stderr)
			assert.True(t, strings.HasPrefix(stderr, "slasim erlang: "), stderr)
			for _, s := range tt.contains {
				assert.Contains(t, stderr, s)
			}
		})
	}
}

func TestErlangHelp(t *testing.T) {
	code, stdout, stderr := runErlangCLI(t, "-h")
	assert.Equal(t, 0, code)
	assert.Empty(t, stdout)
	for _, f := range []string{"-rate", "-aht", "-agents", "-target", "-within", "-patience", "-max-abandon", "-json"} {
		assert.Contains(t, stderr, f)
	}
}
