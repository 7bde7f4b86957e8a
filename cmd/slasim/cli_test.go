package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// buildBinary compiles slasim once per test binary run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "slasim")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, string(out))
	return bin
}

// The real binary, run with GOMAXPROCS=1 and 2, prints byte-identical JSON
// for the same scenario and seed.
func TestJSONIsByteIdenticalAcrossCores(t *testing.T) {
	bin := buildBinary(t)
	run := func(procs string) []byte {
		cmd := exec.Command(bin, "run", "../../scenarios/black-friday.toml", "--json", "--replications", "4", "--quiet")
		cmd.Env = append(os.Environ(), "GOMAXPROCS="+procs)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		require.NoError(t, cmd.Run(), errb.String())
		return out.Bytes()
	}
	one, two := run("1"), run("2")
	require.Greater(t, len(one), 1000)
	assert.True(t, bytes.Equal(one, two), "GOMAXPROCS=1 and 2 differ")
}

// Bad input: a clear error naming file, line and field, exit code 2, and no
// panic, for every kind of mistake a user makes.
func TestBadScenariosExitTwo(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	good, err := os.ReadFile("../../scenarios/small-team.toml")
	require.NoError(t, err)
	write := func(name, from, to string) string {
		p := filepath.Join(dir, name)
		src := string(good)
		if from != "" {
			require.Contains(t, src, from)
			src = strings.Replace(src, from, to, 1)
		}
		require.NoError(t, os.WriteFile(p, []byte(src), 0o644))
		return p
	}
	cases := []struct {
		path string
		want string
	}{
		{write("negative.toml", `rate = "5/h"`, `rate = "-5/h"`), `negative.toml:47: channel "phone": rate: rate "-5/h" must be positive`},
		{write("zero.toml", `rate = "3.5/h"`, `rate = "0/d"`), `zero.toml:55: channel "email": rate: rate "0/d" must be positive`},
		{write("shares.toml", "share = 0.5\nhandle_time = { dist = \"lognormal\", mean = \"7m\"", "share = 0.4\nhandle_time = { dist = \"lognormal\", mean = \"7m\""), "category shares sum to 0.9; they must sum to 1"},
		{write("tier.toml", `tier = "lead"`, `tier = "manager"`), `shift "lead": tier "manager" is not a [[tier]]`},
		{write("channel.toml", `skills = ["phone", "email"]`, `skills = ["phone", "whatsapp"]`), `tier "representative": skills names "whatsapp", which is not a [[channel]]`},
		{write("notier.toml", "tier = \"lead\"\ndays", "days"), `shift "lead": tier is missing`},
		{write("target.toml", `target = 0.80`, `target = 1.5`), `channel "phone": sla.target 1.5 is not in (0,1]`},
		{write("duration.toml", `length = "6h"`, `length = "6 hours"`), `shift "saturday": length: malformed duration "6 hours"`},
		{write("unknown.toml", `seed = 42`, "seed = 42\nreplicatons = 3"), `unknown key "scenario.replicatons"`},
		{write("empty.toml", string(good), ""), "empty.toml:1: the file is empty"},
		{dir, "is a directory"},
		{filepath.Join(dir, "missing.toml"), "missing.toml: no such file"},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			cmd := exec.Command(bin, "run", c.path, "--quiet")
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			err := cmd.Run()
			var ee *exec.ExitError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, 2, ee.ExitCode())
			assert.Contains(t, errb.String(), c.want)
			assert.NotContains(t, errb.String(), "panic")
			assert.Empty(t, out.String(), "nothing runs")
		})
	}
}
